package io.atlascmk.rotator.rotation;

import java.time.Instant;

/**
 * Input of CheckDeployment (see {@code events/check-deployment.json}).
 *
 * @param projectId        Atlas project id
 * @param rotationId       the rotation (execution name)
 * @param newKeyId         the key Atlas was switched to
 * @param switchedAt       when (SwitchAtlasKey's {@code switchedAt})
 * @param attempt          how many checks came before this one (0 first)
 * @param settleSeconds    how long after the switch to keep waiting even when all looks done
 * @param deadlineSeconds  give up ({@code expired}) this long after the switch
 * @param firstWaitSeconds the first wait; later waits double
 * @param maxWaitSeconds   the longest wait
 */
public record CheckDeploymentRequest(
        String projectId,
        String rotationId,
        String newKeyId,
        Instant switchedAt,
        Integer attempt,
        Integer settleSeconds,
        Integer deadlineSeconds,
        Integer firstWaitSeconds,
        Integer maxWaitSeconds) {

    public CheckDeploymentRequest {
        Inputs.projectId("projectId", projectId);
        Inputs.rotationId("rotationId", rotationId);
        newKeyId = Inputs.keyRef("newKeyId", newKeyId);
        if (switchedAt == null) {
            throw new InvalidInputException("switchedAt", "is required: an ISO-8601 instant such as 2026-11-30T10:02:00Z.");
        }
        Inputs.required("attempt", attempt, 0, Integer.MAX_VALUE, "checks");
        Inputs.required("settleSeconds", settleSeconds, 0, Inputs.MAX_SETTLE_SECONDS, "seconds");
        Inputs.required("deadlineSeconds", deadlineSeconds, 1, Inputs.MAX_DEPLOYMENT_DEADLINE_SECONDS, "seconds");
        Inputs.required("firstWaitSeconds", firstWaitSeconds, 1, Integer.MAX_VALUE, "seconds");
        Inputs.required("maxWaitSeconds", maxWaitSeconds, firstWaitSeconds, Integer.MAX_VALUE, "seconds");
    }
}
