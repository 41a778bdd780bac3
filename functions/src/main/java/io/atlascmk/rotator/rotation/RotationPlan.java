package io.atlascmk.rotator.rotation;

import java.time.Instant;
import java.util.List;

/**
 * What a dry run would do ({@code $.run.plan}); nothing of it was done.
 *
 * @param decision           {@code rotate} or {@code skip}
 * @param reason             why
 * @param newKey             the key CreateKey would create
 * @param clustersToWaitFor  every AWS-encrypted cluster AwaitDeployment would wait for
 * @param busyClusters       of those, the ones not {@code IDLE} now
 * @param pendingKeys        keys left {@code pending} by earlier runs and what would happen to them:
 *                           {@code resumed} (Atlas already uses it: tagged active, the previous active
 *                           key retired), {@code abandoned} (tagged abandoned, the audit retires it) or
 *                           {@code continued} (this rotation's own)
 * @param activeKeysToRetire keys tagged {@code active} that Atlas does not name; would be retired
 * @param adoptCurrentKey    the current key would be tagged as this project's active key
 * @param retiredKeys        every retired or abandoned key and whether it could be deleted now
 * @param settings           the settings the run would use (defaults, the deployment's settings of the
 *                           project, the input's; {@code extraClusterNames} the deployment's and the
 *                           input's together): the clusters whose snapshots the audit lists, the
 *                           pending window, the cooldown, the waits
 */
public record RotationPlan(
        String decision,
        String reason,
        PlannedKey newKey,
        List<String> clustersToWaitFor,
        List<String> busyClusters,
        List<PendingKeyOutcome> pendingKeys,
        List<String> activeKeysToRetire,
        boolean adoptCurrentKey,
        List<PlannedRetirement> retiredKeys,
        RunSettings settings) {

    public RotationPlan {
        clustersToWaitFor = List.copyOf(clustersToWaitFor);
        busyClusters = List.copyOf(busyClusters);
        pendingKeys = List.copyOf(pendingKeys);
        activeKeysToRetire = List.copyOf(activeKeysToRetire);
        retiredKeys = List.copyOf(retiredKeys);
    }

    /**
     * The key a rotation would create.
     *
     * @param region        in the current key's region
     * @param multiRegion   a multi-Region primary when the current key is multi-Region
     * @param policySummary its key policy, one line
     * @param policyRefusal why GrantAtlasAccess would refuse the policy (lockout, unreadable); null when fine
     */
    public record PlannedKey(String region, boolean multiRegion, String policySummary, String policyRefusal) {
    }

    /**
     * A pending key of an earlier run.
     *
     * @param keyId      the key
     * @param rotationId the run that created it
     * @param outcome    {@code resumed}, {@code abandoned} or {@code continued}
     * @param reason     why
     */
    public record PendingKeyOutcome(String keyId, String rotationId, String outcome, String reason) {
    }

    /**
     * A retired or abandoned key in the audit's eyes.
     *
     * @param keyId        the key
     * @param state        its ledger state
     * @param deletableNow the audit would schedule its deletion now
     * @param decision     {@code schedule-deletion}, {@code defer} or {@code refuse}
     * @param safeAfter    for {@code defer}: when nothing known needs it any more
     * @param reasons      why it is kept
     */
    public record PlannedRetirement(String keyId, String state, boolean deletableNow, String decision,
            Instant safeAfter, List<String> reasons) {

        public PlannedRetirement {
            reasons = List.copyOf(reasons);
        }
    }
}
