package io.atlascmk.rotator.handler;

import static io.atlascmk.rotator.rotation.RotationWorld.ROTATION;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.atlascmk.rotator.json.Json;
import io.atlascmk.rotator.rotation.AuditAndRetireRequest;
import io.atlascmk.rotator.rotation.CheckDeploymentRequest;
import io.atlascmk.rotator.rotation.CreateKeyRequest;
import io.atlascmk.rotator.rotation.CreateKeyResult;
import io.atlascmk.rotator.rotation.ExecutionInput;
import io.atlascmk.rotator.rotation.FinalizeRequest;
import io.atlascmk.rotator.rotation.GrantAtlasAccessRequest;
import io.atlascmk.rotator.rotation.PreflightRequest;
import io.atlascmk.rotator.rotation.RollbackRequest;
import io.atlascmk.rotator.rotation.RotationWorld;
import io.atlascmk.rotator.rotation.StepDependencies;
import io.atlascmk.rotator.rotation.SwitchAtlasKeyRequest;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Every example in {@code events/} is the contract of one handler (the workflow's node test checks
 * that the ASL sends exactly these fields): each parses strictly into its request and runs against
 * the fakes, and every output field the ASL reads is present in what the handlers write.
 */
class EventExamplesTest {

    static final Path EVENTS = Path.of("..", "events");
    static final String EXAMPLE_CURRENT_KEY = "1234abcd-12ab-34cd-56ef-1234567890ab";
    static final String EXAMPLE_NEW_KEY = "0987dcba-09fe-87dc-65ba-ab0987654321";

    static String example(String file) throws IOException {
        return Files.readString(EVENTS.resolve(file));
    }

    static JsonNode run(RequestStreamHandler handler, String json) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), out, null);
        return Json.MAPPER.readTree(out.toByteArray());
    }

    /** Parses strictly, as the handler does once it has confirmed and taken off the execution's {@code lock}. */
    static <T> T parse(String json, Class<T> type) throws IOException {
        ObjectNode tree = (ObjectNode) Json.MAPPER.readTree(json);
        tree.remove("lock");
        return StepJson.read(new ByteArrayInputStream(tree.toString().getBytes(StandardCharsets.UTF_8)), type);
    }

    /** The examples' executions hold the project's lock (token 1 of a fresh table), as after their Preflight. */
    static void holdExampleLock(RotationWorld world, String json) throws IOException {
        JsonNode lock = Json.MAPPER.readTree(json).path("lock");
        if (lock.isObject()) {
            world.lock().acquire(lock.path("projectId").asText(), lock.path("holder").asText());
        }
    }

    /** The example's key ids stand for the keys the fake KMS made. */
    static String withKeys(String json, RotationWorld world, CreateKeyResult newKey) {
        String out = json.replace(EXAMPLE_CURRENT_KEY, world.currentKeyId());
        return newKey == null ? out : out.replace(EXAMPLE_NEW_KEY, newKey.keyId());
    }

    /**
     * Parses the example strictly into its request type, then runs it through the handler with its key
     * ids standing for the world's current key and {@code newKey}.
     */
    static JsonNode parseAndRun(String file, Class<?> requestType,
            Function<StepDependencies, RequestStreamHandler> handler, RotationWorld world, CreateKeyResult newKey)
            throws IOException {
        String json = example(file);
        parse(json, requestType);
        holdExampleLock(world, json);
        return run(handler.apply(world.deps()), withKeys(json, world, newKey));
    }

    @Test
    void preflightExample_parsesAndRuns() throws IOException {
        String json = example("preflight.json");
        PreflightRequest request = parse(json, PreflightRequest.class);
        RotationWorld world = RotationWorld.managed();

        JsonNode out = run(new PreflightHandler(world.deps()), json);

        assertThat(request.rotationId()).isEqualTo(ROTATION);
        assertThat(out.path("decision").asText()).isEqualTo("rotate");
        assertThat(out.path("currentKey").path("keyId").asText()).isEqualTo(world.currentKeyId());
        assertThat(out.path("settings").path("extraClusterNames").isArray()).isTrue();
    }

    @Test
    void everyExecutionInputExample_isAValidPreflightInput() throws IOException {
        ObjectNode preflight = (ObjectNode) Json.MAPPER.readTree(example("preflight.json"));
        for (String file : new String[] {"manual-start.json", "scheduled-start.json", "dry-run.json",
                "force-start.json", "sweep.json"}) {
            JsonNode input = Json.MAPPER.readTree(example(file));
            assertThat(Json.STRICT.treeToValue(input, ExecutionInput.class)).as(file).isNotNull();
            preflight.set("input", input);
            RotationWorld world = RotationWorld.managed();

            JsonNode out = run(new PreflightHandler(world.deps()), preflight.toString());

            String expected = switch (file) {
                case "dry-run.json" -> "plan";
                case "sweep.json" -> "sweep";
                default -> "rotate";
            };
            assertThat(out.path("decision").asText()).as(file).isEqualTo(expected);
            assertThat(world.kms.totalWrites()).as(file).isZero();
        }
    }

    @Test
    void createKeyExample_parsesAndRuns() throws IOException {
        assertThat(parse(example("create-key.json"), CreateKeyRequest.class).currentKeyId())
                .isEqualTo(EXAMPLE_CURRENT_KEY);
        RotationWorld world = RotationWorld.managed();
        holdExampleLock(world, example("create-key.json"));

        JsonNode out = run(new CreateKeyHandler(world.deps()), withKeys(example("create-key.json"), world, null));

        assertThat(out.path("created").asBoolean()).isTrue();
        assertThat(out.path("keyArn").asText()).contains(out.path("keyId").asText());
    }

    @Test
    void grantAtlasAccessExample_parsesAndRuns() throws IOException {
        RotationWorld world = RotationWorld.managed();
        CreateKeyResult newKey = world.createKey();

        JsonNode out = parseAndRun("grant-atlas-access.json", GrantAtlasAccessRequest.class,
                GrantAtlasAccessHandler::new, world, newKey);

        assertThat(out.path("policyChanged").asBoolean()).isTrue();
    }

    @Test
    void switchAtlasKeyExample_parsesAndRuns() throws IOException {
        RotationWorld world = RotationWorld.managed();
        CreateKeyResult newKey = world.createKey();

        JsonNode out = parseAndRun("switch-atlas-key.json", SwitchAtlasKeyRequest.class,
                SwitchAtlasKeyHandler::new, world, newKey);

        assertThat(out.path("switched").asBoolean()).isTrue();
        assertThat(out.path("switchedAt").asText()).isEqualTo(RotationWorld.START.toString());
        assertThat(world.atlas.currentKey()).isEqualTo(newKey.keyId());
    }

    @Test
    void checkDeploymentExample_parsesAndRuns() throws IOException {
        RotationWorld world = RotationWorld.managed();
        CreateKeyResult newKey = world.createKey();
        world.switchTo(newKey);

        JsonNode out = parseAndRun("check-deployment.json", CheckDeploymentRequest.class,
                CheckDeploymentHandler::new, world, newKey);

        assertThat(out.path("status").asText()).isEqualTo("waiting");
        assertThat(out.path("attempt").asInt()).isEqualTo(1);
        assertThat(out.path("waitSeconds").asLong()).isPositive();
    }

    @Test
    void finalizeExample_parsesAndRuns() throws IOException {
        RotationWorld world = RotationWorld.managed();
        CreateKeyResult newKey = world.switchedAndDeployed();

        JsonNode out = parseAndRun("finalize.json", FinalizeRequest.class, FinalizeHandler::new, world, newKey);

        assertThat(out.path("activeKeyId").asText()).isEqualTo(newKey.keyId());
        assertThat(out.path("aliasChange").asText()).isEqualTo("CREATED");
    }

    @Test
    void auditAndRetireExample_parsesAndRuns() throws IOException {
        parse(example("audit-and-retire.json"), AuditAndRetireRequest.class);
        RotationWorld world = RotationWorld.managed();
        world.atlas.terminated("orders-2019-terminated");
        world.rotated(Duration.ofDays(31)); // past the example's minimum retirement of 30 days
        holdExampleLock(world, example("audit-and-retire.json"));

        JsonNode out = run(new AuditAndRetireHandler(world.deps()), example("audit-and-retire.json"));

        assertThat(out.path("keys").get(0).path("decision").asText()).isEqualTo("schedule-deletion");
        assertThat(out.path("clustersAudited").asInt()).isEqualTo(3);
    }

    @Test
    void rollbackExample_parsesAndRuns() throws IOException {
        RotationWorld world = RotationWorld.managed();
        CreateKeyResult newKey = world.createKey();
        world.atlas.rejectKey(newKey.keyId());
        world.switchTo(newKey);

        JsonNode out = parseAndRun("rollback.json", RollbackRequest.class, RollbackHandler::new, world, newKey);

        assertThat(out.path("switchedBack").asBoolean()).isTrue();
        assertThat(world.atlas.currentKey()).isEqualTo(world.currentKeyId());
    }

    /** Every {@code $.run.x}, {@code $.newKey.x}, ... the ASL reads exists in what the handlers write. */
    @Test
    void everyOutputFieldTheWorkflowReads_isWrittenByItsStep() throws IOException {
        String asl = Files.readString(Path.of("..", "statemachine", "rotation.asl.json"));
        Matcher m = Pattern.compile("\"\\$\\.(run|newKey|switch|deployment|finalize|rollback)((?:\\.[A-Za-z]+)*)\"")
                .matcher(asl);
        Set<String> paths = new LinkedHashSet<>();
        while (m.find()) {
            paths.add(m.group(1) + m.group(2));
        }
        assertThat(paths).contains("run.currentKey.keyId", "newKey.keyArn", "switch.switchedAt",
                "deployment.waitSeconds", "run.settings.extraClusterNames");

        RotationWorld world = RotationWorld.managed();
        ObjectNode preflight = (ObjectNode) Json.MAPPER.readTree(example("preflight.json"));
        preflight.set("input", Json.MAPPER.readTree(example("dry-run.json")));
        JsonNode runDry = run(new PreflightHandler(world.deps()), preflight.toString());
        JsonNode runReal = run(new PreflightHandler(world.deps()), example("preflight.json"));
        assertThat(runReal.path("lock").path("holder").asText()).as("a run that writes holds the project's lock")
                .isEqualTo(runReal.path("rotationId").asText());
        assertThat(runDry.path("lock").isNull()).as("a dry run takes no lock").isTrue();
        CreateKeyResult newKey = world.createKey();
        JsonNode newKeyOut = Json.MAPPER.valueToTree(newKey);
        JsonNode switchOut = run(new SwitchAtlasKeyHandler(world.deps()),
                withKeys(example("switch-atlas-key.json"), world, newKey));
        JsonNode deployment = run(new CheckDeploymentHandler(world.deps()),
                withKeys(example("check-deployment.json"), world, newKey));
        world.atlas.finishUpdates();
        JsonNode finalizeOut = run(new FinalizeHandler(world.deps()), withKeys(example("finalize.json"), world, newKey));
        RotationWorld rejected = RotationWorld.managed();
        CreateKeyResult other = rejected.createKey();
        rejected.switchTo(other);
        holdExampleLock(rejected, example("rollback.json"));
        JsonNode rollbackOut = run(new RollbackHandler(rejected.deps()),
                withKeys(example("rollback.json"), rejected, other));

        for (String path : paths) {
            String[] parts = path.split("\\.");
            JsonNode node = switch (parts[0]) {
                case "run" -> parts.length > 1 && parts[1].equals("plan") ? runDry : runReal;
                case "newKey" -> newKeyOut;
                case "switch" -> switchOut;
                case "deployment" -> deployment;
                case "finalize" -> finalizeOut;
                default -> rollbackOut;
            };
            for (int i = 1; i < parts.length; i++) {
                node = node.path(parts[i]);
            }
            assertThat(node.isMissingNode() || node.isNull()).as("$.%s is written", path).isFalse();
        }
    }
}
