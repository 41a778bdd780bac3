package io.atlascmk.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.atlascmk.infra.config.ProjectConfig;
import io.atlascmk.infra.config.RotatorConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.Aws;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

/** Lambda's 4 KB limit on a function's environment, checked at synth time. */
class LambdaEnvironmentLimitTest {

    private static RotatorConfig configWith(int projects, int clustersEach) {
        List<ProjectConfig> list = new ArrayList<>();
        for (int i = 0; i < projects; i++) {
            List<String> clusters = new ArrayList<>();
            for (int c = 0; c < clustersEach; c++) {
                clusters.add(String.format(Locale.ROOT, "terminated-analytics-cluster-%02d-%02d", i, c));
            }
            list.add(new ProjectConfig(String.format(Locale.ROOT, "%024x", 0x5f1e2d3c4b5aL + i),
                    "64b1c2d3e4f5a6b7c8d9e0f1", "us-east-1", "rate(90 days)", "UTC", 30, 30,
                    List.of("arn:aws:iam::111122223333:role/KeyAdministrators"), clusters));
        }
        return new RotatorConfig(null, true, null, true, "ops@example.com", null, null, null, list);
    }

    @Test
    void measuresTheVariablesAsLambdaDoes_theirJsonWithQuotesEscaped() {
        assertThat(LambdaEnvironmentLimit.measuredBytes(Map.of("A", "b"))).isEqualTo("{\"A\":\"b\"}".length());
        assertThat(LambdaEnvironmentLimit.measuredBytes(Map.of("A", "{\"k\":1}")))
                .isEqualTo("{\"A\":\"{\\\"k\\\":1}\"}".length());
    }

    @Test
    void countsADeployTimeValue_asItsAllowance() {
        assertThat(LambdaEnvironmentLimit.measuredBytes(Map.of("ARN", "arn:" + Aws.PARTITION + ":x")))
                .isEqualTo("{\"ARN\":\"\"}".length() + LambdaEnvironmentLimit.DEPLOY_TIME_VALUE_BYTES);
    }

    @Test
    void acceptsAnEnvironmentOfExactly4096Bytes_andRefusesOneByteMore() {
        int overhead = "{\"V\":\"\"}".length();
        Map<String, String> exactly = Map.of("V", "x".repeat(LambdaEnvironmentLimit.LIMIT_BYTES - overhead));
        Map<String, String> over = Map.of("V", "x".repeat(LambdaEnvironmentLimit.LIMIT_BYTES - overhead + 1));

        LambdaEnvironmentLimit.requireWithinLimit("Preflight", exactly);
        assertThatThrownBy(() -> LambdaEnvironmentLimit.requireWithinLimit("Preflight", over))
                .isInstanceOf(LambdaEnvironmentLimit.TooLargeException.class)
                .hasMessageContaining("4097 bytes");
    }

    @Test
    void thirtyProjectsWithTerminatedClusters_fit_theirSettingsTravelInTheRegistrySeedNotTheEnvironment() throws IOException {
        RotatorConfig config = configWith(30, 2);

        RotatorStack stack = SynthesizedRotator.stack("ThirtyProjects", config);

        Template template = Template.fromStack(stack);
        template.hasResourceProperties("AWS::Lambda::Function", Map.of(
                "Handler", RotatorFunctions.REGISTRY_SEED_HANDLER,
                "Environment", Map.of("Variables", Match.objectLike(Map.of(RegistrySeedFile.FILE_VARIABLE,
                        RegistrySeedFile.FILE_PATH))),
                "Layers", Match.anyValue()));
        template.resourceCountIs("AWS::Lambda::LayerVersion", 1);
        assertThat(template.toJSON().toString()).doesNotContain("ROTATOR_PROJECT_SETTINGS");
    }
}
