package io.atlascmk.rotator.rotation;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Input of Preflight (see {@code events/preflight.json}): the rotation id, the execution input as it
 * was started, and the workflow's defaults (from the state machine definition's substitutions). The
 * deployment's per-project settings are not part of it: Preflight has them from its environment
 * ({@link ProjectSettings}).
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

    /** The defaults with the execution's settings laid over them, field by field (no deployment settings). */
    public RunSettings settings() {
        return settings(null);
    }

    /**
     * The settings the run uses. {@code pendingWindowDays} is the larger of the input's and the
     * deployment's (else the workflow default's): an input can make a deletion wait longer, never shorter
     * (the deployed IAM refuses a shorter window anyway). For {@code cooldownDays},
     * {@code settleSeconds} and {@code deploymentDeadlineSeconds}, field by field, the first that is
     * given of: the execution input's {@code settings}, the deployment's settings of the project
     * ({@code deployment}), the workflow's {@code defaults}. {@code extraClusterNames} is the union of
     * the deployment's and the input's (the deployment's first, no duplicates): an input can add
     * terminated clusters but never drop one the deployment configured, so the audit always lists the
     * snapshots of every configured cluster (safety rule 1), whatever started the execution.
     * {@code minRetirementDays} is the larger of the input's and the deployment's (or, without one,
     * {@value Inputs#DEFAULT_MIN_RETIREMENT_DAYS}): an input can make a key wait longer, never shorter.
     * {@code adoptedKeys} is {@code keep} when either says so: an input can keep adopted keys, never delete them.
     *
     * @param deployment the deployment's settings of this project; null when it has none
     */
    public RunSettings settings(ExecutionSettings deployment) {
        ExecutionSettings s = input.settings();
        ExecutionSettings d = deployment;
        return new RunSettings(
                first(s == null ? null : s.cooldownDays(), d == null ? null : d.cooldownDays(),
                        defaults.cooldownDays()),
                Math.max(s == null || s.pendingWindowDays() == null ? 0 : s.pendingWindowDays(),
                        first(null, d == null ? null : d.pendingWindowDays(), defaults.pendingWindowDays())),
                first(s == null ? null : s.settleSeconds(), d == null ? null : d.settleSeconds(),
                        defaults.settleSeconds()),
                first(s == null ? null : s.deploymentDeadlineSeconds(), d == null ? null : d.deploymentDeadlineSeconds(),
                        defaults.deploymentDeadlineSeconds()),
                union(d == null ? null : d.extraClusterNames(), s == null ? null : s.extraClusterNames()),
                input.isWaitForClusters(),
                Math.max(s == null || s.minRetirementDays() == null ? 0 : s.minRetirementDays(),
                        d == null || d.minRetirementDays() == null ? Inputs.DEFAULT_MIN_RETIREMENT_DAYS
                                : d.minRetirementDays()),
                Inputs.ADOPTED_KEEP.equals(s == null ? null : s.adoptedKeys())
                        || Inputs.ADOPTED_KEEP.equals(d == null ? null : d.adoptedKeys())
                        ? Inputs.ADOPTED_KEEP : Inputs.ADOPTED_DELETE_WHEN_UNUSED,
                union(d == null ? null : d.copyTags(), s == null ? null : s.copyTags()),
                firstText(s == null ? null : s.method(), d == null ? null : d.method(), Inputs.METHOD_NEW_KEY),
                first(s == null ? null : s.rotationPeriodDays(), d == null ? null : d.rotationPeriodDays(),
                        Inputs.DEFAULT_ROTATION_PERIOD_DAYS));
    }

    private static String firstText(String input, String deployment, String fallback) {
        return input != null ? input : deployment != null ? deployment : fallback;
    }

    private static int first(Integer input, Integer deployment, int fallback) {
        return input != null ? input : deployment != null ? deployment : fallback;
    }

    private static List<String> union(List<String> deployment, List<String> input) {
        Set<String> names = new LinkedHashSet<>();
        if (deployment != null) {
            names.addAll(deployment);
        }
        if (input != null) {
            names.addAll(input);
        }
        return List.copyOf(names);
    }
}
