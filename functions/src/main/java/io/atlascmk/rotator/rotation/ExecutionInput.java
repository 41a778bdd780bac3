package io.atlascmk.rotator.rotation;

import java.util.Set;

/**
 * What an execution is started with: the files in {@code events/} ({@code manual-start.json},
 * {@code scheduled-start.json}, {@code dry-run.json}, {@code force-start.json}, {@code sweep.json}).
 *
 * @param projectId       required: the Atlas project id (24 lower-case hex digits)
 * @param trigger         what started it: {@code schedule}, {@code manual}, {@code alert} or {@code fleet} (a fleet run's
 *                        child); {@code unspecified} when left out. The workflow's events carry it.
 * @param dryRun          report the plan and change nothing (default false)
 * @param force           rotate inside the cooldown (default false); never overrides the lock
 * @param mode            {@code rotate} (default) or {@code sweep} (audit retired keys only)
 * @param waitForClusters when AWS-encrypted clusters are busy, rotate anyway and let AwaitDeployment
 *                        wait for them (default false: refuse)
 * @param alertId         the Atlas alert that started an alert-triggered run (optional)
 * @param settings        overrides of the deployment's settings and defaults (optional); its
 *                        {@code extraClusterNames} add to the deployment's (see {@link ExecutionSettings})
 */
public record ExecutionInput(
        String projectId,
        String trigger,
        Boolean dryRun,
        Boolean force,
        String mode,
        Boolean waitForClusters,
        String alertId,
        ExecutionSettings settings) {

    public static final String MODE_ROTATE = "rotate";
    public static final String MODE_SWEEP = "sweep";
    /** The trigger of an input that names none. */
    public static final String TRIGGER_UNSPECIFIED = "unspecified";

    public ExecutionInput {
        Inputs.projectId("projectId", projectId);
        trigger = Inputs.oneOf("trigger", trigger, TRIGGER_UNSPECIFIED, Set.of("schedule", "manual", "alert", "fleet"));
        mode = Inputs.oneOf("mode", mode, MODE_ROTATE, Set.of(MODE_ROTATE, MODE_SWEEP));
        if (alertId != null && (alertId.isBlank() || alertId.length() > 64)) {
            throw new InvalidInputException("alertId", "must be the Atlas alert id (1 to 64 characters) or left out.");
        }
    }

    public boolean isDryRun() {
        return Inputs.flag(dryRun);
    }

    public boolean isForce() {
        return Inputs.flag(force);
    }

    public boolean isWaitForClusters() {
        return Inputs.flag(waitForClusters);
    }

    public boolean isSweep() {
        return MODE_SWEEP.equals(mode);
    }
}
