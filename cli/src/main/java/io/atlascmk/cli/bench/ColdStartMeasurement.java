package io.atlascmk.cli.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.atlascmk.cli.ExecutionResult;
import io.atlascmk.cli.sandbox.AlertPath;
import io.atlascmk.cli.sandbox.SandboxSeed;
import io.atlascmk.cli.sandbox.SandboxWorld;
import io.atlascmk.rotator.json.Json;
import io.atlascmk.rotator.lock.LockGrant;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.services.kms.model.KeyMetadata;

/**
 * Cold starts, SnapStart priming, classes loaded and the jar's size. The sandbox's stand-ins run in this process; a
 * rotation is played once through the real workflow and every step's input kept; then each handler runs in a fresh JVM
 * of the shaded Lambda jar ({@link ChildJvm}, Lambda's JVM flags), built by its Lambda constructor from environment
 * variables that point at the stand-ins, and invoked for real on its kept input (the rotation's lock taken again for
 * the same holder, so every step confirms it as in a run). A handler that does nothing ({@code FloorHandler}) in the
 * same jar with the same flags is the baseline.
 *
 * <p>Per handler, two children: one cold (process start to the first response, then a second, warm invocation), one
 * primed (SnapStart's beforeCheckpoint and afterRestore run, then the first and a second invocation). And the SDK
 * change: one handler's cold start with the region and credentials from the Lambda environment, beside the same
 * without {@code AWS_LAMBDA_FUNCTION_NAME} (the SDK's default provider chains, as before the change).
 */
final class ColdStartMeasurement implements Measurement {

    /** Every handler, in the order a rotation reaches them (the later ones change the world least by going last). */
    static final List<String> ALL = List.of("PreflightHandler", "CreateKeyHandler", "GrantAtlasAccessHandler",
            "SwitchAtlasKeyHandler", "CheckDeploymentHandler", "FinalizeHandler", "AuditAndRetireHandler",
            "RotateKeyMaterialHandler", "RollbackHandler", "AtlasWebhookHandler", "RescueHandler", "FleetPlanHandler",
            "RecordHandler");
    static final List<String> QUICK = List.of("CheckDeploymentHandler", "AtlasWebhookHandler", "FleetPlanHandler");
    /** The handler whose cold start shows what the SDK change bought. */
    static final String SDK_COMPARISON = "CheckDeploymentHandler";
    static final String PACKAGE = "io.atlascmk.rotator.handler.";
    static final double COLD_GOAL = 3.0;
    static final double PRIMED_GOAL = 1.5;
    static final double JAR_GOAL_MB = 15.0;
    private static final String WEBHOOK_SECRET_NAME = "atlas-cmk-rotator/bench-webhook";
    private static final String EXAMPLE_KEY_ARN = "arn:aws:kms:us-east-1:111122223333:key/0b1c2d3e-4f50-4617-8293-a4b5c6d7e8f9";

    @Override
    public String name() {
        return "cold starts and SnapStart priming";
    }

    @Override
    public List<BenchRow> run(BenchContext context) throws Exception {
        Path jar = context.lambdaJar();
        List<BenchRow> rows = new ArrayList<>();
        double jarMb = Files.size(jar) / (1024.0 * 1024.0);
        rows.add(new BenchRow("package: shaded Lambda jar size", mb(jarMb), BenchRow.NONE + " (no other jar built in this run)",
                "≤ " + (int) JAR_GOAL_MB + " MB", jarMb <= JAR_GOAL_MB ? BenchRow.MET : BenchRow.SHORT));

        context.note("Cold starts: a fresh JVM per handler (" + String.join(" ", ChildJvm.LAMBDA_FLAGS)
                + " -Xlog:class+load, as Lambda's java17/21 runtimes start it), from process start to the first response of a real"
                + " invocation against the sandbox's stand-ins; one sample per handler, FloorHandler the median of 3."
                + " SnapStart: the handler's CRaC priming run as a snapshot would, then the 1st and 2nd invocations in that JVM.");
        Path work = Files.createTempDirectory("rotator-bench-");
        try {
            List<String> handlers = context.quick() ? QUICK : ALL;
            Map<String, Pair> measured = new LinkedHashMap<>();
            Map<String, String> failures = new LinkedHashMap<>();
            ChildJvm.Result floor;
            Map<String, Path> inputs;
            Map<String, String> env;
            List<BenchRow> sdkRows;
            try (SandboxWorld world = new SandboxWorld()) {
                Runner runner = new Runner(context, jar, environment(world), work, measured, failures);
                // Steps a re-run after the rotation would refuse (the new key is active by then) run right after
                // their own success in the rotation, on the same input: the re-run a retry after a timeout makes.
                inputs = fixtures(world, context, work, handlers, runner);
                env = runner.env;
                context.say("floor: FloorHandler x3");
                List<ChildJvm.Result> floors = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    floors.add(ChildJvm.run(jar, PACKAGE + "FloorHandler", inputs.get("FloorHandler"), 2, false,
                            withFunctionName(env, "FloorHandler"), work));
                }
                floor = floors.stream().sorted(Comparator.comparingDouble(ChildJvm.Result::coldStartMs)).toList().get(1);
                for (String handler : handlers) {
                    if (inputs.containsKey(handler)) {
                        runner.measure(handler, inputs.get(handler));
                    }
                }
                sdkRows = sdkComparison(context, jar, inputs, env, work);
            }
            for (String sidePath : List.of("RollbackHandler", "RotateKeyMaterialHandler")) {
                if (handlers.contains(sidePath)) {
                    try (SandboxWorld side = new SandboxWorld()) {
                        sidePath(side, context, sidePath, new Runner(context, jar, environment(side), work, measured, failures));
                    }
                }
            }
            List<BenchRow> primedRows = new ArrayList<>();
            List<BenchRow> classes = new ArrayList<>();
            classes.add(BenchRow.info("package: classes loaded, FloorHandler (total / from the jar)", count(floor.classes()), "—"));
            for (String handler : handlers) {
                Pair m = measured.get(handler);
                if (m == null) {
                    continue;
                }
                double primedFirst = m.primed.invokeMs().get(0);
                double warm = m.primed.invokeMs().get(1);
                primedRows.add(BenchRow.judged("SnapStart " + handler + ": 1st invocation after priming",
                        BenchTable.ms(primedFirst) + " = " + BenchTable.ratio(primedFirst, warm) + " (unprimed 1st "
                                + BenchTable.ms(m.cold.invokeMs().get(0)) + "; priming " + BenchTable.ms(m.primed.primeMs()) + ", "
                                + m.primed.sdkRequestsAnsweredOffline() + " SDK requests answered offline)",
                        "warm 2nd invocation " + BenchTable.ms(warm), "≤ " + PRIMED_GOAL + "x warm",
                        primedFirst <= PRIMED_GOAL * warm));
                classes.add(BenchRow.info("package: classes loaded, " + handler + " (total / from the jar)",
                        count(m.cold.classes()), "FloorHandler " + count(floor.classes())));
            }
            rows.addAll(rowsOf(context, handlers, measured, failures, floor));
            rows.addAll(sdkRows);
            rows.addAll(primedRows);
            rows.addAll(classes);
        } finally {
            deleteTree(work);
        }
        return rows;
    }

    /** A handler's cold child and primed child. */
    private record Pair(ChildJvm.Result cold, ChildJvm.Result primed) {
    }

    /** Runs a handler's two children in one world's environment and keeps what they reported. */
    private static final class Runner {
        final BenchContext context;
        final Path jar;
        final Map<String, String> env;
        final Path work;
        final Map<String, Pair> measured;
        final Map<String, String> failures;

        Runner(BenchContext context, Path jar, Map<String, String> env, Path work, Map<String, Pair> measured,
                Map<String, String> failures) {
            this.context = context;
            this.jar = jar;
            this.env = env;
            this.work = work;
            this.measured = measured;
            this.failures = failures;
        }

        void measure(String handler, Path input) {
            if (measured.containsKey(handler) || failures.containsKey(handler)) {
                return;
            }
            try {
                context.say("cold start " + handler);
                ChildJvm.Result c = ChildJvm.run(jar, PACKAGE + handler, input, 2, false, withFunctionName(env, handler), work);
                context.say("  1st response: " + abbreviate(c.firstOutput()));
                context.say("primed " + handler);
                ChildJvm.Result p = ChildJvm.run(jar, PACKAGE + handler, input, 2, true, withFunctionName(env, handler), work);
                if (!c.ok() || !p.ok()) {
                    ChildJvm.Result bad = c.ok() ? p : c;
                    failures.put(handler, "child exited " + bad.exitCode() + ": " + bad.tail().lines().reduce((a, b) -> b).orElse(""));
                    return;
                }
                context.publish("coldStartMs." + handler, c.coldStartMs());
                context.publish("warmMs." + handler, c.invokeMs().get(1));
                measured.put(handler, new Pair(c, p));
            } catch (Exception e) {
                failures.put(handler, e.getClass().getSimpleName() + ": " + e.getMessage());
            }
        }

        /** Writes {@code input} for {@code handler} and measures it now. */
        void measure(String handler, JsonNode input) {
            try {
                Path file = work.resolve(handler + ".json");
                Json.MAPPER.writeValue(file.toFile(), input);
                measure(handler, file);
            } catch (java.io.IOException e) {
                failures.put(handler, "cannot write its input: " + e.getMessage());
            }
        }
    }

    private static List<BenchRow> rowsOf(BenchContext context, List<String> handlers, Map<String, Pair> measured,
            Map<String, String> failures, ChildJvm.Result floor) {
        double floorMs = floor.coldStartMs();
        context.publish("floorColdStartMs", floorMs);
        List<BenchRow> rows = new ArrayList<>();
        for (String handler : handlers) {
            Pair m = measured.get(handler);
            if (m == null) {
                if (failures.containsKey(handler)) {
                    rows.add(BenchRow.failed("cold start " + handler, failures.get(handler)));
                }
                continue;
            }
            ChildJvm.Result c = m.cold;
            rows.add(BenchRow.judged("cold start " + handler + " (process start → 1st response: " + c.outcome() + ")",
                    BenchTable.ms(c.coldStartMs()) + " = " + BenchTable.ratio(c.coldStartMs(), floorMs),
                    "FloorHandler " + BenchTable.ms(floorMs), "≤ " + (int) COLD_GOAL + "x floor",
                    c.coldStartMs() <= COLD_GOAL * floorMs));
        }
        return rows;
    }

    /**
     * A path the happy rotation does not take, in its own sandbox: Atlas's role is blocked from the new key (the
     * workflow rolls back: Rollback), or the project uses the key-material method (RotateKeyMaterial). The handler's
     * children run right after its first success, on the same input.
     */
    private static void sidePath(SandboxWorld world, BenchContext context, String handler, Runner runner) {
        SandboxSeed.seed(world);
        String step = handler.replace("Handler", "");
        if ("RollbackHandler".equals(handler)) {
            world.afterStep("SwitchAtlasKey", result -> world.blockAtlasFrom(result.path("customerMasterKeyID").asText()));
        } else {
            world.registry().put(new io.atlascmk.rotator.registry.RegisteredProject(SandboxWorld.PROJECT_ID,
                    SandboxWorld.REGION, null, null, new io.atlascmk.rotator.rotation.ExecutionSettings(null, null, null,
                    null, null, null, null, null, "key-material", 180), io.atlascmk.rotator.registry.RegisteredProject.SOURCE_CLI,
                    world.clock().instant()));
        }
        Map<String, JsonNode> last = new ConcurrentHashMap<>();
        world.beforeStep(step, input -> last.put(step, input));
        world.afterStep(step, output -> runner.measure(handler, last.get(step)));
        context.say("a sandbox rotation that reaches " + step);
        world.execute("bench-" + step.toLowerCase(Locale.ROOT), Json.MAPPER.createObjectNode()
                .put("projectId", SandboxWorld.PROJECT_ID).put("trigger", "manual"), e -> { });
        if (!runner.measured.containsKey(handler) && !runner.failures.containsKey(handler)) {
            runner.failures.put(handler, "the sandbox rotation never reached " + step + " successfully");
        }
    }

    /**
     * The SDK change's worth: the comparison handler's cold start with the region and credentials from the Lambda
     * environment, beside the same JVM without {@code AWS_LAMBDA_FUNCTION_NAME} (so the SDK's default chains resolve
     * them, as before the change); medians of 5 (1 with --quick), alternating.
     */
    private List<BenchRow> sdkComparison(BenchContext context, Path jar, Map<String, Path> inputs, Map<String, String> env,
            Path work) throws Exception {
        int samples = context.quick() ? 1 : 5;
        List<Double> explicit = new ArrayList<>();
        List<Double> chains = new ArrayList<>();
        for (int i = 0; i < samples; i++) {
            context.say("SDK comparison " + (i + 1) + "/" + samples);
            ChildJvm.Result withEnv = ChildJvm.run(jar, PACKAGE + SDK_COMPARISON, inputs.get(SDK_COMPARISON), 1, false,
                    withFunctionName(env, SDK_COMPARISON), work);
            ChildJvm.Result withChains = ChildJvm.run(jar, PACKAGE + SDK_COMPARISON, inputs.get(SDK_COMPARISON), 1, false,
                    env, work);
            if (!withEnv.ok() || !withChains.ok()) {
                return List.of(BenchRow.failed("SDK region and credentials from the Lambda environment",
                        "a child failed: " + (withEnv.ok() ? withChains : withEnv).tail().lines().reduce((a, b) -> b).orElse("")));
            }
            explicit.add(withEnv.coldStartMs());
            chains.add(withChains.coldStartMs());
        }
        double a = median(explicit);
        double b = median(chains);
        context.note("SDK change: " + SDK_COMPARISON + " cold starts with AWS_LAMBDA_FUNCTION_NAME set (region from AWS_REGION,"
                + " EnvironmentVariableCredentialsProvider) beside the same without it (the SDK's default chains), median of "
                + samples + " each, alternating.");
        return List.of(BenchRow.judged("SDK region + env credentials in Lambda: cold start " + SDK_COMPARISON,
                BenchTable.ms(a) + " (" + String.format(Locale.ROOT, "%+,.0f ms", a - b) + ")",
                "default provider chains " + BenchTable.ms(b), "below baseline", a < b));
    }

    /**
     * Seeds the sandbox and plays one rotation through the real workflow, keeping every step's input; GrantAtlasAccess and
     * SwitchAtlasKey are measured right after their success (a re-run after the rotation would be refused: the new key
     * is active by then). Then takes the rotation's lock again for its holder, so the other steps' re-runs confirm it as
     * in a run, and writes one input file per handler still to measure.
     */
    private static Map<String, Path> fixtures(SandboxWorld world, BenchContext context, Path work, List<String> handlers,
            Runner runner) throws Exception {
        KeyMetadata oldKey = SandboxSeed.seed(world);
        world.secretsManager().createSecret(b -> b.name(WEBHOOK_SECRET_NAME).secretString(Json.MAPPER.createObjectNode()
                .put("webhookSecret", AlertPath.WEBHOOK_SECRET).toString()));
        Map<String, JsonNode> kept = new ConcurrentHashMap<>();
        for (String step : List.of("Preflight", "CreateKey", "GrantAtlasAccess", "SwitchAtlasKey", "CheckDeployment",
                "Finalize", "AuditAndRetire")) {
            world.beforeStep(step, input -> kept.put(step, input));
        }
        for (String step : List.of("GrantAtlasAccess", "SwitchAtlasKey")) {
            if (handlers.contains(step + "Handler")) {
                world.afterStep(step, output -> runner.measure(step + "Handler", kept.get(step)));
            }
        }
        context.say("a sandbox rotation, keeping each step's input");
        ExecutionResult rotation = world.execute("bench-rotation-1", Json.MAPPER.createObjectNode()
                .put("projectId", SandboxWorld.PROJECT_ID).put("trigger", "manual"), e -> { });
        if (!rotation.succeeded()) {
            throw new IllegalStateException("the sandbox rotation failed: " + rotation.error() + " " + rotation.cause());
        }
        JsonNode lock = kept.get("CreateKey").path("lock");
        LockGrant grant = world.lock().acquire(SandboxWorld.PROJECT_ID, lock.path("holder").asText());
        JsonNode freshLock = Json.MAPPER.valueToTree(grant);

        Map<String, JsonNode> inputs = new LinkedHashMap<>();
        for (String step : List.of("Preflight", "CreateKey", "CheckDeployment", "Finalize", "AuditAndRetire")) {
            inputs.put(step + "Handler", withLock(kept.get(step), freshLock));
        }
        inputs.put("AtlasWebhookHandler", Json.MAPPER.readTree(context.root().resolve("events/atlas-webhook-function-url-event.json").toFile()));
        inputs.put("RescueHandler", Json.MAPPER.readTree(Files.readString(context.root().resolve("events/tripwire-event.json"))
                .replace(EXAMPLE_KEY_ARN, oldKey.arn())));
        inputs.put("FleetPlanHandler", Json.MAPPER.createObjectNode().set("input", Json.MAPPER.createObjectNode()
                .put("maxConcurrency", 5)));
        inputs.put("FloorHandler", Json.MAPPER.createObjectNode().put("floor", true));
        // the event the rotation published, as the Record rule delivers it
        inputs.put("RecordHandler", world.aws().eventBridge().publishedEvents().stream()
                .filter(e -> "Rotation Succeeded".equals(e.envelope().path("detail-type").asText())).findFirst()
                .orElseThrow(() -> new IllegalStateException("the sandbox rotation published no Rotation Succeeded"))
                .envelope());

        Map<String, Path> files = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : inputs.entrySet()) {
            Path file = work.resolve(e.getKey() + ".json");
            Json.MAPPER.writeValue(file.toFile(), e.getValue());
            files.put(e.getKey(), file);
        }
        return files;
    }

    private static JsonNode withLock(JsonNode input, JsonNode lock) {
        if (input instanceof ObjectNode object && object.has("lock") && !object.get("lock").isNull()) {
            ObjectNode copy = object.deepCopy();
            copy.set("lock", lock);
            return copy;
        }
        return input;
    }

    /** The functions' environment, pointing at the stand-ins (without AWS_LAMBDA_FUNCTION_NAME). */
    private static Map<String, String> environment(SandboxWorld world) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("AWS_ENDPOINT_URL", world.aws().endpoint().toString());
        env.put("AWS_ENDPOINT_URL_DYNAMODB", world.dynamo().serviceClientConfiguration().endpointOverride().orElseThrow().toString());
        env.put("AWS_ENDPOINT_URL_S3", world.s3().serviceClientConfiguration().endpointOverride().orElseThrow().toString());
        env.put("AWS_REGION", SandboxWorld.REGION);
        // s3rver accepts only its own key; the other stand-ins accept any
        env.put("AWS_ACCESS_KEY_ID", io.atlascmk.sandbox.s3.S3rver.ACCESS_KEY_ID);
        env.put("AWS_SECRET_ACCESS_KEY", io.atlascmk.sandbox.s3.S3rver.SECRET_ACCESS_KEY);
        env.put("AWS_EC2_METADATA_DISABLED", "true");
        env.put("AWS_CONFIG_FILE", "/nonexistent/aws-config");
        env.put("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/aws-credentials");
        env.put("ATLAS_SECRET_ARN", SandboxWorld.SECRET_NAME);
        env.put("ATLAS_BASE_URL", world.atlas().baseUrl());
        env.put("ROTATOR_LOCK_TABLE", SandboxWorld.LOCK_TABLE);
        env.put("ROTATOR_DEPLOYMENT", SandboxWorld.DEPLOYMENT);
        env.put("ROTATOR_STATE_MACHINE_ARN", SandboxWorld.ROTATION_STATE_MACHINE_ARN);
        env.put("ROTATOR_EVIDENCE_BUCKET", SandboxWorld.EVIDENCE_BUCKET);
        env.put("ROTATOR_SOURCE_IDENTITY", SandboxWorld.SOURCE_IDENTITY);
        env.put("WEBHOOK_SECRET_ARN", WEBHOOK_SECRET_NAME);
        env.put("ROTATOR_EVENT_BUS_NAME", SandboxWorld.EVENT_BUS);
        return env;
    }

    private static Map<String, String> withFunctionName(Map<String, String> env, String handler) {
        Map<String, String> copy = new LinkedHashMap<>(env);
        copy.put("AWS_LAMBDA_FUNCTION_NAME", handler.replace("Handler", ""));
        return copy;
    }

    private static String abbreviate(String s) {
        return s.length() <= 160 ? s : s.substring(0, 160) + "...";
    }

    static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private static String count(ChildJvm.ClassCounts c) {
        return String.format(Locale.ROOT, "%,d / %,d", c.total(), c.fromJar());
    }

    private static String mb(double mb) {
        return String.format(Locale.ROOT, "%.1f MB", mb);
    }

    private static void deleteTree(Path dir) {
        try (var files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (java.io.IOException ignored) {
            // a leftover temp folder is harmless
        }
    }
}
