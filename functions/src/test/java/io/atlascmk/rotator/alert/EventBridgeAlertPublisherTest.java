package io.atlascmk.rotator.alert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.atlascmk.rotator.json.Json;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.eventbridge.model.EventBridgeException;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;

class EventBridgeAlertPublisherTest {

    private static final RotationAlert ALERT = new RotationAlert(WebhookFixtures.PROJECT_ID, WebhookFixtures.ALERT_ID,
            RotationAlert.EVENT_TYPE_NAME, "OPEN", "2026-11-30T09:58:12Z");

    @Test
    void publishesOneEntryToTheBus_withSourceDetailTypeAndTheFiveDetailFields() throws Exception {
        FakeEventBridge eventBridge = FakeEventBridge.accepting();

        String eventId = new EventBridgeAlertPublisher(eventBridge, "atlas-cmk-rotator").publish(ALERT);

        assertThat(eventId).isEqualTo("event-1");
        assertThat(eventBridge.requests()).hasSize(1);
        assertThat(eventBridge.requests().get(0).entries()).hasSize(1);
        PutEventsRequestEntry entry = eventBridge.requests().get(0).entries().get(0);
        assertThat(entry.eventBusName()).isEqualTo("atlas-cmk-rotator");
        assertThat(entry.source()).isEqualTo("atlas-cmk-rotator.webhook");
        assertThat(entry.detailType()).isEqualTo("Atlas Encryption Key Needs Rotation");
        JsonNode detail = Json.MAPPER.readTree(entry.detail());
        assertThat(detail).isEqualTo(Json.MAPPER.readTree("""
                {"projectId": "5f1e2d3c4b5a69788796a5b4", "alertId": "674ae1c2b3d4e5f60718293a",
                 "eventTypeName": "AWS_ENCRYPTION_KEY_NEEDS_ROTATION", "status": "OPEN", "created": "2026-11-30T09:58:12Z"}
                """));
    }

    @Test
    void failsWhenEventBridgeReportsAFailedEntry() {
        FakeEventBridge eventBridge = FakeEventBridge.refusing();
        assertThatThrownBy(() -> new EventBridgeAlertPublisher(eventBridge, "atlas-cmk-rotator").publish(ALERT))
                .isInstanceOf(AlertPublishException.class)
                .hasMessageContaining("FailedEntryCount 1")
                .hasMessageContaining("InternalFailure")
                .hasMessageContaining(WebhookFixtures.ALERT_ID);
    }

    @Test
    void failsWhenEventBridgeCannotBeCalled() {
        FakeEventBridge eventBridge = new FakeEventBridge(request -> {
            throw EventBridgeException.builder().message("Event bus atlas-cmk-rotator does not exist.").statusCode(400).build();
        });
        assertThatThrownBy(() -> new EventBridgeAlertPublisher(eventBridge, "atlas-cmk-rotator").publish(ALERT))
                .isInstanceOf(AlertPublishException.class)
                .hasMessageContaining("does not exist")
                .hasCauseInstanceOf(EventBridgeException.class);
    }

    @Test
    void refusesToBeBuiltWithoutABusName() {
        assertThatThrownBy(() -> new EventBridgeAlertPublisher(FakeEventBridge.accepting(), " "))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ROTATOR_EVENT_BUS_NAME");
    }
}
