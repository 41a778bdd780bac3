package io.atlascmk.rotator.handler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.atlascmk.rotator.rotation.ExecutionSettings;
import io.atlascmk.rotator.rotation.ProjectSettings;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code ROTATOR_PROJECT_SETTINGS}: read strictly, once; every mistake names the variable and the field. */
class ProjectSettingsVariableTest {

    static final String P1 = "5f1e2d3c4b5a69788796a5b4";
    static final String P2 = "6a7b8c9d0e1f2a3b4c5d6e7f";

    @Test
    void readsEachProjectsSettings_asTheStackWritesThem() {
        ProjectSettings settings = ProjectSettingsVariable.parse("{\"" + P1 + "\":{\"cooldownDays\":30,"
                + "\"pendingWindowDays\":30,\"extraClusterNames\":[\"orders-2019-terminated\"],\"minRetirementDays\":45},\"" + P2
                + "\":{\"cooldownDays\":7,\"pendingWindowDays\":14,\"settleSeconds\":60,"
                + "\"deploymentDeadlineSeconds\":3600}}");

        assertThat(settings.forProject(P1)).isEqualTo(new ExecutionSettings(30, 30, null, null,
                List.of("orders-2019-terminated"), 45));
        assertThat(settings.forProject(P2)).isEqualTo(new ExecutionSettings(7, 14, 60, 3600, null));
        assertThat(settings.forProject("0a0b0c0d0e0f0a0b0c0d0e0f")).isNull();
    }

    @Test
    void absentBlankOrEmpty_meansNoPerProjectSettings() {
        assertThat(ProjectSettingsVariable.fromEnvironment(Map.of())).isEqualTo(ProjectSettings.none());
        Map<String, String> blank = new HashMap<>();
        blank.put(ProjectSettingsVariable.NAME, "  ");
        assertThat(ProjectSettingsVariable.fromEnvironment(blank).isEmpty()).isTrue();
        assertThat(ProjectSettingsVariable.parse("{}").isEmpty()).isTrue();
        assertThat(ProjectSettingsVariable.fromEnvironment(Map.of(ProjectSettingsVariable.NAME,
                "{\"" + P1 + "\":{}}")).forProject(P1)).isEqualTo(new ExecutionSettings(null, null, null, null, null));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{\"P1\":{\"pendingWindowDays\":3}}                      | 'P1.pendingWindowDays' must be a whole number of days from 7 to 30, not 3.",
        "{\"P1\":{\"cooldownDays\":-1}}                          | 'P1.cooldownDays' must be a whole number of days >= 0",
        "{\"P1\":{\"deploymentDeadlineSeconds\":0}}              | 'P1.deploymentDeadlineSeconds' must be",
        "{\"P1\":{\"deploymentDeadlineSeconds\":86401}}          | 'P1.deploymentDeadlineSeconds' must be a whole number of seconds from 1 to 86400, not 86401.",
        "{\"P1\":{\"settleSeconds\":3601}}                      | 'P1.settleSeconds' must be a whole number of seconds from 0 to 3600, not 3601.",
        "{\"P1\":{\"pendingWindowDays\":\"30\"}}                 | 'P1.pendingWindowDays' has the wrong type",
        "{\"P1\":{\"extraClusterNames\":\"orders\"}}             | 'P1.extraClusterNames' has the wrong type",
        "{\"P1\":{\"extraClusterNames\":[\"ok\",\"not ok!\"]}}   | 'P1.extraClusterNames[1]' must be an Atlas cluster name",
        "{\"P1\":{\"extraClusterName\":[\"orders\"]}}            | 'P1.extraClusterName' is not a known field",
        "{\"P1\":null}                                           | 'P1' must be a JSON object",
        "{\"P1\":[]}                                             | 'P1' must be a JSON object",
        "{\"not-a-project\":{}}                                  | 'not-a-project' is not an Atlas project id",
        "[]                                                      | the value must be a JSON object",
        "null                                                    | the value must be a JSON object",
        "{\"P1\":{}                                              | the value is not valid JSON",
        "{\"P1\":{},\"P1\":{}}                                   | the value is not valid JSON (Duplicate field",
    })
    void refusesABadValue_namingTheVariableAndTheField(String value, String expected) {
        String json = value.replace("P1", P1);

        assertThatThrownBy(() -> ProjectSettingsVariable.parse(json))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("ROTATOR_PROJECT_SETTINGS is not valid: ")
                .hasMessageContaining(expected.replace("P1", P1))
                .hasMessageContaining("infra/rotator.config.json");
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"P1\":{\"pendingWindowDays\":\"sk-DO-NOT-ECHO\"}}",
        "{\"P1\":{\"extraClusterNames\":[\"sk-DO-NOT-ECHO!\"]}}"})
    void doesNotEchoTheValuesItRefuses(String value) {
        assertThatThrownBy(() -> ProjectSettingsVariable.parse(value.replace("P1", P1)))
                .isInstanceOf(IllegalStateException.class)
                .message().doesNotContain("sk-DO-NOT-ECHO");
    }

    @Test
    void theDeployedFunctionsReadTheSettingsFromTheLayersFile_andAnUnreadableFileIsAClearError(
            @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path file = dir.resolve("project-settings.json");
        java.nio.file.Files.writeString(file, "{\"" + P1 + "\":{\"cooldownDays\":30,\"pendingWindowDays\":21}}");

        ProjectSettings settings = ProjectSettingsVariable.fromEnvironment(Map.of(ProjectSettingsVariable.FILE, file.toString()));

        assertThat(settings.forProject(P1)).isEqualTo(new ExecutionSettings(30, 21, null, null, null));
        assertThatThrownBy(() -> ProjectSettingsVariable.fromEnvironment(
                Map.of(ProjectSettingsVariable.FILE, dir.resolve("missing.json").toString())))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(ProjectSettingsVariable.FILE).hasMessageContaining("ProjectSettings layer");
    }
}
