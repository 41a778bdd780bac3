package io.atlascmk.rotator.rotation;

import io.atlascmk.rotator.atlas.AtlasApi;
import io.atlascmk.rotator.atlas.AtlasEvent;
import io.atlascmk.rotator.atlas.AtlasInvalidRequestException;
import io.atlascmk.rotator.atlas.AtlasNotFoundException;
import io.atlascmk.rotator.atlas.AwsKms;
import io.atlascmk.rotator.atlas.BackupSchedule;
import io.atlascmk.rotator.atlas.CloudProviderAccessRole;
import io.atlascmk.rotator.atlas.Cluster;
import io.atlascmk.rotator.atlas.EncryptionAtRest;
import io.atlascmk.rotator.atlas.Snapshot;
import io.atlascmk.rotator.kms.KeyIds;
import io.atlascmk.rotator.kms.SimulatedCrashException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * An in-memory Atlas project for step tests: its encryption-at-rest configuration, cloud provider
 * access roles, clusters with states, snapshots of both kinds (also of clusters that no longer
 * exist), backup schedules and events. Like Atlas, a key switch ({@link #updateAwsKms}) records an
 * {@code AWS_ENCRYPTION_KEY_ROTATED} event and makes every AWS-encrypted cluster {@code UPDATING}
 * until the test calls {@link #finishUpdates()}; {@code valid} is false for keys the test
 * {@linkplain #rejectKey rejects}.
 *
 * <p>Records every call ({@link #calls()}) and every write ({@link #patches()}). Faults:
 * {@link #crashAfterPatch(int)} throws a {@link SimulatedCrashException} right after the nth PATCH
 * from now took effect; {@link #failNextPatch} refuses the next PATCH before it takes effect.
 */
public final class FakeAtlas implements AtlasApi {

    public static final String KEY_ROTATED = "AWS_ENCRYPTION_KEY_ROTATED";

    private final String projectId;
    private final Clock clock;
    private AwsKms awsKms;
    private boolean azure;
    private boolean gcp;
    private final Set<String> rejectedKeyIds = new HashSet<>();
    private final Map<String, Cluster> clusters = new LinkedHashMap<>();
    private final Set<String> terminatedClusters = new HashSet<>();
    private final Map<String, List<Snapshot>> replicaSetSnapshots = new LinkedHashMap<>();
    private final Map<String, List<Snapshot>> shardedSnapshots = new LinkedHashMap<>();
    private final Map<String, Integer> restoreWindows = new LinkedHashMap<>();
    private final List<CloudProviderAccessRole> roles = new ArrayList<>();
    private final List<AtlasEvent> events = new ArrayList<>();
    private final List<String> calls = new ArrayList<>();
    private final List<AwsKms> patches = new ArrayList<>();
    private int crashAfter;
    private int patchesSinceArmed;
    private Supplier<RuntimeException> nextPatchFailure;
    /** Listed with includeDeletedWithRetainedBackups, but its snapshot lists answer 404. */
    private final Set<String> unreadableDeleted = new HashSet<>();
    private Supplier<RuntimeException> retainedListingFailure;
    private int snapshotIds;

    public FakeAtlas(String projectId, Clock clock) {
        this.projectId = projectId;
        this.clock = clock;
    }

    // ------------------------------------------------------------------ seeding

    /** AWS KMS on, naming {@code keyRef}, in {@code atlasRegion}, with the Atlas role {@code roleId}. */
    public synchronized FakeAtlas awsKms(String keyRef, String atlasRegion, String roleId) {
        awsKms = new AwsKms(true, keyRef, atlasRegion, roleId, null, null);
        return this;
    }

    public synchronized FakeAtlas awsKms(AwsKms config) {
        awsKms = config;
        return this;
    }

    public synchronized FakeAtlas azureKeyVault() {
        awsKms = new AwsKms(false, null, null, null, null, null);
        azure = true;
        return this;
    }

    public synchronized FakeAtlas googleCloudKms() {
        awsKms = new AwsKms(false, null, null, null, null, null);
        gcp = true;
        return this;
    }

    public synchronized FakeAtlas role(String roleId, String iamRoleArn) {
        roles.add(new CloudProviderAccessRole(roleId, "AWS", iamRoleArn, "arn:aws:iam::536727724300:root",
                java.time.Instant.parse("2024-01-01T00:00:00Z")));
        return this;
    }

    /** Atlas reports {@code valid: false} whenever it names this key. */
    public synchronized FakeAtlas rejectKey(String keyRef) {
        rejectedKeyIds.add(KeyIds.keyId(keyRef));
        return this;
    }

    public synchronized FakeAtlas replicaSet(String name, boolean pitEnabled) {
        clusters.put(name, new Cluster(name, "REPLICASET", "IDLE", "AWS", true, pitEnabled));
        replicaSetSnapshots.putIfAbsent(name, new ArrayList<>());
        shardedSnapshots.putIfAbsent(name, new ArrayList<>());
        return this;
    }

    public synchronized FakeAtlas sharded(String name) {
        clusters.put(name, new Cluster(name, "SHARDED", "IDLE", "AWS", true, false));
        replicaSetSnapshots.putIfAbsent(name, new ArrayList<>());
        shardedSnapshots.putIfAbsent(name, new ArrayList<>());
        return this;
    }

    public synchronized FakeAtlas cluster(Cluster cluster) {
        clusters.put(cluster.name(), cluster);
        replicaSetSnapshots.putIfAbsent(cluster.name(), new ArrayList<>());
        shardedSnapshots.putIfAbsent(cluster.name(), new ArrayList<>());
        return this;
    }

    /** A cluster that was deleted but whose retained snapshots Atlas still lists. */
    public synchronized FakeAtlas terminated(String name) {
        terminatedClusters.add(name);
        replicaSetSnapshots.putIfAbsent(name, new ArrayList<>());
        shardedSnapshots.putIfAbsent(name, new ArrayList<>());
        return this;
    }

    /** A deleted cluster Atlas lists with its retained backups, but whose snapshot lists answer 404. */
    public synchronized FakeAtlas deletedButUnreadable(String name) {
        unreadableDeleted.add(name);
        return this;
    }

    /** Every listing of clusters with their retained backups fails so. */
    public synchronized FakeAtlas failRetainedListing(Supplier<RuntimeException> failure) {
        retainedListingFailure = failure;
        return this;
    }

    public synchronized FakeAtlas state(String clusterName, String stateName) {
        Cluster c = clusters.get(clusterName);
        clusters.put(clusterName, new Cluster(c.name(), c.clusterType(), stateName, c.encryptionAtRestProvider(),
                c.backupEnabled(), c.pitEnabled(), c.paused()));
        return this;
    }

    public synchronized FakeAtlas restoreWindow(String clusterName, Integer days) {
        restoreWindows.put(clusterName, days);
        return this;
    }

    /** A snapshot of the cluster (replica-set or sharded list by the kind) encrypted with {@code keyRef}. */
    public synchronized String snapshot(String clusterName, Snapshot.Kind kind, String keyRef, Instant createdAt,
            Instant expiresAt) {
        String id = String.format("%024x", ++snapshotIds);
        Snapshot s = new Snapshot(id, clusterName, kind, keyRef, createdAt, expiresAt, "completed");
        (kind == Snapshot.Kind.SHARDED_CLUSTER ? shardedSnapshots : replicaSetSnapshots)
                .computeIfAbsent(clusterName, n -> new ArrayList<>()).add(s);
        return id;
    }

    /** Atlas removed the snapshot (it expired, or someone deleted it). */
    public synchronized FakeAtlas deleteSnapshot(String snapshotId) {
        replicaSetSnapshots.values().forEach(l -> l.removeIf(s -> s.id().equals(snapshotId)));
        shardedSnapshots.values().forEach(l -> l.removeIf(s -> s.id().equals(snapshotId)));
        return this;
    }

    public synchronized FakeAtlas event(String type, Instant created) {
        events.add(new AtlasEvent(String.format("%024x", events.size() + 1), type, created));
        return this;
    }

    /** Every cluster that a key switch made {@code UPDATING} becomes {@code IDLE}. */
    public synchronized FakeAtlas finishUpdates() {
        for (Cluster c : List.copyOf(clusters.values())) {
            if ("UPDATING".equals(c.stateName())) {
                state(c.name(), "IDLE");
            }
        }
        return this;
    }

    // ------------------------------------------------------------------ faults

    /** Throws a {@link SimulatedCrashException} right after the {@code nth} PATCH from now took effect. */
    public synchronized FakeAtlas crashAfterPatch(int nth) {
        crashAfter = nth;
        patchesSinceArmed = 0;
        return this;
    }

    public synchronized FakeAtlas failNextPatch(Supplier<RuntimeException> failure) {
        nextPatchFailure = failure;
        return this;
    }

    public synchronized void clearFaults() {
        crashAfter = 0;
        nextPatchFailure = null;
    }

    // ------------------------------------------------------------------ inspection

    public synchronized List<String> calls() {
        return List.copyOf(calls);
    }

    public synchronized long callCount(String operation) {
        return calls.stream().filter(operation::equals).count();
    }

    /** Every PATCH body that took effect, in order. */
    public synchronized List<AwsKms> patches() {
        return List.copyOf(patches);
    }

    public synchronized void resetRecording() {
        calls.clear();
        patches.clear();
    }

    /** The key Atlas names now. */
    public synchronized String currentKey() {
        return awsKms == null ? null : awsKms.customerMasterKeyID();
    }

    public synchronized AwsKms awsKmsConfig() {
        return awsKms;
    }

    public synchronized Map<String, String> clusterStates() {
        Map<String, String> out = new LinkedHashMap<>();
        clusters.forEach((n, c) -> out.put(n, c.stateName()));
        return out;
    }

    // ------------------------------------------------------------------ AtlasApi

    /** The credentials of this fake read only its one project. */
    @Override
    public synchronized List<io.atlascmk.rotator.atlas.ProjectRef> listProjects() {
        calls.add("listProjects");
        return List.of(new io.atlascmk.rotator.atlas.ProjectRef(projectId, "project", "5e2211c17a3e5a48f5497de3"));
    }

    @Override
    public synchronized List<io.atlascmk.rotator.atlas.ProjectRef> listOrganizationProjects(String orgId) {
        calls.add("listOrganizationProjects");
        return listProjects();
    }

    @Override
    public synchronized EncryptionAtRest getEncryptionAtRest(String groupId) {
        call("getEncryptionAtRest", groupId);
        return new EncryptionAtRest(withValid(awsKms), azure, gcp);
    }

    @Override
    public synchronized EncryptionAtRest updateAwsKms(String groupId, AwsKms body) {
        call("updateAwsKms", groupId);
        if (nextPatchFailure != null) {
            RuntimeException failure = nextPatchFailure.get();
            nextPatchFailure = null;
            throw failure;
        }
        if (body == null || body.enabled() == null || body.customerMasterKeyID() == null || body.region() == null
                || body.roleId() == null || body.valid() != null) {
            throw new AtlasInvalidRequestException("PATCH awsKms needs enabled, customerMasterKeyID, region and roleId,"
                    + " and no read-only valid", 400, "INVALID_ATTRIBUTE", null);
        }
        boolean keyChanged = awsKms == null || !KeyIds.sameKey(awsKms.customerMasterKeyID(), body.customerMasterKeyID());
        awsKms = body;
        patches.add(body);
        if (keyChanged) {
            events.add(new AtlasEvent(String.format("%024x", events.size() + 1), KEY_ROTATED, clock.instant()));
            for (Cluster c : List.copyOf(clusters.values())) {
                if (c.encryptedWithAwsKms()) {
                    state(c.name(), "UPDATING");
                }
            }
        }
        if (crashAfter > 0 && ++patchesSinceArmed == crashAfter) {
            crashAfter = 0;
            throw new SimulatedCrashException("PATCH encryptionAtRest", patchesSinceArmed);
        }
        return new EncryptionAtRest(withValid(awsKms), azure, gcp);
    }

    @Override
    public synchronized List<Cluster> listClusters(String groupId) {
        call("listClusters", groupId);
        return List.copyOf(clusters.values());
    }

    @Override
    public synchronized List<Cluster> listClustersWithRetainedBackups(String groupId) {
        call("listClustersWithRetainedBackups", groupId);
        if (retainedListingFailure != null) {
            throw retainedListingFailure.get();
        }
        List<Cluster> all = new ArrayList<>(clusters.values());
        java.util.stream.Stream.concat(terminatedClusters.stream(), unreadableDeleted.stream()).sorted()
                .forEach(name -> all.add(new Cluster(name, "REPLICASET", "IDLE", "AWS", true, false)));
        return List.copyOf(all);
    }

    @Override
    public synchronized Cluster getCluster(String groupId, String clusterName) {
        call("getCluster", groupId);
        Cluster c = clusters.get(clusterName);
        if (c == null) {
            throw notFound(clusterName);
        }
        return c;
    }

    @Override
    public synchronized List<Snapshot> listReplicaSetSnapshots(String groupId, String clusterName) {
        call("listReplicaSetSnapshots", groupId);
        requireKnownCluster(clusterName);
        return List.copyOf(replicaSetSnapshots.getOrDefault(clusterName, List.of()));
    }

    @Override
    public synchronized List<Snapshot> listShardedClusterSnapshots(String groupId, String clusterName) {
        call("listShardedClusterSnapshots", groupId);
        requireKnownCluster(clusterName);
        return List.copyOf(shardedSnapshots.getOrDefault(clusterName, List.of()));
    }

    @Override
    public synchronized BackupSchedule getBackupSchedule(String groupId, String clusterName) {
        call("getBackupSchedule", groupId);
        Cluster c = clusters.get(clusterName);
        if (c == null || !c.backupEnabled()) {
            throw notFound(clusterName);
        }
        return new BackupSchedule(clusterName, restoreWindows.get(clusterName));
    }

    @Override
    public synchronized List<CloudProviderAccessRole> listCloudProviderAccessRoles(String groupId) {
        call("listCloudProviderAccessRoles", groupId);
        return List.copyOf(roles);
    }

    @Override
    public synchronized List<AtlasEvent> listEvents(String groupId, String eventType, Instant minDate) {
        call("listEvents", groupId);
        return events.stream()
                .filter(e -> eventType == null || eventType.equals(e.eventTypeName()))
                .filter(e -> minDate == null || !e.created().isBefore(minDate))
                .toList();
    }

    // ------------------------------------------------------------------ helpers

    private void call(String operation, String groupId) {
        calls.add(operation);
        if (!projectId.equals(groupId)) {
            throw new AtlasNotFoundException("No group with ID " + groupId + " exists.", 404, "GROUP_NOT_FOUND", null);
        }
    }

    private void requireKnownCluster(String clusterName) {
        if (!clusters.containsKey(clusterName) && !terminatedClusters.contains(clusterName)) {
            throw notFound(clusterName);
        }
    }

    private static AtlasNotFoundException notFound(String clusterName) {
        return new AtlasNotFoundException("No cluster named " + clusterName + " exists in the group.", 404,
                "CLUSTER_NOT_FOUND", null);
    }

    private AwsKms withValid(AwsKms config) {
        if (config == null) {
            return null;
        }
        Boolean valid = config.customerMasterKeyID() == null ? null
                : !rejectedKeyIds.contains(KeyIds.keyId(config.customerMasterKeyID()));
        // roleId is returned as the sandbox and Atlas do, although the contract marks it write-only.
        return new AwsKms(config.enabled(), config.customerMasterKeyID(), config.region(), config.roleId(),
                config.requirePrivateNetworking(), config.isEnabled() ? valid : null);
    }

    /** Not served: the step tests never read rate limits (the fleet's tests use the Atlas simulator). */
    @Override
    public List<io.atlascmk.rotator.atlas.RateLimitEndpointSet> listRateLimits() {
        throw new UnsupportedOperationException("FakeAtlas serves no rate limits; use the sandbox's Atlas simulator");
    }
}
