package io.atlascmk.sandbox.atlas;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A cluster to seed into a project. Defaults: encrypted with AWS KMS, Cloud Backup on with Atlas's
 * default policy ({@link BackupPolicyItem#atlasDefault()}), no continuous backup, region
 * {@code US_EAST_1}, MongoDB 8.0, state IDLE, backup anchored at the moment the cluster is added.
 */
public final class ClusterSpec {

    private static final Pattern NAME = Pattern.compile("^[a-zA-Z0-9][a-zA-Z0-9-]*$");

    final String name;
    final String clusterType;
    final int shards;
    String encryptionAtRestProvider = "AWS";
    boolean backupEnabled = true;
    boolean pitEnabled;
    int restoreWindowDays = 7;
    List<BackupPolicyItem> policy = BackupPolicyItem.atlasDefault();
    String region = "US_EAST_1";
    String mongoDBVersion = "8.0.4";
    Duration keySwitchDuration;
    Instant backupAnchor;

    private ClusterSpec(String name, String clusterType, int shards) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("A cluster name is letters, digits and hyphens, starting with a letter or digit; got '" + name + "'.");
        }
        this.name = name;
        this.clusterType = clusterType;
        this.shards = shards;
    }

    public static ClusterSpec replicaSet(String name) {
        return new ClusterSpec(name, "REPLICASET", 1);
    }

    public static ClusterSpec sharded(String name, int shards) {
        if (shards < 1) {
            throw new IllegalArgumentException("A sharded cluster has 1 or more shards; got " + shards + ".");
        }
        return new ClusterSpec(name, "SHARDED", shards);
    }

    /** {@code AWS} or {@code NONE} (the simulator models AWS KMS only). */
    public ClusterSpec encryptionAtRestProvider(String provider) {
        if (!"AWS".equals(provider) && !"NONE".equals(provider)) {
            throw new IllegalArgumentException("The simulator models encryptionAtRestProvider AWS or NONE; got '" + provider + "'.");
        }
        this.encryptionAtRestProvider = provider;
        return this;
    }

    public ClusterSpec backupEnabled(boolean enabled) {
        this.backupEnabled = enabled;
        if (!enabled) {
            this.pitEnabled = false;
        }
        return this;
    }

    /** Continuous cloud backup with this restore window (turns Cloud Backup on too). */
    public ClusterSpec continuousBackup(int restoreWindowDays) {
        if (restoreWindowDays < 1) {
            throw new IllegalArgumentException("restoreWindowDays must be 1 or more; got " + restoreWindowDays + ".");
        }
        this.pitEnabled = true;
        this.backupEnabled = true;
        this.restoreWindowDays = restoreWindowDays;
        return this;
    }

    public ClusterSpec backupPolicy(BackupPolicyItem... items) {
        if (items.length == 0) {
            throw new IllegalArgumentException("A backup policy has at least one item; use backupEnabled(false) for none.");
        }
        this.policy = List.of(items);
        return this;
    }

    /** Atlas region name, e.g. {@code EU_WEST_1}. */
    public ClusterSpec region(String region) {
        this.region = Objects.requireNonNull(region, "region");
        return this;
    }

    public ClusterSpec mongoDBVersion(String version) {
        if (version == null || !version.matches("\\d+\\.\\d+\\.\\d+")) {
            throw new IllegalArgumentException("A MongoDB version looks like 8.0.4; got '" + version + "'.");
        }
        this.mongoDBVersion = version;
        return this;
    }

    /** How long this cluster stays UPDATING after a key switch (default: the simulator's setting). */
    public ClusterSpec keySwitchDuration(Duration duration) {
        if (duration.isNegative()) {
            throw new IllegalArgumentException("A key switch cannot take negative time; got " + duration + ".");
        }
        this.keySwitchDuration = duration;
        return this;
    }

    /** The instant scheduled snapshots count from (default: when the cluster is added). */
    public ClusterSpec backupAnchor(Instant anchor) {
        this.backupAnchor = Objects.requireNonNull(anchor, "anchor");
        return this;
    }
}
