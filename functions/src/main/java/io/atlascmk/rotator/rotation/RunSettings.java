package io.atlascmk.rotator.rotation;

import java.util.List;

/** The settings the rest of the workflow runs with ({@code $.run.settings}): defaults plus overrides. */
public record RunSettings(
        int cooldownDays,
        int pendingWindowDays,
        int settleSeconds,
        int deploymentDeadlineSeconds,
        List<String> extraClusterNames,
        boolean waitForClusters) {

    public RunSettings {
        extraClusterNames = List.copyOf(extraClusterNames);
    }
}
