package io.atlascmk.infra;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.atlascmk.infra.config.ProjectConfig;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The seed of the project registry: every configured project as the registry holds it (functions/:
 * {@code RegisteredProject}), a JSON array shipped in a layer at {@value #FILE_PATH}. At each deploy the
 * RegistrySeed custom resource writes it into the stack's table; projects registered by an operator
 * ({@code ./rotator projects add}) are never overwritten.
 */
public final class RegistrySeedFile {

    /** Where the layer puts it (layers are unpacked under /opt). */
    public static final String LAYER_DIRECTORY = "atlas-cmk-rotator";
    public static final String FILE_NAME = "registry-seed.json";
    public static final String FILE_PATH = "/opt/" + LAYER_DIRECTORY + "/" + FILE_NAME;
    /** The variable that names it (functions/: {@code RegistrySeedHandler}). */
    public static final String FILE_VARIABLE = "ROTATOR_REGISTRY_SEED_FILE";

    private RegistrySeedFile() {
    }

    /** The file's content for these (validated) projects, in the configuration's order. */
    public static String value(List<ProjectConfig> projects) {
        List<Map<String, Object>> out = new ArrayList<>();
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
            if (project.method() != null) {
                settings.put("method", project.method());
            }
            if (project.rotationPeriodDays() != null) {
                settings.put("rotationPeriodDays", project.rotationPeriodDays());
            }
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("projectId", project.projectId());
            entry.put("awsRegion", project.awsRegion());
            entry.put("schedule", project.schedule());
            entry.put("scheduleTimeZone", project.effectiveTimeZone());
            entry.put("settings", settings);
            if (project.keyAccountRoleArn() != null) {
                entry.put("keyAccountRoleArn", project.keyAccountRoleArn());
                entry.put("keyAccountExternalId", project.keyAccountExternalId());
            }
            out.add(entry);
        }
        try {
            return InfraJson.MAPPER.writeValueAsString(out);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
