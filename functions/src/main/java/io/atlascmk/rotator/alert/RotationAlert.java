package io.atlascmk.rotator.alert;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * The part of an Atlas "AWS encryption key needs rotation" alert that leaves this function: the
 * {@code detail} of the EventBridge event. Nothing else from the webhook body is forwarded.
 *
 * @param projectId the alert's {@code groupId}: the Atlas project (24 hex digits)
 * @param alertId the alert's {@code id} (24 hex digits)
 * @param eventTypeName always {@link #EVENT_TYPE_NAME} for alerts this function accepts
 * @param status the alert's status as Atlas sent it, e.g. {@code OPEN}
 * @param created when Atlas raised the alert, ISO-8601 as Atlas sent it
 */
@JsonPropertyOrder({"projectId", "alertId", "eventTypeName", "status", "created"})
public record RotationAlert(String projectId, String alertId, String eventTypeName, String status, String created) {

    /** The only Atlas event type that starts a rotation. */
    public static final String EVENT_TYPE_NAME = "AWS_ENCRYPTION_KEY_NEEDS_ROTATION";

    public RotationAlert {
        requireText(projectId, "projectId");
        requireText(alertId, "alertId");
        requireText(eventTypeName, "eventTypeName");
        requireText(status, "status");
        requireText(created, "created");
    }

    private static void requireText(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " is required");
        }
    }
}
