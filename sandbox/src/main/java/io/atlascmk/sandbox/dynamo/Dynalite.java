package io.atlascmk.sandbox.dynamo;

import io.atlascmk.sandbox.node.NodeServer;
import java.net.URI;
import java.nio.file.Path;

/**
 * DynamoDB for the sandbox and the tests: <a href="https://github.com/architect/dynalite">dynalite</a>, a
 * real implementation of the DynamoDB API (in memory), run by Node from {@code sandbox/node} on a
 * loopback port the OS picks. Not a stand-in of ours: its conditions, consistency and errors are
 * DynamoDB's as dynalite implements them. Close it to stop the process.
 */
public final class Dynalite implements AutoCloseable {

    static final String SCRIPT = "dynalite-server.mjs";

    private final NodeServer server;

    private Dynalite(NodeServer server) {
        this.server = server;
    }

    /** Starts dynalite from the {@code sandbox/node} found at or above the working directory. */
    public static Dynalite start() {
        return start(NodeServer.locateNodeDir(Path.of("").toAbsolutePath(), SCRIPT));
    }

    public static Dynalite start(Path nodeDir) {
        return new Dynalite(NodeServer.start(nodeDir, SCRIPT, "dynalite", "dynalite"));
    }

    /** {@code sandbox/node} at or above {@code start}. */
    static Path locateNodeDir(Path start) {
        return NodeServer.locateNodeDir(start, SCRIPT);
    }

    /** Where to point a DynamoDB client ({@code endpointOverride}, or {@code AWS_ENDPOINT_URL_DYNAMODB}). */
    public URI endpoint() {
        return server.endpoint();
    }

    @Override
    public void close() {
        server.close();
    }
}
