package io.atlascmk.rotator.atlas;

/**
 * A cluster (Admin API version 2024-08-05). The flags are objects: a flag Atlas did not send is null,
 * and the rotation rules read null as "unknown", never as false.
 *
 * @param name                      cluster name
 * @param clusterType               {@code REPLICASET}, {@code SHARDED} or {@code GEOSHARDED}
 * @param stateName                 {@code IDLE}, {@code CREATING}, {@code UPDATING}, {@code DELETING}, {@code REPAIRING}
 * @param encryptionAtRestProvider  {@code AWS}, {@code AZURE}, {@code GCP} or {@code NONE}
 * @param backupEnabled             Cloud Backup is on; null when Atlas did not say
 * @param pitEnabled                continuous cloud backup (point-in-time restore) is on; null when Atlas did not say
 * @param paused                    the cluster is paused (it is re-encrypted under a new key only when it
 *                                  resumes); null when Atlas did not say
 */
public record Cluster(
        String name,
        String clusterType,
        String stateName,
        String encryptionAtRestProvider,
        Boolean backupEnabled,
        Boolean pitEnabled,
        Boolean paused) {

    /** A cluster that is not paused. */
    public Cluster(String name, String clusterType, String stateName, String encryptionAtRestProvider,
                   boolean backupEnabled, boolean pitEnabled) {
        this(name, clusterType, stateName, encryptionAtRestProvider, backupEnabled, pitEnabled, false);
    }

    public boolean isSharded() {
        return "SHARDED".equals(clusterType) || "GEOSHARDED".equals(clusterType);
    }

    public boolean isIdle() {
        return "IDLE".equals(stateName);
    }

    public boolean encryptedWithAwsKms() {
        return "AWS".equals(encryptionAtRestProvider);
    }

    /** Cloud Backup is known to be off; a cluster that does not say may have snapshots. */
    public boolean backupKnownOff() {
        return Boolean.FALSE.equals(backupEnabled);
    }
}
