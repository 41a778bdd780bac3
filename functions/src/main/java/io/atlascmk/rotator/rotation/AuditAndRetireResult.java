package io.atlascmk.rotator.rotation;

import java.util.List;

/**
 * Output of AuditAndRetire, stored by the workflow at {@code $.audit}.
 *
 * @param keys              one entry per retired or abandoned key of the project
 * @param snapshotsAudited  snapshots read, over every cluster (each cluster read once per run)
 * @param clustersAudited   clusters whose snapshots were read (live ones and readable extra ones)
 */
public record AuditAndRetireResult(List<AuditedKey> keys, int snapshotsAudited, int clustersAudited) {

    public AuditAndRetireResult {
        keys = List.copyOf(keys);
    }
}
