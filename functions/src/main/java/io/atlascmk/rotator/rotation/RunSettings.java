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
        int minRetirementDays) {

    public RunSettings {
        Inputs.inRange("settleSeconds", settleSeconds, 0, Inputs.MAX_SETTLE_SECONDS, "seconds");
        Inputs.inRange("deploymentDeadlineSeconds", deploymentDeadlineSeconds, 1, Inputs.MAX_DEPLOYMENT_DEADLINE_SECONDS,
                "seconds");
        extraClusterNames = List.copyOf(extraClusterNames);
        Inputs.inRange("minRetirementDays", minRetirementDays, Inputs.MIN_RETIREMENT_DAYS_FLOOR,
                Inputs.MAX_RETIREMENT_DAYS, "days");
    }
}
