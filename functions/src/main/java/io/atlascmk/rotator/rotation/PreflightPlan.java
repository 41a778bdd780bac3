package io.atlascmk.rotator.rotation;

import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The Preflight step's result: what the rotation will do, or why it will not. A dry run returns it
 * as the plan and stops.
 *
 * @param outcome            proceed, wait for clusters, or skip (cooldown)
 * @param projectId          the project
 * @param rotationId         this rotation
 * @param currentKeyId       the key Atlas names now (normalised id)
 * @param currentKeyArn      its ARN, as KMS reports it
 * @param currentKeyRegion   its AWS region: the new key is created there
 * @param roleId             Atlas's cloud provider access role id from {@code awsKms}
 * @param adoptCurrentKey    the current key is not (correctly) in the ledger: tag it as this project's active key
 * @param pendingKeys        what to do with pending keys left by earlier runs
 * @param activeKeysToRetire other keys tagged active that Atlas does not name (Finalize retires them)
 * @param busyClusters       AWS-encrypted clusters that are not idle
 * @param cooldownEndsAt     when the cooldown ends, when one applies now (skipped or forced); else null
 * @param notes              everything else worth telling the operator
 */
public record PreflightPlan(
        Outcome outcome,
        String projectId,
        String rotationId,
        String currentKeyId,
        String currentKeyArn,
        String currentKeyRegion,
        String roleId,
        boolean adoptCurrentKey,
        List<PendingKeyAction> pendingKeys,
        List<String> activeKeysToRetire,
        List<String> busyClusters,
        Instant cooldownEndsAt,
        List<String> notes) {

    public enum Outcome {
        /** Rotate now. */
        PROCEED,
        /** Clusters are busy and the operator asked to wait for them: wait, then run Preflight again. */
        WAIT_FOR_CLUSTERS,
        /**
         * The current key became active inside the cooldown: nothing to do, and not a failure (a
         * schedule or an alert arriving soon after a rotation is normal). {@code force} rotates anyway.
         */
        SKIP
    }

    public PreflightPlan {
        pendingKeys = List.copyOf(pendingKeys);
        activeKeysToRetire = List.copyOf(activeKeysToRetire);
        busyClusters = List.copyOf(busyClusters);
        notes = List.copyOf(notes);
    }

    /** One line for the dry-run plan and notifications. */
    public String summary() {
        String head = switch (outcome) {
            case PROCEED -> "Rotate project " + projectId + " away from key " + currentKeyId + " (new key in " + currentKeyRegion + ")";
            case WAIT_FOR_CLUSTERS -> "Wait for busy clusters of project " + projectId + " (" + String.join(", ", busyClusters) + ")";
            case SKIP -> "Skip project " + projectId + ": key " + currentKeyId + " is inside its cooldown until " + cooldownEndsAt;
        };
        String pending = pendingKeys.isEmpty() ? "" : "; pending keys: " + pendingKeys.stream()
                .map(p -> p.action().name().toLowerCase(java.util.Locale.ROOT) + " " + p.keyId()).collect(Collectors.joining(", "));
        return head + (adoptCurrentKey ? "; adopt key " + currentKeyId + " into the ledger" : "") + pending
                + (notes.isEmpty() ? "" : ". " + String.join(" ", notes));
    }
}
