package io.atlascmk.sandbox.node;

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
 * A real local implementation of an AWS service run by Node from {@code sandbox/node}: a script there starts it on a
 * loopback port the OS picks and prints {@code {"port": N}}; closing this stops the process (it also exits when this
 * JVM goes away, as its stdin closes). Needs {@code node} on the PATH and {@code npm ci} run in {@code sandbox/node}
 * (the sandbox module's build does it).
 */
public final class NodeServer implements AutoCloseable {

    private static final Pattern PORT = Pattern.compile("\\{\"port\":(\\d+)}");

    private final Process process;
    private final URI endpoint;

    private NodeServer(Process process, URI endpoint) {
        this.process = process;
        this.endpoint = endpoint;
    }

    /**
     * Starts {@code script} of {@code nodeDir}, whose package {@code module} must be installed there.
     *
     * @param what the service's name in messages, e.g. "dynalite"
     */
    public static NodeServer start(Path nodeDir, String script, String module, String what) {
        if (!Files.isDirectory(nodeDir.resolve("node_modules").resolve(module))) {
            throw new IllegalStateException(what + " is not installed in " + nodeDir + ": run `npm ci` there (or"
                    + " `mvn -pl sandbox generate-resources`), then try again.");
        }
        Process process;
        try {
            process = new ProcessBuilder("node", script).directory(nodeDir.toFile())
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start node for " + what + " (is node on the PATH?): " + e.getMessage(), e);
        }
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            String line = out.readLine();
            Matcher m = line == null ? null : PORT.matcher(line.trim());
            if (m == null || !m.matches()) {
                process.destroyForcibly();
                throw new IllegalStateException(what + " did not say which port it listens on (it printed: " + line
                        + "); see its error output above.");
            }
            return new NodeServer(process, URI.create("http://127.0.0.1:" + m.group(1)));
        } catch (IOException e) {
            process.destroyForcibly();
            throw new UncheckedIOException("Could not read " + what + "'s port: " + e.getMessage(), e);
        }
    }

    /** {@code sandbox/node} (the folder holding {@code script}) at or above {@code start}. */
    public static Path locateNodeDir(Path start, String script) {
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("sandbox/node");
            if (Files.isRegularFile(candidate.resolve(script))) {
                return candidate;
            }
            if (Files.isRegularFile(dir.resolve(script))) {
                return dir;
            }
        }
        throw new IllegalStateException("Cannot find sandbox/node/" + script + " at or above " + start
                + ": run from the project's checkout.");
    }

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
