package io.atlascmk.rotator.rotation;

import io.atlascmk.rotator.kms.KeyService;

/**
 * The deployment's defaults, filled into the workflow by substitution; all required.
 *
 * @param cooldownDays              0 or more
 * @param pendingWindowDays         7 to 30
 * @param settleSeconds             0 to 3600
 * @param deploymentDeadlineSeconds 1 to 86400 (24 h)
 */
public record PreflightDefaults(
        Integer cooldownDays,
        Integer pendingWindowDays,
        Integer settleSeconds,
        Integer deploymentDeadlineSeconds) {

    public PreflightDefaults {
        Inputs.required("cooldownDays", cooldownDays, 0, Integer.MAX_VALUE, "days");
        Inputs.required("pendingWindowDays", pendingWindowDays, KeyService.MIN_PENDING_WINDOW_DAYS,
                KeyService.MAX_PENDING_WINDOW_DAYS, "days");
        Inputs.required("settleSeconds", settleSeconds, 0, Inputs.MAX_SETTLE_SECONDS, "seconds");
        Inputs.required("deploymentDeadlineSeconds", deploymentDeadlineSeconds, 1,
                Inputs.MAX_DEPLOYMENT_DEADLINE_SECONDS, "seconds");
    }
}
