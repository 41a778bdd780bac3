package io.atlascmk.rotator.atlas;

/**
 * A cluster (Admin API version 2024-08-05).
 *
 * @param name                      cluster name
 * @param clusterType               {@code REPLICASET}, {@code SHARDED} or {@code GEOSHARDED}
 * @param stateName                 {@code IDLE}, {@code CREATING}, {@code UPDATING}, {@code DELETING}, {@code REPAIRING}
 * @param encryptionAtRestProvider  {@code AWS}, {@code AZURE}, {@code GCP} or {@code NONE}
 * @param backupEnabled             Cloud Backup is on
 * @param pitEnabled                continuous cloud backup (point-in-time restore) is on
 */
public record Cluster(
        String name,
        String clusterType,
        String stateName,
        String encryptionAtRestProvider,
        boolean backupEnabled,
        boolean pitEnabled) {

    public boolean isSharded() {
        return "SHARDED".equals(clusterType) || "GEOSHARDED".equals(clusterType);
    }

    public boolean isIdle() {
        return "IDLE".equals(stateName);
    }

    public boolean encryptedWithAwsKms() {
        return "AWS".equals(encryptionAtRestProvider);
    }
}
