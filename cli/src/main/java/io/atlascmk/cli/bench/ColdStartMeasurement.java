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
            "RotateKeyMaterialHandler", "RollbackHandler", "AtlasWebhookHandler", "RescueHandler", "FleetPlanHandler");
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
        try (SandboxWorld world = new SandboxWorld()) {
            Map<String, Path> inputs = fixtures(world, context, work);
            Map<String, String> env = environment(world);

            context.say("floor: FloorHandler x3");
            List<ChildJvm.Result> floors = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                floors.add(ChildJvm.run(jar, PACKAGE + "FloorHandler", inputs.get("FloorHandler"), 2, false,
                        withFunctionName(env, "FloorHandler"), work));
            }
            ChildJvm.Result floor = floors.stream().sorted(Comparator.comparingDouble(ChildJvm.Result::coldStartMs))
                    .toList().get(1);
            double floorMs = floor.coldStartMs();
            context.publish("floorColdStartMs", floorMs);

            List<String> handlers = context.quick() ? QUICK : ALL;
            List<BenchRow> cold = new ArrayList<>();
            List<BenchRow> primedRows = new ArrayList<>();
            List<BenchRow> classes = new ArrayList<>();
            classes.add(BenchRow.info("package: classes loaded, FloorHandler (total / from the jar)",
                    count(floor.classes()), "—"));
            for (String handler : handlers) {
                context.say("cold start " + handler);
                ChildJvm.Result c = ChildJvm.run(jar, PACKAGE + handler, inputs.get(handler), 2, false,
                        withFunctionName(env, handler), work);
                context.say("primed " + handler);
                ChildJvm.Result p = ChildJvm.run(jar, PACKAGE + handler, inputs.get(handler), 2, true,
                        withFunctionName(env, handler), work);
                context.say("  1st response: " + abbreviate(c.firstOutput()));
                if (!c.ok() || !p.ok()) {
                    ChildJvm.Result bad = c.ok() ? p : c;
                    cold.add(BenchRow.failed("cold start " + handler, "child exited " + bad.exitCode() + ": "
                            + bad.tail().lines().reduce((a, b) -> b).orElse("")));
                    continue;
                }
                context.publish("coldStartMs." + handler, c.coldStartMs());
                context.publish("warmMs." + handler, c.invokeMs().get(1));
                cold.add(BenchRow.judged("cold start " + handler + " (process start → 1st response: " + c.outcome() + ")",
                        BenchTable.ms(c.coldStartMs()) + " = " + BenchTable.ratio(c.coldStartMs(), floorMs),
                        "FloorHandler " + BenchTable.ms(floorMs), "≤ " + (int) COLD_GOAL + "x floor",
                        c.coldStartMs() <= COLD_GOAL * floorMs));
                double primedFirst = p.invokeMs().get(0);
                double warm = p.invokeMs().get(1);
                primedRows.add(BenchRow.judged("SnapStart " + handler + ": 1st invocation after priming",
                        BenchTable.ms(primedFirst) + " = " + BenchTable.ratio(primedFirst, warm) + " (unprimed 1st "
                                + BenchTable.ms(c.invokeMs().get(0)) + "; priming " + BenchTable.ms(p.primeMs()) + ", "
                                + p.sdkRequestsAnsweredOffline() + " SDK requests answered offline)",
                        "warm 2nd invocation " + BenchTable.ms(warm), "≤ " + PRIMED_GOAL + "x warm",
                        primedFirst <= PRIMED_GOAL * warm));
                classes.add(BenchRow.info("package: classes loaded, " + handler + " (total / from the jar)",
                        count(c.classes()), "FloorHandler " + count(floor.classes())));
            }
            rows.addAll(cold);
            rows.addAll(sdkComparison(context, jar, inputs, env, work));
            rows.addAll(primedRows);
            rows.addAll(classes);
        } finally {
            deleteTree(work);
        }
        return rows;
    }

    /**
     * The SDK change's worth: the comparison handler's cold start with the region and credentials from the Lambda
     * environment, beside the same JVM without {@code AWS_LAMBDA_FUNCTION_NAME} (so the SDK's default chains resolve
     * them, as before the change); medians of 3, alternating.
     */
    private List<BenchRow> sdkComparison(BenchContext context, Path jar, Map<String, Path> inputs, Map<String, String> env,
            Path work) throws Exception {
        int samples = context.quick() ? 1 : 3;
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
     * Seeds the sandbox, plays one rotation through the real workflow keeping every step's input, takes the rotation's
     * lock again for its holder, and writes one input file per handler.
     */
    private static Map<String, Path> fixtures(SandboxWorld world, BenchContext context, Path work) throws Exception {
        KeyMetadata oldKey = SandboxSeed.seed(world);
        world.secretsManager().createSecret(b -> b.name(WEBHOOK_SECRET_NAME).secretString(Json.MAPPER.createObjectNode()
                .put("webhookSecret", AlertPath.WEBHOOK_SECRET).toString()));
        Map<String, JsonNode> kept = new ConcurrentHashMap<>();
        for (String step : List.of("Preflight", "CreateKey", "GrantAtlasAccess", "SwitchAtlasKey", "CheckDeployment",
                "Finalize", "AuditAndRetire")) {
            world.beforeStep(step, input -> kept.put(step, input));
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
        String rotationId = lock.path("holder").asText();
        String newKeyId = kept.get("CheckDeployment").path("newKeyId").asText();

        Map<String, JsonNode> inputs = new LinkedHashMap<>();
        kept.forEach((step, input) -> inputs.put(step + "Handler", withLock(input, freshLock)));
        inputs.put("RotateKeyMaterialHandler", Json.MAPPER.createObjectNode().put("projectId", SandboxWorld.PROJECT_ID)
                .put("rotationId", rotationId).put("keyId", newKeyId).put("rotationPeriodDays", 180).put("onDemand", false)
                .put("startedAt", world.clock().instant().toString()).set("lock", freshLock));
        inputs.put("RollbackHandler", Json.MAPPER.createObjectNode().put("projectId", SandboxWorld.PROJECT_ID)
                .put("rotationId", rotationId).put("oldKeyId", oldKey.keyId()).put("newKeyId", newKeyId)
                .put("reason", "the benchmark rolls the rotation back").put("attempt", 0).put("waitSeconds", 0)
                .set("lock", freshLock));
        inputs.put("AtlasWebhookHandler", Json.MAPPER.readTree(context.root().resolve("events/atlas-webhook-function-url-event.json").toFile()));
        inputs.put("RescueHandler", Json.MAPPER.readTree(Files.readString(context.root().resolve("events/tripwire-event.json"))
                .replace(EXAMPLE_KEY_ARN, oldKey.arn())));
        inputs.put("FleetPlanHandler", Json.MAPPER.createObjectNode().set("input", Json.MAPPER.createObjectNode()
                .put("maxConcurrency", 5)));
        inputs.put("FloorHandler", Json.MAPPER.createObjectNode().put("floor", true));

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
