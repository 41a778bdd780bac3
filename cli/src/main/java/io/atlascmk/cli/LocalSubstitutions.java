package io.atlascmk.cli;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The workflow's {@code ${...}} values for a run on this machine: each step's "function ARN" is its
 * name on the local Lambda endpoint, and the tunables are the deployment's defaults (as in
 * {@code infra/rotator.config.json}'s {@code workflow}), except those the caller chooses.
 */
public final class LocalSubstitutions {

    /** Settle, deadline, waits and retry cap as deployed by default; the execution timeout outlasts their caps. */
    private static final Map<String, Object> TUNABLES = Map.of(
            "SettleSeconds", 300,
            "DeploymentDeadlineSeconds", 21600,
            "FirstWaitSeconds", 60,
            "MaxWaitSeconds", 900,
            "RetryMaxDelaySeconds", 60,
            "ExecutionTimeoutSeconds", 181920);

    private LocalSubstitutions() {
    }

    /** A mutable map, so a scenario can still change a tunable. */
    public static Map<String, Object> of(Iterable<String> steps, String eventBusName, String lockTableName,
            int cooldownDays, int pendingWindowDays) {
        Map<String, Object> values = new LinkedHashMap<>();
        steps.forEach(step -> values.put(step + "FunctionArn", step));
        values.put("EventBusName", eventBusName);
        values.put("LockTableName", lockTableName);
        values.put("CooldownDays", cooldownDays);
        values.put("PendingWindowDays", pendingWindowDays);
        values.putAll(TUNABLES);
        return values;
    }
}
