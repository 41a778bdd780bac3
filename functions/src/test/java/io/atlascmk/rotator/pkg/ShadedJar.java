package io.atlascmk.rotator.pkg;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The shaded Lambda jar, run as Lambda runs it: each handler in a fresh JVM whose class path is the jar (and {@link
 * HandlerProbe}, alone in a folder of its own), with the environment the stack gives the functions, every endpoint
 * (AWS and Atlas) an unreachable loopback port unless {@code endpoints} says otherwise. Used by {@link ShadedJarIT}
 * and {@link ColdStartClasses}.
 */
final class ShadedJar {

    /**
     * The functions module: the working folder of its tests, or {@code functions/} from the repository root. The jar is
     * the one it builds, or {@code -Dshaded.jar=...} (to compare with another build).
     */
    static final Path MODULE = Files.isDirectory(Path.of("functions", "src")) ? Path.of("functions") : Path.of(".");
    static final Path JAR = System.getProperty("shaded.jar") != null ? Path.of(System.getProperty("shaded.jar"))
            : MODULE.resolve(Path.of("target", "functions-0.1.0-SNAPSHOT-lambda.jar")).normalize();
    static final String UNREACHABLE = "http://127.0.0.1:9";
    static final Path EVENTS = MODULE.toAbsolutePath().resolve(Path.of("..", "events")).normalize();

    /** Every handler of the stack and the input of one invocation: the events folder's example where there is one. */
    static Map<String, String> handlers() {
        Map<String, String> h = new LinkedHashMap<>();
        String pkg = "io.atlascmk.rotator.handler.";
        h.put(pkg + "PreflightHandler", "file:preflight.json");
        h.put(pkg + "CreateKeyHandler", "file:create-key.json");
        h.put(pkg + "GrantAtlasAccessHandler", "file:grant-atlas-access.json");
        h.put(pkg + "SwitchAtlasKeyHandler", "file:switch-atlas-key.json");
        h.put(pkg + "CheckDeploymentHandler", "file:check-deployment.json");
        h.put(pkg + "FinalizeHandler", "file:finalize.json");
        h.put(pkg + "AuditAndRetireHandler", "file:audit-and-retire.json");
        h.put(pkg + "RollbackHandler", "file:rollback.json");
        h.put(pkg + "RotateKeyMaterialHandler", "{\"projectId\":\"5f1e2d3c4b5a69788796a5b4\",\"rotationId\":\"manual-1\","
                + "\"keyId\":\"arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab\","
                + "\"rotationPeriodDays\":180,\"onDemand\":true,\"startedAt\":\"2026-01-01T00:00:00Z\"}");
        h.put(pkg + "FleetPlanHandler", "{\"input\":{\"maxConcurrency\":5}}");
        h.put(pkg + "AtlasWebhookHandler", "file:atlas-webhook-function-url-event.json");
        h.put(pkg + "RescueHandler", "file:tripwire-event.json");
        h.put(pkg + "RegistrySeedHandler", "{\"RequestType\":\"Create\"}");
        h.put(pkg + "RecordHandler", "{\"version\":\"0\",\"id\":\"6a7e8f3c-1b2d-4e5f-8a9b-0c1d2e3f4a5b\","
                + "\"detail-type\":\"Rotation Succeeded\",\"source\":\"atlas-cmk-rotator\",\"time\":\"2026-11-30T10:20:00Z\","
                + "\"detail\":{\"projectId\":\"5f1e2d3c4b5a69788796a5b4\",\"trigger\":\"manual\"}}");
        return h;
    }

    /** One run of the probe. */
    record Run(String what, int exitCode, long wallMs, int classesLoaded, int fromJar, List<String> probeLines, String output) {
    }

    private final Path work;
    private final Path probeDir;

    ShadedJar() throws IOException {
        if (!Files.isRegularFile(JAR)) {
            throw new IllegalStateException(JAR.toAbsolutePath() + " is not built: run mvn package (or verify) first.");
        }
        work = Files.createTempDirectory("shaded-jar-probe");
        probeDir = Files.createDirectories(work.resolve("probe"));
        String resource = HandlerProbe.class.getName().replace('.', '/') + ".class";
        Path target = probeDir.resolve(resource);
        Files.createDirectories(target.getParent());
        try (InputStream in = HandlerProbe.class.getClassLoader().getResourceAsStream(resource)) {
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
        }
        Files.writeString(work.resolve("registry-seed.json"),
                "[{\"projectId\":\"5f1e2d3c4b5a69788796a5b4\",\"awsRegion\":\"us-east-1\"}]");
        Files.createDirectories(work.resolve("home"));
    }

    /** The environment of a deployed function, every endpoint unreachable unless overridden by {@code endpoints}. */
    Map<String, String> environment(Map<String, String> endpoints) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        env.put("HOME", work.resolve("home").toString()); // no ~/.aws of this machine
        env.put("AWS_CONFIG_FILE", work.resolve("home/no-config").toString());
        env.put("AWS_SHARED_CREDENTIALS_FILE", work.resolve("home/no-credentials").toString());
        env.put("AWS_REGION", "us-east-1");
        env.put("AWS_ACCESS_KEY_ID", "AKIAPROBE00000000000");
        env.put("AWS_SECRET_ACCESS_KEY", "not-a-secret");
        env.put("AWS_SESSION_TOKEN", "probe-session");
        env.put("AWS_EC2_METADATA_DISABLED", "true");
        env.put("AWS_MAX_ATTEMPTS", "1");
        env.put("AWS_LAMBDA_FUNCTION_NAME", "probe");
        env.put("_X_AMZN_TRACE_ID", "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1");
        env.put("AWS_ENDPOINT_URL", UNREACHABLE);
        env.put("ATLAS_BASE_URL", UNREACHABLE);
        env.put("ATLAS_SECRET_ARN", "arn:aws:secretsmanager:us-east-1:111122223333:secret:atlas-probe");
        env.put("ROTATOR_DEPLOYMENT", "probe");
        env.put("ROTATOR_LOCK_TABLE", "probe-locks");
        env.put("ROTATOR_STATE_MACHINE_ARN", "arn:aws:states:us-east-1:111122223333:stateMachine:probe");
        env.put("ROTATOR_EVIDENCE_BUCKET", "probe-evidence");
        env.put("ROTATOR_SOURCE_IDENTITY", "Probe");
        env.put("WEBHOOK_SECRET_ARN", "arn:aws:secretsmanager:us-east-1:111122223333:secret:webhook-probe");
        env.put("ROTATOR_EVENT_BUS_NAME", "probe-bus");
        env.put("ROTATOR_REGISTRY_SEED_FILE", work.resolve("registry-seed.json").toString());
        env.putAll(endpoints);
        return env;
    }

    /** A handler's cold start and one invocation. */
    Run handler(String handlerClass, String input, Map<String, String> endpoints) throws IOException, InterruptedException {
        Path inputFile;
        if (input.startsWith("file:")) {
            inputFile = EVENTS.resolve(input.substring("file:".length()));
        } else {
            inputFile = Files.writeString(Files.createTempFile(work, "input", ".json"), input);
        }
        return java(handlerClass.substring(handlerClass.lastIndexOf('.') + 1), endpoints,
                List.of("handler", handlerClass, inputFile.toString()));
    }

    /** Each {@code service:Operation}, called with an empty request. */
    Run operations(List<String> operations, Map<String, String> endpoints) throws IOException, InterruptedException {
        List<String> args = new ArrayList<>();
        args.add("sdk");
        args.addAll(operations);
        return java("sdk", endpoints, args);
    }

    private Run java(String what, Map<String, String> endpoints, List<String> probeArgs) throws IOException, InterruptedException {
        Path classLog = Files.createTempFile(work, "classes", ".log");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xshare:auto", "-XX:TieredStopAtLevel=1", "-Xlog:class+load=info:file=" + classLog,
                "-cp", JAR.toAbsolutePath() + java.io.File.pathSeparator + probeDir,
                HandlerProbe.class.getName()));
        command.addAll(probeArgs);
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().clear();
        pb.environment().putAll(environment(endpoints));
        long start = System.nanoTime();
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
        }
        long wall = (System.nanoTime() - start) / 1_000_000;
        String output = new String(out, StandardCharsets.UTF_8);
        int total = 0;
        int fromJar = 0;
        String jarName = JAR.getFileName().toString();
        try (Stream<String> lines = Files.lines(classLog)) {
            for (String line : (Iterable<String>) lines::iterator) {
                if (line.contains(" source: ")) {
                    total++;
                    if (line.contains(jarName)) {
                        fromJar++;
                    }
                }
            }
        }
        List<String> probe = output.lines().filter(l -> l.startsWith("PROBE ") || l.startsWith("OP ")).toList();
        return new Run(what, p.exitValue(), wall, total, fromJar, probe, output);
    }

    /** The table of cold starts: handler, classes loaded, from the jar, wall ms, construct and invoke ms, outcome. */
    static String table(List<Run> runs) {
        StringBuilder t = new StringBuilder(String.format("%-26s %8s %9s %8s %10s %9s  %s%n", "handler", "classes",
                "from jar", "wall ms", "construct", "invoke", "outcome (unreachable endpoints)"));
        for (Run r : runs) {
            String probe = r.probeLines().isEmpty() ? "" : r.probeLines().get(0);
            t.append(String.format("%-26s %8d %9d %8d %10s %9s  %s%n", r.what(), r.classesLoaded(), r.fromJar(), r.wallMs(),
                    field(probe, "construct_ms"), field(probe, "invoke_ms"), shortOutcome(field(probe, "outcome"))));
        }
        return t.toString();
    }

    private static String field(String line, String name) {
        for (String part : line.split(" ")) {
            if (part.startsWith(name + "=")) {
                return part.substring(name.length() + 1);
            }
        }
        return "?";
    }

    private static String shortOutcome(String chain) {
        return chain.replaceAll("[a-z0-9_]+\\.", "");
    }
}
