package io.atlascmk.sandbox.atlas;

import io.atlascmk.sandbox.KeyAccess;
import io.atlascmk.sandbox.SandboxClock;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * One Atlas project (group) of the simulator: its encryption-at-rest configuration, cloud provider
 * access roles, clusters with their snapshots, and events. Seed it and inspect it through this class;
 * the HTTP API works on the same state.
 *
 * <p>Time-driven behaviour is computed lazily from the {@link SandboxClock}: before any read or write
 * the project takes the scheduled snapshots that fell due since the last look (each under the key the
 * project named then, because the project is brought up to date before every key change), drops expired
 * snapshots, and a cluster's state is UPDATING only while the clock is before the end of its key switch.
 * Advancing the clock is all a test has to do.
 */
public final class AtlasProject {

    /** The AWS principal Atlas uses to assume customer roles in the sandbox (any account id would do). */
    public static final String DEFAULT_ATLAS_AWS_ACCOUNT_ARN = "arn:aws:iam::012345678901:root";

    private final Object lock;
    private final SandboxClock clock;
    private final KeyAccess keyAccess;
    private final ObjectIds ids;
    private final Supplier<Duration> keySwitchDuration;
    private final String groupId;

    private boolean kmsEnabled;
    private String customerMasterKeyID;
    private String region;
    private String roleId;
    private Boolean requirePrivateNetworking;
    private boolean backupCompliancePolicy;
    private Supplier<Duration> keyPropagation = () -> Duration.ZERO;
    private Supplier<Duration> updateStartDelay = () -> Duration.ZERO;
    /** Until then Atlas reports the key it was just switched to as not valid (its policy is not visible yet). */
    private Instant keyVisibleAt;
    /** Keys this project has used while Atlas could: switching back to one needs no propagation. */
    private final java.util.Set<String> keysKnownValid = new java.util.HashSet<>();

    private final Map<String, AwsIamRole> roles = new LinkedHashMap<>();
    private final Map<String, SimCluster> clusters = new LinkedHashMap<>();
    private final List<AtlasEventRecord> events = new ArrayList<>();
    private final Map<String, AlertConfigRecord> alertConfigs = new LinkedHashMap<>();
    private final List<EarPrivateEndpoint> privateEndpoints = new ArrayList<>();

    AtlasProject(Object lock, SandboxClock clock, KeyAccess keyAccess, ObjectIds ids, Supplier<Duration> keySwitchDuration, String groupId) {
        this.lock = lock;
        this.clock = clock;
        this.keyAccess = keyAccess;
        this.ids = ids;
        this.keySwitchDuration = keySwitchDuration;
        this.groupId = groupId;
        this.created = clock.instant();
        this.name = "project-" + groupId.substring(groupId.length() - 6);
    }

    /** When the project was created (when the simulator was told of it). */
    private final Instant created;
    private String name;

    public String groupId() {
        return groupId;
    }

    /** The project's name, as {@code GET /groups} lists it. */
    public String name() {
        synchronized (lock) {
            return name;
        }
    }

    /** Names the project (1-64 letters, digits and {@code -_.(),:&@+'}, as Atlas allows). */
    public AtlasProject name(String newName) {
        if (newName == null || !newName.matches("[\\p{L}\\p{N}\\-_.(),:&@+']{1,64}")) {
            throw new IllegalArgumentException("Not an Atlas project name: " + newName);
        }
        synchronized (lock) {
            this.name = newName;
        }
        return this;
    }

    public Instant created() {
        return created;
    }

    // ---------------------------------------------------------------- seeding

    /** Adds an authorized AWS IAM role Atlas can assume; returns its generated roleId. */
    public String addAwsIamRole(String iamAssumedRoleArn) {
        Instant now = clock.instant();
        AwsIamRole role = new AwsIamRole(ids.next(now), iamAssumedRoleArn, DEFAULT_ATLAS_AWS_ACCOUNT_ARN,
                UUID.nameUUIDFromBytes((groupId + iamAssumedRoleArn).getBytes(java.nio.charset.StandardCharsets.UTF_8)).toString(),
                now, now);
        addAwsIamRole(role);
        return role.roleId();
    }

    public void addAwsIamRole(AwsIamRole role) {
        synchronized (lock) {
            if (roles.containsKey(role.roleId())) {
                throw new IllegalStateException("Project " + groupId + " already has role " + role.roleId() + ".");
            }
            roles.put(role.roleId(), role);
        }
    }

    /**
     * Sets the project's AWS KMS configuration directly (as an operator did long ago): enabled, no
     * event, no cluster update. Use the HTTP PATCH to switch keys with Atlas's behaviour.
     *
     * @param keyReference key id, mrk- id or key ARN
     * @param atlasRegion  e.g. {@code US_EAST_1}
     * @param roleId       an existing role of this project
     */
    public void configureAwsKms(String keyReference, String atlasRegion, String roleId) {
        if (!KmsKeyRefs.isKeyReference(keyReference)) {
            throw new IllegalArgumentException("'" + keyReference + "' is not a KMS key id, mrk- id or key ARN.");
        }
        synchronized (lock) {
            if (!roles.containsKey(roleId)) {
                throw new IllegalArgumentException("Project " + groupId + " has no role " + roleId + "; add it first.");
            }
            catchUp();
            this.kmsEnabled = true;
            this.customerMasterKeyID = keyReference;
            this.region = Objects.requireNonNull(atlasRegion, "atlasRegion");
            this.roleId = roleId;
        }
    }

    public void requirePrivateNetworking(Boolean value) {
        synchronized (lock) {
            this.requirePrivateNetworking = value;
        }
    }

    /**
     * Adds an alert configuration, as an operator may have made it (see {@link AlertConfigRecord#webhook}); returns it with
     * its generated id and dates. Not checked as the API checks a body: seed only what Atlas could hold.
     */
    public AlertConfigRecord addAlertConfig(AlertConfigRecord config) {
        synchronized (lock) {
            Instant now = clock.instant();
            AlertConfigRecord stored = new AlertConfigRecord(ids.next(now), config.eventTypeName(), config.enabled(),
                    config.threshold(), withNotifierIds(config.notifications(), now), now, now);
            alertConfigs.put(stored.id(), stored);
            return stored;
        }
    }

    /** The project's alert configurations, oldest first, as stored (webhook secrets unredacted). */
    public List<AlertConfigRecord> alertConfigs() {
        synchronized (lock) {
            return List.copyOf(alertConfigs.values());
        }
    }

    /**
     * Adds an encryption-at-rest private endpoint of AWS KMS in {@code atlasRegion} (e.g. {@code US_EAST_1}) with
     * {@code status} (INITIATING, PENDING_ACCEPTANCE, ACTIVE, FAILED, PENDING_RECREATION, DELETING); returns its id.
     */
    public String addEncryptionAtRestPrivateEndpoint(String atlasRegion, String status) {
        if (!EarPrivateEndpoint.STATUSES.contains(status)) {
            throw new IllegalArgumentException("A private endpoint's status is one of " + EarPrivateEndpoint.STATUSES
                    + ", not " + status + ".");
        }
        synchronized (lock) {
            EarPrivateEndpoint e = new EarPrivateEndpoint(ids.next(clock.instant()), Objects.requireNonNull(atlasRegion),
                    status, "FAILED".equals(status) ? "The private endpoint could not be created." : null);
            privateEndpoints.add(e);
            return e.id();
        }
    }

    /** Adds a cluster, IDLE, with its backup schedule starting now. */
    public ClusterView addCluster(ClusterSpec spec) {
        synchronized (lock) {
            catchUp();
            SimCluster existing = clusters.get(spec.name);
            if (existing != null && !existing.deleted) {
                throw new IllegalStateException("Project " + groupId + " already has a cluster named " + spec.name + ".");
            }
            SimCluster c = new SimCluster(spec, ids, clock.instant());
            clusters.put(c.name, c);
            return c.view(clock.instant());
        }
    }

    /**
     * Puts a snapshot into a cluster's history (also of a deleted cluster whose backups were kept).
     *
     * @return the snapshot id
     */
    public String addSnapshot(String clusterName, SnapshotSeed seed) {
        synchronized (lock) {
            catchUp();
            SimCluster c = clusterWithBackups(clusterName);
            String keyId = seed.keyReference == null ? null : KmsKeyRefs.keyId(seed.keyReference);
            SnapshotRecord s = c.newSnapshot(ids, seed.createdAt, seed.expiresAt, null, seed.status, seed.snapshotType,
                    seed.frequencyType, List.of());
            // newSnapshot records the key only for AWS-encrypted clusters; a seed says exactly which key.
            s = new SnapshotRecord(s.id(), s.clusterName(), s.kind(), s.createdAt(), s.expiresAt(), keyId, s.status(),
                    s.snapshotType(), s.frequencyType(), s.policyItemIds(), s.members(), s.mongodVersion(), s.storageSizeBytes());
            c.snapshots.add(s);
            return s.id();
        }
    }

    /**
     * Puts many snapshots into a cluster's history at once (also of a deleted cluster whose backups were
     * kept), described rather than stored: see {@link SnapshotSeries}.
     */
    public void addSnapshotSeries(String clusterName, SnapshotSeries series) {
        synchronized (lock) {
            catchUp();
            SimCluster c = clusterWithBackups(clusterName);
            String number = ids.next(clock.instant());
            c.series.add(new Series(series, c, clock.instant(), (int) Long.parseLong(number.substring(20), 16)));
        }
    }

    /** Takes an on-demand snapshot now, under the key the project names now, kept for {@code retention}. */
    public SnapshotRecord takeOnDemandSnapshot(String clusterName, Duration retention) {
        synchronized (lock) {
            catchUp();
            SimCluster c = liveCluster(clusterName);
            if (!c.backupEnabled) {
                throw new IllegalStateException("Cluster " + clusterName + " has Cloud Backup off.");
            }
            Instant now = clock.instant();
            SnapshotRecord s = c.newSnapshot(ids, now, now.plus(retention), currentKeyId(), "completed", "onDemand", null, List.of());
            c.snapshots.add(s);
            return s;
        }
    }

    /** Records a project event (e.g. {@code AWS_ENCRYPTION_KEY_NEEDS_ROTATION}) at {@code created}. */
    public AtlasEventRecord addEvent(String eventTypeName, Instant created) {
        synchronized (lock) {
            AtlasEventRecord e = new AtlasEventRecord(ids.next(created), Objects.requireNonNull(eventTypeName), created);
            events.add(e);
            return e;
        }
    }

    /** Pins a cluster's state (e.g. {@code REPAIRING}); null lets the simulator compute it again. */
    public void setClusterState(String clusterName, String stateName) {
        if (stateName != null && !List.of("IDLE", "CREATING", "UPDATING", "DELETING", "REPAIRING").contains(stateName)) {
            throw new IllegalArgumentException("Atlas cluster states are IDLE, CREATING, UPDATING, DELETING and REPAIRING; got " + stateName + ".");
        }
        synchronized (lock) {
            liveCluster(clusterName).stateOverride = stateName;
        }
    }

    /**
     * Terminates a cluster: it leaves the cluster list. With {@code retainBackups} its snapshots stay
     * listable by name until they expire (no new ones are taken); without, they go too.
     */
    public void deleteCluster(String clusterName, boolean retainBackups) {
        synchronized (lock) {
            catchUp();
            SimCluster c = liveCluster(clusterName);
            c.deleted = true;
            c.retainedBackups = retainBackups || backupCompliancePolicy;
            if (!c.retainedBackups) {
                clusters.remove(clusterName);
            }
        }
    }

    /**
     * Turns on a Backup Compliance Policy: from now on a deleted cluster's snapshots are kept until they
     * expire, whatever the deletion asked for (Atlas's "keep all snapshots when removing additional
     * snapshot regions / deleting a cluster" protection).
     */
    public void enableBackupCompliancePolicy() {
        synchronized (lock) {
            backupCompliancePolicy = true;
        }
    }

    /**
     * Pauses a cluster: it stays {@code IDLE} with {@code paused: true}, takes no snapshots, and a key
     * switch made meanwhile re-encrypts its data only when it resumes.
     */
    public void pauseCluster(String clusterName) {
        synchronized (lock) {
            catchUp();
            liveCluster(clusterName).paused = true;
        }
    }

    /** Resumes a paused cluster; a key switch made while it was paused now re-encrypts it (UPDATING). */
    public void resumeCluster(String clusterName) {
        synchronized (lock) {
            catchUp();
            SimCluster c = liveCluster(clusterName);
            c.paused = false;
            if (c.rewrapOnResume) {
                c.rewrapOnResume = false;
                Duration d = c.keySwitchDuration != null ? c.keySwitchDuration : keySwitchDuration.get();
                c.updatingUntil = clock.instant().plus(d);
            }
        }
    }

    // ---------------------------------------------------------------- inspection

    /** The AWS KMS configuration now, {@code valid} asked of {@link KeyAccess} at this moment. */
    public AwsKmsConfig awsKms() {
        AwsKmsConfig raw;
        String roleArn;
        synchronized (lock) {
            raw = new AwsKmsConfig(kmsEnabled, customerMasterKeyID, region, roleId, requirePrivateNetworking, false);
            AwsIamRole role = roleId == null ? null : roles.get(roleId);
            roleArn = role != null && role.authorized() ? role.iamAssumedRoleArn() : null;
        }
        // Asked outside the lock: the KMS stand-in has its own.
        boolean propagated;
        synchronized (lock) {
            propagated = keyVisibleAt == null || !clock.instant().isBefore(keyVisibleAt);
        }
        boolean usable = raw.customerMasterKeyID() != null && roleArn != null
                && keyAccess.atlasRoleCanUse(raw.customerMasterKeyID(), roleArn);
        boolean valid = raw.enabled() && propagated && usable;
        // SANDBOX_DEBUG_VALID=1 prints why a configured key is not valid (a diagnosis aid for the sandbox's scenarios)
        if (raw.enabled() && !valid && System.getenv("SANDBOX_DEBUG_VALID") != null) {
            System.err.println("[atlas-sim] " + raw.customerMasterKeyID() + " not valid at " + clock.instant()
                    + ": propagated " + propagated + " (visible at " + keyVisibleAt + "), role " + roleArn
                    + ", usable " + usable);
        }
        if (valid) {
            synchronized (lock) {
                keysKnownValid.add(KmsKeyRefs.keyId(raw.customerMasterKeyID()));
            }
        }
        return new AwsKmsConfig(raw.enabled(), raw.customerMasterKeyID(), raw.region(), raw.roleId(), raw.requirePrivateNetworking(), valid);
    }

    public List<AwsIamRole> awsIamRoles() {
        synchronized (lock) {
            return List.copyOf(roles.values());
        }
    }

    /** Clusters (not deleted) as they are now. */
    public List<ClusterView> clusters() {
        synchronized (lock) {
            catchUp();
            Instant now = clock.instant();
            List<ClusterView> out = new ArrayList<>();
            for (SimCluster c : clusters.values()) {
                if (!c.deleted) {
                    out.add(c.view(now));
                }
            }
            return out;
        }
    }

    public ClusterView cluster(String clusterName) {
        synchronized (lock) {
            catchUp();
            return liveCluster(clusterName).view(clock.instant());
        }
    }

    /** Live snapshots of a cluster (also of a deleted cluster whose backups were kept), newest first. */
    public List<SnapshotRecord> snapshots(String clusterName) {
        synchronized (lock) {
            catchUp();
            return clusterWithBackups(clusterName).liveSnapshots(clock.instant());
        }
    }

    /** Every live snapshot of every cluster, keyed by cluster name. */
    public Map<String, List<SnapshotRecord>> snapshotsByCluster() {
        synchronized (lock) {
            catchUp();
            Map<String, List<SnapshotRecord>> out = new LinkedHashMap<>();
            for (SimCluster c : clusters.values()) {
                out.put(c.name, c.liveSnapshots(clock.instant()));
            }
            return out;
        }
    }

    /** Events, newest first. */
    public List<AtlasEventRecord> events() {
        synchronized (lock) {
            List<AtlasEventRecord> out = new ArrayList<>(events);
            out.sort(Comparator.comparing(AtlasEventRecord::created).thenComparing(AtlasEventRecord::id).reversed());
            return out;
        }
    }

    /** A few lines for a person: key, validity, clusters and their states, snapshot keys. */
    public String summary() {
        AwsKmsConfig kms = awsKms();
        StringBuilder sb = new StringBuilder();
        sb.append("Atlas project ").append(groupId).append('\n');
        sb.append("  awsKms: ").append(kms.enabled() ? "enabled" : "disabled")
                .append(", key ").append(kms.customerMasterKeyID())
                .append(", region ").append(kms.region())
                .append(", valid ").append(kms.valid()).append('\n');
        Map<String, List<SnapshotRecord>> snaps = snapshotsByCluster();
        for (ClusterView c : clusters()) {
            sb.append("  cluster ").append(c.name()).append(" (").append(c.clusterType()).append(", ")
                    .append(c.encryptionAtRestProvider()).append("): ").append(c.stateName()).append('\n');
        }
        for (Map.Entry<String, List<SnapshotRecord>> e : snaps.entrySet()) {
            Map<String, Integer> byKey = new LinkedHashMap<>();
            for (SnapshotRecord s : e.getValue()) {
                byKey.merge(String.valueOf(s.masterKeyUUID()), 1, Integer::sum);
            }
            sb.append("  snapshots of ").append(e.getKey()).append(": ").append(e.getValue().size())
                    .append(byKey.isEmpty() ? "" : " by key " + byKey).append('\n');
        }
        return sb.toString();
    }

    // ---------------------------------------------------------------- used by the HTTP layer

    /** Brings every cluster up to the clock. Caller holds the lock. */
    void catchUp() {
        Instant now = clock.instant();
        String keyId = currentKeyId();
        for (SimCluster c : clusters.values()) {
            c.catchUp(now, keyId, ids);
        }
    }

    /** The bare id of the key snapshots are taken under now, or null. Caller holds the lock. */
    String currentKeyId() {
        return kmsEnabled && customerMasterKeyID != null ? KmsKeyRefs.keyId(customerMasterKeyID) : null;
    }

    /** The role used for encryption at rest while it is enabled, else null. Caller holds the lock. */
    String encryptionRoleId() {
        return kmsEnabled ? roleId : null;
    }

    Instant now() {
        return clock.instant();
    }

    ObjectIds ids() {
        return ids;
    }

    /** A cluster that exists now (404 CLUSTER_NOT_FOUND otherwise). Caller holds the lock. */
    SimCluster liveCluster(String clusterName) {
        SimCluster c = clusters.get(clusterName);
        if (c == null || c.deleted) {
            throw clusterNotFound(clusterName);
        }
        return c;
    }

    /** A cluster that exists or was deleted with its backups kept. Caller holds the lock. */
    SimCluster clusterWithBackups(String clusterName) {
        SimCluster c = clusters.get(clusterName);
        if (c == null) {
            throw clusterNotFound(clusterName);
        }
        return c;
    }

    void keyPropagation(Supplier<Duration> delay) {
        this.keyPropagation = delay;
    }

    void updateStartDelay(Supplier<Duration> delay) {
        this.updateStartDelay = delay;
    }

    /**
     * The clusters {@code includeDeletedWithRetainedBackups=true} lists: the live ones, then the deleted
     * ones whose retained snapshots have not all expired yet. Caller holds the lock.
     */
    List<SimCluster> clustersWithRetainedBackups(Instant now) {
        List<SimCluster> out = new ArrayList<>(liveClusters());
        for (SimCluster c : clusters.values()) {
            if (c.deleted && c.retainedBackups && c.hasLiveSnapshots(now)) {
                out.add(c);
            }
        }
        return out;
    }

    List<SimCluster> liveClusters() {
        List<SimCluster> out = new ArrayList<>();
        for (SimCluster c : clusters.values()) {
            if (!c.deleted) {
                out.add(c);
            }
        }
        return out;
    }

    List<AtlasEventRecord> eventsNewestFirst() {
        return events();
    }

    Map<String, AwsIamRole> rolesById() {
        return roles;
    }

    List<EarPrivateEndpoint> privateEndpoints() {
        return List.copyOf(privateEndpoints);
    }

    List<AlertConfigRecord> alertConfigList() {
        return List.copyOf(alertConfigs.values());
    }

    /** Stores a validated new configuration. Caller holds the lock. */
    AlertConfigRecord createAlertConfig(AlertConfigRecord parsed) {
        Instant now = clock.instant();
        AlertConfigRecord stored = new AlertConfigRecord(ids.next(now), parsed.eventTypeName(), parsed.enabled(),
                parsed.threshold(), withNotifierIds(parsed.notifications(), now), now, now);
        alertConfigs.put(stored.id(), stored);
        return stored;
    }

    /** Replaces a configuration with a validated one (PUT): 404 ALERT_CONFIG_NOT_FOUND for another id. Caller holds the lock. */
    AlertConfigRecord replaceAlertConfig(String alertConfigId, AlertConfigRecord parsed) {
        AlertConfigRecord old = alertConfigs.get(alertConfigId);
        if (old == null) {
            throw AtlasApiError.notFound("ALERT_CONFIG_NOT_FOUND", "No alert configuration with ID " + alertConfigId
                    + " exists in group " + groupId + ".");
        }
        Instant now = clock.instant();
        AlertConfigRecord stored = new AlertConfigRecord(old.id(), parsed.eventTypeName(), parsed.enabled(),
                parsed.threshold(), withNotifierIds(parsed.notifications(), now), old.created(), now);
        alertConfigs.put(stored.id(), stored);
        return stored;
    }

    private List<AlertConfigRecord.Notification> withNotifierIds(List<AlertConfigRecord.Notification> ns, Instant now) {
        List<AlertConfigRecord.Notification> out = new ArrayList<>();
        for (AlertConfigRecord.Notification n : ns) {
            out.add(new AlertConfigRecord.Notification(n.typeName(), n.intervalMin(), n.delayMin(), n.webhookUrl(),
                    n.webhookSecret(), n.notifierId() != null ? n.notifierId() : ids.next(now)));
        }
        return out;
    }

    /** True when a PATCH enabling {@code key} would change the project's key. Caller holds the lock. */
    boolean wouldChangeKey(String key) {
        return !kmsEnabled || customerMasterKeyID == null || !KmsKeyRefs.sameKey(customerMasterKeyID, key);
    }

    /**
     * True while an AWS-encrypted cluster is still applying the last key change: planned (not yet
     * UPDATING) or UPDATING. Caller holds the lock.
     */
    boolean keyChangeInProgress() {
        catchUp();
        Instant now = clock.instant();
        for (SimCluster c : liveClusters()) {
            if ("AWS".equals(c.encryptionAtRestProvider) && c.updatingUntil != null && now.isBefore(c.updatingUntil)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Applies a validated PATCH of {@code awsKms}. A new key (compared by key id, so an ARN and its id
     * are the same key) starts a key switch: every live AWS-encrypted cluster goes UPDATING for its key
     * switch duration, and an {@code AWS_ENCRYPTION_KEY_ROTATED} event is recorded. Caller holds the lock.
     */
    void applyAwsKmsPatch(AwsKmsPatch patch) {
        catchUp(); // snapshots due before this instant are taken under the old key
        Instant now = clock.instant();
        if (Boolean.FALSE.equals(patch.enabled())) {
            for (SimCluster c : liveClusters()) {
                if ("AWS".equals(c.encryptionAtRestProvider)) {
                    throw new AtlasApiError(409, "CANNOT_DISABLE_ENCRYPTION_AT_REST",
                            "Encryption at rest using AWS KMS cannot be disabled while cluster " + c.name + " uses it.");
                }
            }
            kmsEnabled = false;
            return;
        }
        boolean wasEnabled = kmsEnabled;
        String oldKey = customerMasterKeyID;
        kmsEnabled = true;
        customerMasterKeyID = patch.customerMasterKeyID();
        region = patch.region();
        roleId = patch.roleId();
        if (patch.requirePrivateNetworking() != null) {
            requirePrivateNetworking = patch.requirePrivateNetworking();
        }
        if (wasEnabled && oldKey != null && !KmsKeyRefs.sameKey(oldKey, customerMasterKeyID)) {
            for (SimCluster c : liveClusters()) {
                if ("AWS".equals(c.encryptionAtRestProvider)) {
                    if (c.paused) {
                        c.rewrapOnResume = true;
                        continue;
                    }
                    Duration d = c.keySwitchDuration != null ? c.keySwitchDuration : keySwitchDuration.get();
                    // The cluster shows UPDATING only after a short delay, as Atlas plans the change first:
                    // right after the PATCH it still reports IDLE (the rotator's settle time covers that).
                    c.updatingFrom = now.plus(updateStartDelay.get());
                    c.updatingUntil = c.updatingFrom.plus(d);
                }
            }
            events.add(new AtlasEventRecord(ids.next(now), "AWS_ENCRYPTION_KEY_ROTATED", now));
            keyVisibleAt = keysKnownValid.contains(KmsKeyRefs.keyId(customerMasterKeyID)) ? null
                    : now.plus(keyPropagation.get());
        }
    }

    /** The parts of a PATCH body the simulator applies (already validated). */
    record AwsKmsPatch(Boolean enabled, String customerMasterKeyID, String region, String roleId, Boolean requirePrivateNetworking) {
    }

    private AtlasApiError clusterNotFound(String clusterName) {
        return AtlasApiError.notFound("CLUSTER_NOT_FOUND", "No cluster named " + clusterName + " exists in group " + groupId + ".");
    }
}
