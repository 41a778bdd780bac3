package io.atlascmk.rotator.handler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.atlascmk.rotator.alert.AlertDeliveries;
import io.atlascmk.rotator.alert.DynamoDbAlertDeliveries;
import io.atlascmk.rotator.alert.FakeEventBridge;
import io.atlascmk.rotator.lock.TestLocks;
import io.atlascmk.rotator.alert.FakeSecretsManager;
import io.atlascmk.rotator.alert.WebhookFixtures;
import io.atlascmk.rotator.json.Json;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;

class AtlasWebhookHandlerTest {

    private static final String SECRET_ARN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:atlas-cmk-rotator/webhook-AbCdEf";
    private static final String BUS = "atlas-cmk-rotator";

    private final FakeSecretsManager secretsManager = FakeSecretsManager.holding(
            "{\"webhookSecret\": \"" + WebhookFixtures.SECRET + "\"}");
    private final FakeEventBridge eventBridge = FakeEventBridge.accepting();
    /** The example deliveries' alert. */
    private static final String ALERT_ID = "674ae1c2b3d4e5f60718293a";
    /** Deliveries recorded in the lock table, on dynalite; this test's alert starts undelivered. */
    private final AlertDeliveries deliveries = freshDeliveries();
    private final AtlasWebhookHandler handler = new AtlasWebhookHandler(secretsManager, SECRET_ARN, eventBridge, BUS, deliveries);

    private static AlertDeliveries freshDeliveries() {
        TestLocks.dynamo().deleteItem(b -> b.tableName(TestLocks.TABLE).key(Map.of("projectId",
                software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS(DynamoDbAlertDeliveries.KEY_PREFIX + ALERT_ID))));
        return new DynamoDbAlertDeliveries(TestLocks.dynamo(), TestLocks.TABLE, java.time.Clock.systemUTC());
    }

    private static JsonNode invoke(AtlasWebhookHandler target, byte[] event) throws IOException {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        target.handleRequest(new ByteArrayInputStream(event), output, null);
        return Json.MAPPER.readTree(output.toByteArray());
    }

    private static JsonNode body(JsonNode functionUrlResponse) throws IOException {
        return Json.MAPPER.readTree(functionUrlResponse.get("body").textValue());
    }

    @Test
    void answersTheExampleDelivery_withAFunctionUrlResponse_andPutsOneEventOnTheBus() throws IOException {
        JsonNode response = invoke(handler, WebhookFixtures.bytes("atlas-webhook-function-url-event.json"));

        assertThat(response.get("statusCode").asInt()).isEqualTo(202);
        assertThat(response.at("/headers/content-type").asText()).isEqualTo("application/json");
        assertThat(body(response).get("outcome").asText()).isEqualTo("accepted");
        assertThat(body(response).get("eventId").asText()).isEqualTo("event-1");

        assertThat(eventBridge.requests()).hasSize(1);
        assertThat(eventBridge.requests().get(0).entries()).hasSize(1);
        PutEventsRequestEntry entry = eventBridge.requests().get(0).entries().get(0);
        assertThat(entry.eventBusName()).isEqualTo(BUS);
        assertThat(entry.source()).isEqualTo("atlas-cmk-rotator.webhook");
        assertThat(entry.detailType()).isEqualTo("Atlas Encryption Key Needs Rotation");
        assertThat(Json.MAPPER.readTree(entry.detail())).isEqualTo(WebhookFixtures.json("alert-event.json").get("detail"));
        assertThat(secretsManager.requestedIds()).containsExactly(SECRET_ARN);
    }

    @Test
    void readsTheSecretOnce_forManyDeliveriesToOneContainer() throws IOException {
        for (int i = 0; i < 3; i++) {
            invoke(handler, WebhookFixtures.bytes("atlas-webhook-function-url-event.json"));
            invoke(handler, WebhookFixtures.bytes("invalid/webhook-bad-signature.json"));
            invoke(handler, WebhookFixtures.bytes("invalid/webhook-alert-close.json"));
        }

        assertThat(secretsManager.requestedIds()).hasSize(1);
        assertThat(eventBridge.requests()).as("the alert's first delivery only").hasSize(1);
    }

    @Test
    void aFloodOfRepeatedDeliveries_publishesTheAlertOnce_andAnswersTheRepeats200() throws IOException {
        int published = 0;
        for (int i = 0; i < 20; i++) {
            JsonNode response = invoke(handler, WebhookFixtures.bytes("atlas-webhook-function-url-event.json"));
            if (body(response).get("outcome").asText().equals("accepted")) {
                published++;
            } else {
                assertThat(response.get("statusCode").asInt()).isEqualTo(200);
                assertThat(body(response).get("reason").asText()).contains("delivered before");
            }
        }

        assertThat(published).isEqualTo(1);
        assertThat(eventBridge.requests()).hasSize(1);
    }

    @Test
    void aDeliveryThatCouldNotBePublished_isForgotten_soAtlassNextDeliveryGoesThrough() throws IOException {
        AtlasWebhookHandler refused = new AtlasWebhookHandler(secretsManager, SECRET_ARN, FakeEventBridge.refusing(), BUS,
                deliveries);
        assertThat(invoke(refused, WebhookFixtures.bytes("atlas-webhook-function-url-event.json")).get("statusCode").asInt())
                .isEqualTo(500);

        JsonNode again = invoke(handler, WebhookFixtures.bytes("atlas-webhook-function-url-event.json"));

        assertThat(again.get("statusCode").asInt()).isEqualTo(202);
        assertThat(eventBridge.requests()).hasSize(1);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "invalid/webhook-bad-signature.json, 401",
        "invalid/webhook-missing-event-header.json, 400",
        "invalid/webhook-oversized.json, 413",
        "invalid/webhook-not-json.json, 400",
        "invalid/webhook-wrong-event-type.json, 200",
        "invalid/webhook-alert-close.json, 200",
    })
    void answersBadAndIgnoredDeliveries_withAFunctionUrlResponse_andPublishesNothing(String file, int status) throws IOException {
        JsonNode response = invoke(handler, WebhookFixtures.bytes(file));

        assertThat(response.get("statusCode").asInt()).isEqualTo(status);
        assertThat(body(response).get("reason").asText()).isNotBlank();
        assertThat(response.toString()).doesNotContain(WebhookFixtures.SECRET);
        assertThat(eventBridge.requests()).isEmpty();
    }

    @Test
    void answers500_whenEventBridgeReportsFailedEntries() throws IOException {
        AtlasWebhookHandler refused = new AtlasWebhookHandler(secretsManager, SECRET_ARN, FakeEventBridge.refusing(), BUS, deliveries);

        JsonNode response = invoke(refused, WebhookFixtures.bytes("atlas-webhook-function-url-event.json"));

        assertThat(response.get("statusCode").asInt()).isEqualTo(500);
        assertThat(body(response).get("outcome").asText()).isEqualTo("failed");
    }

    @Test
    void answers500NamingTheShape_whenTheStoredSecretIsMalformed() throws IOException {
        AtlasWebhookHandler misconfigured = new AtlasWebhookHandler(FakeSecretsManager.holding("{\"secret\": \"LEAK-ME-123\"}"),
                SECRET_ARN, eventBridge, BUS, deliveries);

        JsonNode response = invoke(misconfigured, WebhookFixtures.bytes("atlas-webhook-function-url-event.json"));

        assertThat(response.get("statusCode").asInt()).isEqualTo(500);
        assertThat(body(response).get("reason").asText()).contains("{\"webhookSecret\":");
        assertThat(response.toString()).doesNotContain("LEAK-ME-123");
        assertThat(eventBridge.requests()).isEmpty();
    }

    @Test
    void requiredConfiguration_saysWhatToSetWhenMissing() {
        assertThat(AtlasWebhookHandler.required(Map.of("WEBHOOK_SECRET_ARN", SECRET_ARN), "WEBHOOK_SECRET_ARN", "the secret"))
                .isEqualTo(SECRET_ARN);
        assertThatThrownBy(() -> AtlasWebhookHandler.required(Map.of(), "ROTATOR_EVENT_BUS_NAME", "the bus the alert rule listens on"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("ROTATOR_EVENT_BUS_NAME is not set: set it to the bus the alert rule listens on.");
    }
}
