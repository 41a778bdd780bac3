package io.atlascmk.infra.config;

/**
 * Workflow tuning that becomes the state machine's numeric {@code ${...}} substitutions. Every field is
 * optional in the file; {@link #effective()} fills the gaps with {@link #STANDARD}.
 *
 * @param cooldownDays              default minimum days between two rotations (an execution input may override it)
 * @param pendingWindowDays         default KMS deletion waiting period, 7 to 30 days
 * @param settleSeconds             how long Atlas must look finished before the rotation counts as deployed
 * @param deploymentDeadlineSeconds how long to wait for Atlas to re-wrap every cluster before giving up
 * @param firstWaitSeconds          first wait between two deployment checks
 * @param maxWaitSeconds            longest wait between two deployment checks (the wait grows up to it)
 * @param retryMaxDelaySeconds      cap of the backoff between two retries of a failed step
 */
public record WorkflowDefaults(
        Integer cooldownDays,
        Integer pendingWindowDays,
        Integer settleSeconds,
        Integer deploymentDeadlineSeconds,
        Integer firstWaitSeconds,
        Integer maxWaitSeconds,
        Integer retryMaxDelaySeconds) {

    /**
     * The longest {@code deploymentDeadlineSeconds} (24 h), here and in an execution input (the
     * functions' {@code Inputs.MAX_DEPLOYMENT_DEADLINE_SECONDS}, same value): the state machine's timeout
     * is sized from it, so that no allowed deadline lets an execution time out after the key switch.
     */
    public static final int MAX_DEPLOYMENT_DEADLINE_SECONDS = 86_400;

    /** The longest {@code settleSeconds} (1 h); see {@link #MAX_DEPLOYMENT_DEADLINE_SECONDS}. */
    public static final int MAX_SETTLE_SECONDS = 3_600;

    /** The values used when the configuration file says nothing. */
    public static final WorkflowDefaults STANDARD = new WorkflowDefaults(30, 30, 300, 21600, 60, 900, 60);

    /** This record with every missing value taken from {@link #STANDARD}. */
    public WorkflowDefaults effective() {
        return new WorkflowDefaults(
                or(cooldownDays, STANDARD.cooldownDays),
                or(pendingWindowDays, STANDARD.pendingWindowDays),
                or(settleSeconds, STANDARD.settleSeconds),
                or(deploymentDeadlineSeconds, STANDARD.deploymentDeadlineSeconds),
                or(firstWaitSeconds, STANDARD.firstWaitSeconds),
                or(maxWaitSeconds, STANDARD.maxWaitSeconds),
                or(retryMaxDelaySeconds, STANDARD.retryMaxDelaySeconds));
    }

    private static Integer or(Integer value, Integer fallback) {
        return value == null ? fallback : value;
    }
}
