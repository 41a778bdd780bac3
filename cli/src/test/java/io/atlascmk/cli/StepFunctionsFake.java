package io.atlascmk.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.atlascmk.rotator.json.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Pattern;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sfn.SfnClient;

/**
 * A small loopback Step Functions for the command line's tests, speaking the AWS JSON 1.0 protocol
 * the real {@link SfnClient} speaks ({@code POST /}, {@code X-Amz-Target: AWSStepFunctions.<Operation>},
 * {@code application/x-amz-json-1.0}, timestamps as epoch seconds, errors as
 * {@code {"__type": ..., "message": ...}}): StartExecution, DescribeExecution, GetExecutionHistory
 * (paged) and ListExecutions.
 *
 * <p>An execution started over the wire plays a script given beforehand ({@link #nextExecutionPlays}):
 * each DescribeExecution first moves it one {@link Stage} on, as if it had run meanwhile, so a
 * follower sees it progress between its reads of the history. Every request is recorded.
 */
final class StepFunctionsFake implements AutoCloseable {

    static final String REGION = "us-east-1";
    static final String ACCOUNT = "111122223333";
    static final String CONTENT_TYPE = "application/x-amz-json-1.0";
    private static final String TARGET_PREFIX = "AWSStepFunctions.";
    /** StartExecution's name rule: 1-80 characters, none of whitespace, brackets, wildcards, these or controls. */
    private static final Pattern EXECUTION_NAME = Pattern.compile("[^\\s<>{}\\[\\]?*\"#%\\\\^|~`$&,;:/\\p{Cntrl}]{1,80}");

    /** One request as received. */
    record Call(String operation, String contentType, String authorization, JsonNode body) {
    }

    /**
     * One step forward of a scripted execution: history events to append (their {@code id},
     * {@code previousEventId} and {@code timestamp} are filled in) and the status it then has.
     */
    record Stage(List<ObjectNode> events, String status, String output, String error, String cause) {

        static Stage running(ObjectNode... events) {
            return new Stage(List.of(events), "RUNNING", null, null, null);
        }

        static Stage succeeded(String output, ObjectNode... events) {
            return new Stage(List.of(events), "SUCCEEDED", output, null, null);
        }

        static Stage failed(String error, String cause, ObjectNode... events) {
            return new Stage(List.of(events), "FAILED", null, error, cause);
        }
    }

    private static final class Execution {
        String arn;
        String machineArn;
        String name;
        String input;
        Instant startDate;
        Instant stopDate;
        String status = "RUNNING";
        String output;
        String error;
        String cause;
        final List<ObjectNode> events = new ArrayList<>();
        final Deque<Stage> script = new ArrayDeque<>();
    }

    private final HttpServer server;
    private final ExecutorService executor;
    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private final Map<String, String> machines = new LinkedHashMap<>();
    private final Map<String, Execution> executions = new LinkedHashMap<>();
    private final Deque<List<Stage>> scripts = new ArrayDeque<>();
    private Instant now = Instant.parse("2025-03-01T09:00:00.250Z");
    private int historyPageSize = 1000;

    StepFunctionsFake() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        executor = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "sfn-fake");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    URI endpoint() {
        InetSocketAddress address = server.getAddress();
        return URI.create("http://" + address.getAddress().getHostAddress() + ":" + address.getPort());
    }

    /** A real SDK client for this fake: endpoint override, dummy static credentials. The caller closes it. */
    SfnClient newClient() {
        return SfnClient.builder()
                .endpointOverride(endpoint())
                .region(Region.of(REGION))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDTESTFAKE", "test-secret")))
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .build();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    /** Declares a state machine; returns its ARN. */
    synchronized String stateMachine(String name) {
        String arn = "arn:aws:states:" + REGION + ":" + ACCOUNT + ":stateMachine:" + name;
        machines.put(arn, name);
        return arn;
    }

    /** The script the next execution started over the wire plays; without one it stays RUNNING. */
    synchronized void nextExecutionPlays(Stage... stages) {
        scripts.add(List.of(stages));
    }

    /** How many events a GetExecutionHistory page holds at most (the service's own maximum is 1000). */
    synchronized void historyPageSize(int size) {
        historyPageSize = size;
    }

    /** An execution that ran before the test (as ListExecutions will show it); returns its ARN. */
    synchronized String seedExecution(String machineArn, String name, String input, String status, Instant start, Instant stop) {
        Execution e = newExecution(machineArn, name, input, start);
        e.status = status;
        e.stopDate = stop;
        return e.arn;
    }

    List<Call> calls() {
        return List.copyOf(calls);
    }

    List<Call> calls(String operation) {
        return calls.stream().filter(c -> c.operation().equals(operation)).toList();
    }

    // ------------------------------------------------------------------ history events, for scripts

    static ObjectNode stateEntered(String type, String state) {
        ObjectNode e = event(type);
        e.putObject("stateEnteredEventDetails").put("name", state).put("input", "{}");
        return e;
    }

    static ObjectNode stateExited(String type, String state) {
        ObjectNode e = event(type);
        e.putObject("stateExitedEventDetails").put("name", state).put("output", "{}");
        return e;
    }

    static ObjectNode lambdaFunctionFailed(String error, String cause) {
        ObjectNode e = event("LambdaFunctionFailed");
        e.putObject("lambdaFunctionFailedEventDetails").put("error", error).put("cause", cause);
        return e;
    }

    static ObjectNode executionFailed(String error, String cause) {
        ObjectNode e = event("ExecutionFailed");
        e.putObject("executionFailedEventDetails").put("error", error).put("cause", cause);
        return e;
    }

    static ObjectNode event(String type) {
        return Json.MAPPER.createObjectNode().put("type", type);
    }

    // ------------------------------------------------------------------ wire

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
            String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
            byte[] body = exchange.getRequestBody().readAllBytes();
            String operation = target != null && target.startsWith(TARGET_PREFIX) ? target.substring(TARGET_PREFIX.length()) : String.valueOf(target);
            JsonNode request;
            try {
                request = body.length == 0 ? Json.MAPPER.createObjectNode() : Json.MAPPER.readTree(body);
            } catch (IOException notJson) {
                respond(exchange, 400, error("SerializationException", "The request body is not JSON."));
                return;
            }
            calls.add(new Call(operation, contentType, exchange.getRequestHeaders().getFirst("Authorization"), request));
            if (!"POST".equals(exchange.getRequestMethod()) || contentType == null || !contentType.startsWith(CONTENT_TYPE)) {
                respond(exchange, 400, error("UnknownOperationException", "Expected POST with " + CONTENT_TYPE + "."));
                return;
            }
            try {
                respond(exchange, 200, dispatch(operation, request));
            } catch (FakeError e) {
                respond(exchange, 400, error(e.type, e.getMessage()));
            }
        }
    }

    private synchronized ObjectNode dispatch(String operation, JsonNode request) {
        return switch (operation) {
            case "StartExecution" -> startExecution(request);
            case "DescribeExecution" -> describeExecution(request);
            case "GetExecutionHistory" -> getExecutionHistory(request);
            case "ListExecutions" -> listExecutions(request);
            default -> throw new FakeError("UnknownOperationException", "Operation " + operation + " is not supported by this fake.");
        };
    }

    private ObjectNode startExecution(JsonNode request) {
        String machineArn = request.path("stateMachineArn").asText();
        if (!machines.containsKey(machineArn)) {
            throw new FakeError("StateMachineDoesNotExist", "State Machine Does Not Exist: '" + machineArn + "'");
        }
        String name = request.path("name").asText();
        if (!EXECUTION_NAME.matcher(name).matches()) {
            throw new FakeError("InvalidName", "Invalid Name: '" + name + "'");
        }
        String input = request.path("input").asText("{}");
        try {
            Json.MAPPER.readTree(input);
        } catch (IOException notJson) {
            throw new FakeError("InvalidExecutionInput", "Invalid Execution Input: " + notJson.getMessage());
        }
        if (executions.containsKey(executionArn(machineArn, name))) {
            throw new FakeError("ExecutionAlreadyExists", "Execution Already Exists: '" + executionArn(machineArn, name) + "'");
        }
        now = now.plusSeconds(1);
        Execution e = newExecution(machineArn, name, input, now);
        ObjectNode started = event("ExecutionStarted");
        started.putObject("executionStartedEventDetails").put("input", input)
                .put("roleArn", "arn:aws:iam::" + ACCOUNT + ":role/rotator-states");
        append(e, started);
        if (!scripts.isEmpty()) {
            e.script.addAll(scripts.poll());
        }
        ObjectNode response = Json.MAPPER.createObjectNode().put("executionArn", e.arn);
        response.put("startDate", epochSeconds(e.startDate));
        return response;
    }

    private ObjectNode describeExecution(JsonNode request) {
        Execution e = execution(request.path("executionArn").asText());
        Stage next = e.script.poll();
        if (next != null) {
            now = now.plusSeconds(30);
            next.events().forEach(event -> append(e, event.deepCopy()));
            e.status = next.status();
            e.output = next.output();
            e.error = next.error();
            e.cause = next.cause();
            if (!"RUNNING".equals(e.status)) {
                e.stopDate = now;
            }
        }
        ObjectNode response = Json.MAPPER.createObjectNode()
                .put("executionArn", e.arn).put("stateMachineArn", e.machineArn).put("name", e.name)
                .put("status", e.status).put("input", e.input);
        response.put("startDate", epochSeconds(e.startDate));
        if (e.stopDate != null) {
            response.put("stopDate", epochSeconds(e.stopDate));
        }
        if (e.output != null) {
            response.put("output", e.output);
        }
        if (e.error != null) {
            response.put("error", e.error).put("cause", e.cause);
        }
        return response;
    }

    private ObjectNode getExecutionHistory(JsonNode request) {
        Execution e = execution(request.path("executionArn").asText());
        int size = Math.min(historyPageSize, request.path("maxResults").asInt(0) > 0 ? request.path("maxResults").asInt() : 1000);
        int from = request.hasNonNull("nextToken") ? Integer.parseInt(request.path("nextToken").asText()) : 0;
        int to = Math.min(e.events.size(), from + size);
        ObjectNode response = Json.MAPPER.createObjectNode();
        ArrayNode events = response.putArray("events");
        e.events.subList(from, to).forEach(events::add);
        if (to < e.events.size()) {
            response.put("nextToken", Integer.toString(to));
        }
        return response;
    }

    private ObjectNode listExecutions(JsonNode request) {
        String machineArn = request.path("stateMachineArn").asText();
        if (!machines.containsKey(machineArn)) {
            throw new FakeError("StateMachineDoesNotExist", "State Machine Does Not Exist: '" + machineArn + "'");
        }
        int max = request.path("maxResults").asInt(0) > 0 ? request.path("maxResults").asInt() : 100;
        List<Execution> newestFirst = executions.values().stream().filter(e -> e.machineArn.equals(machineArn))
                .sorted(Comparator.comparing((Execution e) -> e.startDate).reversed()).toList();
        ObjectNode response = Json.MAPPER.createObjectNode();
        ArrayNode items = response.putArray("executions");
        for (Execution e : newestFirst.subList(0, Math.min(max, newestFirst.size()))) {
            ObjectNode item = items.addObject().put("executionArn", e.arn).put("stateMachineArn", e.machineArn)
                    .put("name", e.name).put("status", e.status);
            item.put("startDate", epochSeconds(e.startDate));
            if (e.stopDate != null) {
                item.put("stopDate", epochSeconds(e.stopDate));
            }
        }
        if (newestFirst.size() > max) {
            response.put("nextToken", "more");
        }
        return response;
    }

    private Execution newExecution(String machineArn, String name, String input, Instant start) {
        Execution e = new Execution();
        e.arn = executionArn(machineArn, name);
        e.machineArn = machineArn;
        e.name = name;
        e.input = input;
        e.startDate = start;
        executions.put(e.arn, e);
        return e;
    }

    private String executionArn(String machineArn, String name) {
        return "arn:aws:states:" + REGION + ":" + ACCOUNT + ":execution:" + machines.get(machineArn) + ":" + name;
    }

    private Execution execution(String arn) {
        Execution e = executions.get(arn);
        if (e == null) {
            throw new FakeError("ExecutionDoesNotExist", "Execution Does Not Exist: '" + arn + "'");
        }
        return e;
    }

    private void append(Execution e, ObjectNode event) {
        long id = e.events.size() + 1;
        event.put("id", id);
        if (id > 1) {
            event.put("previousEventId", id - 1);
        }
        event.put("timestamp", epochSeconds(now));
        e.events.add(event);
    }

    /** Timestamps on the AWS JSON protocols: seconds since the epoch, with the fraction. */
    static BigDecimal epochSeconds(Instant instant) {
        return BigDecimal.valueOf(instant.toEpochMilli(), 3);
    }

    private static ObjectNode error(String type, String message) {
        return Json.MAPPER.createObjectNode().put("__type", type).put("message", message);
    }

    private static void respond(HttpExchange exchange, int status, ObjectNode body) throws IOException {
        byte[] bytes = Json.MAPPER.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", CONTENT_TYPE);
        exchange.getResponseHeaders().set("x-amzn-RequestId", java.util.UUID.randomUUID().toString());
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static final class FakeError extends RuntimeException {
        final String type;

        FakeError(String type, String message) {
            super(message);
            this.type = type;
        }
    }
}
