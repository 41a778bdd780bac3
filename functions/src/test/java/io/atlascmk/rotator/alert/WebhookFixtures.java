package io.atlascmk.rotator.alert;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.atlascmk.rotator.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The example files under {@code events/} and the sandbox secret they are signed with. */
public final class WebhookFixtures {

    /** The documented test secret: the events/ examples are signed with it. */
    public static final String SECRET = "sandbox-webhook-secret";

    /** The signature of events/atlas-webhook-function-url-event.json's body, computed with openssl. */
    public static final String RECORDED_SIGNATURE = "Iyv23wzoOYgFdRiM8pntJ6mP2LM=";

    public static final String PROJECT_ID = "5f1e2d3c4b5a69788796a5b4";
    public static final String ALERT_ID = "674ae1c2b3d4e5f60718293a";

    private WebhookFixtures() {
    }

    /** The repository's events/ folder, found from the module's working directory upwards. */
    public static Path eventsDir() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null) {
            Path candidate = dir.resolve("events");
            if (Files.isRegularFile(candidate.resolve("alert-rule-pattern.json"))) {
                return candidate;
            }
            dir = dir.getParent();
        }
        throw new IllegalStateException("No events/alert-rule-pattern.json above " + Path.of("").toAbsolutePath());
    }

    public static byte[] bytes(String relativePath) {
        try {
            return Files.readAllBytes(eventsDir().resolve(relativePath));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static JsonNode json(String relativePath) {
        try {
            return Json.MAPPER.readTree(bytes(relativePath));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A mutable copy of the valid function URL event. */
    public static ObjectNode validEvent() {
        return (ObjectNode) json("atlas-webhook-function-url-event.json");
    }

    public static byte[] toBytes(JsonNode node) {
        try {
            return Json.MAPPER.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
