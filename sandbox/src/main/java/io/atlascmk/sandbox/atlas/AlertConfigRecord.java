package io.atlascmk.sandbox.atlas;

import java.time.Instant;
import java.util.List;

/**
 * An alert configuration the simulator holds, as written (the webhook secret unredacted: Atlas answers it redacted,
 * tests may look at what was stored).
 *
 * @param threshold null for an event type without one
 */
public record AlertConfigRecord(
        String id,
        String eventTypeName,
        boolean enabled,
        Threshold threshold,
        List<Notification> notifications,
        Instant created,
        Instant updated) {

    public AlertConfigRecord {
        notifications = List.copyOf(notifications);
    }

    /** {@code operator threshold units}, e.g. GREATER_THAN 90 DAYS. */
    public record Threshold(String operator, int threshold, String units) {
    }

    /**
     * A WEBHOOK notification (the only type the simulator holds).
     *
     * @param notifierId Atlas's id of this notification
     */
    public record Notification(String typeName, int intervalMin, Integer delayMin, String webhookUrl, String webhookSecret,
                               String notifierId) {

        @Override
        public String toString() {
            return "Notification[" + typeName + " " + webhookUrl + " every " + intervalMin + " min, secret "
                    + (webhookSecret == null ? "none" : "set") + "]";
        }
    }

    /** A WEBHOOK alert configuration of the key-needs-rotation event, as an operator may have made it long ago. */
    public static AlertConfigRecord webhook(String eventTypeName, int thresholdDays, String url, String secret) {
        return new AlertConfigRecord(null, eventTypeName, true,
                thresholdDays > 0 ? new Threshold("GREATER_THAN", thresholdDays, "DAYS") : null,
                List.of(new Notification("WEBHOOK", 60, 0, url, secret, null)), null, null);
    }
}
