package io.atlascmk.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.atlascmk.rotator.json.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Runs {@code statemachine/rotation.asl.json} once on the local engine ({@code aws-local-stepfunctions}
 * on Node, through {@code statemachine/run-local.mjs}) and follows its event log as it happens.
 */
public final class NodeEngine {

    private final Path statemachineDir;

    public NodeEngine(Path statemachineDir) {
        this.statemachineDir = statemachineDir;
        if (!Files.isRegularFile(statemachineDir.resolve("rotation.asl.json"))) {
            throw new IllegalStateException("No rotation.asl.json in " + statemachineDir
                    + ": run from the project's checkout, or pass the statemachine folder.");
        }
        if (!Files.isDirectory(statemachineDir.resolve("node_modules/aws-local-stepfunctions"))) {
            throw new IllegalStateException("The local Step Functions engine is not installed in " + statemachineDir
                    + ": run 'npm ci' there (./rotator does it on first use).");
        }
    }

    /** The statemachine folder of the checkout that holds {@code start} (or one of its parents). */
    public static Path locateStatemachineDir(Path start) {
        String configured = System.getProperty("rotator.statemachine.dir", System.getenv("ROTATOR_STATEMACHINE_DIR"));
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured).toAbsolutePath();
        }
        for (Path dir = start.toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("statemachine/rotation.asl.json"))) {
                return dir.resolve("statemachine");
            }
        }
        throw new IllegalStateException("Cannot find statemachine/rotation.asl.json above " + start.toAbsolutePath()
                + ": run from the project's checkout or set ROTATOR_STATEMACHINE_DIR.");
    }

    /**
     * Runs one execution and blocks until it ends.
     *
     * @param name           the execution name (becomes the rotation id)
     * @param input          the execution input
     * @param substitutions  values for every ${Name} in the definition
     * @param lambdaEndpoint where Task states invoke Lambda (the local endpoint), or null for real Lambda
     * @param environment    extra environment for the engine (region, credentials for the local endpoint)
     * @param compressWaits  sandbox only: Wait states and Retry pauses take no real time
     * @param listener       called with each event as it arrives
     */
    public ExecutionResult run(String name, JsonNode input, Map<String, Object> substitutions, URI lambdaEndpoint,
                               Map<String, String> environment, boolean compressWaits, Consumer<ExecutionEvent> listener) {
        return run(name, input, substitutions, lambdaEndpoint, environment, compressWaits, false, listener);
    }

    /** As above; {@code fleet} runs {@code fleet.asl.json} (the fleet run) instead of the rotation. */
    public ExecutionResult run(String name, JsonNode input, Map<String, Object> substitutions, URI lambdaEndpoint,
                               Map<String, String> environment, boolean compressWaits, boolean fleet,
                               Consumer<ExecutionEvent> listener) {
        Path work = null;
        try {
            work = Files.createTempDirectory("rotator-run-");
            Path substitutionsFile = work.resolve("substitutions.json");
            Path inputFile = work.resolve("input.json");
            Json.MAPPER.writeValue(substitutionsFile.toFile(), substitutions);
            Json.MAPPER.writeValue(inputFile.toFile(), input);

            List<String> command = new ArrayList<>(List.of("node", "--no-warnings", "--import", "./polyfill.mjs", "run-local.mjs",
                    "--substitutions", substitutionsFile.toString(), "--input", inputFile.toString(), "--name", name));
            if (compressWaits) {
                command.add("--compress-waits");
            }
            if (fleet) {
                command.add("--fleet");
            }
            ProcessBuilder pb = new ProcessBuilder(command).directory(statemachineDir.toFile())
                    .redirectError(ProcessBuilder.Redirect.INHERIT);
            pb.environment().putAll(environment);
            if (lambdaEndpoint != null) {
                pb.environment().put("AWS_ENDPOINT_URL_LAMBDA", lambdaEndpoint.toString());
            }
            Process process = pb.start();
            List<ExecutionEvent> events = new ArrayList<>();
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    if (line.isBlank()) {
                        continue;
                    }
                    ExecutionEvent event = ExecutionEvent.of(Json.MAPPER.readTree(line));
                    events.add(event);
                    listener.accept(event);
                }
            }
            int exit = process.waitFor();
            if (exit == 2) {
                throw new IllegalStateException("The local engine refused its arguments (exit 2); see its message above.");
            }
            return toResult(name, events);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not run the local engine (is 'node' on the PATH?): " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while the local execution was running.", e);
        } finally {
            deleteQuietly(work);
        }
    }

    private static ExecutionResult toResult(String name, List<ExecutionEvent> events) {
        for (int i = events.size() - 1; i >= 0; i--) {
            ExecutionEvent e = events.get(i);
            if ("ExecutionSucceeded".equals(e.type())) {
                return new ExecutionResult(name, true, e.raw().path("output"), null, null, events);
            }
            if ("ExecutionFailed".equals(e.type())) {
                JsonNode cause = e.raw().path("Cause");
                return new ExecutionResult(name, false, null, e.raw().path("Error").asText(null),
                        cause.isTextual() ? cause.asText() : cause.toString(), events);
            }
        }
        return new ExecutionResult(name, false, null, "EngineStopped",
                "The local engine ended without reporting how the execution ended; see its output above.", events);
    }

    private static void deleteQuietly(Path dir) {
        if (dir == null) {
            return;
        }
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a leftover temp folder is harmless
        }
    }
}
