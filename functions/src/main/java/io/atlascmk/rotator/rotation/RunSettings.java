package io.atlascmk.rotator.rotation;

import java.util.List;

/** The settings the rest of the workflow runs with ({@code $.run.settings}): defaults plus overrides. */
public record RunSettings(
        int cooldownDays,
        int pendingWindowDays,
        int settleSeconds,
        int deploymentDeadlineSeconds,
        List<String> extraClusterNames,
        boolean waitForClusters,
        int minRetirementDays,
        String adoptedKeys,
        List<String> copyTags,
        String method,
        int rotationPeriodDays) {

    /** Settings of the {@code new-key} method. */
    public RunSettings(int cooldownDays, int pendingWindowDays, int settleSeconds, int deploymentDeadlineSeconds,
                       List<String> extraClusterNames, boolean waitForClusters, int minRetirementDays, String adoptedKeys,
                       List<String> copyTags) {
        this(cooldownDays, pendingWindowDays, settleSeconds, deploymentDeadlineSeconds, extraClusterNames, waitForClusters,
                minRetirementDays, adoptedKeys, copyTags, Inputs.METHOD_NEW_KEY, Inputs.DEFAULT_ROTATION_PERIOD_DAYS);
    }

    /** Whether KMS rotates the key's material instead of a new key replacing it. */
    public boolean rotatesKeyMaterial() {
        return Inputs.METHOD_KEY_MATERIAL.equals(method);
    }

    /** Settings that delete adopted keys once nothing needs them (the default). */
    public RunSettings(int cooldownDays, int pendingWindowDays, int settleSeconds, int deploymentDeadlineSeconds,
                       List<String> extraClusterNames, boolean waitForClusters, int minRetirementDays) {
        this(cooldownDays, pendingWindowDays, settleSeconds, deploymentDeadlineSeconds, extraClusterNames,
                waitForClusters, minRetirementDays, Inputs.ADOPTED_DELETE_WHEN_UNUSED, List.of());
    }

    public RunSettings {
        Inputs.inRange("settleSeconds", settleSeconds, 0, Inputs.MAX_SETTLE_SECONDS, "seconds");
        Inputs.inRange("deploymentDeadlineSeconds", deploymentDeadlineSeconds, 1, Inputs.MAX_DEPLOYMENT_DEADLINE_SECONDS,
                "seconds");
        extraClusterNames = List.copyOf(extraClusterNames);
        Inputs.inRange("minRetirementDays", minRetirementDays, Inputs.MIN_RETIREMENT_DAYS_FLOOR,
                Inputs.MAX_RETIREMENT_DAYS, "days");
        if (adoptedKeys == null) {
            adoptedKeys = Inputs.ADOPTED_DELETE_WHEN_UNUSED;
        }
        Inputs.adoptedKeys("adoptedKeys", adoptedKeys);
        copyTags = Inputs.copyTags("copyTags", copyTags);
        method = method == null ? Inputs.METHOD_NEW_KEY : Inputs.method("method", method);
        Inputs.inRange("rotationPeriodDays", rotationPeriodDays, Inputs.MIN_ROTATION_PERIOD_DAYS,
                Inputs.MAX_ROTATION_PERIOD_DAYS, "days");
    }
}
