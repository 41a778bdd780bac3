package io.atlascmk.rotator.atlas;

import java.util.List;

/**
 * A project's alert configuration, as far as the rotator reads or writes it: the event type, whether it is on, its
 * threshold and its notifications. Atlas answers the webhook URL partially redacted and the webhook secret redacted.
 *
 * @param id            Atlas's id; null in a configuration to create
 * @param eventTypeName e.g. {@code AWS_ENCRYPTION_KEY_NEEDS_ROTATION}
 * @param enabled       null when Atlas did not say
 * @param threshold     null for event types without one
 * @param notifications where Atlas sends the alert
 */
public record AlertConfig(
        String id,
        String eventTypeName,
        Boolean enabled,
        AlertThreshold threshold,
        List<AlertNotification> notifications) {

    public AlertConfig {
        notifications = notifications == null ? List.of() : List.copyOf(notifications);
    }

    /** Atlas's event: the project's AWS KMS key is older than the threshold (days since it was last changed). */
    public static final String AWS_ENCRYPTION_KEY_NEEDS_ROTATION = "AWS_ENCRYPTION_KEY_NEEDS_ROTATION";

    /** The same configuration with Atlas's id. */
    public AlertConfig withId(String newId) {
        return new AlertConfig(newId, eventTypeName, enabled, threshold, notifications);
    }
}
