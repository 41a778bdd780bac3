package io.atlascmk.rotator.rotation;

import io.atlascmk.rotator.kms.KeyService;
import java.util.List;

/**
 * The {@code settings} of an execution input, and the shape of one project's entry in the deployment's
 * per-project settings ({@link ProjectSettings}); every field is optional. In an execution input each
 * numeric field given overrides the deployment's setting of the project and the workflow's default of
 * the same name; {@code extraClusterNames} is added to the deployment's, never replaces them (see
 * {@link PreflightRequest#settings(ExecutionSettings)}).
 *
 * @param cooldownDays              no rotation within this many days of the last one (0: none)
 * @param pendingWindowDays         KMS pending window for deletions, 7 to 30
 * @param settleSeconds             wait this long after the switch even when all looks done, 0 to 3600
 * @param deploymentDeadlineSeconds give up waiting for Atlas this long after the switch, 1 to 86400 (24 h)
 * @param extraClusterNames         clusters that no longer exist but may keep snapshots
 * @param minRetirementDays         a retired key is never deleted sooner after its retirement, at least
 *                                  {@value Inputs#MIN_RETIREMENT_DAYS_FLOOR}; an execution input can
 *                                  lengthen the project's value, never shorten it
 * @param adoptedKeys               {@code keep} or {@code delete-when-unused} (the default): what happens to a
 *                                  key the rotator adopted; an input can make it {@code keep}, never the reverse
 * @param copyTags                  tag keys each new key takes from the key it replaces (an input adds to the
 *                                  project's)
 * @param method                    {@code new-key} (the default: a new key per rotation) or {@code key-material}
 *                                  (KMS rotates the key's material, automatically and on demand; the key id never
 *                                  changes, Atlas is not touched, nothing is deleted)
 * @param rotationPeriodDays        with {@code key-material}: KMS's automatic rotation period, 90 to 2560 days
 *                                  (default 365)
 */
public record ExecutionSettings(
        Integer cooldownDays,
        Integer pendingWindowDays,
        Integer settleSeconds,
        Integer deploymentDeadlineSeconds,
        List<String> extraClusterNames,
        Integer minRetirementDays,
        String adoptedKeys,
        List<String> copyTags,
        String method,
        Integer rotationPeriodDays) {

    /** Settings that leave the rotation method as the project or the default has it. */
    public ExecutionSettings(Integer cooldownDays, Integer pendingWindowDays, Integer settleSeconds,
                             Integer deploymentDeadlineSeconds, List<String> extraClusterNames, Integer minRetirementDays,
                             String adoptedKeys, List<String> copyTags) {
        this(cooldownDays, pendingWindowDays, settleSeconds, deploymentDeadlineSeconds, extraClusterNames,
                minRetirementDays, adoptedKeys, copyTags, null, null);
    }

    /** Settings that leave the minimum retirement age and adopted keys as the project or the default has them. */
    public ExecutionSettings(Integer cooldownDays, Integer pendingWindowDays, Integer settleSeconds,
                             Integer deploymentDeadlineSeconds, List<String> extraClusterNames) {
        this(cooldownDays, pendingWindowDays, settleSeconds, deploymentDeadlineSeconds, extraClusterNames, null, null, null);
    }

    /** Settings that leave adopted keys as the project or the default has them. */
    public ExecutionSettings(Integer cooldownDays, Integer pendingWindowDays, Integer settleSeconds,
                             Integer deploymentDeadlineSeconds, List<String> extraClusterNames, Integer minRetirementDays) {
        this(cooldownDays, pendingWindowDays, settleSeconds, deploymentDeadlineSeconds, extraClusterNames,
                minRetirementDays, null, null);
    }

    public ExecutionSettings {
        if (cooldownDays != null) {
            Inputs.inRange("cooldownDays", cooldownDays, 0, Integer.MAX_VALUE, "days");
        }
        if (pendingWindowDays != null) {
            Inputs.inRange("pendingWindowDays", pendingWindowDays, KeyService.MIN_PENDING_WINDOW_DAYS,
                    KeyService.MAX_PENDING_WINDOW_DAYS, "days");
        }
        if (settleSeconds != null) {
            Inputs.inRange("settleSeconds", settleSeconds, 0, Inputs.MAX_SETTLE_SECONDS, "seconds");
        }
        if (deploymentDeadlineSeconds != null) {
            Inputs.inRange("deploymentDeadlineSeconds", deploymentDeadlineSeconds, 1,
                    Inputs.MAX_DEPLOYMENT_DEADLINE_SECONDS, "seconds");
        }
        if (minRetirementDays != null) {
            Inputs.inRange("minRetirementDays", minRetirementDays, Inputs.MIN_RETIREMENT_DAYS_FLOOR,
                    Inputs.MAX_RETIREMENT_DAYS, "days");
        }
        Inputs.adoptedKeys("adoptedKeys", adoptedKeys);
        Inputs.method("method", method);
        if (rotationPeriodDays != null) {
            Inputs.inRange("rotationPeriodDays", rotationPeriodDays, Inputs.MIN_ROTATION_PERIOD_DAYS,
                    Inputs.MAX_ROTATION_PERIOD_DAYS, "days");
        }
        copyTags = copyTags == null ? null : Inputs.copyTags("copyTags", copyTags);
        extraClusterNames = extraClusterNames == null ? null
                : Inputs.clusterNames("extraClusterNames", extraClusterNames);
    }
}
