package io.atlascmk.cli.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.atlascmk.rotator.json.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One handler of the Lambda jar in a fresh JVM ({@code io.atlascmk.rotator.handler.LocalInvoke}), with Lambda's JVM
 * flags for Java 17/21 ({@link #LAMBDA_FLAGS}) and the class-load log on: from {@code ProcessBuilder.start} to the line
 * that reports the first response is its cold start, as the parent sees it.
 */
final class ChildJvm {

    /**
     * As Lambda's java17 and java21 runtimes start the JVM by default: tiered compilation stopped at C1 (documented in
     * "Customize Java runtime startup behavior for Lambda functions", docs.aws.amazon.com/lambda/latest/dg/
     * java-customization.html) and the serial collector (the same page: the Java 17 runtime uses the serial GC by
     * default), class data sharing on.
     */
    static final List<String> LAMBDA_FLAGS = List.of("-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1",
            "-XX:+UseSerialGC", "-Xshare:auto");

    static final String MARKER = "LOCALINVOKE ";
    static final String OUTPUT_MARKER = "LOCALINVOKE-OUTPUT ";

    /** What one child reported. */
    record Result(String handler, double coldStartMs, double initMs, Double primeMs, List<Double> invokeMs,
                  List<String> errors, int sdkRequestsAnsweredOffline, String firstOutput, ClassCounts classes,
                  int exitCode, String tail) {

        boolean ok() {
            return exitCode == 0 && !invokeMs.isEmpty();
        }

        /** The first invocation's outcome: "ok" or the exception's class. */
        String outcome() {
            String e = errors.isEmpty() ? null : errors.get(0);
            return e == null ? "ok" : e.substring(e.lastIndexOf('.') + 1);
        }
    }

    /** Classes the child loaded: all, and those from the Lambda jar. */
    record ClassCounts(int total, int fromJar) {
    }

    private ChildJvm() {
    }

    /**
     * Runs LocalInvoke on {@code handler} with {@code input}, {@code invocations} times, priming first when
     * {@code prime}, in {@code env} (only: nothing of this process's environment is passed but PATH and HOME).
     */
    static Result run(Path jar, String handler, Path input, int invocations, boolean prime, Map<String, String> env,
            Path workDir) throws IOException, InterruptedException {
        Path classLog = Files.createTempFile(workDir, "classes-", ".log");
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(LAMBDA_FLAGS);
        command.add("-Xlog:class+load=info:file=" + classLog);
        command.addAll(List.of("-cp", jar.toString(), "io.atlascmk.rotator.handler.LocalInvoke"));
        if (prime) {
            command.add("--prime");
        }
        command.addAll(List.of("--invocations", String.valueOf(invocations), handler, input.toString()));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).directory(workDir.toFile());
        Map<String, String> childEnv = pb.environment();
        String path = childEnv.get("PATH");
        String home = childEnv.get("HOME");
        childEnv.clear();
        if (path != null) {
            childEnv.put("PATH", path);
        }
        if (home != null) {
            childEnv.put("HOME", home);
        }
        childEnv.putAll(env);

        long start = System.nanoTime();
        Process process = pb.start();
        double coldStart = Double.NaN;
        double init = Double.NaN;
        Double primeMs = null;
        int answered = 0;
        List<Double> invokes = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        String firstOutput = "";
        Deque<String> tail = new ArrayDeque<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.startsWith(MARKER)) {
                    JsonNode report = Json.MAPPER.readTree(line.substring(MARKER.length()));
                    switch (report.path("phase").asText()) {
                        case "init" -> init = report.path("ms").asDouble();
                        case "prime" -> {
                            primeMs = report.path("ms").asDouble();
                            answered = report.path("sdkRequestsAnsweredOffline").asInt();
                        }
                        case "invoke" -> {
                            if (invokes.isEmpty()) {
                                coldStart = (System.nanoTime() - start) / 1e6;
                            }
                            invokes.add(report.path("ms").asDouble());
                            errors.add(report.hasNonNull("error") ? report.path("error").asText() : null);
                        }
                        default -> { }
                    }
                } else if (line.startsWith(OUTPUT_MARKER)) {
                    firstOutput = line.substring(OUTPUT_MARKER.length());
                } else {
                    tail.addLast(line);
                    if (tail.size() > 20) {
                        tail.removeFirst();
                    }
                }
            }
        }
        if (!process.waitFor(300, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
        ClassCounts classes;
        try (var lines = Files.lines(classLog)) {
            classes = countClasses(lines.toList(), jar.getFileName().toString());
        } finally {
            Files.deleteIfExists(classLog);
        }
        return new Result(handler, coldStart, init, primeMs, invokes, errors, answered, firstOutput, classes,
                process.exitValue(), String.join("\n", tail));
    }

    /**
     * Counts the classes in a {@code -Xlog:class+load} log: every {@code [class,load]} line, and those whose source is
     * the jar named {@code jarName}.
     */
    static ClassCounts countClasses(List<String> log, String jarName) {
        int total = 0;
        int fromJar = 0;
        for (String line : log) {
            if (!line.contains("[class,load]")) {
                continue;
            }
            total++;
            int source = line.indexOf(" source: ");
            if (source >= 0 && line.indexOf(jarName, source) >= 0) {
                fromJar++;
            }
        }
        return new ClassCounts(total, fromJar);
    }
}
