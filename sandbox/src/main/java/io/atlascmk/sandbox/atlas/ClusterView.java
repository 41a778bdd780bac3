package io.atlascmk.sandbox.atlas;

import java.time.Instant;

/**
 * A cluster as it is now (state computed at the sandbox clock's current instant).
 *
 * @param updatingUntil     when a running key switch completes; null when none is running
 * @param restoreWindowDays continuous-backup restore window; null unless {@code pitEnabled}
 */
public record ClusterView(
        String id,
        String name,
        String clusterType,
        String stateName,
        String encryptionAtRestProvider,
        boolean backupEnabled,
        boolean pitEnabled,
        Integer restoreWindowDays,
        Instant updatingUntil) {

    public boolean idle() {
        return "IDLE".equals(stateName);
    }
}
