package io.atlascmk.cli.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.atlascmk.cli.NodeEngine;
import io.atlascmk.rotator.alert.AtlasWebhookProcessor;
import io.atlascmk.rotator.alert.DynamoDbAlertDeliveries;
import io.atlascmk.rotator.alert.EventBridgeAlertPublisher;
import io.atlascmk.rotator.alert.SecretsManagerWebhookSecret;
import io.atlascmk.rotator.alert.WebhookRequest;
import io.atlascmk.rotator.alert.WebhookResponse;
import io.atlascmk.rotator.alert.WebhookSignature;
import io.atlascmk.rotator.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The alert path on one machine, as deployed: Atlas's signed webhook delivery goes to the real webhook
 * logic ({@link AtlasWebhookProcessor}), which publishes to the EventBridge stand-in; a rule whose
 * pattern is read from {@code events/alert-rule-pattern.json} (the file the CDK stack deploys) turns
 * each matching event into a state machine start with the same input transformer as in AWS.
 */
public final class AlertPath {

    /** The sandbox's webhook secret (also in events/atlas-webhook-function-url-event.json's signature). */
    public static final String WEBHOOK_SECRET = "sandbox-webhook-secret";
    static final String WEBHOOK_SECRET_NAME = "atlas-cmk-rotator/webhook";
    static final String RULE_NAME = "start-rotation-on-alert";

    private final AtlasWebhookProcessor webhook;
    private final Path eventsDir;
    private final ConcurrentLinkedQueue<ObjectNode> starts = new ConcurrentLinkedQueue<>();

    public AlertPath(SandboxWorld world) {
        eventsDir = NodeEngine.locateStatemachineDir(Path.of("")).getParent().resolve("events");
        world.secretsManager().createSecret(b -> b.name(WEBHOOK_SECRET_NAME)
                .secretString(Json.MAPPER.createObjectNode().put("webhookSecret", WEBHOOK_SECRET).toString()));
        webhook = new AtlasWebhookProcessor(new SecretsManagerWebhookSecret(world.secretsManager(), WEBHOOK_SECRET_NAME),
                new EventBridgeAlertPublisher(world.eventBridge(), SandboxWorld.EVENT_BUS),
                new DynamoDbAlertDeliveries(world.dynamo(), SandboxWorld.LOCK_TABLE, world.clock()),
                projectId -> world.registry().find(projectId).isPresent());
        world.aws().eventBridge().addRule(SandboxWorld.EVENT_BUS, RULE_NAME, read("alert-rule-pattern.json"),
                event -> starts.add(executionInput(event.envelope())));
    }

    /** The rule's input transformer, as the stack configures it: project, trigger and alert id. */
    static ObjectNode executionInput(JsonNode event) {
        return Json.MAPPER.createObjectNode()
                .put("projectId", event.path("detail").path("projectId").asText())
                .put("trigger", "alert")
                .put("alertId", event.path("detail").path("alertId").asText());
    }

    /** The example Atlas alert body from events/. */
    public String exampleAlertBody() {
        return read("atlas-webhook-alert.json");
    }

    /** Delivers a body as Atlas does: POST, signed with the webhook secret, {@code X-MMS-Event: alert.open}. */
    public WebhookResponse deliver(String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        Map<String, String> headers = Map.of(
                "content-type", "application/json",
                "x-mms-event", "alert.open",
                "x-mms-signature", WebhookSignature.sign(WEBHOOK_SECRET, bytes));
        return webhook.handle(new WebhookRequest("POST", headers, body, false));
    }

    /** The executions the rule started since the last call, in order. */
    public List<ObjectNode> takeStarts() {
        List<ObjectNode> taken = new ArrayList<>();
        for (ObjectNode input; (input = starts.poll()) != null; ) {
            taken.add(input);
        }
        return taken;
    }

    private String read(String file) {
        try {
            return Files.readString(eventsDir.resolve(file));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read events/" + file + ": " + e.getMessage(), e);
        }
    }
}
