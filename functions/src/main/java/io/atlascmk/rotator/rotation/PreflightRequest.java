package io.atlascmk.rotator.rotation;

/**
 * Input of Preflight (see {@code events/preflight.json}): the rotation id, the execution input as it
 * was started, and the deployment's defaults.
 */
public record PreflightRequest(String rotationId, ExecutionInput input, PreflightDefaults defaults) {

    public PreflightRequest {
        Inputs.rotationId("rotationId", rotationId);
        if (input == null) {
            throw new InvalidInputException("input", "is required: the execution input ($), with at least projectId.");
        }
        if (defaults == null) {
            throw new InvalidInputException("defaults", "is required: cooldownDays, pendingWindowDays, settleSeconds,"
                    + " deploymentDeadlineSeconds.");
        }
    }

    /** The defaults with the execution's settings laid over them, field by field. */
    public RunSettings settings() {
        ExecutionSettings s = input.settings();
        return new RunSettings(
                s != null && s.cooldownDays() != null ? s.cooldownDays() : defaults.cooldownDays(),
                s != null && s.pendingWindowDays() != null ? s.pendingWindowDays() : defaults.pendingWindowDays(),
                s != null && s.settleSeconds() != null ? s.settleSeconds() : defaults.settleSeconds(),
                s != null && s.deploymentDeadlineSeconds() != null ? s.deploymentDeadlineSeconds()
                        : defaults.deploymentDeadlineSeconds(),
                s != null && s.extraClusterNames() != null ? s.extraClusterNames() : java.util.List.of(),
                input.isWaitForClusters());
    }
}
