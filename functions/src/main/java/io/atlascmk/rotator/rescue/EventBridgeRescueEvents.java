package io.atlascmk.rotator.rescue;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.atlascmk.rotator.json.Json;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResponse;

import java.util.Objects;

/** Publishes the tripwire's events to the rotator's bus (the outcome topic and its alarms listen there). */
public final class EventBridgeRescueEvents implements RescueEvents {

    private final EventBridgeClient eventBridge;
    private final String eventBusName;

    public EventBridgeRescueEvents(EventBridgeClient eventBridge, String eventBusName) {
        this.eventBridge = Objects.requireNonNull(eventBridge, "eventBridge");
        if (eventBusName == null || eventBusName.isBlank()) {
            throw new IllegalArgumentException("eventBusName is required: the rotator's bus (ROTATOR_EVENT_BUS_NAME)");
        }
        this.eventBusName = eventBusName;
    }

    @Override
    public void publish(String detailType, RescueResult result) {
        String detail;
        try {
            detail = Json.MAPPER.writeValueAsString(result);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Could not write the rescue event", e);
        }
        PutEventsResponse response;
        try {
            response = eventBridge.putEvents(b -> b.entries(e -> e.eventBusName(eventBusName).source(KeyRescue.SOURCE)
                    .detailType(detailType).resources(result.keyArn()).detail(detail)));
        } catch (SdkException e) {
            throw new IllegalStateException("The " + detailType + " event of key " + result.keyArn() + " could"
                    + " not be published to " + eventBusName + " (" + e.getClass().getSimpleName() + "); EventBridge will"
                    + " retry the rescue, which publishes again.", e);
        }
        if (response.failedEntryCount() != null && response.failedEntryCount() > 0) {
            throw new IllegalStateException("Event bus " + eventBusName + " refused the " + detailType + " event of key "
                    + result.keyArn() + " (" + response.entries().get(0).errorCode() + ").");
        }
    }
}
