package io.atlascmk.sandbox.dynamo;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * DynamoDB for the sandbox and the tests: <a href="https://github.com/architect/dynalite">dynalite</a>, a
 * real implementation of the DynamoDB API (in memory), run by Node from {@code sandbox/node} on a
 * loopback port the OS picks. Not a stand-in of ours: its conditions, consistency and errors are
 * DynamoDB's as dynalite implements them. Close it to stop the process (it also exits when this JVM
 * goes away, as its stdin closes).
 *
 * <p>Needs {@code node} on the PATH and {@code npm ci} run in {@code sandbox/node} (the sandbox
 * module's build does it).
 */
public final class Dynalite implements AutoCloseable {

    private static final Pattern PORT = Pattern.compile("\\{\"port\":(\\d+)}");

    private final Process process;
    private final URI endpoint;

    private Dynalite(Process process, URI endpoint) {
        this.process = process;
        this.endpoint = endpoint;
    }

    /** Starts dynalite from the {@code sandbox/node} found at or above the working directory. */
    public static Dynalite start() {
        return start(locateNodeDir(Path.of("").toAbsolutePath()));
    }

    public static Dynalite start(Path nodeDir) {
        if (!Files.isDirectory(nodeDir.resolve("node_modules/dynalite"))) {
            throw new IllegalStateException("dynalite is not installed in " + nodeDir + ": run `npm ci` there (or"
                    + " `mvn -pl sandbox generate-resources`), then try again.");
        }
        Process process;
        try {
            process = new ProcessBuilder("node", "dynalite-server.mjs").directory(nodeDir.toFile())
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start node for dynalite (is node on the PATH?): " + e.getMessage(), e);
        }
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            String line = out.readLine();
            Matcher m = line == null ? null : PORT.matcher(line.trim());
            if (m == null || !m.matches()) {
                process.destroyForcibly();
                throw new IllegalStateException("dynalite did not say which port it listens on (it printed: " + line
                        + "); see its error output above.");
            }
            return new Dynalite(process, URI.create("http://127.0.0.1:" + m.group(1)));
        } catch (IOException e) {
            process.destroyForcibly();
            throw new UncheckedIOException("Could not read dynalite's port: " + e.getMessage(), e);
        }
    }

    /** {@code sandbox/node} at or above {@code start}. */
    static Path locateNodeDir(Path start) {
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("sandbox/node");
            if (Files.isRegularFile(candidate.resolve("dynalite-server.mjs"))) {
                return candidate;
            }
            if (Files.isRegularFile(dir.resolve("dynalite-server.mjs"))) {
                return dir;
            }
        }
        throw new IllegalStateException("Cannot find sandbox/node/dynalite-server.mjs at or above " + start
                + ": run from the project's checkout.");
    }

    /** Where to point a DynamoDB client ({@code endpointOverride}, or {@code AWS_ENDPOINT_URL_DYNAMODB}). */
    public URI endpoint() {
        return endpoint;
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
