package io.atlascmk.rotator.alert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.atlascmk.rotator.json.Json;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;

/**
 * The files under events/ that other parts read (the CDK stack and the sandbox read the rule
 * pattern) agree with each other and with what the webhook publishes.
 */
class AlertEventContractTest {

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void rulePattern_isExactlyTheDocumentedOne() throws Exception {
        assertThat(WebhookFixtures.json("alert-rule-pattern.json")).isEqualTo(Json.MAPPER.readTree("""
                {"source": ["atlas-cmk-rotator.webhook"],
                 "detail-type": ["Atlas Encryption Key Needs Rotation"],
                 "detail": {"eventTypeName": ["AWS_ENCRYPTION_KEY_NEEDS_ROTATION"]}}
                """));
    }

    @Test
    void exampleAlertEvent_matchesTheRulePattern() {
        assertThat(EventPatternMatcher.matches(WebhookFixtures.json("alert-rule-pattern.json"), WebhookFixtures.json("alert-event.json")))
                .isTrue();
    }

    @Test
    void rulePattern_doesNotMatchOtherSourcesOrEventTypes() {
        JsonNode pattern = WebhookFixtures.json("alert-rule-pattern.json");
        ObjectNode otherSource = (ObjectNode) WebhookFixtures.json("alert-event.json");
        otherSource.put("source", "aws.kms");
        ObjectNode otherType = (ObjectNode) WebhookFixtures.json("alert-event.json");
        ((ObjectNode) otherType.get("detail")).put("eventTypeName", "AWS_ENCRYPTION_KEY_INVALID");
        ObjectNode noDetail = (ObjectNode) WebhookFixtures.json("alert-event.json");
        noDetail.remove("detail");

        assertThat(EventPatternMatcher.matches(pattern, otherSource)).isFalse();
        assertThat(EventPatternMatcher.matches(pattern, otherType)).isFalse();
        assertThat(EventPatternMatcher.matches(pattern, noDetail)).isFalse();
    }

    @Test
    void matcher_refusesContentFiltersItDoesNotImplement() throws Exception {
        JsonNode prefixPattern = Json.MAPPER.readTree("{\"source\": [{\"prefix\": \"atlas\"}]}");
        assertThatThrownBy(() -> EventPatternMatcher.matches(prefixPattern, WebhookFixtures.json("alert-event.json")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void exampleAlertEvent_hasTheEventBridgeEnvelope_andThePublishersSourceAndDetailType() {
        JsonNode event = WebhookFixtures.json("alert-event.json");
        assertThat(fieldNames(event)).containsExactlyInAnyOrder("version", "id", "detail-type", "source", "account", "time",
                "region", "resources", "detail");
        assertThat(event.get("source").asText()).isEqualTo(EventBridgeAlertPublisher.SOURCE);
        assertThat(event.get("detail-type").asText()).isEqualTo(EventBridgeAlertPublisher.DETAIL_TYPE);
        assertThat(event.get("resources").isArray()).isTrue();
    }

    @Test
    void handlerPublishedDetail_hasTheShapeOfTheExampleEventsDetail_andTheEventMatchesTheRule() throws Exception {
        FakeEventBridge eventBridge = FakeEventBridge.accepting();
        AtlasWebhookProcessor processor = new AtlasWebhookProcessor(() -> WebhookFixtures.SECRET,
                new EventBridgeAlertPublisher(eventBridge, "atlas-cmk-rotator"), new CapturingLogger());

        WebhookResponse response = processor.handleFunctionUrlEvent(
                new ByteArrayInputStream(WebhookFixtures.bytes("atlas-webhook-function-url-event.json")));

        assertThat(response.statusCode()).isEqualTo(202);
        assertThat(eventBridge.requests()).hasSize(1);
        PutEventsRequestEntry entry = eventBridge.requests().get(0).entries().get(0);
        JsonNode published = Json.MAPPER.readTree(entry.detail());
        JsonNode example = WebhookFixtures.json("alert-event.json").get("detail");
        assertThat(fieldNames(published)).containsExactlyElementsOf(fieldNames(example));
        for (String name : fieldNames(example)) {
            assertThat(published.get(name).getNodeType()).as(name).isEqualTo(example.get(name).getNodeType());
        }
        // The example files describe the same alert, so the values agree too.
        assertThat(published).isEqualTo(example);

        ObjectNode asTheRuleSeesIt = Json.MAPPER.createObjectNode();
        asTheRuleSeesIt.put("source", entry.source());
        asTheRuleSeesIt.put("detail-type", entry.detailType());
        asTheRuleSeesIt.set("detail", published);
        assertThat(EventPatternMatcher.matches(WebhookFixtures.json("alert-rule-pattern.json"), asTheRuleSeesIt)).isTrue();
    }

    @Test
    void exampleFunctionUrlEvent_carriesTheExampleAlertBody() throws Exception {
        JsonNode event = WebhookFixtures.validEvent();
        assertThat(Json.MAPPER.readTree(event.get("body").textValue())).isEqualTo(WebhookFixtures.json("atlas-webhook-alert.json"));
        assertThat(event.get("isBase64Encoded").asBoolean()).isFalse();
        assertThat(event.at("/requestContext/http/method").asText()).isEqualTo("POST");
        assertThat(event.get("headers").get("x-mms-event").asText()).isEqualTo("alert.open");
    }
}
