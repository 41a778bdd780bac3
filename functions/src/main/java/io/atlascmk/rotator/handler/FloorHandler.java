package io.atlascmk.rotator.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * A handler that does nothing: reads its input and answers {@code {}}. Never deployed; the benchmark
 * ({@code ./rotator bench}) starts it in a fresh JVM with the same flags as every real handler, and its cold start is
 * the floor the real handlers' cold starts are compared with (JVM start, loading this jar and the Lambda interface).
 */
public final class FloorHandler implements RequestStreamHandler {

    private static final byte[] EMPTY = "{}".getBytes(StandardCharsets.UTF_8);

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        input.readAllBytes();
        output.write(EMPTY);
    }
}
