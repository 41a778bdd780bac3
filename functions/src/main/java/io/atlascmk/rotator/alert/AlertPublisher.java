package io.atlascmk.rotator.alert;

/** Hands an accepted alert to the rotator (an EventBridge bus in AWS, a list in tests). */
@FunctionalInterface
public interface AlertPublisher {

    /**
     * Publishes exactly one event for {@code alert}.
     *
     * @return the id of the published event
     * @throws AlertPublishException when the event was not accepted
     */
    String publish(RotationAlert alert);
}
