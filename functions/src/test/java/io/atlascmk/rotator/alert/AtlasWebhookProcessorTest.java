package io.atlascmk.rotator.alert;

import static io.atlascmk.rotator.alert.WebhookFixtures.ALERT_ID;
import static io.atlascmk.rotator.alert.WebhookFixtures.PROJECT_ID;
import static io.atlascmk.rotator.alert.WebhookFixtures.SECRET;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.atlascmk.rotator.json.Json;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.slf4j.event.Level;

class AtlasWebhookProcessorTest {

    private final List<RotationAlert> published = new ArrayList<>();
    private final AtomicInteger secretReads = new AtomicInteger();
    private final CapturingLogger log = new CapturingLogger();
    private final AtlasWebhookProcessor processor = new AtlasWebhookProcessor(() -> {
        secretReads.incrementAndGet();
        return SECRET;
    }, alert -> {
        published.add(alert);
        return "event-" + published.size();
    }, log);

    private WebhookResponse deliver(AtlasWebhookProcessor target, byte[] event) {
        return target.handleFunctionUrlEvent(new ByteArrayInputStream(event));
    }

    private WebhookResponse deliver(JsonNode event) {
        return deliver(processor, WebhookFixtures.toBytes(event));
    }

    private WebhookResponse deliverFile(String path) {
        return deliver(processor, WebhookFixtures.bytes(path));
    }

    /** The valid example event with {@code body} in place of its body, signed with the sandbox secret. */
    private static ObjectNode signedEvent(String body) {
        ObjectNode event = WebhookFixtures.validEvent();
        event.put("body", body);
        ((ObjectNode) event.get("headers")).put("x-mms-signature",
                WebhookSignature.sign(SECRET, body.getBytes(StandardCharsets.UTF_8)));
        return event;
    }

    /** The example alert body with {@code changes} applied (a null value removes the field). */
    private static String alertBody(Map<String, String> changes) {
        ObjectNode alert = (ObjectNode) WebhookFixtures.json("atlas-webhook-alert.json");
        changes.forEach((field, value) -> {
            if (value == null) {
                alert.remove(field);
            } else {
                alert.put(field, value);
            }
        });
        return alert.toString();
    }

    @Test
    void acceptsTheExampleAlert_andPublishesExactlyOneEventWithItsIds() {
        WebhookResponse response = deliverFile("atlas-webhook-function-url-event.json");

        assertThat(response.statusCode()).isEqualTo(202);
        assertThat(response.outcome()).isEqualTo("accepted");
        assertThat(response.body()).containsEntry("projectId", PROJECT_ID).containsEntry("alertId", ALERT_ID)
                .containsEntry("eventId", "event-1");
        assertThat(published).containsExactly(new RotationAlert(PROJECT_ID, ALERT_ID, "AWS_ENCRYPTION_KEY_NEEDS_ROTATION",
                "OPEN", "2026-11-30T09:58:12Z"));
        assertThat(log.all()).contains("Accepted Atlas alert " + ALERT_ID).contains(PROJECT_ID);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "webhook-bad-signature.json        | 401 | rejected | does not match the body",
        "webhook-garbled-signature.json    | 401 | rejected | not a base64 signature",
        "webhook-missing-signature.json    | 401 | rejected | X-MMS-Signature header is missing",
        "webhook-missing-event-header.json | 400 | rejected | X-MMS-Event header is missing",
        "webhook-oversized.json            | 413 | rejected | larger than 65536 bytes",
        "webhook-not-json.json             | 400 | rejected | not valid JSON",
        "webhook-missing-group-id.json     | 400 | rejected | groupId is missing",
        "webhook-get-method.json           | 405 | rejected | only POST",
        "webhook-wrong-event-type.json     | 200 | ignored  | eventTypeName is AWS_ENCRYPTION_KEY_INVALID",
        "webhook-alert-close.json          | 200 | ignored  | X-MMS-Event is alert.close",
    })
    void invalidWebhookExamples_areAnsweredWithAReasonAndPublishNothing(String file, int status, String outcome, String reason) {
        WebhookResponse response = deliverFile("invalid/" + file);

        assertThat(response.statusCode()).isEqualTo(status);
        assertThat(response.outcome()).isEqualTo(outcome);
        assertThat(response.reason()).contains(reason);
        assertThat(published).isEmpty();
        assertThat(log.all()).contains(reason);
    }

    @Test
    void everyInvalidWebhookExample_isInTheTableAbove() throws IOException {
        Set<String> files;
        try (Stream<Path> listing = Files.list(WebhookFixtures.eventsDir().resolve("invalid"))) {
            files = listing.map(path -> path.getFileName().toString()).filter(name -> name.startsWith("webhook-"))
                    .collect(Collectors.toSet());
        }
        assertThat(files).containsExactlyInAnyOrder("webhook-bad-signature.json", "webhook-garbled-signature.json",
                "webhook-missing-signature.json", "webhook-missing-event-header.json", "webhook-oversized.json",
                "webhook-not-json.json", "webhook-missing-group-id.json", "webhook-get-method.json",
                "webhook-wrong-event-type.json", "webhook-alert-close.json");
    }

    @Test
    void unsignedRequests_areRejectedWithoutReadingTheSecret() {
        deliverFile("invalid/webhook-missing-signature.json");
        deliverFile("invalid/webhook-oversized.json");
        deliverFile("invalid/webhook-get-method.json");
        assertThat(secretReads).hasValue(0);
    }

    @Test
    void answersGetWith405_andAnAllowHeader() {
        WebhookResponse response = deliverFile("invalid/webhook-get-method.json");
        assertThat(response.headers()).containsEntry("allow", "POST");
        assertThat(response.toFunctionUrlResponse().get("headers").get("allow").asText()).isEqualTo("POST");
    }

    @Test
    void acceptsABase64EncodedBody_verifyingTheDecodedBytes() {
        ObjectNode event = WebhookFixtures.validEvent();
        String body = event.get("body").textValue();
        event.put("body", Base64.getEncoder().encodeToString(body.getBytes(StandardCharsets.UTF_8)));
        event.put("isBase64Encoded", true);

        WebhookResponse response = deliver(event);

        assertThat(response.statusCode()).isEqualTo(202);
        assertThat(published).extracting(RotationAlert::alertId).containsExactly(ALERT_ID);
    }

    @Test
    void rejectsASignatureComputedOverTheBase64Text_ofABase64Body() {
        ObjectNode event = WebhookFixtures.validEvent();
        String encoded = Base64.getEncoder().encodeToString(event.get("body").textValue().getBytes(StandardCharsets.UTF_8));
        event.put("body", encoded);
        event.put("isBase64Encoded", true);
        ((ObjectNode) event.get("headers")).put("x-mms-signature", WebhookSignature.sign(SECRET, encoded.getBytes(StandardCharsets.UTF_8)));

        assertThat(deliver(event).statusCode()).isEqualTo(401);
        assertThat(published).isEmpty();
    }

    @Test
    void rejectsABodyMarkedBase64ThatIsNot() {
        ObjectNode event = WebhookFixtures.validEvent();
        event.put("isBase64Encoded", true);

        WebhookResponse response = deliver(event);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.reason()).contains("isBase64Encoded");
        assertThat(published).isEmpty();
    }

    @Test
    void rejectsAnOversizedBase64Body_afterDecodingIt() {
        byte[] big = new byte[AtlasWebhookProcessor.MAX_BODY_BYTES + 1];
        java.util.Arrays.fill(big, (byte) ' ');
        ObjectNode event = WebhookFixtures.validEvent();
        event.put("body", Base64.getEncoder().encodeToString(big));
        event.put("isBase64Encoded", true);
        ((ObjectNode) event.get("headers")).put("x-mms-signature", WebhookSignature.sign(SECRET, big));

        assertThat(deliver(event).statusCode()).isEqualTo(413);
        assertThat(secretReads).hasValue(0);
    }

    @Test
    void acceptsABodyOfExactlyTheSizeLimit() {
        String unpadded = alertBody(Map.of("humanReadable", ""));
        int padding = AtlasWebhookProcessor.MAX_BODY_BYTES - unpadded.getBytes(StandardCharsets.UTF_8).length;
        String body = alertBody(Map.of("humanReadable", " ".repeat(padding)));
        assertThat(body.getBytes(StandardCharsets.UTF_8)).hasSize(AtlasWebhookProcessor.MAX_BODY_BYTES);

        assertThat(deliver(signedEvent(body)).statusCode()).isEqualTo(202);
        assertThat(deliver(signedEvent(body + " ")).statusCode()).isEqualTo(413);
        assertThat(published).hasSize(1);
    }

    @Test
    void refusesAnInvocationLargerThanTheEventLimit_withoutParsingIt() {
        byte[] huge = new byte[AtlasWebhookProcessor.MAX_EVENT_BYTES + 1];
        java.util.Arrays.fill(huge, (byte) '{');

        WebhookResponse response = deliver(processor, huge);

        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(secretReads).hasValue(0);
    }

    @Test
    void rejectsInvocationsThatAreNotFunctionUrlEvents() {
        assertThat(deliver(processor, "not json".getBytes(StandardCharsets.UTF_8)).statusCode()).isEqualTo(400);
        WebhookResponse noContext = deliver(processor, "{\"body\": \"{}\"}".getBytes(StandardCharsets.UTF_8));
        assertThat(noContext.statusCode()).isEqualTo(400);
        assertThat(noContext.reason()).contains("requestContext.http.method");
        ObjectNode numericBody = WebhookFixtures.validEvent();
        numericBody.put("body", 42);
        assertThat(deliver(numericBody).statusCode()).isEqualTo(400);
        assertThat(published).isEmpty();
    }

    @Test
    void findsHeadersWhateverTheirCase() {
        ObjectNode event = WebhookFixtures.validEvent();
        ObjectNode headers = (ObjectNode) event.get("headers");
        String signature = headers.remove("x-mms-signature").textValue();
        headers.remove("x-mms-event");
        headers.put("X-MMS-Signature", signature);
        headers.put("X-Mms-Event", "alert.open");

        assertThat(deliver(event).statusCode()).isEqualTo(202);

        WebhookRequest request = new WebhookRequest("POST", Map.of("X-MMS-EVENT", "alert.open"), "{}", false);
        assertThat(request.header("x-mms-event")).isEqualTo("alert.open");
        assertThat(request.header("X-Mms-Event")).isEqualTo("alert.open");
    }

    @Test
    void rejectsAMalformedEventHeader() {
        ObjectNode event = WebhookFixtures.validEvent();
        ((ObjectNode) event.get("headers")).put("x-mms-event", "ALERT OPEN; DROP");

        WebhookResponse response = deliver(event);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.reason()).contains("not an Atlas event kind").doesNotContain("DROP");
    }

    @Test
    void ignoresOtherAlertDeliveryKinds_withoutParsingTheBody() {
        ObjectNode event = signedEvent("this body is not JSON and is never parsed");
        ((ObjectNode) event.get("headers")).put("x-mms-event", "alert.acknowledge");

        WebhookResponse response = deliver(event);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.outcome()).isEqualTo("ignored");
        assertThat(response.reason()).isEqualTo("X-MMS-Event is alert.acknowledge; only alert.open starts a rotation");
        assertThat(published).isEmpty();
    }

    @Test
    void ignoresOtherEventTypes_withoutEchoingUnexpectedText() {
        WebhookResponse response = deliver(signedEvent(alertBody(Map.of("eventTypeName", "<script>x</script>"))));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.outcome()).isEqualTo("ignored");
        assertThat(response.reason()).doesNotContain("script").contains("only AWS_ENCRYPTION_KEY_NEEDS_ROTATION");
        assertThat(published).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "'[1, 2, 3]'                                   | the body is not a JSON object",
        "'{\"id\": \"674ae1c2b3d4e5f60718293a\"} trailing' | the body is not valid JSON",
        "'{\"groupId\": \"5f1e2d3c4b5a69788796a5b4\"}'     | the body has no eventTypeName",
        "'{\"eventTypeName\": 7}'                        | the body has no eventTypeName",
    })
    void rejectsBodiesThatAreNotAnAlert(String body, String reason) {
        WebhookResponse response = deliver(signedEvent(body));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.reason()).isEqualTo(reason);
        assertThat(published).isEmpty();
    }

    @Test
    void rejectsAnAlertWithoutValidIds_listingEveryProblem() {
        Map<String, String> changes = new java.util.HashMap<>();
        changes.put("groupId", "payments-prod");
        changes.put("id", null);
        changes.put("created", "yesterday");
        WebhookResponse response = deliver(signedEvent(alertBody(changes)));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.reason()).contains("groupId is not 24 hexadecimal digits", "id is missing",
                "created is not an ISO-8601 date-time");
        assertThat(published).isEmpty();
    }

    @Test
    void rejectsAnUppercaseHexGroupId_asAtlasIdsAreLowercase() {
        WebhookResponse response = deliver(signedEvent(alertBody(Map.of("groupId", PROJECT_ID.toUpperCase()))));
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(published).isEmpty();
    }

    @Test
    void anAlertOfAProjectThatIsNotRegistered_isAnswered200_andStartsNothing_whileTheRegistryDecides() {
        AtlasWebhookProcessor registryAware = new AtlasWebhookProcessor(() -> SECRET, alert -> {
            published.add(alert);
            return "event-1";
        }, AlertDeliveries.NOT_REMEMBERED, projectId -> false);
        AtlasWebhookProcessor registryDown = new AtlasWebhookProcessor(() -> SECRET, alert -> {
            published.add(alert);
            return "event-1";
        }, AlertDeliveries.NOT_REMEMBERED, projectId -> {
            throw new IllegalStateException("table unreachable");
        });
        byte[] event = WebhookFixtures.bytes("atlas-webhook-function-url-event.json");

        WebhookResponse ignored = deliver(registryAware, event);
        WebhookResponse unknown = deliver(registryDown, event);

        assertThat(ignored.statusCode()).isEqualTo(200);
        assertThat(ignored.outcome()).isEqualTo("ignored");
        assertThat(ignored.reason()).contains(PROJECT_ID).contains("not registered").contains("./rotator projects add");
        assertThat(unknown.statusCode()).as("Atlas delivers again once the registry answers").isEqualTo(500);
        assertThat(published).isEmpty();
    }

    @Test
    void answers500_whenPublishingFails_soAtlasDeliversAgain() {
        AtlasWebhookProcessor failing = new AtlasWebhookProcessor(() -> SECRET, alert -> {
            throw new AlertPublishException("Event bus atlas-cmk-rotator did not accept the event for alert " + alert.alertId());
        }, log);

        WebhookResponse response = deliver(failing, WebhookFixtures.bytes("atlas-webhook-function-url-event.json"));

        assertThat(response.statusCode()).isEqualTo(500);
        assertThat(response.outcome()).isEqualTo("failed");
        assertThat(response.reason()).contains("Atlas will deliver it again");
        assertThat(log.lines()).anySatisfy(line -> {
            assertThat(line.level()).isEqualTo(Level.ERROR);
            assertThat(line.text()).contains("did not accept the event for alert " + ALERT_ID);
        });
    }

    @Test
    void answers500NamingTheExpectedShape_whenTheSecretIsMalformed() {
        AtlasWebhookProcessor misconfigured = new AtlasWebhookProcessor(
                new SecretsManagerWebhookSecret(FakeSecretsManager.holding("{\"token\": \"LEAK-ME-123\"}"), "arn:secret"),
                alert -> {
                    throw new AssertionError("nothing may be published");
                }, log);

        WebhookResponse response = deliver(misconfigured, WebhookFixtures.bytes("atlas-webhook-function-url-event.json"));

        assertThat(response.statusCode()).isEqualTo(500);
        assertThat(response.reason()).contains("{\"webhookSecret\":").contains("plain webhook secret");
        assertThat(response.bodyJson() + log.all()).doesNotContain("LEAK-ME-123");
    }

    @Test
    void answers500_whenTheSecretCannotBeRead_andLogsWhy() {
        AtlasWebhookProcessor broken = new AtlasWebhookProcessor(() -> {
            throw new WebhookSecretUnavailableException("Could not read the webhook secret arn:secret (AccessDeniedException)", null);
        }, alert -> "never", log);

        WebhookResponse response = deliver(broken, WebhookFixtures.bytes("atlas-webhook-function-url-event.json"));

        assertThat(response.statusCode()).isEqualTo(500);
        assertThat(response.reason()).doesNotContain("arn:secret");
        assertThat(log.all()).contains("AccessDeniedException");
    }

    @Test
    void neverRevealsTheSecretTheSignatureOrTheBody_inResponsesOrLogs() {
        List<String> responses = new ArrayList<>();
        List<byte[]> deliveries = new ArrayList<>();
        deliveries.add(WebhookFixtures.bytes("atlas-webhook-function-url-event.json"));
        try (Stream<Path> listing = Files.list(WebhookFixtures.eventsDir().resolve("invalid"))) {
            listing.filter(path -> path.getFileName().toString().startsWith("webhook-")).sorted()
                    .forEach(path -> deliveries.add(readAll(path)));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        AtlasWebhookProcessor failingPublisher = new AtlasWebhookProcessor(() -> SECRET, alert -> {
            throw new AlertPublishException("Event bus did not accept the event");
        }, log);
        AtlasWebhookProcessor malformedSecret = new AtlasWebhookProcessor(
                new SecretsManagerWebhookSecret(FakeSecretsManager.holding("{\"webhookSecret\": " + SECRET), "arn:secret"),
                alert -> "never", log);

        for (byte[] delivery : deliveries) {
            for (AtlasWebhookProcessor target : List.of(processor, failingPublisher, malformedSecret)) {
                int before = log.lines().size();
                WebhookResponse response = deliver(target, delivery);
                responses.add(response.toFunctionUrlResponse().toString());
                assertThat(log.lines().size()).as("every delivery is logged").isGreaterThan(before);
            }
        }

        List<String> signatures = new ArrayList<>();
        signatures.add(WebhookFixtures.RECORDED_SIGNATURE);
        for (byte[] delivery : deliveries) {
            JsonNode signature = readTree(delivery).path("headers").path("x-mms-signature");
            if (signature.isTextual()) {
                signatures.add(signature.textValue());
            }
        }
        String everything = String.join("\n", responses) + "\n" + log.all();
        assertThat(responses).hasSize(deliveries.size() * 3);
        assertThat(everything).doesNotContain(SECRET);
        for (String signature : signatures) {
            assertThat(everything).doesNotContain(signature);
        }
        // Text that only the bodies carry.
        assertThat(everything).doesNotContain("Example Corp", "payments-prod", "xxxxxxxxxx", "lastNotified");
    }

    private static byte[] readAll(Path path) {
        try {
            return Files.readAllBytes(path);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static JsonNode readTree(byte[] bytes) {
        try {
            return Json.MAPPER.readTree(bytes);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void responseBodies_areJsonWithOutcomeAndReason() throws IOException {
        WebhookResponse response = deliverFile("invalid/webhook-alert-close.json");
        ObjectNode functionUrl = response.toFunctionUrlResponse();

        assertThat(functionUrl.get("statusCode").asInt()).isEqualTo(200);
        assertThat(functionUrl.get("headers").get("content-type").asText()).isEqualTo("application/json");
        JsonNode body = Json.MAPPER.readTree(functionUrl.get("body").asText());
        Iterator<String> names = body.fieldNames();
        List<String> fields = new ArrayList<>();
        names.forEachRemaining(fields::add);
        assertThat(fields).containsExactly("outcome", "reason");
        assertThat(body.get("outcome").asText()).isEqualTo("ignored");
    }
}
