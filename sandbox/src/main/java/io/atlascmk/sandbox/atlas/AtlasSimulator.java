package io.atlascmk.sandbox.atlas;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.atlascmk.sandbox.KeyAccess;
import io.atlascmk.sandbox.SandboxClock;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A MongoDB Atlas Administration API v2 stand-in on a loopback port: the encryption-at-rest, cluster,
 * backup, cloud provider access and event endpoints the rotator uses, with Atlas's behaviour rather than
 * canned replies (see {@link AtlasProject}), both of Atlas's authentication schemes, Atlas's resource
 * versioning and error envelope, paging, and fault switches ({@link #faults()}).
 *
 * <pre>{@code
 * var clock = new SandboxClock(Instant.parse("2025-01-01T00:00:00Z"));
 * var atlas = new AtlasSimulator(clock, kms);            // kms: the KMS stand-in, a KeyAccess
 * atlas.addServiceAccount("mdb_sa_id_x", "mdb_sa_sk_y");
 * AtlasProject p = atlas.createProject();
 * String roleId = p.addAwsIamRole("arn:aws:iam::111122223333:role/atlas-kms");
 * p.configureAwsKms(keyId, "US_EAST_1", roleId);
 * p.addCluster(ClusterSpec.replicaSet("Cluster0").continuousBackup(7));
 * atlas.start();                                          // atlas.baseUrl() -> http://127.0.0.1:port
 * }</pre>
 *
 * <p>Request handling: route (404 {@code RESOURCE_NOT_FOUND}, 405) -> authenticate (401) -> the
 * credentials' API access list (403 {@code IP_ADDRESS_NOT_ON_ACCESS_LIST}, see {@link #removeFromAccessList}) ->
 * resource version from {@code Accept} (406 {@code INVALID_VERSION_DATE}, 410 {@code VERSION_GONE}) -> fault
 * switches -> the operation. Every routed call is counted per operation.
 *
 * <p>Roles: every credential holds a role on the organization and on every project, unless
 * {@link #removeOrganizationRole} leaves it only its project roles; then what needs an organization role
 * ({@code GET /orgs/{orgId}/groups}, {@code GET /rateLimits?orgId=}) answers 401 {@code USER_UNAUTHORIZED},
 * as Atlas answers an authenticated caller without the role. Rate limits: {@link RateLimits}.
 */
public final class AtlasSimulator implements AutoCloseable {

    private static final Pattern VERSIONED_MEDIA_TYPE = Pattern.compile("application/vnd\\.atlas\\.(\\d{4}-\\d{2}-\\d{2})\\+json");
    private static final String ERROR_CONTENT_TYPE = "application/json";

    private final SandboxClock clock;
    private final KeyAccess keyAccess;
    private final Object lock = new Object();
    private final ObjectIds ids = new ObjectIds(0);
    private final ObjectMapper mapper = new ObjectMapper();
    private final Map<String, AtlasProject> projects = new LinkedHashMap<>();
    private final DigestAuthenticator digest = new DigestAuthenticator();
    private final OAuthTokens tokens;
    private final AtlasFaults faults = new AtlasFaults();
    private final Map<AtlasOperation, AtomicInteger> callCounts = new EnumMap<>(AtlasOperation.class);
    private final List<CallRecord> callLog = Collections.synchronizedList(new ArrayList<>());
    private final RateLimits rateLimits = new RateLimits();
    private final java.util.Set<String> withoutOrganizationRole = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final java.util.Set<String> offAccessList = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private volatile Duration keySwitchDuration = Duration.ofMinutes(15);
    /** Atlas's Cloud Backups limit, per project; null: none. */
    private volatile TokenBuckets cloudBackupsLimit = new TokenBuckets(AtlasRateLimit.CLOUD_BACKUPS, System::nanoTime);
    private final AtomicInteger rateLimited = new AtomicInteger();
    /** Wall-clock time every answer takes (as a network and Atlas's own work would). */
    private volatile Duration latency = Duration.ZERO;
    private volatile Duration keyPropagation = Duration.ZERO;

    /**
     * The simulator's codes for a key change Atlas will not take now. Atlas's own codes for these cases
     * are not in its published document; clients should act on the status (400, 409), not the code.
     */
    public static final String KEY_NOT_USABLE = "INVALID_ENCRYPTION_AT_REST_KEY";
    public static final String KEY_CHANGE_IN_PROGRESS = "ENCRYPTION_AT_REST_KEY_CHANGE_IN_PROGRESS";
    private volatile Duration updateStartDelay = Duration.ZERO;

    private HttpServer server;
    private ExecutorService executor;
    private volatile String baseUrl;
    private volatile AtlasJson json;

    public AtlasSimulator(SandboxClock clock, KeyAccess keyAccess) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.keyAccess = Objects.requireNonNull(keyAccess, "keyAccess");
        this.tokens = new OAuthTokens(clock);
        for (AtlasOperation op : AtlasOperation.values()) {
            callCounts.put(op, new AtomicInteger());
        }
    }

    // ---------------------------------------------------------------- lifecycle

    /** Starts listening on a free loopback port. */
    public synchronized AtlasSimulator start() {
        if (server != null) {
            throw new IllegalStateException("The Atlas simulator is already running at " + baseUrl + ".");
        }
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not open a loopback port for the Atlas simulator.", e);
        }
        AtomicInteger n = new AtomicInteger();
        executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "atlas-simulator-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
        baseUrl = "http://" + server.getAddress().getAddress().getHostAddress() + ":" + server.getAddress().getPort();
        json = new AtlasJson(baseUrl);
        return this;
    }

    /** e.g. {@code http://127.0.0.1:54321}; the Admin API is under {@code /api/atlas/v2}. */
    public String baseUrl() {
        if (baseUrl == null) {
            throw new IllegalStateException("Start the Atlas simulator first.");
        }
        return baseUrl;
    }

    public synchronized int port() {
        if (server == null) {
            throw new IllegalStateException("Start the Atlas simulator first.");
        }
        return server.getAddress().getPort();
    }

    @Override
    public synchronized void close() {
        if (server != null) {
            server.stop(0);
            executor.shutdownNow();
            server = null;
        }
    }

    // ---------------------------------------------------------------- seeding and settings

    /** A new project with a generated 24-hex id. */
    public AtlasProject createProject() {
        return createProject(ids.next(clock.instant()));
    }

    public AtlasProject createProject(String groupId) {
        if (!ObjectIds.isValid(groupId)) {
            throw new IllegalArgumentException("A project id is 24 lower-case hex digits; got '" + groupId + "'.");
        }
        synchronized (lock) {
            if (projects.containsKey(groupId)) {
                throw new IllegalStateException("Project " + groupId + " exists already.");
            }
            AtlasProject p = new AtlasProject(lock, clock, keyAccess, ids, () -> keySwitchDuration, groupId);
            p.keyPropagation(() -> keyPropagation);
            p.updateStartDelay(() -> updateStartDelay);
            projects.put(groupId, p);
            return p;
        }
    }

    public AtlasProject project(String groupId) {
        synchronized (lock) {
            AtlasProject p = projects.get(groupId);
            if (p == null) {
                throw new IllegalArgumentException("No project " + groupId + " in the Atlas simulator.");
            }
            return p;
        }
    }

    /** The organization every simulated project belongs to. */
    public static final String ORG_ID = "5e2211c17a3e5a48f5497de3";

    public List<AtlasProject> projects() {
        synchronized (lock) {
            return List.copyOf(projects.values());
        }
    }

    /** A legacy programmatic API key (HTTP Digest: public key as user name, private key as password). */
    public void addApiKey(String publicKey, String privateKey) {
        digest.addApiKey(Objects.requireNonNull(publicKey), Objects.requireNonNull(privateKey));
    }

    /** A service account (OAuth 2.0 client credentials at {@code POST /api/oauth/token}). */
    public void addServiceAccount(String clientId, String clientSecret) {
        tokens.addClient(Objects.requireNonNull(clientId), Objects.requireNonNull(clientSecret));
    }

    /**
     * Leaves these credentials (an API key's public key or a service account's client id) their project roles
     * only, as least-privilege rotator credentials hold: what needs an organization role answers 401
     * {@code USER_UNAUTHORIZED}.
     */
    public void removeOrganizationRole(String principal) {
        withoutOrganizationRole.add(Objects.requireNonNull(principal, "principal"));
    }

    /**
     * These credentials' API access list no longer holds the caller's address: every call with them answers 403
     * {@code IP_ADDRESS_NOT_ON_ACCESS_LIST}. A service account still gets its token (Atlas checks the list when the
     * token is used, not when it is issued).
     */
    public void removeFromAccessList(String principal) {
        offAccessList.add(Objects.requireNonNull(principal, "principal"));
    }

    /**
     * Gives an endpoint set of {@code GET /rateLimits} another capacity, as Atlas can for an organization or a set of
     * credentials: listed as {@code capacity.value}, with the published number as {@code capacity.defaultValue}.
     *
     * @param endpointSetId one of the simulator's ids, such as {@code projects_user} (see {@link #rateLimitEndpointSetIds()})
     */
    public void overrideRateLimitCapacity(String endpointSetId, long capacity) {
        rateLimits.overrideCapacity(endpointSetId, capacity);
    }

    /** The ids of the endpoint sets {@code GET /rateLimits} lists, such as {@code cloudBackups_group}. */
    public List<String> rateLimitEndpointSetIds() {
        return RateLimits.PUBLISHED.stream().map(RateLimits.EndpointSet::id).toList();
    }

    /** How long AWS-encrypted clusters stay UPDATING after a key switch (sandbox time; default 15 minutes). */
    public void keySwitchDuration(Duration duration) {
        if (duration.isNegative()) {
            throw new IllegalArgumentException("A key switch cannot take negative time; got " + duration + ".");
        }
        this.keySwitchDuration = duration;
    }

    /**
     * How long after a switch to another key Atlas still reports it {@code valid: false}, as when KMS has not
     * yet applied the new key's policy everywhere (up to five minutes in AWS). Zero by default.
     */
    public void keyPropagation(Duration delay) {
        if (delay == null || delay.isNegative()) {
            throw new IllegalArgumentException("The key propagation delay must be zero or more, not " + delay + ".");
        }
        this.keyPropagation = delay;
    }

    /**
     * How long after a key switch AWS-encrypted clusters keep reporting {@code IDLE} before they show
     * {@code UPDATING} (Atlas plans the change first). Zero by default.
     */
    public void updateStartDelay(Duration delay) {
        if (delay == null || delay.isNegative()) {
            throw new IllegalArgumentException("The update start delay must be zero or more, not " + delay + ".");
        }
        this.updateStartDelay = delay;
    }

    public Duration keySwitchDuration() {
        return keySwitchDuration;
    }

    /**
     * The rate limit of the Cloud Backups endpoints (snapshot lists, snapshots, backup schedule), one bucket
     * per project, refilled in wall-clock time; null turns it off. On by default with Atlas's own
     * ({@link AtlasRateLimit#CLOUD_BACKUPS}): a request that finds its project's bucket empty is answered
     * 429 {@code RATE_LIMITED_TOKEN_BUCKET} with {@code Retry-After}, as Atlas answers. Setting it fills
     * every bucket again.
     */
    public void cloudBackupsRateLimit(AtlasRateLimit limit) {
        this.cloudBackupsLimit = limit == null ? null : new TokenBuckets(limit, System::nanoTime);
    }

    /** The Cloud Backups rate limit in force; null when off. */
    public AtlasRateLimit cloudBackupsRateLimit() {
        TokenBuckets buckets = cloudBackupsLimit;
        return buckets == null ? null : buckets.limit();
    }

    /** Requests refused so far because their rate-limit bucket was empty (not those of {@link AtlasFaults#throttleNext}). */
    public int rateLimitedCalls() {
        return rateLimited.get();
    }

    /**
     * How long every answer takes in wall-clock time, as a network and Atlas's own work would make it take
     * (e.g. 50 ms); zero by default. Concurrent requests wait side by side.
     */
    public void latency(Duration latency) {
        if (latency == null || latency.isNegative()) {
            throw new IllegalArgumentException("A latency is zero or more, not " + latency + ".");
        }
        this.latency = latency;
    }

    /** Lifetime of access tokens issued from now on (sandbox time; default 3600 s, as Atlas). */
    public void accessTokenLifetime(Duration lifetime) {
        tokens.lifetime(lifetime);
    }

    /** Invalidates every access token issued so far. */
    public void revokeAccessTokens() {
        tokens.revokeAll();
    }

    public AtlasFaults faults() {
        return faults;
    }

    // ---------------------------------------------------------------- inspection

    /** Calls of one operation so far (every routed call, whatever its outcome). */
    public int calls(AtlasOperation operation) {
        return callCounts.get(operation).get();
    }

    public Map<AtlasOperation, Integer> callCounts() {
        Map<AtlasOperation, Integer> out = new EnumMap<>(AtlasOperation.class);
        callCounts.forEach((op, n) -> {
            if (n.get() > 0) {
                out.put(op, n.get());
            }
        });
        return out;
    }

    /** Every call answered, in the order the answers were decided. */
    public List<CallRecord> callLog() {
        synchronized (callLog) {
            return List.copyOf(callLog);
        }
    }

    /** How many calls {@link #callLog()} holds, without copying it. */
    public int callLogSize() {
        return callLog.size();
    }

    /** Requests to the token endpoint (good or bad). */
    public int tokenRequests() {
        return tokens.tokenRequests();
    }

    public int tokensIssued() {
        return tokens.tokensIssued();
    }

    /** Forgets call counts and the call log (not the token request count). */
    public void resetCallCounts() {
        callCounts.values().forEach(n -> n.set(0));
        callLog.clear();
    }

    // ---------------------------------------------------------------- HTTP

    /** A response to send: its body as bytes, or written as it is made ({@code stream}, for long lists). */
    private record Reply(int status, String contentType, byte[] body, Map<String, String> headers, StreamedBody stream) {
        Reply(int status, String contentType, byte[] body, Map<String, String> headers) {
            this(status, contentType, body, headers, null);
        }
    }

    /** A JSON body written item by item, so that a long list is never held whole. */
    @FunctionalInterface
    interface StreamedBody {
        void write(com.fasterxml.jackson.core.JsonGenerator out) throws IOException;
    }

    private void handle(HttpExchange exchange) throws IOException {
        Instant arrived = clock.instant();
        String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
        String rawPath = exchange.getRequestURI().getRawPath();
        String rawQuery = exchange.getRequestURI().getRawQuery();
        Map<String, List<String>> query = parseQuery(rawQuery);
        boolean pretty = "true".equals(Paging.first(query, "pretty"));
        AtlasOperation op = null;
        Reply reply;
        boolean drop = false;
        String body = null;
        try (InputStream in = exchange.getRequestBody()) {
            body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            List<String> vars = null;
            boolean pathKnown = false;
            for (AtlasOperation candidate : AtlasOperation.values()) {
                Optional<List<String>> m = candidate.match(rawPath);
                if (m.isPresent()) {
                    pathKnown = true;
                    if (candidate.method().equals(method)) {
                        op = candidate;
                        vars = m.get();
                        break;
                    }
                }
            }
            if (op == null) {
                throw pathKnown
                        ? new AtlasApiError(405, "METHOD_NOT_ALLOWED", "Method " + method + " is not allowed on " + rawPath + ".")
                        : AtlasApiError.notFound("RESOURCE_NOT_FOUND", "Cannot find resource " + rawPath + ".");
            }
            callCounts.get(op).incrementAndGet();
            if (op == AtlasOperation.CREATE_ACCESS_TOKEN) {
                reply = tokenEndpoint(exchange, body);
                drop = reply == null;
            } else {
                String principal = authenticate(exchange, method);
                if (offAccessList.contains(principal)) {
                    throw new AtlasApiError(403, "IP_ADDRESS_NOT_ON_ACCESS_LIST", "IP address "
                            + exchange.getRemoteAddress().getAddress().getHostAddress()
                            + " is not allowed to access this resource.");
                }
                String version = negotiateVersion(op, exchange.getRequestHeaders().getFirst("Accept"), rawPath);
                limitRate(op, vars);
                AtlasFaults.Rule crash = applyFaults(op);
                Object result = dispatch(op, vars, query, body, rawPath, principal);
                if (crash != null) {
                    if (crash.crashMode == AtlasFaults.CrashMode.DROP_CONNECTION) {
                        drop = true;
                        reply = null;
                    } else {
                        throw new AtlasApiError(500, "UNEXPECTED_ERROR", "Unexpected error.");
                    }
                } else if (result instanceof StreamedBody streamed) {
                    reply = new Reply(200, "application/vnd.atlas." + version + "+json", null,
                            op.deprecationHeaders(version), streamed);
                } else {
                    reply = new Reply(200, "application/vnd.atlas." + version + "+json", write((ObjectNode) result, pretty),
                            op.deprecationHeaders(version));
                }
            }
        } catch (AtlasApiError e) {
            reply = new Reply(e.status(), ERROR_CONTENT_TYPE, write(e.envelope(), pretty), e.headers());
        } catch (RuntimeException e) {
            AtlasApiError err = new AtlasApiError(500, "UNEXPECTED_ERROR", "Unexpected error in the Atlas simulator: " + e);
            reply = new Reply(500, ERROR_CONTENT_TYPE, write(err.envelope(), pretty), Map.of());
        }
        pause(latency);
        // Logged before the client can see the outcome, so a test that got its answer finds the call logged.
        callLog.add(new CallRecord(op, method, rawPath, rawQuery, drop ? 0 : reply.status(), arrived,
                body == null || body.isEmpty() || op == AtlasOperation.CREATE_ACCESS_TOKEN ? null : body));
        try {
            if (drop) {
                exchange.close(); // no response headers were sent: the connection is closed
                return;
            }
            reply.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
            exchange.getResponseHeaders().set("Content-Type", reply.contentType());
            if (reply.stream() != null) {
                exchange.sendResponseHeaders(reply.status(), 0); // chunked: written as it is made
                try (OutputStream out = new java.io.BufferedOutputStream(exchange.getResponseBody(), 1 << 16);
                     com.fasterxml.jackson.core.JsonGenerator gen = mapper.getFactory().createGenerator(out)) {
                    if (pretty) {
                        gen.useDefaultPrettyPrinter();
                    }
                    reply.stream().write(gen);
                }
                return;
            }
            exchange.sendResponseHeaders(reply.status(), reply.body().length == 0 ? -1 : reply.body().length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(reply.body());
            }
        } finally {
            exchange.close();
        }
    }

    /**
     * Takes a token of the project's Cloud Backups bucket for a call of that endpoint set, or refuses the
     * call as Atlas does: 429 {@code RATE_LIMITED_TOKEN_BUCKET}, {@code Retry-After} in seconds and the
     * {@code RateLimit-*} headers.
     */
    private void limitRate(AtlasOperation op, List<String> vars) {
        TokenBuckets buckets = cloudBackupsLimit;
        if (buckets == null || !op.cloudBackups()) {
            return;
        }
        long retryAfter = buckets.take(vars.get(0));
        if (retryAfter == 0) {
            return;
        }
        rateLimited.incrementAndGet();
        AtlasRateLimit limit = buckets.limit();
        throw new AtlasApiError(429, "RATE_LIMITED_TOKEN_BUCKET", "Rate limit exceeded for "
                + op.pathTemplate().substring(1) + ". Please retry after " + retryAfter + " seconds. Request capacity: "
                + limit.capacity() + ". Refill rate: " + limit.refillPerMinute() + " per 60 seconds.")
                .withHeader("Retry-After", String.valueOf(retryAfter))
                .withHeader("RateLimit-Limit", String.valueOf(limit.capacity()))
                .withHeader("RateLimit-Remaining", "0");
    }

    private static void pause(Duration latency) {
        if (latency.isZero()) {
            return;
        }
        try {
            Thread.sleep(latency.toMillis(), latency.toNanosPart() % 1_000_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Applies the fault switches due on this call: waits out delays, throws the injected error, or
     * returns the crash switch that is to end the call after it has been carried out.
     */
    private AtlasFaults.Rule applyFaults(AtlasOperation op) {
        AtlasFaults.Decision d = faults.decide(op);
        if (!d.delay().isZero()) {
            try {
                Thread.sleep(d.delay().toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AtlasApiError(503, "SERVICE_UNAVAILABLE", "The Atlas simulator is shutting down.");
            }
        }
        AtlasFaults.Rule r = d.action();
        if (r == null) {
            return null;
        }
        switch (r.kind) {
            case THROTTLE:
                throw new AtlasApiError(429, "RATE_LIMITED", "Resource " + op.pathTemplate() + " is limited: too many requests. Retry after "
                        + r.retryAfterSeconds + " seconds.").withHeader("Retry-After", String.valueOf(r.retryAfterSeconds));
            case FAIL:
                throw new AtlasApiError(r.status, r.errorCode, r.status == 500 ? "Unexpected error." : AtlasApiError.reason(r.status) + ".");
            case REJECT:
                throw new AtlasApiError(r.status, r.errorCode, r.detail);
            case CRASH:
                return r;
            default:
                return null;
        }
    }

    /** The credentials' principal: an API key's public key or a service account's client id. */
    private String authenticate(HttpExchange exchange, String method) {
        String auth = exchange.getRequestHeaders().getFirst("Authorization");
        if (auth != null && auth.regionMatches(true, 0, "Digest ", 0, 7)) {
            String uri = exchange.getRequestURI().getRawPath()
                    + (exchange.getRequestURI().getRawQuery() == null ? "" : "?" + exchange.getRequestURI().getRawQuery());
            try {
                return digest.verify(auth, method, uri);
            } catch (AtlasApiError e) {
                throw e.withHeader("WWW-Authenticate", digest.challenge());
            }
        }
        if (auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
            try {
                return tokens.verify(auth.substring(7).trim());
            } catch (AtlasApiError e) {
                throw e.withHeader("WWW-Authenticate", "Bearer error=\"invalid_token\"");
            }
        }
        throw new AtlasApiError(401, "UNAUTHORIZED", "You are not authorized for this resource. Send HTTP Digest credentials or a Bearer token.")
                .withHeader("WWW-Authenticate", digest.challenge());
    }

    /** The resource version the Accept header asks for, if this operation serves it. */
    private static String negotiateVersion(AtlasOperation op, String accept, String rawPath) {
        String gone = null;
        if (accept != null) {
            for (String part : accept.split(",")) {
                String type = part.split(";")[0].trim().toLowerCase(Locale.ROOT);
                Matcher m = VERSIONED_MEDIA_TYPE.matcher(type);
                if (!m.matches()) {
                    continue;
                }
                if (op.versions().contains(m.group(1))) {
                    return m.group(1);
                }
                if (gone == null && op.goneVersions().contains(m.group(1))) {
                    gone = m.group(1);
                }
            }
        }
        if (gone != null) {
            throw new AtlasApiError(410, "VERSION_GONE", "Version " + gone + " of " + rawPath.substring(1) + " is no longer available.");
        }
        throw new AtlasApiError(406, "INVALID_VERSION_DATE", "Invalid accept header or version date. "
                + rawPath.substring(1) + " serves application/vnd.atlas.{" + String.join(",", op.versions()) + "}+json.");
    }

    /** The token endpoint's reply; null when a crash switch says to drop the connection. */
    private Reply tokenEndpoint(HttpExchange exchange, String body) {
        tokens.countRequest();
        String clientId = tokens.authenticateClient(exchange.getRequestHeaders().getFirst("Authorization"));
        if (clientId == null) {
            return oauthError(401, "invalid_client", "Client authentication failed: send HTTP Basic clientId:clientSecret of a service account.",
                    Map.of("WWW-Authenticate", "Basic realm=\"Atlas\""));
        }
        AtlasFaults.Rule crash = applyFaults(AtlasOperation.CREATE_ACCESS_TOKEN);
        Map<String, List<String>> form = parseQuery(body);
        String grant = Paging.first(form, "grant_type");
        if (grant == null) {
            return oauthError(400, "invalid_request", "grant_type is required.", Map.of());
        }
        if (!"client_credentials".equals(grant)) {
            return oauthError(400, "unsupported_grant_type", "Only grant_type=client_credentials is supported.", Map.of());
        }
        String token = tokens.issue(clientId);
        if (crash != null) {
            if (crash.crashMode == AtlasFaults.CrashMode.DROP_CONNECTION) {
                return null;
            }
            throw new AtlasApiError(500, "UNEXPECTED_ERROR", "Unexpected error.");
        }
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("access_token", token);
        n.put("expires_in", tokens.lifetime().toSeconds());
        n.put("token_type", "Bearer");
        return new Reply(200, "application/json", write(n, false), Map.of("Cache-Control", "no-store"));
    }

    private Reply oauthError(int status, String error, String description, Map<String, String> headers) {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("error", error);
        n.put("error_description", description);
        return new Reply(status, "application/json", write(n, false), headers);
    }

    /** The answer's body: an {@link ObjectNode}, or a {@link StreamedBody} for a list written as it is made. */
    private Object dispatch(AtlasOperation op, List<String> vars, Map<String, List<String>> query, String body,
                            String rawPath, String principal) {
        if (op == AtlasOperation.LIST_ORG_GROUPS) {
            String orgId = vars.get(0);
            if (!ObjectIds.isValid(orgId)) {
                throw AtlasApiError.badRequest("INVALID_ORG_ID", "An invalid organization ID " + orgId + " was specified.");
            }
            if (!ORG_ID.equals(orgId)) {
                throw AtlasApiError.notFound("ORG_NOT_FOUND", "No organization with ID " + orgId + " exists.");
            }
            requireOrganizationRole(principal);
        }
        if (op == AtlasOperation.LIST_RATE_LIMITS) {
            return rateLimits(query, rawPath, principal);
        }
        if (op == AtlasOperation.LIST_GROUPS || op == AtlasOperation.LIST_ORG_GROUPS) {
            Paging paging = Paging.from(query);
            synchronized (lock) {
                List<AtlasProject> all = List.copyOf(projects.values());
                return paging.page(all, p -> json.group(p, ORG_ID, p.liveClusters().size()), baseUrl, rawPath, query);
            }
        }
        AtlasProject project = projectFor(vars.get(0));
        String groupId = project.groupId();
        AtlasJson out = json;
        switch (op) {
            case GET_ENCRYPTION_AT_REST:
                return out.encryptionAtRest(project.awsKms());
            case UPDATE_ENCRYPTION_AT_REST: {
                AtlasProject.AwsKmsPatch patch = EncryptionAtRestPatch.parse(mapper, body);
                String checkKey = null;
                String checkRoleArn = null;
                synchronized (lock) {
                    AwsIamRole role = null;
                    if (patch.roleId() != null) {
                        role = project.rolesById().get(patch.roleId());
                        if (role == null) {
                            throw AtlasApiError.notFound("CLOUD_PROVIDER_ACCESS_ROLE_NOT_FOUND",
                                    "No cloud provider access role with ID " + patch.roleId() + " exists in group " + groupId + ".");
                        }
                        if (!role.authorized()) {
                            throw AtlasApiError.badRequest("CLOUD_PROVIDER_ACCESS_ROLE_NOT_AUTHORIZED",
                                    "Cloud provider access role " + patch.roleId() + " is not authorized.");
                        }
                    }
                    if (!Boolean.FALSE.equals(patch.enabled()) && project.wouldChangeKey(patch.customerMasterKeyID())) {
                        if (project.keyChangeInProgress()) {
                            throw new AtlasApiError(409, KEY_CHANGE_IN_PROGRESS, "Clusters of group " + groupId
                                    + " are still applying the previous encryption key change; try again when they are IDLE.");
                        }
                        checkKey = patch.customerMasterKeyID();
                        checkRoleArn = role != null ? role.iamAssumedRoleArn() : null;
                    }
                }
                // Atlas tries the key with its role before it saves the change (asked outside the lock: KMS has its own).
                if (checkKey != null && !keyAccess.atlasRoleCanUse(checkKey, checkRoleArn)) {
                    throw AtlasApiError.badRequest(KEY_NOT_USABLE, "Atlas could not use AWS KMS key " + checkKey
                            + " with role " + checkRoleArn + ": the key must be enabled and its policy must allow the role"
                            + " kms:Encrypt and kms:Decrypt.");
                }
                synchronized (lock) {
                    project.applyAwsKmsPatch(patch);
                }
                return out.encryptionAtRest(project.awsKms());
            }
            case LIST_CLUSTERS: {
                Paging paging = Paging.from(query);
                boolean withRetained = booleanParameter(query, "includeDeletedWithRetainedBackups");
                synchronized (lock) {
                    project.catchUp();
                    Instant now = clock.instant();
                    List<SimCluster> listed = withRetained ? project.clustersWithRetainedBackups(now) : project.liveClusters();
                    return paging.page(listed, c -> out.cluster(groupId, c, now), baseUrl, rawPath, query);
                }
            }
            case GET_CLUSTER:
                synchronized (lock) {
                    project.catchUp();
                    return out.cluster(groupId, project.liveCluster(vars.get(1)), clock.instant());
                }
            case GET_CLUSTER_STATUS:
                synchronized (lock) {
                    return out.clusterStatus(groupId, project.liveCluster(vars.get(1)), clock.instant());
                }
            case GET_BACKUP_SCHEDULE:
                synchronized (lock) {
                    project.catchUp();
                    SimCluster c = project.liveCluster(vars.get(1));
                    if (!c.backupEnabled) {
                        throw AtlasApiError.notFound("BACKUP_CONFIG_NOT_FOUND", "No backup configuration exists for cluster " + c.name + ".");
                    }
                    return out.backupSchedule(groupId, c, clock.instant());
                }
            case LIST_REPLICA_SET_SNAPSHOTS: {
                Paging paging = Paging.from(query);
                List<SnapshotRecord> snaps;
                synchronized (lock) {
                    project.catchUp();
                    snaps = snapshotsOfKind(project, vars.get(1), SnapshotRecord.Kind.REPLICA_SET);
                }
                // A view of immutable records: the page is made outside the lock, so requests run side by side,
                // and written as it is made.
                return (StreamedBody) gen -> paging.write(gen, snaps, (g, s) -> out.writeReplicaSetSnapshot(g, groupId, s),
                        baseUrl, rawPath, query);
            }
            case GET_REPLICA_SET_SNAPSHOT:
                synchronized (lock) {
                    project.catchUp();
                    return out.replicaSetSnapshot(groupId, snapshot(project, vars.get(1), vars.get(2), SnapshotRecord.Kind.REPLICA_SET));
                }
            case LIST_SHARDED_CLUSTER_SNAPSHOTS: {
                List<SnapshotRecord> snaps;
                synchronized (lock) {
                    project.catchUp();
                    snaps = snapshotsOfKind(project, vars.get(1), SnapshotRecord.Kind.SHARDED_CLUSTER);
                }
                // Not paged (the contract gives this operation no paging parameters): written item by item,
                // so a cluster with thousands of snapshots is never held whole.
                return (StreamedBody) gen -> {
                    gen.writeStartObject();
                    out.writeSelfLink(gen, rawPath);
                    gen.writeArrayFieldStart("results");
                    for (SnapshotRecord s : snaps) {
                        out.writeShardedSnapshot(gen, groupId, s);
                    }
                    gen.writeEndArray();
                    gen.writeNumberField("totalCount", snaps.size());
                    gen.writeEndObject();
                };
            }
            case GET_SHARDED_CLUSTER_SNAPSHOT:
                synchronized (lock) {
                    project.catchUp();
                    return out.shardedSnapshot(groupId, snapshot(project, vars.get(1), vars.get(2), SnapshotRecord.Kind.SHARDED_CLUSTER));
                }
            case LIST_CLOUD_PROVIDER_ACCESS:
                synchronized (lock) {
                    return out.cloudProviderAccess(project.rolesById().values(), project.encryptionRoleId());
                }
            case LIST_ALERT_CONFIGS: {
                Paging paging = Paging.from(query);
                synchronized (lock) {
                    return paging.page(project.alertConfigList(), c -> out.alertConfig(groupId, c), baseUrl, rawPath, query);
                }
            }
            case CREATE_ALERT_CONFIG: {
                AlertConfigRecord parsed = AlertConfigBody.parse(mapper, body);
                synchronized (lock) {
                    return out.alertConfig(groupId, project.createAlertConfig(parsed));
                }
            }
            case UPDATE_ALERT_CONFIG: {
                String alertConfigId = vars.get(1);
                if (!ObjectIds.isValid(alertConfigId)) {
                    throw AtlasApiError.badRequest("INVALID_ALERT_CONFIG_ID", "An invalid alert configuration ID "
                            + alertConfigId + " was specified.");
                }
                AlertConfigRecord parsed = AlertConfigBody.parse(mapper, body);
                synchronized (lock) {
                    return out.alertConfig(groupId, project.replaceAlertConfig(alertConfigId, parsed));
                }
            }
            case LIST_EAR_PRIVATE_ENDPOINTS: {
                String provider = vars.get(1);
                if (!provider.equals("AWS") && !provider.equals("AZURE")) {
                    throw AtlasApiError.badRequest("INVALID_ENUM_VALUE", "An invalid enumeration value " + provider
                            + " was specified for cloudProvider.");
                }
                Paging paging = Paging.from(query);
                List<EarPrivateEndpoint> endpoints;
                synchronized (lock) {
                    endpoints = provider.equals("AWS") ? project.privateEndpoints() : List.of();
                }
                return paging.page(endpoints, out::earPrivateEndpoint, baseUrl, rawPath, query);
            }
            case LIST_EVENTS:
                return events(project, query, rawPath);
            default:
                throw new IllegalStateException("No handler for " + op);
        }
    }

    /**
     * {@code GET /rateLimits}: every endpoint set, or with {@code groupId} the project-scoped ones (the credentials
     * need a role on that project), or with {@code orgId} the organization-scoped ones (they need an organization
     * role). Without the role, 401 {@code USER_UNAUTHORIZED}: a project the simulator does not hold, or another
     * organization, is one the credentials have no role on. The operation defines no 404.
     */
    private ObjectNode rateLimits(Map<String, List<String>> query, String rawPath, String principal) {
        Paging paging = Paging.from(query);
        String groupId = Paging.first(query, "groupId");
        String orgId = Paging.first(query, "orgId");
        if (groupId != null && orgId != null) {
            throw AtlasApiError.badRequest("INVALID_PARAMETER", "Give groupId or orgId, not both: each selects the"
                    + " endpoint sets of one scope.");
        }
        RateLimits.Scope scope = null;
        if (groupId != null) {
            if (!ObjectIds.isValid(groupId)) {
                throw AtlasApiError.invalidParameter("groupId", groupId, "it must be 24 hexadecimal digits");
            }
            synchronized (lock) {
                if (!projects.containsKey(groupId)) {
                    throw userUnauthorized();
                }
            }
            scope = RateLimits.Scope.GROUP;
        } else if (orgId != null) {
            if (!ObjectIds.isValid(orgId)) {
                throw AtlasApiError.invalidParameter("orgId", orgId, "it must be 24 hexadecimal digits");
            }
            if (!ORG_ID.equals(orgId)) {
                throw userUnauthorized();
            }
            requireOrganizationRole(principal);
            scope = RateLimits.Scope.ORGANIZATION;
        }
        return paging.page(RateLimits.of(scope), set -> json.rateLimitSet(set, rateLimits.capacityOverride(set.id())),
                baseUrl, rawPath, query);
    }

    private void requireOrganizationRole(String principal) {
        if (withoutOrganizationRole.contains(principal)) {
            throw userUnauthorized();
        }
    }

    private static AtlasApiError userUnauthorized() {
        return new AtlasApiError(401, "USER_UNAUTHORIZED", "Current user is not authorized to perform this action.");
    }

    /**
     * A cluster's snapshots of one kind. The replica-set list of a sharded cluster and the sharded list
     * of a replica set are empty (200), so a client that asks only one list for every cluster misses
     * snapshots, as it would against Atlas.
     */
    private static List<SnapshotRecord> snapshotsOfKind(AtlasProject project, String clusterName, SnapshotRecord.Kind kind) {
        return project.clusterWithBackups(clusterName).liveSnapshots(project.now(), kind);
    }

    private static SnapshotRecord snapshot(AtlasProject project, String clusterName, String snapshotId, SnapshotRecord.Kind kind) {
        for (SnapshotRecord s : snapshotsOfKind(project, clusterName, kind)) {
            if (s.id().equals(snapshotId)) {
                return s;
            }
        }
        throw AtlasApiError.notFound("SNAPSHOT_NOT_FOUND", "No snapshot with ID " + snapshotId + " exists for cluster " + clusterName + ".");
    }

    private ObjectNode events(AtlasProject project, Map<String, List<String>> query, String rawPath) {
        Paging paging = Paging.from(query);
        List<String> types = query.getOrDefault("eventType", List.of());
        Instant min = dateParam(query, "minDate");
        Instant max = dateParam(query, "maxDate");
        List<AtlasEventRecord> selected = new ArrayList<>();
        for (AtlasEventRecord e : project.eventsNewestFirst()) {
            if ((types.isEmpty() || types.contains(e.eventTypeName()))
                    && (min == null || !e.created().isBefore(min))
                    && (max == null || !e.created().isAfter(max))) {
                selected.add(e);
            }
        }
        return paging.page(selected, e -> json.event(project.groupId(), e), baseUrl, rawPath, query);
    }

    private static Instant dateParam(Map<String, List<String>> query, String name) {
        String v = Paging.first(query, name);
        if (v == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(v).toInstant();
        } catch (DateTimeParseException e) {
            throw AtlasApiError.invalidParameter(name, v, "it must be an ISO 8601 date and time such as 2025-01-01T00:00:00Z");
        }
    }

    private AtlasProject projectFor(String groupId) {
        if (!ObjectIds.isValid(groupId)) {
            throw AtlasApiError.badRequest("INVALID_GROUP_ID", "An invalid group ID " + groupId + " was specified.");
        }
        synchronized (lock) {
            AtlasProject p = projects.get(groupId);
            if (p == null) {
                throw AtlasApiError.notFound("GROUP_NOT_FOUND", "No group with ID " + groupId + " exists.");
            }
            return p;
        }
    }

    private byte[] write(JsonNode node, boolean pretty) {
        try {
            return (pretty ? mapper.writer(SerializationFeature.INDENT_OUTPUT) : mapper.writer()).writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Could not write JSON.", e);
        }
    }

    /** A boolean query parameter, false when absent; 400 INVALID_PARAMETER for anything but true or false. */
    private static boolean booleanParameter(Map<String, List<String>> query, String name) {
        String value = Paging.first(query, name);
        if (value == null) {
            return false;
        }
        if (!value.equals("true") && !value.equals("false")) {
            throw AtlasApiError.invalidParameter(name, value, "it must be true or false");
        }
        return Boolean.parseBoolean(value);
    }

    /** {@code a=1&b=2&b=3} (URL-encoded) to an ordered multi-map; also reads form bodies. */
    static Map<String, List<String>> parseQuery(String raw) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        if (raw == null || raw.isBlank()) {
            return out;
        }
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            out.computeIfAbsent(k, x -> new ArrayList<>()).add(v);
        }
        return out;
    }
}
