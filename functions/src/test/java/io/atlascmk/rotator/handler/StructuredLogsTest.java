package io.atlascmk.rotator.handler;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.atlascmk.rotator.json.Json;
import io.atlascmk.rotator.rotation.RotationWorld;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The functions log one JSON object per line, each naming the rotation and project of the call. */
class StructuredLogsTest {

    @Test
    void aStepsLogLines_areJson_withLevelLoggerMessageRotationAndProject() throws Exception {
        RotationWorld world = RotationWorld.managed();
        byte[] input = Files.readAllBytes(EventExamplesTest.EVENTS.resolve("preflight.json"));
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream original = System.out;
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            new PreflightHandler(world.deps()).handleRequest(new ByteArrayInputStream(input), new ByteArrayOutputStream(), null);
        } finally {
            System.setOut(original);
        }
        JsonNode example = Json.MAPPER.readTree(input);

        List<JsonNode> lines = new ArrayList<>();
        for (String line : captured.toString(StandardCharsets.UTF_8).split("\n")) {
            if (!line.isBlank()) {
                lines.add(Json.MAPPER.readTree(line)); // every line is a JSON object
            }
        }
        JsonNode preflight = lines.stream().filter(l -> l.path("logger").asText().endsWith("PreflightStep")).findFirst()
                .orElseThrow(() -> new AssertionError("no PreflightStep line in " + captured));
        assertThat(preflight.path("level").asText()).isEqualTo("INFO");
        assertThat(preflight.path("message").asText()).isNotBlank();
        assertThat(preflight.path("timestamp").asText()).endsWith("Z");
        assertThat(preflight.path("rotationId").asText()).isEqualTo(example.path("rotationId").asText());
        assertThat(preflight.path("projectId").asText()).isEqualTo(example.path("input").path("projectId").asText());
    }
}
