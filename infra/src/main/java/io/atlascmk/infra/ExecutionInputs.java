package io.atlascmk.infra;

import io.atlascmk.infra.config.ProjectConfig;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The execution inputs the deployed triggers send to the state machine. They have the shapes of
 * {@code events/scheduled-start.json} and {@code events/sweep.json} (the sweep with the project's
 * {@code settings} added), so what the schedules send is what the local runner and the tests exercise.
 *
 * <p>Preflight also reads every registered project's settings from the project registry, which
 * is what makes an alert or a manual start, whose input carries none, run with them. The schedules' inputs keep
 * carrying the same values: they are the same configuration at the same deployment, so nothing changes (the
 * input's numbers equal the project's, and {@code extraClusterNames} is a union), an execution's input shows what
 * it ran with, and a sweep stays safe even against a Preflight function deployed without the variable.
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

    /**
     * The daily sweep of {@code project}: only AuditAndRetire runs, so deferred deletions complete. It carries
     * the two settings AuditAndRetire reads: without {@code extraClusterNames} the sweep would not look at the
     * snapshots of the project's terminated clusters (safety rule 1), and without {@code pendingWindowDays} it
     * would schedule deletions with the deployment's default window instead of the project's.
     */
    public static Map<String, Object> sweep(ProjectConfig project) {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("pendingWindowDays", project.pendingWindowDays());
        settings.put("extraClusterNames", project.extraClusterNames());
        Map<String, Object> input = new LinkedHashMap<>();
        input.put("projectId", project.projectId());
        input.put("trigger", "schedule");
        input.put("mode", "sweep");
        input.put("settings", settings);
        return input;
    }
}
