package io.atlascmk.infra;

import io.atlascmk.infra.config.ProjectConfig;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The execution inputs the deployed triggers send to the state machine. They have the shapes of
 * {@code events/scheduled-start.json} and {@code events/sweep.json}, so what the schedules send is what the
 * local runner and the tests already exercise.
 */
public final class ExecutionInputs {

    private ExecutionInputs() {
    }

    /** A scheduled rotation of {@code project}, carrying the project's own settings. */
    public static Map<String, Object> scheduledRotation(ProjectConfig project) {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("cooldownDays", project.cooldownDays());
        settings.put("pendingWindowDays", project.pendingWindowDays());
        settings.put("extraClusterNames", project.extraClusterNames());
        Map<String, Object> input = new LinkedHashMap<>();
        input.put("projectId", project.projectId());
        input.put("trigger", "schedule");
        input.put("settings", settings);
        return input;
    }

    /** The daily sweep of {@code project}: only AuditAndRetire runs, so deferred deletions complete. */
    public static Map<String, Object> sweep(ProjectConfig project) {
        Map<String, Object> input = new LinkedHashMap<>();
        input.put("projectId", project.projectId());
        input.put("trigger", "schedule");
        input.put("mode", "sweep");
        return input;
    }
}
