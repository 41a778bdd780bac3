package io.atlascmk.rotator.rotation;

import io.atlascmk.rotator.atlas.Cluster;
import io.atlascmk.rotator.atlas.EncryptionAtRest;
import io.atlascmk.rotator.kms.ManagedKey;

import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * What the Preflight step read, for {@link PreflightRules#evaluate}.
 *
 * @param projectId          the Atlas project (group) id
 * @param rotationId         this rotation's id (the execution name)
 * @param deployment         this deployment's name, as its keys carry it in {@code atlas-cmk-rotator:deployment};
 *                           null only when no key was read (Atlas names none, or not a KMS key)
 * @param encryptionAtRest   the project's encryption-at-rest configuration
 * @param currentKey         the key Atlas names, as KMS describes it with its tags; null when Atlas
 *                           names no key (the rules then refuse before using it)
 * @param clusters           every cluster of the project
 * @param projectKeys        every KMS key tagged with this project (any state)
 * @param runningRotationIds ids of this project's rotations that are still running (this one may be
 *                           among them)
 * @param currentKeyActiveSince when the current key became Atlas's key (the latest
 *                           {@code AWS_ENCRYPTION_KEY_ROTATED} event, else the key's creation); null
 *                           when unknown, which turns the cooldown off
 * @param options            force, wait-for-clusters and cooldown
 * @param now                the time of the check
 */
public record PreflightInput(
        String projectId,
        String rotationId,
        String deployment,
        EncryptionAtRest encryptionAtRest,
        ManagedKey currentKey,
        List<Cluster> clusters,
        List<ManagedKey> projectKeys,
        Set<String> runningRotationIds,
        Instant currentKeyActiveSince,
        PreflightOptions options,
        Instant now) {

    public PreflightInput {
        if (projectId == null || projectId.isBlank() || rotationId == null || rotationId.isBlank()) {
            throw new IllegalArgumentException("A project id and a rotation id are required.");
        }
        if (currentKey != null && (deployment == null || deployment.isBlank())) {
            throw new IllegalArgumentException("The deployment's name is required with the current key.");
        }
        if (encryptionAtRest == null || options == null || now == null) {
            throw new IllegalArgumentException("The encryption-at-rest configuration, the options and now are required.");
        }
        clusters = clusters == null ? List.of() : List.copyOf(clusters);
        projectKeys = projectKeys == null ? List.of() : List.copyOf(projectKeys);
        runningRotationIds = runningRotationIds == null ? Set.of() : Set.copyOf(runningRotationIds);
    }
}
