package io.atlascmk.sandbox.atlas;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Atlas's rate limits as {@code GET /api/atlas/v2/rateLimits} lists them: endpoint sets, each in one scope, with the
 * token bucket its endpoints share (a request takes a token; the bucket holds at most {@code capacity} and gets
 * {@code refillRate} tokens every {@code refillDurationSeconds}). A {@code GROUP} set has one bucket per project, an
 * {@code ORGANIZATION} set one per organization, a {@code USER} set one per API key or service account, an {@code IP}
 * set one per caller address.
 *
 * <p>The numbers and endpoint lists are those of Atlas's published table
 * (https://www.mongodb.com/docs/atlas/api/api-rate-limit/, as updated on 2026-02-23) for the endpoint sets that hold
 * the operations the rotator calls, each in every scope Atlas lists for it, and one IP-scoped set. Atlas's real
 * {@code endpointSetId} values are not published beyond the document's example ({@code rateLimitsInspection_group});
 * the simulator's follow that pattern, and the rotator never relies on them: it matches endpoints.
 *
 * <p>An override ({@link AtlasSimulator#overrideRateLimitCapacity}) stands for the raised or lowered capacity Atlas
 * can give an organization or a set of credentials: the listing then shows it as {@code capacity.value} and the
 * published number as {@code capacity.defaultValue}, in every listing (the simulator has one organization and treats
 * every credential alike). The simulator lists limits; it does not enforce them (throttle with
 * {@link AtlasFaults#throttleNext}).
 */
final class RateLimits {

    /** The scopes Atlas lists, in its enum's order. */
    enum Scope { IP, GROUP, ORGANIZATION, USER }

    /**
     * One endpoint set in one scope.
     *
     * @param endpoints {@code METHOD /path/template}, as Atlas lists them
     */
    record EndpointSet(String id, String name, Scope scope, long capacity, long refillRate, long refillDurationSeconds,
                       List<String> endpoints) {
    }

    private static final String G = "/api/atlas/v2/groups/{groupId}";
    private static final String C = G + "/clusters/{clusterName}";
    private static final String O = "/api/atlas/v2/orgs/{orgId}";

    /** The published table, for the endpoint sets the simulator serves. */
    static final List<EndpointSet> PUBLISHED = List.of(
            set("Clusters", Scope.GROUP, 10_000, 5_000,
                    "DELETE " + C,
                    "GET " + G + "/clusters",
                    "GET " + G + "/clusters/provider/regions",
                    "GET " + C,
                    "GET " + C + "/autoScalingConfiguration",
                    "GET " + C + "/processArgs",
                    "GET " + C + "/status",
                    "GET " + G + "/sampleDatasetLoad/{sampleDatasetId}",
                    "PATCH " + C,
                    "PATCH " + C + "/processArgs",
                    "POST " + G + "/clusters",
                    "POST " + G + "/clusters/tenantUpgrade",
                    "POST " + G + "/clusters/tenantUpgradeToServerless",
                    "POST " + C + "/restartPrimaries",
                    "POST " + C + ":grantMongoDBEmployeeAccess",
                    "POST " + C + ":pinFeatureCompatibilityVersion",
                    "POST " + C + ":revokeMongoDBEmployeeAccess",
                    "POST " + C + ":unpinFeatureCompatibilityVersion",
                    "POST " + G + "/sampleDatasetLoad/{name}"),
            set("Clusters", Scope.USER, 300, 100,
                    "GET /api/atlas/v2/clusters"),
            set("Cloud Backups", Scope.GROUP, 1_200, 500,
                    "DELETE " + G + "/backup/exportBuckets/{exportBucketId}",
                    "DELETE " + G + "/backup/{cloudProvider}/privateEndpoints/{endpointId}",
                    "DELETE " + G + "/backupCompliancePolicy",
                    "DELETE " + C + "/backup/restoreJobs/{restoreJobId}",
                    "DELETE " + C + "/backup/schedule",
                    "DELETE " + C + "/backup/snapshots/shardedCluster/{snapshotId}",
                    "DELETE " + C + "/backup/snapshots/{snapshotId}",
                    "GET " + G + "/backup/exportBuckets",
                    "GET " + G + "/backup/exportBuckets/{exportBucketId}",
                    "GET " + G + "/backup/{cloudProvider}/privateEndpoints",
                    "GET " + G + "/backup/{cloudProvider}/privateEndpoints/{endpointId}",
                    "GET " + G + "/backupCompliancePolicy",
                    "GET " + C + "/backup/exports",
                    "GET " + C + "/backup/exports/{exportId}",
                    "GET " + C + "/backup/restoreJobs",
                    "GET " + C + "/backup/restoreJobs/{restoreJobId}",
                    "GET " + C + "/backup/schedule",
                    "GET " + C + "/backup/snapshots",
                    "GET " + C + "/backup/snapshots/shardedCluster/{snapshotId}",
                    "GET " + C + "/backup/snapshots/shardedClusters",
                    "GET " + C + "/backup/snapshots/{snapshotId}",
                    "GET " + C + "/restoreJobs",
                    "GET " + C + "/restoreJobs/{jobId}",
                    "PATCH " + G + "/backup/exportBuckets/{exportBucketId}",
                    "PATCH " + C + "/backup/schedule",
                    "PATCH " + C + "/backup/snapshots/{snapshotId}",
                    "POST " + G + "/backup/exportBuckets",
                    "POST " + G + "/backup/{cloudProvider}/privateEndpoints",
                    "POST " + C + "/backup/exports",
                    "POST " + C + "/backup/restoreJobs",
                    "POST " + C + "/backup/snapshots",
                    "POST " + C + "/restoreJobs",
                    "PUT " + G + "/backupCompliancePolicy"),
            set("Cloud Provider Access", Scope.GROUP, 2_000, 1_000,
                    "DELETE " + G + "/cloudProviderAccess/{cloudProvider}/{roleId}",
                    "GET " + G + "/cloudProviderAccess",
                    "GET " + G + "/cloudProviderAccess/{roleId}",
                    "PATCH " + G + "/cloudProviderAccess/{roleId}",
                    "POST " + G + "/cloudProviderAccess"),
            set("Encryption At Rest Using Customer Key Management", Scope.GROUP, 2_000, 1_000,
                    "DELETE " + G + "/encryptionAtRest/{cloudProvider}/privateEndpoints/{endpointId}",
                    "GET " + G + "/encryptionAtRest",
                    "GET " + G + "/encryptionAtRest/{cloudProvider}/privateEndpoints",
                    "GET " + G + "/encryptionAtRest/{cloudProvider}/privateEndpoints/{endpointId}",
                    "PATCH " + G + "/encryptionAtRest",
                    "POST " + G + "/encryptionAtRest/{cloudProvider}/privateEndpoints"),
            set("Events", Scope.GROUP, 300, 100,
                    "GET " + G + "/events",
                    "GET " + G + "/events/{eventId}"),
            set("Events", Scope.ORGANIZATION, 500, 250,
                    "GET " + O + "/events",
                    "GET " + O + "/events/{eventId}"),
            set("Events", Scope.USER, 300, 100,
                    "GET /api/atlas/v2/eventTypes"),
            set("Organizations", Scope.ORGANIZATION, 500, 250,
                    "DELETE " + O,
                    "DELETE " + O + "/invites/{invitationId}",
                    "GET " + O,
                    "GET " + O + "/groups",
                    "GET " + O + "/invites",
                    "GET " + O + "/invites/{invitationId}",
                    "PATCH " + O,
                    "PATCH " + O + "/invites",
                    "PATCH " + O + "/invites/{invitationId}",
                    "POST " + O + "/invites"),
            set("Organizations", Scope.USER, 300, 100,
                    "GET /api/atlas/v2/orgs",
                    "POST /api/atlas/v2/orgs"),
            set("Projects", Scope.GROUP, 1_200, 500,
                    "DELETE " + G,
                    "DELETE " + G + "/invites/{invitationId}",
                    "DELETE " + G + "/limits/{limitName}",
                    "GET " + G,
                    "GET " + G + "/invites",
                    "GET " + G + "/invites/{invitationId}",
                    "GET " + G + "/limits",
                    "GET " + G + "/limits/{limitName}",
                    "GET " + G + "/mongoDBVersions",
                    "GET " + G + "/settings",
                    "PATCH " + G,
                    "PATCH " + G + "/invites",
                    "PATCH " + G + "/invites/{invitationId}",
                    "PATCH " + G + "/limits/{limitName}",
                    "PATCH " + G + "/settings",
                    "POST " + G + "/access",
                    "POST " + G + "/invites",
                    "POST " + G + ":migrate"),
            set("Projects", Scope.USER, 1_200, 500,
                    "GET /api/atlas/v2/groups",
                    "GET /api/atlas/v2/groups/byName/{groupName}",
                    "POST /api/atlas/v2/groups"),
            set("Rate Limits Inspection", Scope.USER, 300, 100,
                    "GET /api/atlas/v2/rateLimits",
                    "GET /api/atlas/v2/rateLimits/{endpointSetId}"),
            set("Root", Scope.IP, 400, 100,
                    "GET /api/atlas/v2/unauth/controlPlaneIPAddresses"),
            set("Root", Scope.USER, 300, 100,
                    "GET /api/atlas/v2"));

    private final Map<String, Long> capacityOverrides = new ConcurrentHashMap<>();

    private static EndpointSet set(String name, Scope scope, long capacity, long refillRate, String... endpoints) {
        String[] words = name.split(" ");
        StringBuilder id = new StringBuilder(words[0].toLowerCase(java.util.Locale.ROOT));
        for (int i = 1; i < words.length; i++) {
            id.append(words[i].substring(0, 1).toUpperCase(java.util.Locale.ROOT)).append(words[i].substring(1));
        }
        id.append('_').append(scope.name().toLowerCase(java.util.Locale.ROOT));
        return new EndpointSet(id.toString(), name, scope, capacity, refillRate, 60, List.of(endpoints));
    }

    static EndpointSet published(String endpointSetId) {
        for (EndpointSet s : PUBLISHED) {
            if (s.id().equals(endpointSetId)) {
                return s;
            }
        }
        throw new IllegalArgumentException("The simulator serves no endpoint set " + endpointSetId + "; it serves "
                + PUBLISHED.stream().map(EndpointSet::id).toList() + ".");
    }

    void overrideCapacity(String endpointSetId, long capacity) {
        Objects.requireNonNull(published(endpointSetId));
        if (capacity < 0) {
            throw new IllegalArgumentException("A capacity is 0 or more, not " + capacity + ".");
        }
        capacityOverrides.put(endpointSetId, capacity);
    }

    /** The capacity Atlas applies to the set now; null when it is the published one. */
    Long capacityOverride(String endpointSetId) {
        return capacityOverrides.get(endpointSetId);
    }

    /** The sets of one scope, or all of them when {@code scope} is null. */
    static List<EndpointSet> of(Scope scope) {
        List<EndpointSet> out = new ArrayList<>();
        for (EndpointSet s : PUBLISHED) {
            if (scope == null || s.scope() == scope) {
                out.add(s);
            }
        }
        return out;
    }
}
