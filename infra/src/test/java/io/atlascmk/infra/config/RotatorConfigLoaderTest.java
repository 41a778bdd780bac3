package io.atlascmk.infra.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RotatorConfigLoaderTest {

    private static final Path SAMPLE = Path.of(System.getProperty("rotator.repo.root", ".."))
            .resolve("infra").resolve("rotator.config.json");
    private static final Path SOURCE = Path.of("rotator.config.json");

    private static final String PROJECT = """
            {"projectId": "5f1e2d3c4b5a69788796a5b4", "atlasRoleId": "64b1c2d3e4f5a6b7c8d9e0f1",
             "awsRegion": "us-east-1", "schedule": "rate(90 days)", "pendingWindowDays": %s, "cooldownDays": 30,
             "keyAdminPrincipals": ["arn:aws:iam::111122223333:role/KeyAdministrators"]}""";

    private static String configWith(String pendingWindowDays) {
        return """
                {"createAtlasCredentialsSecret": true, "createWebhookSecret": true,
                 "notificationEmail": "ops@example.com", "projects": [%s]}""".formatted(PROJECT.formatted(pendingWindowDays));
    }

    @Test
    void loadsTheSampleConfigurationShippedInTheRepository() {
        RotatorConfig config = RotatorConfigLoader.load(SAMPLE);
        assertThat(config.projects()).hasSizeGreaterThanOrEqualTo(1);
        assertThat(config.createsAtlasCredentialsSecret()).isTrue();
    }

    @Test
    void loadsAMinimalConfiguration_withDefaults() {
        RotatorConfig config = RotatorConfigLoader.parse(SOURCE, configWith("7"));
        assertThat(config.projects().get(0).pendingWindowDays()).isEqualTo(7);
        assertThat(config.projects().get(0).effectiveTimeZone()).isEqualTo("UTC");
        assertThat(config.projects().get(0).extraClusterNames()).isEmpty();
    }

    @Test
    void namesTheFieldAndTheFixInTheMessage() {
        assertThatThrownBy(() -> RotatorConfigLoader.parse(SOURCE, configWith("3")))
                .isInstanceOf(InvalidRotatorConfigException.class)
                .hasMessageContaining("projects[0].pendingWindowDays is 3: it must be between 7 and 30 (KMS's pending window)")
                .satisfies(e -> assertThat(((InvalidRotatorConfigException) e).problems()).hasSize(1));
    }

    @Test
    void rejectsAnUnknownFieldWithItsPath() {
        String json = configWith("7").replace("\"cooldownDays\"", "\"coolDownDays\": 1, \"cooldownDays\"");
        assertThatThrownBy(() -> RotatorConfigLoader.parse(SOURCE, json))
                .hasMessageContaining("projects[0].coolDownDays is not a known field");
    }

    @Test
    void rejectsAQuotedNumber() {
        assertThatThrownBy(() -> RotatorConfigLoader.parse(SOURCE, configWith("\"7\"")))
                .hasMessageContaining("projects[0].pendingWindowDays has the wrong type: expected a whole number");
    }

    @Test
    void rejectsAFractionalNumberInsteadOfTruncatingIt() {
        assertThatThrownBy(() -> RotatorConfigLoader.parse(SOURCE, configWith("7.5")))
                .hasMessageContaining("projects[0].pendingWindowDays has the wrong type");
    }

    @Test
    void rejectsAStringWhereAListBelongs() {
        String json = configWith("7").replace("[\"arn:aws:iam::111122223333:role/KeyAdministrators\"]",
                "\"arn:aws:iam::111122223333:role/KeyAdministrators\"");
        assertThatThrownBy(() -> RotatorConfigLoader.parse(SOURCE, json))
                .hasMessageContaining("projects[0].keyAdminPrincipals has the wrong type: expected a list");
    }

    @Test
    void rejectsMalformedJsonWithItsLine() {
        assertThatThrownBy(() -> RotatorConfigLoader.parse(SOURCE, "{\n  \"projects\": [\n}"))
                .hasMessageContaining("is not valid JSON").hasMessageContaining("line 3");
    }

    @Test
    void rejectsADuplicateField() {
        String json = configWith("7").replace("\"cooldownDays\": 30", "\"cooldownDays\": 30, \"cooldownDays\": 1");
        assertThatThrownBy(() -> RotatorConfigLoader.parse(SOURCE, json)).hasMessageContaining("cooldownDays");
    }

    @Test
    void rejectsAMissingFile(@TempDir Path dir) {
        assertThatThrownBy(() -> RotatorConfigLoader.load(dir.resolve("absent.json")))
                .hasMessageContaining("the file does not exist");
    }

    @Test
    void rejectsAnEmptyObject(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("c.json"), "{}");
        assertThatThrownBy(() -> RotatorConfigLoader.load(file))
                .isInstanceOf(InvalidRotatorConfigException.class)
                .hasMessageContaining("projects is missing")
                .hasMessageContaining("notificationEmail is missing")
                .hasMessageContaining("atlasCredentialsSecretArn is missing");
    }
}
