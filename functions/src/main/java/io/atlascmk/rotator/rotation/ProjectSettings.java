package io.atlascmk.rotator.rotation;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The deployment's own settings per Atlas project: what {@code infra/rotator.config.json} says about
 * each project ({@code cooldownDays}, {@code pendingWindowDays}, {@code extraClusterNames}, and
 * optionally {@code settleSeconds}, {@code deploymentDeadlineSeconds}). The deployed Preflight
 * function reads them from its environment ({@code ROTATOR_PROJECT_SETTINGS}, see
 * {@code io.atlascmk.rotator.handler.ProjectSettingsVariable}), so that every execution of a
 * configured project runs with them whatever started it: a schedule, the daily sweep, an Atlas alert
 * (whose input carries only the project id) or an operator's manual start.
 *
 * <p>{@link PreflightStep} lays them between the workflow's {@code defaults} and the execution
 * input's {@code settings}; see {@link PreflightRequest#settings(ExecutionSettings)} for the rule.
 *
 * @param byProject the settings of each configured project, keyed by project id; a project without an
 *                  entry gets none
 */
public record ProjectSettings(Map<String, ExecutionSettings> byProject) implements ProjectSettingsSource {

    private static final ProjectSettings NONE = new ProjectSettings(Map.of());

    public ProjectSettings {
        Objects.requireNonNull(byProject, "byProject");
        Map<String, ExecutionSettings> copy = new LinkedHashMap<>();
        byProject.forEach((projectId, settings) -> {
            Inputs.projectId("projectId", projectId);
            copy.put(projectId, Objects.requireNonNull(settings, () -> "settings of project " + projectId));
        });
        byProject = Collections.unmodifiableMap(copy);
    }

    /** No per-project settings: every project runs with the workflow's defaults and its input's settings. */
    public static ProjectSettings none() {
        return NONE;
    }

    /** One project's settings. */
    public static ProjectSettings of(String projectId, ExecutionSettings settings) {
        return new ProjectSettings(Map.of(projectId, settings));
    }

    /** The deployment's settings of {@code projectId}, or null when the deployment has none for it. */
    @Override
    public ExecutionSettings forProject(String projectId) {
        return byProject.get(projectId);
    }

    @Override
    public java.util.Set<String> projectIds() {
        return byProject.keySet();
    }

    public boolean isEmpty() {
        return byProject.isEmpty();
    }
}
