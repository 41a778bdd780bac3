package io.atlascmk.rotator.alert;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.atlascmk.rotator.json.Json;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequest;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResponse;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResultEntry;

/**
 * Publishes one event per accepted alert to the rotator's bus. The bus's rule (pattern in
 * {@code events/alert-rule-pattern.json}) starts the rotation state machine.
 *
 * <p>Atlas repeats a notification until the alert is acknowledged or closed, and redelivers after
 * errors, so the same alert may be published more than once. That is deliberate: deduplication
 * belongs to the workflow, whose Preflight step holds the per-project lock and the cooldown, so a
 * second event for the same alert finds a rotation running or just finished and does nothing.
 */
public final class EventBridgeAlertPublisher implements AlertPublisher {

    /** {@code source} of every event this function publishes. */
    public static final String SOURCE = "atlas-cmk-rotator.webhook";

    /** {@code detail-type} of every event this function publishes. */
    public static final String DETAIL_TYPE = "Atlas Encryption Key Needs Rotation";

    private final EventBridgeClient eventBridge;
    private final String eventBusName;

    public EventBridgeAlertPublisher(EventBridgeClient eventBridge, String eventBusName) {
        if (eventBridge == null) {
            throw new IllegalArgumentException("eventBridge is required");
        }
        if (eventBusName == null || eventBusName.isBlank()) {
            throw new IllegalArgumentException("eventBusName is required: the name or ARN of the rotator's bus (ROTATOR_EVENT_BUS_NAME)");
        }
        this.eventBridge = eventBridge;
        this.eventBusName = eventBusName;
    }

    /** The {@code Detail} string of the event for {@code alert}. */
    public static String detailJson(RotationAlert alert) {
        try {
            return Json.MAPPER.writeValueAsString(alert);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Could not serialise the alert detail", e);
        }
    }

    @Override
    public String publish(RotationAlert alert) {
        PutEventsRequestEntry entry = PutEventsRequestEntry.builder()
                .eventBusName(eventBusName)
                .source(SOURCE)
                .detailType(DETAIL_TYPE)
                .detail(detailJson(alert))
                .build();
        PutEventsResponse response;
        try {
            response = eventBridge.putEvents(PutEventsRequest.builder().entries(entry).build());
        } catch (SdkException e) {
            throw new AlertPublishException("Could not publish alert " + alert.alertId() + " to event bus " + eventBusName + " ("
                    + e.getClass().getSimpleName() + ": " + e.getMessage() + ")", e);
        }
        PutEventsResultEntry result = response.hasEntries() && !response.entries().isEmpty() ? response.entries().get(0) : null;
        Integer failed = response.failedEntryCount();
        if ((failed != null && failed > 0) || result == null || result.eventId() == null) {
            String why = result == null ? "no result entry" : result.errorCode() + ": " + result.errorMessage();
            throw new AlertPublishException("Event bus " + eventBusName + " did not accept the event for alert " + alert.alertId()
                    + " (FailedEntryCount " + failed + ", " + why + "). Check the bus name and the function's events:PutEvents permission.");
        }
        return result.eventId();
    }
}
