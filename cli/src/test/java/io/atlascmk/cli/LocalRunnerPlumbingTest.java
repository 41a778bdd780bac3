package io.atlascmk.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import io.atlascmk.rotator.atlas.AtlasRateLimitedException;
import io.atlascmk.rotator.json.Json;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The real rotation.asl.json on the local engine, invoking Java handlers through the local Lambda
 * endpoint: proves the plumbing (payloads, errorType mapping for Retry/Catch, putEvents routing)
 * independently of the rotation steps.
 */
class LocalRunnerPlumbingTest {

    private static final String PROJECT = "5f1e2d3c4b5a69788796a5b4";

    private LocalLambdaEndpoint endpoint;
    private final List<JsonNode> published = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        endpoint = new LocalLambdaEndpoint();
        endpoint.register("arn:aws:states:::events:putEvents", json(in -> {
            published.add(in);
            return Json.MAPPER.createObjectNode().put("FailedEntryCount", 0);
        }));
    }

    @AfterEach
    void stop() {
        endpoint.close();
    }

    @Test
    void sweepRunsAuditAndRetire_andRetriesAThrottledStepByItsJavaExceptionName() {
        AtomicInteger auditCalls = new AtomicInteger();
        endpoint.register("Preflight", json(in -> Json.MAPPER.createObjectNode()
                .put("projectId", in.path("input").path("projectId").asText())
                .put("rotationId", in.path("rotationId").asText())
                .put("mode", "sweep").put("decision", "sweep").put("dryRun", false).put("trigger", "manual").putNull("lock")
                .set("settings", Json.MAPPER.createObjectNode().put("pendingWindowDays", 7).put("minRetirementDays", 30).put("settleSeconds", 300).put("adoptedKeys", "keep")
                        .set("extraClusterNames", Json.MAPPER.createArrayNode()))));
        endpoint.register("AuditAndRetire", json(in -> {
            if (auditCalls.incrementAndGet() <= 2) {
                throw new AtlasRateLimitedException("Atlas answered 429", 429, "RATE_LIMITED", null);
            }
            return Json.MAPPER.createObjectNode().put("audited", in.path("projectId").asText());
        }));

        ExecutionResult result = run("sweep-1", Json.MAPPER.createObjectNode().put("projectId", PROJECT).put("mode", "sweep"));

        assertThat(result.succeeded()).as(result.error() + ": " + result.cause()).isTrue();
        assertThat(result.statesRetried()).containsExactly("AuditAndRetire", "AuditAndRetire");
        assertThat(result.output().path("outcome").asText()).isEqualTo("swept");
        assertThat(result.output().path("audit").path("audited").asText()).isEqualTo(PROJECT);
        assertThat(published).hasSize(1);
        assertThat(published.get(0).path("Entries").get(0).path("DetailType").asText()).isEqualTo("Retired Keys Audited");
        assertThat(endpoint.invocations()).extracting(LocalLambdaEndpoint.Invocation::errorType)
                .containsExactly(null, AtlasRateLimitedException.class.getName(), AtlasRateLimitedException.class.getName(), null, null);
    }

    @Test
    void aPermanentJavaErrorFailsTheExecutionWithItsClassName_afterNotifyingTheCause() {
        endpoint.register("Preflight", json(in -> {
            throw new IllegalArgumentException("projectId 'x' is not a 24-hex Atlas project id");
        }));

        ExecutionResult result = run("bad-1", Json.MAPPER.createObjectNode().put("projectId", "x"));

        assertThat(result.succeeded()).isFalse();
        assertThat(result.error()).isEqualTo(IllegalArgumentException.class.getName());
        assertThat(result.cause()).contains("not a 24-hex Atlas project id");
        assertThat(result.statesEntered()).containsExactly("Preflight", "PreflightFailed", "FailedBeforeRunUnspecified",
                "NotifyFailure", "HoldsLock", "AfterRelease", "Failed");
        JsonNode detail = published.get(0).path("Entries").get(0).path("Detail");
        assertThat(detail.path("error").path("Cause").asText()).contains("not a 24-hex Atlas project id");
        assertThat(detail.path("trigger").asText()).as("the input named no trigger").isEqualTo("unspecified");
    }

    private ExecutionResult run(String name, JsonNode input) {
        Map<String, Object> substitutions = new LinkedHashMap<>();
        Json.MAPPER.convertValue(readSample(), Map.class).forEach((k, v) -> substitutions.put(String.valueOf(k), v));
        for (String step : List.of("Preflight", "CreateKey", "GrantAtlasAccess", "SwitchAtlasKey", "CheckDeployment",
                "Finalize", "AuditAndRetire", "Rollback")) {
            substitutions.put(step + "FunctionArn", step);
        }
        NodeEngine engine = new NodeEngine(NodeEngine.locateStatemachineDir(Path.of("")));
        return engine.run(name, input, substitutions, endpoint.endpoint(),
                Map.of("AWS_REGION", "us-east-1", "AWS_ACCESS_KEY_ID", "local", "AWS_SECRET_ACCESS_KEY", "local"),
                true, event -> { });
    }

    private static JsonNode readSample() {
        try {
            return Json.MAPPER.readTree(NodeEngine.locateStatemachineDir(Path.of("")).resolve("sample-substitutions.json").toFile());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static RequestStreamHandler json(Function<JsonNode, JsonNode> fn) {
        return (in, out, context) -> {
            JsonNode input = Json.MAPPER.readTree(in);
            JsonNode output = fn.apply(input);
            Json.MAPPER.writeValue(out, output);
        };
    }
}
