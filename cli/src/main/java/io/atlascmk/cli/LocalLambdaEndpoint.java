package io.atlascmk.cli;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.atlascmk.rotator.json.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A Lambda Invoke endpoint ({@code POST /2015-03-31/functions/{name}/invocations}) on loopback that
 * runs handler classes in this JVM. The local Step Functions engine reaches it through
 * {@code AWS_ENDPOINT_URL_LAMBDA}. As real Lambda does, a handler that throws answers 200 with
 * {@code X-Amz-Function-Error: Unhandled} and {@code {"errorType": <exception class>, "errorMessage": ...}},
 * so the workflow's Retry and Catch match on the exception's class name exactly as in AWS.
 *
 * <p>The engine also sends service integrations here under their resource name (for example
 * {@code arn:aws:states:::events:putEvents}); register a handler under that name to serve them.
 */
public final class LocalLambdaEndpoint implements AutoCloseable {

    /** One invocation, as the runner saw it (for progress output and tests). */
    public record Invocation(String functionName, String errorType) {
    }

    private static final String PATH_PREFIX = "/2015-03-31/functions/";
    private static final String PATH_SUFFIX = "/invocations";
    private static final long TIMEOUT_MILLIS = 15 * 60 * 1000L;

    private final Map<String, RequestStreamHandler> handlers = new ConcurrentHashMap<>();
    private final List<Invocation> invocations = new CopyOnWriteArrayList<>();
    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "local-lambda");
        t.setDaemon(true);
        return t;
    });

    /**
     * A failure that a service integration (not a Lambda function) reports under its own error name, such as
     * {@code States.TaskFailed} for a child execution that failed.
     */
    public interface NamedTaskError {
        String errorName();
    }

    public LocalLambdaEndpoint() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    /** Serves {@code functionName} with {@code handler}; replaces an earlier registration. */
    public LocalLambdaEndpoint register(String functionName, RequestStreamHandler handler) {
        handlers.put(functionName, handler);
        return this;
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** The largest request or response body any function got or gave so far (Lambda's and Step Functions' limit: 256 KB). */
    public Payload largestPayload() {
        return largest.get();
    }

    /** One payload's size, and whose it was. */
    public record Payload(String functionName, String direction, int bytes) {
    }

    private final java.util.concurrent.atomic.AtomicReference<Payload> largest =
            new java.util.concurrent.atomic.AtomicReference<>(new Payload("none", "none", 0));

    private void measure(String name, String direction, int bytes) {
        largest.accumulateAndGet(new Payload(name, direction, bytes), (a, b) -> b.bytes() > a.bytes() ? b : a);
    }

    public List<Invocation> invocations() {
        return List.copyOf(invocations);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getRawPath();
            if (!"POST".equals(exchange.getRequestMethod()) || !path.startsWith(PATH_PREFIX) || !path.endsWith(PATH_SUFFIX)) {
                sendError(exchange, 404, "ResourceNotFoundException",
                        "Only POST " + PATH_PREFIX + "{name}" + PATH_SUFFIX + " is served here.");
                return;
            }
            String name = URLDecoder.decode(path.substring(PATH_PREFIX.length(), path.length() - PATH_SUFFIX.length()),
                    StandardCharsets.UTF_8);
            RequestStreamHandler handler = handlers.get(name);
            if (handler == null) {
                sendError(exchange, 404, "ResourceNotFoundException",
                        "Function not found: " + name + ". The local runner serves: " + handlers.keySet() + ".");
                return;
            }
            byte[] payload;
            try (InputStream in = exchange.getRequestBody()) {
                payload = in.readAllBytes();
            }
            measure(name, "input", payload.length);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try {
                handler.handleRequest(new java.io.ByteArrayInputStream(payload), out, new io.atlascmk.rotator.handler.LocalContext(name, TIMEOUT_MILLIS));
            } catch (Throwable failure) {
                String errorType = failure instanceof NamedTaskError named ? named.errorName() : failure.getClass().getName();
                invocations.add(new Invocation(name, errorType));
                ObjectNode error = Json.MAPPER.createObjectNode()
                        .put("errorType", errorType)
                        .put("errorMessage", String.valueOf(failure.getMessage()));
                exchange.getResponseHeaders().add("X-Amz-Function-Error", "Unhandled");
                send(exchange, 200, Json.MAPPER.writeValueAsBytes(error));
                return;
            }
            invocations.add(new Invocation(name, null));
            byte[] body = out.size() == 0 ? "null".getBytes(StandardCharsets.UTF_8) : out.toByteArray();
            measure(name, "output", body.length);
            send(exchange, 200, body);
        }
    }

    private static void sendError(HttpExchange exchange, int status, String type, String message) throws IOException {
        exchange.getResponseHeaders().add("X-Amzn-ErrorType", type);
        ObjectNode body = Json.MAPPER.createObjectNode().put("Type", "User").put("message", message);
        send(exchange, status, Json.MAPPER.writeValueAsBytes(body));
    }

    private static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream os = exchange.getResponseBody()) {
            os.write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
