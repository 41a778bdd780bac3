package io.atlascmk.infra;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.atlascmk.infra.config.ProjectConfig;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@value #NAME}, the Preflight function's copy of each configured project's settings: a compact JSON
 * object mapping each project id to its {@code cooldownDays}, {@code pendingWindowDays},
 * {@code extraClusterNames} (left out when empty) and {@code minRetirementDays} (left out when not set), in
 * the order of {@code rotator.config.json}.
 *
 * <p>Preflight (functions/: {@code ProjectSettingsVariable}) lays them between the workflow's defaults and an
 * execution input's {@code settings}, with {@code extraClusterNames} the union of the project's and the
 * input's. So every execution of a configured project runs with them, whatever started it: the schedules, an
 * Atlas alert (whose input carries only the project id) or an operator; an execution can never leave out a
 * terminated cluster whose snapshots may still need a retired key.
 */
public final class ProjectSettingsVariable {

    /** The variable's name, as the functions read it. */
    public static final String NAME = "ROTATOR_PROJECT_SETTINGS";
    /**
     * The variable that names the file holding the settings instead (functions/: {@code ProjectSettingsVariable.FILE}):
     * the stack ships them in a Lambda layer, which has no 4 KB limit.
     */
    public static final String FILE_VARIABLE = "ROTATOR_PROJECT_SETTINGS_FILE";
    /** Where the ProjectSettings layer puts the file (layers are unpacked under /opt). */
    public static final String LAYER_DIRECTORY = "atlas-cmk-rotator";
    public static final String FILE_NAME = "project-settings.json";
    public static final String FILE_PATH = "/opt/" + LAYER_DIRECTORY + "/" + FILE_NAME;


    private ProjectSettingsVariable() {
    }

    /** The variable's value for these (validated) projects. */
    public static String value(List<ProjectConfig> projects) {
        Map<String, Object> byProject = new LinkedHashMap<>();
        for (ProjectConfig project : projects) {
            Map<String, Object> settings = new LinkedHashMap<>();
            settings.put("cooldownDays", project.cooldownDays());
            settings.put("pendingWindowDays", project.pendingWindowDays());
            if (!project.extraClusterNames().isEmpty()) {
                settings.put("extraClusterNames", project.extraClusterNames());
            }
            if (project.minRetirementDays() != null) {
                settings.put("minRetirementDays", project.minRetirementDays());
            }
            if (project.adoptedKeys() != null) {
                settings.put("adoptedKeys", project.adoptedKeys());
            }
            if (!project.copyTags().isEmpty()) {
                settings.put("copyTags", project.copyTags());
            }
            byProject.put(project.projectId(), settings);
        }
        try {
            return InfraJson.MAPPER.writeValueAsString(byProject);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
