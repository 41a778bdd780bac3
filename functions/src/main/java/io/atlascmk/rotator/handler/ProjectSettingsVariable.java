package io.atlascmk.rotator.handler;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import io.atlascmk.rotator.json.Json;
import io.atlascmk.rotator.rotation.ExecutionSettings;
import io.atlascmk.rotator.rotation.Inputs;
import io.atlascmk.rotator.rotation.InvalidInputException;
import io.atlascmk.rotator.rotation.ProjectSettings;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The deployment's per-project settings as the Preflight function receives them: the environment
 * variable {@value #NAME}, a JSON object mapping Atlas project ids to their settings, each with the
 * fields of an execution input's {@code settings}, all optional:
 *
 * <pre>{"5f1e2d3c4b5a69788796a5b4": {"cooldownDays": 30, "pendingWindowDays": 30,
 *   "extraClusterNames": ["orders-2019-terminated"]}}</pre>
 *
 * <p>The CDK stack writes it from {@code infra/rotator.config.json}. It is read strictly, once, when
 * the function starts: invalid JSON, a key that is not a project id, an unknown field, a wrong type or
 * a value out of range stops the function there, with a message naming the variable and the field
 * (for example {@code ROTATOR_PROJECT_SETTINGS is not valid: '5f1e2d3c4b5a69788796a5b4.pendingWindowDays'
 * must be ...}), rather than letting a rotation run without the configured terminated clusters.
 * Absent, blank or {@code {}}: no per-project settings.
 */
public final class ProjectSettingsVariable {

    /** The environment variable's name. */
    public static final String NAME = "ROTATOR_PROJECT_SETTINGS";

    private static final ObjectReader READER = Json.STRICT.reader()
            .with(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private ProjectSettingsVariable() {
    }

    /** The file holding the settings (the deployed functions: the stack's ProjectSettings layer). */
    public static final String FILE = "ROTATOR_PROJECT_SETTINGS_FILE";

    /**
     * The settings in {@code environment}'s {@value #NAME}, or else in the file {@value #FILE} names (the
     * stack ships them in a Lambda layer: no size limit, unlike the 4 KB of a function's variables);
     * {@link ProjectSettings#none()} when neither is set.
     *
     * @throws IllegalStateException when the file cannot be read or the settings are not valid
     */
    public static ProjectSettings fromEnvironment(Map<String, String> environment) {
        String value = environment.get(NAME);
        String file = environment.get(FILE);
        if ((value == null || value.isBlank()) && file != null && !file.isBlank()) {
            try {
                value = java.nio.file.Files.readString(java.nio.file.Path.of(file.trim()), StandardCharsets.UTF_8);
            } catch (java.io.IOException | RuntimeException e) {
                throw new IllegalStateException(FILE + " names " + file.trim() + ", which cannot be read ("
                        + e.getClass().getSimpleName() + "): deploy the function with the stack, whose ProjectSettings"
                        + " layer holds that file, or set " + NAME + " to the settings themselves.", e);
            }
        }
        return parse(value);
    }

    /**
     * The settings in {@code value}.
     *
     * @throws IllegalStateException when the value is not valid; the message names {@value #NAME} and the
     *                               field
     */
    public static ProjectSettings parse(String value) {
        if (value == null || value.isBlank()) {
            return ProjectSettings.none();
        }
        JsonNode root;
        try {
            root = READER.readTree(value);
        } catch (JsonProcessingException e) {
            throw invalid("the value", "is not valid JSON (" + e.getOriginalMessage() + ")");
        }
        if (root == null || !root.isObject()) {
            throw invalid("the value", "must be a JSON object mapping Atlas project ids to their settings");
        }
        Map<String, ExecutionSettings> byProject = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> fields = root.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> entry = fields.next();
            String projectId = entry.getKey();
            if (!Inputs.PROJECT_ID.matcher(projectId).matches()) {
                throw invalid("'" + shorten(projectId) + "'", "is not an Atlas project id (24 lower-case hex digits)");
            }
            if (!entry.getValue().isObject()) {
                throw invalid("'" + projectId + "'", "must be a JSON object");
            }
            byProject.put(projectId, settings(projectId, entry.getValue()));
        }
        return new ProjectSettings(byProject);
    }

    private static ExecutionSettings settings(String projectId, JsonNode node) {
        byte[] bytes = node.toString().getBytes(StandardCharsets.UTF_8);
        try {
            return StepJson.read(new ByteArrayInputStream(bytes), ExecutionSettings.class);
        } catch (InvalidInputException e) {
            String field = "(input)".equals(e.field()) ? projectId : projectId + "." + e.field();
            throw invalid("'" + field + "'", e.problem());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static IllegalStateException invalid(String where, String problem) {
        String text = problem.endsWith(".") ? problem : problem + ".";
        return new IllegalStateException(NAME + " is not valid: " + where + " " + text + " It maps Atlas project"
                + " ids to their settings (cooldownDays, pendingWindowDays, settleSeconds, deploymentDeadlineSeconds,"
                + " extraClusterNames); the stack sets it on the Preflight function from infra/rotator.config.json.");
    }

    private static String shorten(String value) {
        return value.length() <= 40 ? value : value.substring(0, 40) + "...";
    }
}
