package io.atlascmk.rotator.atlas;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.atlascmk.rotator.json.Json;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The Atlas Administration API v2 over the JDK's {@link HttpClient}, one per instance.
 *
 * <p>Authenticates with a service account (OAuth 2.0 client credentials, Bearer token cached until
 * shortly before it expires) or a programmatic API key (HTTP Digest), whichever the credentials hold.
 * Retries 429 (honouring {@code Retry-After}), 5xx, I/O errors and timeouts with capped, fully jittered
 * exponential backoff within an overall deadline ({@link RetryPolicy}); never retries other 4xx.
 * Failures surface as the typed subclasses of {@link AtlasApiException}. Lists return every page.
 *
 * <p>Keeps to Atlas's Cloud Backups rate limit (see {@link AtlasClientConfig#cloudBackupsRateLimit()}):
 * a snapshot list, snapshot or backup schedule request waits for a token of its project's bucket before
 * it is sent, so that many requests at once do not provoke a 429 (one still comes back as a transient
 * failure and is retried, and empties the bucket). Snapshot lists are read as they arrive, never as one
 * text or tree: a page costs its snapshots' records, not its JSON.
 *
 * <p>Thread-safe; build one per Lambda execution environment (see {@link #fromEnvironment()}).
 */
public final class AtlasClient implements AtlasApi {

    /**
     * Media type of every operation but the clusters and the backup schedule: the newest resource version
     * of those operations that Atlas does not sunset (the contract's version test holds this).
     */
    public static final String MEDIA_TYPE_2023_01_01 = "application/vnd.atlas.2023-01-01+json";
    /** Media type of the cluster operations. */
    public static final String MEDIA_TYPE_CLUSTERS = "application/vnd.atlas.2024-08-05+json";
    /** Media type of the backup schedule (its 2023-01-01 version is sunset on 2027-07-01). */
    public static final String MEDIA_TYPE_BACKUP_SCHEDULE = "application/vnd.atlas.2024-08-05+json";
    /** Media type of the rate limits (the only version Atlas publishes besides a non-public preview). */
    public static final String MEDIA_TYPE_RATE_LIMITS = "application/vnd.atlas.2025-03-12+json";
    /** Items requested per page of every list. */
    public static final int PAGE_SIZE = 500;
    /** Environment variable: Atlas root URL (optional). */
    public static final String ENV_BASE_URL = "ATLAS_BASE_URL";
    /** Environment variable: name or ARN of the Secrets Manager secret with the credentials (required). */
    public static final String ENV_SECRET_ARN = "ATLAS_SECRET_ARN";

    static final String USER_AGENT = "atlas-cmk-rotator";
    private static final String API = "/api/atlas/v2/groups/";
    private static final Logger LOG = LoggerFactory.getLogger(AtlasClient.class);

    private final AtlasClientConfig config;
    private final AtlasCredentialsProvider credentialsProvider;
    private final HttpClient http;
    private volatile Authenticator authenticator;
    /** The credentials {@link #authenticator} was built from (guarded by this). */
    private AtlasCredentials credentialsInUse;
    private final Set<String> deprecationWarned = ConcurrentHashMap.newKeySet();
    /** Per project: the client's copy of Atlas's Cloud Backups bucket. */
    private final Map<String, TokenBucket> cloudBackupBuckets = new ConcurrentHashMap<>();
    /** Since {@link #takeCalls()}: attempts sent, retries made, 429s seen (the audit sends several at once). */
    private final java.util.concurrent.atomic.LongAdder requestsSent = new java.util.concurrent.atomic.LongAdder();
    private final java.util.concurrent.atomic.LongAdder retriesMade = new java.util.concurrent.atomic.LongAdder();
    private final java.util.concurrent.atomic.LongAdder rateLimitedSeen = new java.util.concurrent.atomic.LongAdder();

    /**
     * @param config      endpoints, timeouts, retries
     * @param credentials read on the first request, not now
     */
    public AtlasClient(AtlasClientConfig config, AtlasCredentialsProvider credentials) {
        this.config = Objects.requireNonNull(config, "config");
        this.credentialsProvider = Objects.requireNonNull(credentials, "credentials");
        // HTTP/1.1: a handful of sequential calls gain nothing from HTTP/2, and plain-HTTP stand-ins
        // (the sandbox, tests) would otherwise see h2c upgrade attempts.
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(config.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /**
     * The client a Lambda handler builds once: {@code ATLAS_BASE_URL} (default
     * {@code https://cloud.mongodb.com}) and the credentials secret {@code ATLAS_SECRET_ARN}, read through
     * a Secrets Manager client on the URLConnection HTTP client (region and endpoint from the usual AWS
     * environment: {@code AWS_REGION}, {@code AWS_ENDPOINT_URL}).
     */
    public static AtlasClient fromEnvironment() {
        Map<String, String> env = System.getenv();
        requireSecretId(env);
        return fromEnvironment(env, io.atlascmk.rotator.aws.AwsClients.secretsManager());
    }

    /**
     * As {@link #fromEnvironment()}, with the variables and the Secrets Manager client given.
     *
     * @throws AtlasCredentialsException when {@code ATLAS_SECRET_ARN} is missing
     * @throws IllegalArgumentException  when {@code ATLAS_BASE_URL} is not an absolute http(s) URL
     */
    public static AtlasClient fromEnvironment(Map<String, String> env, SecretsManagerClient secretsManager) {
        String secretId = requireSecretId(env);
        AtlasClientConfig.Builder config = AtlasClientConfig.builder();
        String baseUrl = env.get(ENV_BASE_URL);
        AtlasClientConfig built;
        try {
            if (baseUrl != null && !baseUrl.isBlank()) {
                config.baseUrl(URI.create(baseUrl.trim()));
            }
            built = config.build();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(ENV_BASE_URL + " must be an absolute http(s) URL such as "
                    + AtlasClientConfig.DEFAULT_BASE_URL + ", was \"" + baseUrl + "\"", e);
        }
        return new AtlasClient(built, new SecretsManagerAtlasCredentials(secretsManager, secretId));
    }

    private static String requireSecretId(Map<String, String> env) {
        String secretId = env.get(ENV_SECRET_ARN);
        if (secretId == null || secretId.isBlank()) {
            throw new AtlasCredentialsException(ENV_SECRET_ARN + " is not set: set it to the name or ARN of the"
                    + " Secrets Manager secret holding " + AtlasCredentials.EXPECTED_SHAPE + ".");
        }
        return secretId.trim();
    }

    public AtlasClientConfig config() {
        return config;
    }

    @Override
    public AtlasCalls takeCalls() {
        return new AtlasCalls(requestsSent.sumThenReset(), retriesMade.sumThenReset(), rateLimitedSeen.sumThenReset());
    }

    // ------------------------------------------------------------------ operations

    @Override
    public EncryptionAtRest getEncryptionAtRest(String groupId) {
        Call call = Call.get(groupId, group(groupId) + "/encryptionAtRest", null, MEDIA_TYPE_2023_01_01);
        return toEncryptionAtRest(call, execute(call));
    }

    @Override
    public EncryptionAtRest updateAwsKms(String groupId, AwsKms awsKms) {
        Objects.requireNonNull(awsKms, "awsKms");
        requireField(awsKms.enabled(), "enabled");
        requireField(awsKms.customerMasterKeyID(), "customerMasterKeyID");
        requireField(awsKms.region(), "region");
        requireField(awsKms.roleId(), "roleId");
        ObjectNode kms = Json.MAPPER.createObjectNode();
        kms.put("enabled", awsKms.enabled());
        kms.put("customerMasterKeyID", awsKms.customerMasterKeyID());
        kms.put("region", awsKms.region());
        kms.put("roleId", awsKms.roleId());
        if (awsKms.requirePrivateNetworking() != null) {
            kms.put("requirePrivateNetworking", awsKms.requirePrivateNetworking());
        }
        // never "valid": it is read-only, Atlas computes it
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.set("awsKms", kms);
        Call call = new Call("PATCH", groupId, group(groupId) + "/encryptionAtRest", null, MEDIA_TYPE_2023_01_01,
                body.toString());
        return toEncryptionAtRest(call, execute(call));
    }

    @Override
    public List<ProjectRef> listProjects() {
        return listAllPages(null, "/api/atlas/v2/groups", "", MEDIA_TYPE_2023_01_01, ProjectRef.class);
    }

    @Override
    public List<ProjectRef> listOrganizationProjects(String orgId) {
        if (orgId == null || !ORG_ID.matcher(orgId).matches()) {
            throw new IllegalArgumentException("orgId must be the organization's 24 hexadecimal digits, not '" + orgId + "'");
        }
        return listAllPages(null, "/api/atlas/v2/orgs/" + orgId + "/groups", "", MEDIA_TYPE_2023_01_01, ProjectRef.class);
    }

    private static final java.util.regex.Pattern ORG_ID = java.util.regex.Pattern.compile("[0-9a-f]{24}");

    @Override
    public List<Cluster> listClusters(String groupId) {
        return listAllPages(groupId, group(groupId) + "/clusters", "", MEDIA_TYPE_CLUSTERS, Cluster.class);
    }

    @Override
    public List<Cluster> listClustersWithRetainedBackups(String groupId) {
        return listAllPages(groupId, group(groupId) + "/clusters", "includeDeletedWithRetainedBackups=true&",
                MEDIA_TYPE_CLUSTERS, Cluster.class);
    }

    @Override
    public Cluster getCluster(String groupId, String clusterName) {
        Call call = Call.get(groupId, cluster(groupId, clusterName), null, MEDIA_TYPE_CLUSTERS);
        return read(call, execute(call), Cluster.class);
    }

    @Override
    public List<Snapshot> listReplicaSetSnapshots(String groupId, String clusterName) {
        return SnapshotPages.listReplicaSet(this, groupId, clusterName, config.maxPages());
    }

    @Override
    public SnapshotPage replicaSetSnapshotPage(String groupId, String clusterName, int pageNum) {
        if (pageNum < 1) {
            throw new IllegalArgumentException("pageNum is 1 or more, not " + pageNum);
        }
        Call call = Call.get(groupId, cluster(groupId, clusterName) + "/backup/snapshots",
                "itemsPerPage=" + PAGE_SIZE + "&pageNum=" + pageNum, MEDIA_TYPE_2023_01_01);
        return execute(call, in -> readSnapshots(call, in, clusterName, Snapshot.Kind.REPLICA_SET));
    }

    @Override
    public List<Snapshot> listShardedClusterSnapshots(String groupId, String clusterName) {
        // Not paged (the API defines no pageNum here); an incomplete list would hide keys still in use.
        Call call = Call.get(groupId, cluster(groupId, clusterName) + "/backup/snapshots/shardedClusters", null,
                MEDIA_TYPE_2023_01_01);
        SnapshotPage page = execute(call, in -> readSnapshots(call, in, clusterName, Snapshot.Kind.SHARDED_CLUSTER));
        Integer total = page.totalCount();
        if (total != null && total > page.snapshots().size()) {
            throw new AtlasApiException("Atlas " + call.method + " " + call.path + " returned " + page.snapshots().size()
                    + " of totalCount " + total + " sharded cluster snapshots and this list has no pages;"
                    + " the snapshot list is incomplete, so keys it may reference cannot be judged. Report this.",
                    200, null, null);
        }
        return page.snapshots();
    }

    @Override
    public BackupSchedule getBackupSchedule(String groupId, String clusterName) {
        Call call = Call.get(groupId, cluster(groupId, clusterName) + "/backup/schedule", null,
                MEDIA_TYPE_BACKUP_SCHEDULE);
        JsonNode root = readTree(call, execute(call));
        JsonNode days = root.get("restoreWindowDays");
        String name = root.hasNonNull("clusterName") ? root.get("clusterName").asText() : clusterName;
        return new BackupSchedule(name, days != null && days.canConvertToInt() ? days.asInt() : null);
    }

    @Override
    public List<CloudProviderAccessRole> listCloudProviderAccessRoles(String groupId) {
        Call call = Call.get(groupId, group(groupId) + "/cloudProviderAccess", null, MEDIA_TYPE_2023_01_01);
        JsonNode roles = readTree(call, execute(call)).get("awsIamRoles");
        List<CloudProviderAccessRole> out = new ArrayList<>();
        if (roles != null && roles.isArray()) {
            for (JsonNode role : roles) {
                CloudProviderAccessRole r = convert(call, role, CloudProviderAccessRole.class);
                out.add(r.providerName() != null ? r
                        : new CloudProviderAccessRole(r.roleId(), "AWS", r.iamAssumedRoleArn(), r.atlasAWSAccountArn()));
            }
        }
        return List.copyOf(out);
    }

    @Override
    public List<AtlasEvent> listEvents(String groupId, String eventType, Instant minDate) {
        StringBuilder query = new StringBuilder();
        if (eventType != null) {
            query.append("eventType=").append(encode(eventType)).append('&');
        }
        if (minDate != null) {
            query.append("minDate=").append(encode(DateTimeFormatter.ISO_INSTANT.format(minDate))).append('&');
        }
        return listAllPages(groupId, group(groupId) + "/events", query.toString(), MEDIA_TYPE_2023_01_01,
                AtlasEvent.class);
    }

    @Override
    public List<RateLimitEndpointSet> listRateLimits() {
        List<RateLimitJson> items = listAllPages(null, "/api/atlas/v2/rateLimits", "", MEDIA_TYPE_RATE_LIMITS,
                RateLimitJson.class);
        List<RateLimitEndpointSet> out = new ArrayList<>(items.size());
        for (RateLimitJson s : items) {
            out.add(new RateLimitEndpointSet(s.endpointSetId(), s.endpointSetName(), s.scope(), LimitJson.value(s.capacity()),
                    LimitJson.value(s.refillRate()), LimitJson.value(s.refillDurationSeconds()), s.endpoints()));
        }
        return List.copyOf(out);
    }

    @Override
    public String toString() {
        return "AtlasClient[" + config.baseUrl() + "]";
    }

    /**
     * Runs this client's request path up to the network and its response mapping on sample bodies, without a call: the
     * request builders, Jackson's (de)serializers of every record Atlas's answers become, and the error mapping load and
     * initialize here. For SnapStart's {@code beforeCheckpoint} (nothing read here would hold after a restore anyway).
     */
    public void primeOffline() {
        Call call = Call.get(PRIMING_GROUP, group(PRIMING_GROUP) + "/encryptionAtRest", null, MEDIA_TYPE_2023_01_01);
        HttpRequest.newBuilder(config.baseUrl().resolve(call.path)).timeout(config.requestTimeout())
                .header("Accept", call.accept).header("User-Agent", USER_AGENT)
                .method("PATCH", HttpRequest.BodyPublishers.ofString("{}", StandardCharsets.UTF_8)).build();
        HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8);
        toEncryptionAtRest(call, "{\"awsKms\":{\"enabled\":true,\"customerMasterKeyID\":\"" + PRIMING_KEY
                + "\",\"region\":\"US_EAST_1\",\"roleId\":\"" + PRIMING_GROUP + "\",\"valid\":true},"
                + "\"azureKeyVault\":{\"enabled\":false},\"googleCloudKms\":{\"enabled\":false}}");
        primeList(call, "{\"name\":\"c\",\"stateName\":\"IDLE\",\"encryptionAtRestProvider\":\"AWS\"}", Cluster.class);
        try {
            // the snapshot lists are read as a stream, page by page
            readSnapshots(call, new java.io.ByteArrayInputStream(("{\"results\":[{\"id\":\"" + PRIMING_GROUP
                    + "\",\"masterKeyUUID\":\"" + PRIMING_KEY + "\",\"createdAt\":\"2026-01-01T00:00:00Z\","
                    + "\"expiresAt\":\"2026-02-01T00:00:00Z\",\"status\":\"completed\"}],\"totalCount\":1}")
                    .getBytes(StandardCharsets.UTF_8)), "c", Snapshot.Kind.REPLICA_SET);
        } catch (IOException | AtlasApiException sampleNotAccepted) {
            // the reading code ran all the same
        }
        primeList(call, "{\"id\":\"" + PRIMING_GROUP + "\",\"name\":\"p\",\"orgId\":\"" + PRIMING_GROUP + "\"}", ProjectRef.class);
        primeList(call, "{\"id\":\"" + PRIMING_GROUP + "\",\"eventTypeName\":\"AWS_ENCRYPTION_KEY_ROTATED\","
                + "\"created\":\"2026-01-01T00:00:00Z\"}", AtlasEvent.class);
        primeList(call, "{\"endpointSetId\":\"s\",\"endpointSetName\":\"S\",\"scope\":\"GROUP\",\"capacity\":{\"value\":1},"
                + "\"refillRate\":{\"value\":1},\"refillDurationSeconds\":{\"value\":60},"
                + "\"endpoints\":[{\"method\":\"GET\",\"path\":\"/api/atlas/v2/groups\"}]}", RateLimitJson.class);
        primeList(call, "{\"roleId\":\"" + PRIMING_GROUP + "\",\"providerName\":\"AWS\",\"iamAssumedRoleArn\":"
                + "\"arn:aws:iam::111122223333:role/r\"}", CloudProviderAccessRole.class);
        AtlasErrors.shorten("priming");
    }

    private static final String PRIMING_GROUP = "000000000000000000000000";
    private static final String PRIMING_KEY = "00000000-0000-0000-0000-000000000000";

    private static void primeList(Call call, String item, Class<?> type) {
        try {
            for (JsonNode node : results(call, readTree(call, "{\"results\":[" + item + "],\"totalCount\":1}"))) {
                convert(call, node, type);
            }
        } catch (AtlasApiException sampleNotAccepted) {
            // the mapping code ran all the same
        }
    }

    // ------------------------------------------------------------------ paging and mapping

    private static final ObjectReader INSTANT = Json.MAPPER.readerFor(Instant.class);

    /**
     * A snapshot list's answer, read as it arrives: each item of {@code results} becomes a {@link Snapshot}
     * (the fields the rotator reads, nothing else kept), with {@code totalCount}. Never builds the JSON as
     * text or as a tree.
     *
     * @throws IOException when the stream breaks (a transient failure: the page is asked again)
     */
    private static SnapshotPage readSnapshots(Call call, InputStream in, String clusterName, Snapshot.Kind kind)
            throws IOException {
        try (JsonParser parser = Json.MAPPER.getFactory().createParser(in)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw malformed(call, "not a JSON object", null);
            }
            List<Snapshot> items = null;
            Integer total = null;
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                if ("results".equals(field)) {
                    if (value != JsonToken.START_ARRAY) {
                        throw malformed(call, "no \"results\" array", null);
                    }
                    items = new ArrayList<>();
                    while (parser.nextToken() != JsonToken.END_ARRAY) {
                        if (parser.currentToken() != JsonToken.START_OBJECT) {
                            throw malformed(call, "not a snapshot", null);
                        }
                        items.add(readSnapshot(call, parser, clusterName, kind));
                    }
                } else if ("totalCount".equals(field) && value == JsonToken.VALUE_NUMBER_INT
                        && parser.getNumberType() == JsonParser.NumberType.INT) {
                    total = parser.getIntValue();
                } else {
                    parser.skipChildren();
                }
            }
            if (items == null) {
                throw malformed(call, "no \"results\" array", null);
            }
            return new SnapshotPage(items, total);
        } catch (com.fasterxml.jackson.core.exc.StreamReadException | com.fasterxml.jackson.databind.DatabindException e) {
            throw malformed(call, "not a snapshot list", e);
        }
    }

    /** An endpoint set as Atlas sends it: each number is {@code {"value", "defaultValue"}}. */
    private record RateLimitJson(String endpointSetId, String endpointSetName, String scope, LimitJson capacity,
                                 LimitJson refillRate, LimitJson refillDurationSeconds,
                                 List<RateLimitEndpointSet.Endpoint> endpoints) {
    }

    /** {@code value}: what Atlas applies; {@code defaultValue}: its default, sent when an override applies. */
    private record LimitJson(Long value, Long defaultValue) {
        static Long value(LimitJson limit) {
            return limit == null ? null : limit.value();
        }
    }

    /**
     * One snapshot of a list, the parser at its START_OBJECT: the fields the rotator reads ({@code id},
     * {@code masterKeyUUID}, {@code createdAt}, {@code expiresAt}, {@code status}), the others skipped.
     */
    private static Snapshot readSnapshot(Call call, JsonParser parser, String clusterName, Snapshot.Kind kind)
            throws IOException {
        String id = null;
        String masterKeyUUID = null;
        String status = null;
        Instant createdAt = null;
        Instant expiresAt = null;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            JsonToken value = parser.nextToken();
            switch (field) {
                case "id" -> id = text(call, parser, value);
                case "masterKeyUUID" -> masterKeyUUID = text(call, parser, value);
                case "status" -> status = text(call, parser, value);
                case "createdAt" -> createdAt = instant(call, parser, value);
                case "expiresAt" -> expiresAt = instant(call, parser, value);
                default -> parser.skipChildren();
            }
        }
        return new Snapshot(id, clusterName, kind, masterKeyUUID, createdAt, expiresAt, status);
    }

    private static String text(Call call, JsonParser parser, JsonToken value) throws IOException {
        if (value == JsonToken.VALUE_NULL) {
            return null;
        }
        if (!value.isScalarValue()) {
            throw malformed(call, "not a snapshot (a text field holds " + value + ")", null);
        }
        return parser.getValueAsString();
    }

    /** An ISO-8601 instant; the common {@code 2025-03-01T10:00:00Z} without the formatter's cost. */
    private static Instant instant(Call call, JsonParser parser, JsonToken value) throws IOException {
        if (value == JsonToken.VALUE_NULL) {
            return null;
        }
        if (value == JsonToken.VALUE_STRING) {
            String t = parser.getText();
            if (t.length() == 20 && t.charAt(4) == '-' && t.charAt(7) == '-' && t.charAt(10) == 'T' && t.charAt(13) == ':'
                    && t.charAt(16) == ':' && t.charAt(19) == 'Z') {
                try {
                    return java.time.LocalDateTime.of(digits(t, 0, 4), digits(t, 5, 2), digits(t, 8, 2), digits(t, 11, 2),
                            digits(t, 14, 2), digits(t, 17, 2)).toInstant(java.time.ZoneOffset.UTC);
                } catch (java.time.DateTimeException | NumberFormatException unusual) {
                    // not in the common form: the formatter decides below
                }
            }
        }
        try {
            return INSTANT.readValue(parser);
        } catch (com.fasterxml.jackson.core.exc.StreamReadException | com.fasterxml.jackson.databind.DatabindException e) {
            throw malformed(call, "not a snapshot (an unreadable date)", e);
        }
    }

    private static int digits(String text, int from, int count) {
        int n = 0;
        for (int i = from; i < from + count; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                throw new NumberFormatException(text);
            }
            n = n * 10 + (c - '0');
        }
        return n;
    }

    /**
     * Every page of a list: {@code itemsPerPage=500&pageNum=1..}, until {@code totalCount} items have
     * arrived (or, when Atlas sends no count, until a page holds fewer items than requested); fails when
     * a page comes back empty before the count is reached, and after {@code maxPages} pages.
     *
     * @param query extra query parameters, each followed by {@code &}
     */
    private <T> List<T> listAllPages(String groupId, String path, String query, String accept, Class<T> type) {
        List<T> all = new ArrayList<>();
        for (int page = 1; page <= config.maxPages(); page++) {
            Call call = Call.get(groupId, path, query + "itemsPerPage=" + PAGE_SIZE + "&pageNum=" + page, accept);
            JsonNode root = readTree(call, execute(call));
            JsonNode results = results(call, root);
            for (JsonNode item : results) {
                all.add(convert(call, item, type));
            }
            JsonNode total = root.get("totalCount");
            if (total != null && total.canConvertToInt()) {
                // Atlas said how many there are: a short page before that is not the end (a snapshot
                // list cut short could let a key that still holds snapshots look unused).
                if (all.size() >= total.asInt()) {
                    return List.copyOf(all);
                }
                if (results.isEmpty()) {
                    throw new AtlasApiException("Atlas GET " + path + " reported totalCount " + total.asInt()
                            + " but page " + page + " was empty after " + all.size() + " items: the list is"
                            + " incomplete, so nothing is decided on it. Run again later.", 200, null, null);
                }
                continue;
            }
            if (results.size() < PAGE_SIZE) {
                return List.copyOf(all);
            }
        }
        throw new AtlasApiException("Atlas GET " + path + " still returned full pages after " + config.maxPages()
                + " pages of " + PAGE_SIZE + " (" + all.size() + " items); stopping rather than paging forever."
                + " Atlas may be ignoring pageNum; report this.", 200, null, null);
    }

    private static JsonNode results(Call call, JsonNode root) {
        JsonNode results = root.get("results");
        if (results == null || !results.isArray()) {
            throw malformed(call, "no \"results\" array", null);
        }
        return results;
    }

    private static EncryptionAtRest toEncryptionAtRest(Call call, String body) {
        JsonNode root = readTree(call, body);
        JsonNode aws = root.get("awsKms");
        AwsKms awsKms = aws == null || aws.isNull() ? null : convert(call, aws, AwsKms.class);
        return new EncryptionAtRest(awsKms,
                root.path("azureKeyVault").path("enabled").asBoolean(false),
                root.path("googleCloudKms").path("enabled").asBoolean(false));
    }

    private static <T> T read(Call call, String body, Class<T> type) {
        return convert(call, readTree(call, body), type);
    }

    private static JsonNode readTree(Call call, String body) {
        try {
            JsonNode node = Json.MAPPER.readTree(body);
            if (node == null || !node.isObject()) {
                throw malformed(call, "not a JSON object", null);
            }
            return node;
        } catch (JsonProcessingException e) {
            throw malformed(call, "not JSON", e);
        }
    }

    private static <T> T convert(Call call, JsonNode node, Class<T> type) {
        try {
            return Json.MAPPER.treeToValue(node, type);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw malformed(call, "not a " + type.getSimpleName(), e);
        }
    }

    private static AtlasApiException malformed(Call call, String what, Exception cause) {
        return new AtlasApiException("Atlas " + call.method + " " + call.path + " answered 2xx with a body that is "
                + what + (cause == null ? "" : " (" + AtlasErrors.shorten(cause.getMessage()) + ")")
                + "; check ATLAS_BASE_URL points at the Atlas Administration API.", 200, null, cause);
    }

    // ------------------------------------------------------------------ transport, auth and retries

    /** One request: method, path (raw, encoded), query (raw, may be null), media type, JSON body (may be null). */
    private record Call(String method, String groupId, String path, String query, String accept, String body) {
        static Call get(String groupId, String path, String query, String accept) {
            return new Call("GET", groupId, path, query, accept, null);
        }
    }

    /** Reads a 2xx body from its stream. */
    @FunctionalInterface
    private interface BodyReader<T> {
        /** @throws IOException when the stream breaks (the call is retried); malformed bodies throw AtlasApiException */
        T read(InputStream body) throws IOException;
    }

    private static final BodyReader<String> TEXT = in -> new String(in.readAllBytes(), StandardCharsets.UTF_8);

    /** Sends the call, retrying transient failures; returns the 2xx body or throws the typed exception. */
    private String execute(Call call) {
        return execute(call, TEXT);
    }

    /** Sends the call, retrying transient failures; returns the 2xx body as {@code reader} reads it, or throws. */
    private <T> T execute(Call call, BodyReader<T> reader) {
        if (io.atlascmk.rotator.aws.OfflinePriming.active()) {
            throw new IllegalStateException("No Atlas call while priming for a snapshot: " + call.method + " " + call.path);
        }
        RetryPolicy policy = config.retryPolicy();
        Instant deadline = config.clock().instant().plus(policy.overallDeadline());
        TokenBucket bucket = cloudBackupsBucket(call);
        for (int attempt = 1; ; attempt++) {
            TransientFailure failure;
            try {
                if (bucket != null) {
                    waitForToken(call, bucket);
                }
                requestsSent.increment();
                HttpResponse<Body> response = exchange(call);
                warnIfDeprecated(call, response);
                int status = response.statusCode();
                if (status == 429) {
                    rateLimitedSeen.increment();
                }
                LOG.debug("Atlas {} {} -> HTTP {} (attempt {})", call.method, call.path, status, attempt);
                if (status >= 200 && status < 300) {
                    try (InputStream in = response.body().stream()) {
                        return reader.read(in);
                    } catch (IOException e) {
                        throw new TransientFailure("the answer broke off: " + describe(e), 0, null, null, e);
                    }
                }
                String body = response.body().text();
                if (status != 429 && status < 500) {
                    throw AtlasErrors.fromResponse(call.method, call.path, call.groupId, status, body);
                }
                if (status == 429 && bucket != null) {
                    bucket.drain();
                }
                failure = AtlasErrors.transientFromResponse(status, response.headers(), body, config.clock());
            } catch (TransientFailure f) {
                failure = f;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AtlasUnavailableException("Atlas " + call.method + " " + call.path
                        + " was interrupted; the operation can be retried.", 0, null, e);
            }
            if (attempt >= policy.maxAttempts()) {
                throw AtlasErrors.exhausted(call.method, call.path, failure, attempt, "retries exhausted");
            }
            Duration wait = failure.retryAfter() != null
                    ? min(failure.retryAfter(), policy.retryAfterCap())
                    : policy.backoff(attempt, config.jitter().getAsDouble());
            if (config.clock().instant().plus(wait).isAfter(deadline)) {
                throw AtlasErrors.exhausted(call.method, call.path, failure, attempt,
                        "waiting " + wait.toMillis() + " ms more would pass the overall deadline of "
                                + policy.overallDeadline().toSeconds() + " s");
            }
            LOG.warn("Atlas {} {} failed ({}); retry {} of {} in {} ms", call.method, call.path, failure.getMessage(),
                    attempt, policy.maxAttempts() - 1, wait.toMillis());
            retriesMade.increment();
            try {
                config.sleeper().sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AtlasUnavailableException("Atlas " + call.method + " " + call.path
                        + " was interrupted while waiting to retry; the operation can be retried.", 0, null, e);
            }
        }
    }

    /** The project's Cloud Backups bucket when the call belongs to that endpoint set and a limit is kept; else null. */
    private TokenBucket cloudBackupsBucket(Call call) {
        RateLimit limit = config.cloudBackupsRateLimit();
        if (limit == null || call.groupId == null || !call.path.contains("/backup/")) {
            return null;
        }
        return cloudBackupBuckets.computeIfAbsent(call.groupId, g -> new TokenBucket(limit, System::nanoTime));
    }

    /** Waits, if need be, until the bucket has the call's token: a request Atlas would refuse is not sent. */
    private static void waitForToken(Call call, TokenBucket bucket) throws InterruptedException {
        long wait = bucket.reserve();
        if (wait > 0) {
            LOG.debug("Atlas {} {} waits {} ms for the Cloud Backups rate limit", call.method, call.path, wait / 1_000_000);
            java.util.concurrent.TimeUnit.NANOSECONDS.sleep(wait);
        }
    }

    /**
     * Atlas answers a deprecated resource version with a {@code Deprecation} header and announces its end
     * with {@code Sunset}: once per operation and client (so once per Lambda environment), say so.
     */
    private void warnIfDeprecated(Call call, HttpResponse<?> response) {
        Optional<String> deprecation = response.headers().firstValue("Deprecation");
        Optional<String> sunset = response.headers().firstValue("Sunset");
        if (deprecation.isEmpty() && sunset.isEmpty()) {
            return;
        }
        String operation = call.method + " " + operation(call.path);
        if (deprecationWarned.add(operation)) {
            LOG.warn("Atlas marks {} ({}) as deprecated (Deprecation: {}, Sunset: {}). The rotator stops working"
                            + " for this call after the sunset date: upgrade Atlas CMK Rotator to a release that"
                            + " uses a newer resource version.", operation, call.accept,
                    deprecation.map(AtlasClient::headerValue).orElse("-"),
                    sunset.map(AtlasClient::headerValue).orElse("-"));
        }
    }

    /** The operation's path template: {@code /api/atlas/v2/groups/{groupId}/clusters/{clusterName}/...}. */
    static String operation(String path) {
        return path.replaceFirst("^" + API + "[^/]+", API + "{groupId}")
                .replaceFirst("/clusters/[^/]+", "/clusters/{clusterName}")
                .replaceFirst("/(snapshots|shardedCluster)/(?!shardedClusters$)[^/]+$", "/$1/{snapshotId}");
    }

    /** A header value as it may appear in a log line: printable, short. */
    private static String headerValue(String value) {
        String printable = value.replaceAll("[^\\x20-\\x7E]", "?");
        return printable.length() > 80 ? printable.substring(0, 80) + "..." : printable;
    }

    /**
     * One authenticated exchange. On a 401 the authenticator may renew (new token, new challenge) once;
     * if Atlas still refuses (or its token endpoint refuses the service account), the secret is read
     * again once: when it holds other credentials (rotated since this environment read it), the
     * exchange is tried once more with them, so a rotated secret works without recycling the function.
     */
    private HttpResponse<Body> exchange(Call call) throws TransientFailure, InterruptedException {
        Authenticator used = authenticator();
        HttpResponse<Body> response;
        try {
            response = exchangeWith(used, call);
        } catch (AtlasAuthenticationException refused) {
            if (!credentialsRotated(used)) {
                throw refused;
            }
            return exchangeWith(authenticator(), call);
        }
        if (response.statusCode() == 401 && credentialsRotated(used)) {
            response = exchangeWith(authenticator(), call);
        }
        return response;
    }

    /**
     * Reads the secret again after {@code refused} was refused; true when it now holds other credentials,
     * which then replace the refused ones for every later call.
     */
    private boolean credentialsRotated(Authenticator refused) {
        synchronized (this) {
            if (authenticator != refused) {
                return true; // another caller already switched to newer credentials
            }
            AtlasCredentials fresh = credentialsProvider.reread();
            if (fresh.sameAs(credentialsInUse)) {
                return false;
            }
            credentialsInUse = fresh;
            authenticator = newAuthenticator(fresh);
            LOG.info("Atlas refused the credentials in use; the secret holds new ones (rotated): retrying once as {}",
                    authenticator.describe());
            return true;
        }
    }

    private HttpResponse<Body> exchangeWith(Authenticator auth, Call call) throws TransientFailure, InterruptedException {
        String query = call.query == null || call.query.isEmpty() ? "" : "?" + call.query;
        URI uri = URI.create(config.baseUrl() + call.path + query);
        String authorization = auth.authorization(call.method, uri);
        HttpResponse<Body> response = send(call, uri, authorization);
        if (response.statusCode() == 401 && auth.renewAfterUnauthorized(response, authorization)) {
            authorization = auth.authorization(call.method, uri);
            response = send(call, uri, authorization);
        }
        return response;
    }

    /**
     * An answer's body: a 2xx one as a stream to read once (a long list is read as it arrives), any other
     * as text (error envelopes are short; a 401 is answered again, so its body must not hold the connection).
     */
    private record Body(InputStream stream, String text) {
    }

    private static final HttpResponse.BodyHandler<Body> BODY = info -> info.statusCode() >= 200 && info.statusCode() < 300
            ? HttpResponse.BodySubscribers.mapping(HttpResponse.BodySubscribers.ofInputStream(), in -> new Body(in, null))
            : HttpResponse.BodySubscribers.mapping(HttpResponse.BodySubscribers.ofString(StandardCharsets.UTF_8),
                    text -> new Body(null, text));

    private HttpResponse<Body> send(Call call, URI uri, String authorization)
            throws TransientFailure, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .timeout(config.requestTimeout())
                .header("Accept", call.accept)
                .header("User-Agent", USER_AGENT);
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        if (call.body != null) {
            request.header("Content-Type", call.accept)
                    .method(call.method, HttpRequest.BodyPublishers.ofString(call.body, StandardCharsets.UTF_8));
        } else {
            request.method(call.method, HttpRequest.BodyPublishers.noBody());
        }
        try {
            return http.send(request.build(), BODY);
        } catch (IOException e) {
            throw new TransientFailure(describe(e), 0, null, null, e);
        }
    }

    private Authenticator newAuthenticator(AtlasCredentials credentials) {
        return credentials.kind() == AtlasCredentials.Kind.SERVICE_ACCOUNT
                ? new OAuthAuthenticator(http, config, credentials)
                : new DigestAuthenticator(credentials);
    }

    private Authenticator authenticator() {
        Authenticator a = authenticator;
        if (a == null) {
            synchronized (this) {
                a = authenticator;
                if (a == null) {
                    AtlasCredentials credentials = credentialsProvider.credentials();
                    a = newAuthenticator(credentials);
                    credentialsInUse = credentials;
                    authenticator = a;
                    LOG.info("Atlas client for {} authenticates as {}", config.baseUrl(), a.describe());
                }
            }
        }
        return a;
    }

    /** What went wrong on the wire, for messages: {@code timed out after 30 s}, {@code I/O error: ...}. */
    static String describe(IOException e) {
        if (e instanceof HttpConnectTimeoutException) {
            return "connect timed out";
        }
        if (e instanceof HttpTimeoutException) {
            return "timed out waiting for the response";
        }
        return "I/O error: " + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " " + e.getMessage());
    }

    // ------------------------------------------------------------------ helpers

    private static String group(String groupId) {
        if (groupId == null || groupId.isBlank()) {
            throw new IllegalArgumentException("groupId (the Atlas project id) is required");
        }
        return API + encode(groupId);
    }

    private static String cluster(String groupId, String clusterName) {
        if (clusterName == null || clusterName.isBlank()) {
            throw new IllegalArgumentException("clusterName is required");
        }
        return group(groupId) + "/clusters/" + encode(clusterName);
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static void requireField(Object value, String field) {
        if (value == null || (value instanceof String s && s.isBlank())) {
            throw new IllegalArgumentException("awsKms." + field + " is required: the PATCH sends the whole awsKms"
                    + " object (enabled, customerMasterKeyID, region, roleId)");
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
