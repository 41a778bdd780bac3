package io.atlascmk.sandbox.s3;

import io.atlascmk.sandbox.node.NodeServer;
import java.net.URI;
import java.nio.file.Path;

/**
 * S3 for the sandbox and the tests: <a href="https://github.com/jamhall/s3rver">s3rver</a>, a real implementation of
 * the S3 API (objects in a temporary folder), run by Node from {@code sandbox/node} on a loopback port the OS picks.
 * Close it to stop the process (the folder goes with it). Point an S3 client at {@link #endpoint()} with path-style
 * addressing.
 */
public final class S3rver implements AutoCloseable {

    static final String SCRIPT = "s3rver-server.mjs";
    /** The one access key s3rver accepts (a request signed with any other is refused, as S3 refuses an unknown key). */
    public static final String ACCESS_KEY_ID = "S3RVER";
    public static final String SECRET_ACCESS_KEY = "S3RVER";

    private final NodeServer server;

    private S3rver(NodeServer server) {
        this.server = server;
    }

    /** Starts s3rver from the {@code sandbox/node} found at or above the working directory. */
    public static S3rver start() {
        return new S3rver(NodeServer.start(NodeServer.locateNodeDir(Path.of("").toAbsolutePath(), SCRIPT), SCRIPT,
                "s3rver", "s3rver"));
    }

    public URI endpoint() {
        return server.endpoint();
    }

    @Override
    public void close() {
        server.close();
    }
}
