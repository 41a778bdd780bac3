package io.atlascmk.sandbox.atlas;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The Atlas Administration API operations the simulator answers, named by the contract's
 * {@code operationId}, with the resource versions each one serves. Call counts and fault switches are
 * kept per operation.
 */
public enum AtlasOperation {

    /** Every project the credentials can read (the simulator's credentials read them all). */
    LIST_GROUPS("listGroups", "GET", "/api/atlas/v2/groups", List.of("2023-01-01"), List.of()),
    /** Every project of one organization (the simulator's projects all belong to {@code AtlasSimulator.ORG_ID}). */
    LIST_ORG_GROUPS("getOrgGroups", "GET", "/api/atlas/v2/orgs/{orgId}/groups", List.of("2023-01-01"), List.of()),
    GET_ENCRYPTION_AT_REST("getGroupEncryptionAtRest", "GET", "/api/atlas/v2/groups/{groupId}/encryptionAtRest",
            List.of("2023-01-01"), List.of()),
    UPDATE_ENCRYPTION_AT_REST("updateGroupEncryptionAtRest", "PATCH", "/api/atlas/v2/groups/{groupId}/encryptionAtRest",
            List.of("2023-01-01"), List.of()),
    /** Only 2024-08-05 is served; the older cluster versions are sunset in real Atlas (410 VERSION_GONE). */
    LIST_CLUSTERS("listGroupClusters", "GET", "/api/atlas/v2/groups/{groupId}/clusters",
            List.of("2024-08-05"), List.of("2023-01-01", "2023-02-01")),
    GET_CLUSTER("getGroupCluster", "GET", "/api/atlas/v2/groups/{groupId}/clusters/{clusterName}",
            List.of("2024-08-05"), List.of("2023-01-01", "2023-02-01")),
    GET_CLUSTER_STATUS("getGroupClusterStatus", "GET", "/api/atlas/v2/groups/{groupId}/clusters/{clusterName}/status",
            List.of("2023-01-01"), List.of()),
    /** 2023-01-01 is still served but deprecated: its answers carry Deprecation and Sunset (2027-07-01). */
    GET_BACKUP_SCHEDULE("getGroupClusterBackupSchedule", "GET", "/api/atlas/v2/groups/{groupId}/clusters/{clusterName}/backup/schedule",
            List.of("2023-01-01", "2024-08-05"), List.of(),
            Map.of("2023-01-01", new Deprecated(LocalDate.parse("2024-08-05"), LocalDate.parse("2027-07-01")))),
    LIST_SHARDED_CLUSTER_SNAPSHOTS("listGroupClusterBackupSnapshotShardedClusters", "GET",
            "/api/atlas/v2/groups/{groupId}/clusters/{clusterName}/backup/snapshots/shardedClusters",
            List.of("2023-01-01"), List.of()),
    GET_SHARDED_CLUSTER_SNAPSHOT("getGroupClusterBackupSnapshotShardedCluster", "GET",
            "/api/atlas/v2/groups/{groupId}/clusters/{clusterName}/backup/snapshots/shardedCluster/{snapshotId}",
            List.of("2023-01-01"), List.of()),
    LIST_REPLICA_SET_SNAPSHOTS("listGroupClusterBackupSnapshots", "GET",
            "/api/atlas/v2/groups/{groupId}/clusters/{clusterName}/backup/snapshots",
            List.of("2023-01-01"), List.of()),
    GET_REPLICA_SET_SNAPSHOT("getGroupClusterBackupSnapshot", "GET",
            "/api/atlas/v2/groups/{groupId}/clusters/{clusterName}/backup/snapshots/{snapshotId}",
            List.of("2023-01-01"), List.of()),
    LIST_CLOUD_PROVIDER_ACCESS("listGroupCloudProviderAccess", "GET", "/api/atlas/v2/groups/{groupId}/cloudProviderAccess",
            List.of("2023-01-01"), List.of()),
    LIST_EVENTS("listGroupEvents", "GET", "/api/atlas/v2/groups/{groupId}/events",
            List.of("2023-01-01"), List.of()),
    /** The project's alert configurations (paged). */
    LIST_ALERT_CONFIGS("listGroupAlertConfigs", "GET", "/api/atlas/v2/groups/{groupId}/alertConfigs",
            List.of("2023-01-01"), List.of()),
    CREATE_ALERT_CONFIG("createGroupAlertConfig", "POST", "/api/atlas/v2/groups/{groupId}/alertConfigs",
            List.of("2023-01-01"), List.of()),
    UPDATE_ALERT_CONFIG("updateGroupAlertConfig", "PUT", "/api/atlas/v2/groups/{groupId}/alertConfigs/{alertConfigId}",
            List.of("2023-01-01"), List.of()),
    /** The project's encryption-at-rest private endpoints of one cloud provider (paged). */
    LIST_EAR_PRIVATE_ENDPOINTS("listGroupEncryptionAtRestPrivateEndpoints", "GET",
            "/api/atlas/v2/groups/{groupId}/encryptionAtRest/{cloudProvider}/privateEndpoints", List.of("2023-01-01"), List.of()),
    /** Atlas's rate limits, per endpoint set and scope ({@link RateLimits}). */
    LIST_RATE_LIMITS("listRateLimits", "GET", "/api/atlas/v2/rateLimits", List.of("2025-03-12"), List.of()),
    /** OAuth 2.0 client credentials token endpoint (not part of the versioned API, not in the contract). */
    CREATE_ACCESS_TOKEN("createAccessToken", "POST", "/api/oauth/token", List.of(), List.of());

    private final String operationId;
    private final String method;
    private final String template;
    private final String[] segments;
    private final List<String> versions;
    private final List<String> goneVersions;
    private final Map<String, Deprecated> deprecatedVersions;

    /** A resource version Atlas still serves but has deprecated (on {@code since}) and ends on {@code sunset}. */
    record Deprecated(LocalDate since, LocalDate sunset) {
        private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.RFC_1123_DATE_TIME;

        /** The answer's headers, as HTTP dates: {@code Deprecation} and {@code Sunset}. */
        Map<String, String> headers() {
            return Map.of("Deprecation", HTTP_DATE.format(since.atStartOfDay(ZoneOffset.UTC)),
                    "Sunset", HTTP_DATE.format(sunset.atStartOfDay(ZoneOffset.UTC)));
        }
    }

    AtlasOperation(String operationId, String method, String template, List<String> versions, List<String> goneVersions) {
        this(operationId, method, template, versions, goneVersions, Map.of());
    }

    AtlasOperation(String operationId, String method, String template, List<String> versions, List<String> goneVersions,
                   Map<String, Deprecated> deprecatedVersions) {
        this.deprecatedVersions = deprecatedVersions;
        this.operationId = operationId;
        this.method = method;
        this.template = template;
        this.segments = template.substring(1).split("/");
        this.versions = versions;
        this.goneVersions = goneVersions;
    }

    /** The contract's operationId, e.g. {@code updateGroupEncryptionAtRest}. */
    public String operationId() {
        return operationId;
    }

    public String method() {
        return method;
    }

    public String pathTemplate() {
        return template;
    }

    /** Resource versions served, e.g. {@code 2023-01-01}; empty for the token endpoint. */
    public List<String> versions() {
        return versions;
    }

    List<String> goneVersions() {
        return goneVersions;
    }

    /** The Deprecation and Sunset headers of an answer in {@code version}; empty for a version that is not deprecated. */
    Map<String, String> deprecationHeaders(String version) {
        Deprecated d = deprecatedVersions.get(version);
        return d == null ? Map.of() : d.headers();
    }

    /**
     * In Atlas's Cloud Backups endpoint set, which shares one rate-limit bucket per project: the snapshot
     * lists, single snapshots and the backup schedule.
     */
    public boolean cloudBackups() {
        switch (this) {
            case GET_BACKUP_SCHEDULE:
            case LIST_SHARDED_CLUSTER_SNAPSHOTS:
            case GET_SHARDED_CLUSTER_SNAPSHOT:
            case LIST_REPLICA_SET_SNAPSHOTS:
            case GET_REPLICA_SET_SNAPSHOT:
                return true;
            default:
                return false;
        }
    }

    boolean isVersioned() {
        return !versions.isEmpty();
    }

    /** Path variables in template order when the raw path matches the template, else empty. */
    Optional<List<String>> match(String rawPath) {
        String trimmed = rawPath.endsWith("/") && rawPath.length() > 1 ? rawPath.substring(0, rawPath.length() - 1) : rawPath;
        if (!trimmed.startsWith("/")) {
            return Optional.empty();
        }
        String[] parts = trimmed.substring(1).split("/", -1);
        if (parts.length != segments.length) {
            return Optional.empty();
        }
        List<String> vars = new ArrayList<>();
        for (int i = 0; i < parts.length; i++) {
            String decoded = URLDecoder.decode(parts[i], StandardCharsets.UTF_8);
            if (segments[i].startsWith("{")) {
                if (decoded.isEmpty()) {
                    return Optional.empty();
                }
                vars.add(decoded);
            } else if (!segments[i].equals(decoded)) {
                return Optional.empty();
            }
        }
        return Optional.of(vars);
    }
}
