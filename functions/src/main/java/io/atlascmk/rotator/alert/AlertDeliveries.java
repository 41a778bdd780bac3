package io.atlascmk.rotator.alert;

/**
 * Which Atlas alerts were already delivered. Atlas delivers an open alert again and again (and a
 * flood of replayed deliveries is cheap to send); only an alert's first delivery starts anything.
 */
public interface AlertDeliveries {

    /** Deliveries are not remembered: every valid delivery is published (tests of other behaviour). */
    AlertDeliveries NOT_REMEMBERED = new AlertDeliveries() {
        @Override
        public boolean firstDelivery(String alertId) {
            return true;
        }

        @Override
        public void forget(String alertId) {
            // nothing remembered
        }
    };

    /**
     * Records a delivery of {@code alertId}; true for the first one within the retention, false for a
     * repeat.
     *
     * @throws AlertPublishException when the record cannot be read or written (the delivery then fails
     *                               and Atlas delivers it again)
     */
    boolean firstDelivery(String alertId);

    /** Forgets a delivery whose publishing failed, so that Atlas's next delivery of it goes through. */
    void forget(String alertId);
}
