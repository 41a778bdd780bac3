package io.atlascmk.sandbox.aws;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.atlascmk.sandbox.SandboxClock;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One loopback HTTP server that stands in for AWS KMS, Secrets Manager, EventBridge and CloudTrail,
 * speaking the AWS JSON 1.1 protocol (POST /, {@code X-Amz-Target: <Service>.<Operation>},
 * {@code application/x-amz-json-1.1}, errors as {@code {"__type": ..., "message": ...}}) so the
 * unchanged AWS SDK clients work against it with their endpoint set to {@link #endpoint()}.
 *
 * <p>Signatures are accepted without checking. The region (and the access key id) are read from the
 * {@code Authorization} header's credential scope; without one the region is {@value #DEFAULT_REGION}.
 * Every stand-in reads time from the shared {@link SandboxClock}.
 *
 * <p>Every call the KMS stand-in serves, successful or refused, is recorded as a CloudTrail management
 * event, which {@link CloudTrailStandIn} answers {@code LookupEvents} from; the caller's identity in it
 * comes from the signing access key id ({@link #principals()}).
 *
 * <pre>{@code
 * try (AwsStandIn aws = new AwsStandIn(clock).start()) {
 *     KmsClient kms = KmsClient.builder().endpointOverride(aws.endpoint())...build();
 *     aws.faults().throttleNext(AwsService.KMS, "CreateKey", 2);
 *     aws.kms().keys();
 * }
 * }</pre>
 */
public final class AwsStandIn implements AutoCloseable {

    /** The account every resource belongs to. */
    public static final String ACCOUNT_ID = "111122223333";
    /** The region used when a request carries no SigV4 credential scope. */
    public static final String DEFAULT_REGION = "us-east-1";

    static final String CONTENT_TYPE = "application/x-amz-json-1.1";

    private static final Logger LOG = Logger.getLogger(AwsStandIn.class.getName());
    private static final Pattern CREDENTIAL_SCOPE =
            Pattern.compile("Credential=([^/,\\s]+)/\\d{8}/([a-z0-9-]+)/[^/,\\s]+/aws4_request");

    static {
        // The JDK server writes the response headers and body in two packets; with Nagle's algorithm on,
        // the body waits for the client's delayed ACK (~40 ms a call). Read once, when the JVM's first
        // HttpServer is created, so this only helps if no other HttpServer was created before.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    private final SandboxClock clock;
    private final FaultSwitches faults = new FaultSwitches();
    private final Principals principals = new Principals();
    private final CloudTrailStandIn cloudTrail;
    private final KmsStandIn kms;
    /** Every account's KMS and CloudTrail, the home account's ({@link #ACCOUNT_ID}) first. */
    private final java.util.Map<String, Account> accounts = new java.util.concurrent.ConcurrentHashMap<>();
    private final StsStandIn sts = new StsStandIn(principals);
    private final SecretsManagerStandIn secretsManager;
    private final EventBridgeStandIn eventBridge;

    private HttpServer server;
    private ExecutorService executor;

    public AwsStandIn(SandboxClock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.cloudTrail = new CloudTrailStandIn(clock, principals, ACCOUNT_ID);
        this.kms = new KmsStandIn(clock, cloudTrail, ACCOUNT_ID);
        accounts.put(ACCOUNT_ID, new Account(kms, cloudTrail));
        this.secretsManager = new SecretsManagerStandIn(clock);
        this.eventBridge = new EventBridgeStandIn(clock);
    }

    /** Starts listening on a free loopback port. Returns this, for try-with-resources. */
    public AwsStandIn start() {
        return start(0);
    }

    /** Starts listening on the given loopback port (0: a free one). Returns this. */
    public synchronized AwsStandIn start(int port) {
        if (server != null) {
            throw new IllegalStateException("The AWS stand-in is already started at " + endpoint() + ".");
        }
        try {
            HttpServer created = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
            AtomicInteger threadNumber = new AtomicInteger();
            executor = Executors.newFixedThreadPool(8, runnable -> {
                Thread thread = new Thread(runnable, "aws-stand-in-" + threadNumber.incrementAndGet());
                thread.setDaemon(true);
                return thread;
            });
            created.setExecutor(executor);
            created.createContext("/", this::handle);
            created.start();
            server = created;
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start the AWS stand-in on loopback port " + port + ".", e);
        }
    }

    /** {@code http://127.0.0.1:<port>}: what to give the SDK as endpoint override or {@code AWS_ENDPOINT_URL}. */
    public synchronized URI endpoint() {
        if (server == null) {
            throw new IllegalStateException("The AWS stand-in is not started; call start() first.");
        }
        InetSocketAddress address = server.getAddress();
        return URI.create("http://" + address.getAddress().getHostAddress() + ":" + address.getPort());
    }

    /** Stops the server at once; calls in flight (a delayed one included) are cut off. */
    @Override
    public synchronized void close() {
        if (server != null) {
            server.stop(0);
            executor.shutdownNow();
            server = null;
            executor = null;
        }
    }

    /**
     * Runs the stand-in on its own, with a clock starting now, until the process is stopped:
     * {@code java -cp ... io.atlascmk.sandbox.aws.AwsStandIn [port]}. Prints the endpoint to use as
     * {@code AWS_ENDPOINT_URL}.
     */
    public static void main(String[] args) throws InterruptedException {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 0;
        AwsStandIn aws = new AwsStandIn(new SandboxClock(Instant.now())).start(port);
        Runtime.getRuntime().addShutdownHook(new Thread(aws::close, "aws-stand-in-shutdown"));
        System.out.println("AWS stand-in (KMS, Secrets Manager, EventBridge, CloudTrail) listening at " + aws.endpoint());
        new CountDownLatch(1).await();
    }

    public SandboxClock clock() {
        return clock;
    }

    public KmsStandIn kms() {
        return kms;
    }

    /** One AWS account's KMS keys and CloudTrail event history. */
    private record Account(KmsStandIn kms, CloudTrailStandIn cloudTrail) {
    }

    /**
     * Adds another AWS account (its own keys and event history; calls signed with credentials of a principal of that
     * account, such as a session of one of its roles from {@link #sts()}, land there). Returns its KMS.
     */
    public KmsStandIn addAccount(String accountId) {
        if (accountId == null || !accountId.matches("\\d{12}")) {
            throw new IllegalArgumentException("An AWS account id is 12 digits, not " + accountId);
        }
        return accounts.computeIfAbsent(accountId, id -> {
            CloudTrailStandIn trail = new CloudTrailStandIn(clock, principals, id);
            return new Account(new KmsStandIn(clock, trail, id), trail);
        }).kms();
    }

    /** The KMS of an account added with {@link #addAccount} (or the home account's). */
    public KmsStandIn kms(String accountId) {
        return account(accountId).kms();
    }

    /** The CloudTrail of an account added with {@link #addAccount} (or the home account's). */
    public CloudTrailStandIn cloudTrail(String accountId) {
        return account(accountId).cloudTrail();
    }

    private Account account(String accountId) {
        Account account = accounts.get(accountId);
        if (account == null) {
            throw new IllegalArgumentException("The sandbox serves no AWS account " + accountId + "; add it with addAccount.");
        }
        return account;
    }

    /** Whether the sandbox serves {@code accountId} (the home account, or one added). */
    public boolean hasAccount(String accountId) {
        return accountId != null && accounts.containsKey(accountId);
    }

    /** STS: the roles of the accounts, and the sessions AssumeRole hands out. */
    public StsStandIn sts() {
        return sts;
    }

    public SecretsManagerStandIn secretsManager() {
        return secretsManager;
    }

    public EventBridgeStandIn eventBridge() {
        return eventBridge;
    }

    public CloudTrailStandIn cloudTrail() {
        return cloudTrail;
    }

    /**
     * What a trail logging management events does in AWS: hands every CloudTrail event recorded since the
     * last call (and past the delivery delay) to the default event bus as "AWS API Call via CloudTrail"
     * ({@code source} {@code aws.kms}), whose rules run their targets on this thread. Without a trail
     * AWS delivers nothing, so nothing does this on its own: a scenario calls it when time has passed.
     *
     * @return how many events were delivered
     */
    public int deliverTrailToEventBridge() {
        // Every account's trail: an added account's events reach this bus as the member stack's forwarding rule sends them.
        List<CloudTrailEvent> due = new java.util.ArrayList<>();
        for (Account account : accounts.values()) {
            due.addAll(account.cloudTrail().takeUndeliveredForEventBridge());
        }
        for (CloudTrailEvent event : due) {
            eventBridge.deliverServiceEvent(event.awsRegion(), "aws.kms", "AWS API Call via CloudTrail", event.record(),
                    event.eventTime());
        }
        return due.size();
    }

    /** Which principal signs with which access key id, for the identity in CloudTrail events. */
    public Principals principals() {
        return principals;
    }

    public FaultSwitches faults() {
        return faults;
    }

    private ServiceHandler handlerFor(AwsService service, CallContext context) {
        switch (service) {
            case KMS:
                return callerAccount(context).kms();
            case SECRETS_MANAGER:
                return secretsManager;
            case EVENTBRIDGE:
                return eventBridge;
            case CLOUDTRAIL:
                return callerAccount(context).cloudTrail();
            default:
                throw new IllegalStateException("No handler for " + service);
        }
    }

    private void handle(HttpExchange exchange) {
        String requestId = UUID.randomUUID().toString();
        try (exchange) {
            byte[] requestBody = readAll(exchange.getRequestBody());
            String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
            if ("POST".equals(exchange.getRequestMethod()) && contentType != null
                    && contentType.startsWith("application/x-www-form-urlencoded")) {
                handleQuery(exchange, requestId, requestBody);
                return;
            }
            if (!"POST".equals(exchange.getRequestMethod())) {
                send(exchange, requestId, error(new AwsApiException("UnknownOperationException", 404,
                        "The AWS JSON 1.1 protocol takes POST /; got " + exchange.getRequestMethod() + ".")), 404);
                return;
            }
            String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
            int dot = target == null ? -1 : target.lastIndexOf('.');
            AwsService service = dot < 0 ? null : AwsService.forTargetPrefix(target.substring(0, dot));
            if (service == null) {
                AwsApiException unknown = AwsApiException.client("UnknownOperationException",
                        "X-Amz-Target " + target + " names no service of the sandbox (TrentService, secretsmanager, AWSEvents, "
                                + AwsService.CLOUDTRAIL.targetPrefix() + ").");
                send(exchange, requestId, error(unknown), unknown.httpStatus());
                return;
            }
            String operation = target.substring(dot + 1);
            CallContext context = callContext(exchange.getRequestHeaders().getFirst("Authorization"),
                    exchange.getRemoteAddress().getAddress().getHostAddress(),
                    exchange.getRequestHeaders().getFirst("User-Agent"), requestId);

            FaultSwitches.Plan plan = faults.onCall(service, operation);
            if (plan.action() == FaultSwitches.Action.THROTTLE) {
                sendError(exchange, requestId, AwsApiException.client("ThrottlingException", "Rate exceeded"));
                return;
            }
            if (plan.action() == FaultSwitches.Action.FAIL) {
                sendError(exchange, requestId, internal(service, "The sandbox failed this call on purpose (fault switch)."));
                return;
            }
            if (!plan.delay().isZero() && !pause(plan.delay())) {
                return; // stopped while delayed: the connection goes down with the server
            }

            JsonNode response;
            AwsApiException failure = null;
            try {
                response = handlerFor(service, context).handle(operation, context, new Params(parseBody(requestBody)));
            } catch (AwsApiException e) {
                response = null;
                failure = e;
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "The AWS stand-in failed on " + target, e);
                response = null;
                failure = internal(service, "The sandbox failed: " + e);
            }

            FaultSwitches.CrashMode crash = faults.afterApplied(service, operation);
            if (crash == FaultSwitches.CrashMode.DROP_CONNECTION) {
                return; // closing the exchange before any response header drops the connection
            }
            if (crash == FaultSwitches.CrashMode.SERVER_ERROR) {
                sendError(exchange, requestId, internal(service, "The sandbox crashed after applying this call (fault switch)."));
                return;
            }
            if (failure != null) {
                sendError(exchange, requestId, failure);
            } else {
                send(exchange, requestId, response, 200);
            }
        } catch (IOException e) {
            LOG.log(Level.FINE, "Connection to the AWS stand-in failed", e);
        }
    }

    /**
     * The account a call lands in: the account of the principal that signed it (a session of a role of an added
     * account lands there), else the home account. An account the sandbox does not serve gets the home account's
     * answer to an unknown key: not found.
     */
    private Account callerAccount(CallContext context) {
        String principal = principals.principalArn(context.accessKeyId());
        Matcher m = PRINCIPAL_ACCOUNT.matcher(principal);
        Account account = m.find() ? accounts.get(m.group(1)) : null;
        return account != null ? account : accounts.get(ACCOUNT_ID);
    }

    private static final Pattern PRINCIPAL_ACCOUNT = Pattern.compile("^arn:aws:(?:iam|sts)::(\\d{12}):");

    /** An AWS Query protocol call (form-encoded POST): STS. */
    private void handleQuery(HttpExchange exchange, String requestId, byte[] body) throws IOException {
        java.util.Map<String, String> form = new java.util.LinkedHashMap<>();
        for (String pair : new String(body, StandardCharsets.UTF_8).split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = java.net.URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : java.net.URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            form.put(name, value);
        }
        CallContext context = callContext(exchange.getRequestHeaders().getFirst("Authorization"),
                exchange.getRemoteAddress().getAddress().getHostAddress(),
                exchange.getRequestHeaders().getFirst("User-Agent"), requestId);
        String xml;
        int status;
        try {
            xml = sts.handle(form, context.accessKeyId(), requestId);
            status = 200;
        } catch (StsStandIn.QueryError e) {
            xml = e.xml(requestId);
            status = e.status;
        }
        byte[] bytes = xml.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/xml");
        exchange.getResponseHeaders().set("x-amzn-RequestId", requestId);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static AwsApiException internal(AwsService service, String message) {
        return new AwsApiException(service.internalErrorName(), 500, message);
    }

    private static ObjectNode parseBody(byte[] body) {
        String text = new String(body, StandardCharsets.UTF_8).strip();
        if (text.isEmpty()) {
            return AwsJson.object();
        }
        JsonNode node;
        try {
            node = AwsJson.parse(text);
        } catch (JsonProcessingException e) {
            throw AwsApiException.serialization("The request body is not valid JSON: " + e.getOriginalMessage());
        }
        if (!node.isObject()) {
            throw AwsApiException.serialization("The request body must be a JSON object.");
        }
        return (ObjectNode) node;
    }

    static CallContext callContext(String authorization, String sourceIpAddress, String userAgent, String requestId) {
        if (authorization != null) {
            Matcher matcher = CREDENTIAL_SCOPE.matcher(authorization);
            if (matcher.find()) {
                return new CallContext(matcher.group(2), matcher.group(1), sourceIpAddress, userAgent, requestId);
            }
        }
        return new CallContext(DEFAULT_REGION, null, sourceIpAddress, userAgent, requestId);
    }

    private static boolean pause(Duration delay) {
        try {
            Thread.sleep(delay.toMillis());
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static ObjectNode error(AwsApiException e) {
        ObjectNode body = AwsJson.object();
        body.put("__type", e.errorName());
        body.put("message", e.getMessage());
        return body;
    }

    private static void sendError(HttpExchange exchange, String requestId, AwsApiException e) throws IOException {
        exchange.getResponseHeaders().set("X-Amzn-ErrorType", e.errorName());
        send(exchange, requestId, error(e), e.httpStatus());
    }

    private static void send(HttpExchange exchange, String requestId, JsonNode body, int status) throws IOException {
        byte[] bytes = AwsJson.write(body).getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", CONTENT_TYPE);
        exchange.getResponseHeaders().set("x-amzn-RequestId", requestId);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static byte[] readAll(InputStream in) throws IOException {
        try (in) {
            return in.readAllBytes();
        }
    }
}
