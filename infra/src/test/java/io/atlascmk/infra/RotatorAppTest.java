package io.atlascmk.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.atlascmk.infra.config.InvalidRotatorConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

/**
 * The app as {@code cdk synth} runs it, from context values, with a configuration that uses existing secrets
 * and a custom Atlas base URL (the other tests cover created secrets).
 */
class RotatorAppTest {

    private static final String ATLAS_SECRET = "arn:aws:secretsmanager:eu-west-1:111122223333:secret:atlas/creds-AbC123";
    private static final String WEBHOOK_SECRET = "arn:aws:secretsmanager:eu-west-1:111122223333:secret:atlas/webhook";
    private static final String CONFIG = """
            {
              "atlasCredentialsSecretArn": "%s",
              "webhookSecretArn": "%s",
              "notificationEmail": "keys@example.com",
              "atlasBaseUrl": "https://cloud-qa.mongodb.com",
              "sweepSchedule": "cron(15 2 * * ? *)",
              "workflow": {"settleSeconds": 120},
              "projects": [{
                "projectId": "0a0b0c0d0e0f0a0b0c0d0e0f", "atlasRoleId": "64b1c2d3e4f5a6b7c8d9e0f1",
                "awsRegion": "eu-west-1", "schedule": "rate(30 days)", "pendingWindowDays": 7, "cooldownDays": 0,
                "keyAdminPrincipals": ["arn:aws:iam::111122223333:role/KeyAdministrators"]
              }]
            }""".formatted(ATLAS_SECRET, WEBHOOK_SECRET);

    private static Template template;
    private static Map<String, Object> json;

    @BeforeAll
    static void synthesize(@TempDir Path dir) throws IOException {
        Path config = Files.writeString(dir.resolve("rotator.config.json"), CONFIG);
        Path jar = Files.write(dir.resolve("functions.jar"), new byte[] {'P', 'K', 5, 6, 0, 0, 0, 0, 0, 0, 0, 0,
                0, 0, 0, 0, 0, 0, 0, 0, 0, 0});
        App app = new App(AppProps.builder()
                .outdir(dir.resolve("cdk.out").toString())
                .context(Map.of("config", config.toString(), "functionsJar", jar.toString(),
                        "repoRoot", SynthesizedRotator.REPO_ROOT.toString(), "stackName", "FromContext"))
                .build());
        RotatorStack stack = RotatorApp.stackFrom(app);
        assertThat(stack.getStackName()).isEqualTo("FromContext");
        template = Template.fromStack(stack);
        json = template.toJSON();
    }

    @Test
    void existingSecretsAreUsed_notCreated() {
        template.resourceCountIs("AWS::SecretsManager::Secret", 0);
        template.hasOutput("AtlasCredentialsSecretArn", Map.of("Value", ATLAS_SECRET));
    }

    @Test
    void existingSecretsAreReadableOnlyByTheirFunctions() {
        List<Map<String, Object>> reads = PolicyAudit.statements(json).stream()
                .filter(s -> PolicyAudit.strings(s.get("Action")).contains("secretsmanager:GetSecretValue"))
                .toList();
        long atlasCallers = Arrays.stream(RotatorStep.values()).filter(RotatorStep::callsAtlas).count();
        assertThat(reads).filteredOn(s -> PolicyAudit.resources(s.get("Resource")).equals(List.of(ATLAS_SECRET)))
                .hasSize((int) atlasCallers);
        // A partial ARN (no random suffix) is matched with the six-character suffix wildcard, nothing wider.
        assertThat(reads).filteredOn(s -> PolicyAudit.resources(s.get("Resource")).equals(List.of(WEBHOOK_SECRET + "-??????")))
                .hasSize(1);
        assertThat(reads).hasSize((int) atlasCallers + 1);
    }

    @Test
    void theAtlasBaseUrlReachesEveryStep_notTheWebhook() {
        for (RotatorStep step : RotatorStep.values()) {
            template.hasResourceProperties("AWS::Lambda::Function", Map.of(
                    "Handler", step.handler(),
                    "Environment", Map.of("Variables", Match.objectLike(Map.of(
                            "ATLAS_BASE_URL", "https://cloud-qa.mongodb.com", "ATLAS_SECRET_ARN", ATLAS_SECRET)))));
        }
        template.hasResourceProperties("AWS::Lambda::Function", Map.of(
                "Handler", RotatorFunctions.WEBHOOK_HANDLER,
                "Environment", Map.of("Variables", Match.objectEquals(Map.of(
                        "WEBHOOK_SECRET_ARN", WEBHOOK_SECRET,
                        "ROTATOR_EVENT_BUS_NAME", Match.anyValue(),
                        "ROTATOR_LOCK_TABLE", Match.anyValue())))));
    }

    @Test
    void theStateMachineIsNamedAfterTheStackFromContext() {
        template.hasResourceProperties("AWS::StepFunctions::StateMachine",
                Map.of("StateMachineName", "FromContext-rotation"));
    }

    @Test
    void aStackNameTooLongForTheStateMachineNameStopsTheAppWithTheLimit(@TempDir Path dir) throws IOException {
        Path config = Files.writeString(dir.resolve("c.json"), CONFIG);
        Path jar = Files.write(dir.resolve("f.jar"), new byte[] {'P', 'K', 5, 6});
        String stackName = "A".repeat(72);
        App app = new App(AppProps.builder().outdir(dir.resolve("out").toString())
                .context(Map.of("config", config.toString(), "functionsJar", jar.toString(),
                        "repoRoot", SynthesizedRotator.REPO_ROOT.toString(), "stackName", stackName))
                .build());
        assertThatThrownBy(() -> RotatorApp.stackFrom(app)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'" + stackName + "' is too long")
                .hasMessageContaining("at most 71 characters");
    }

    @Test
    void workflowTuningAndTheSweepScheduleComeFromTheFile() {
        template.hasResourceProperties("AWS::StepFunctions::StateMachine", Map.of(
                "DefinitionSubstitutions", Match.objectLike(Map.of("SettleSeconds", "120", "PendingWindowDays", "30"))));
        template.hasResourceProperties("AWS::Scheduler::Schedule", Map.of(
                "ScheduleExpression", "cron(15 2 * * ? *)", "ScheduleExpressionTimezone", "UTC"));
    }

    @Test
    void keyPermissionsFollowTheDeploymentAndRegion() {
        assertThat(PolicyAudit.kmsViolationsInTemplate(json, "FromContext")).isEmpty();
        assertThat(PolicyAudit.kmsViolationsInTemplate(json, "AtlasCmkRotator")).isNotEmpty();
        List<String> keyResources = PolicyAudit.statements(json).stream()
                .filter(s -> PolicyAudit.strings(s.get("Action")).contains("kms:ScheduleKeyDeletion"))
                .flatMap(s -> PolicyAudit.resources(s.get("Resource")).stream()).toList();
        assertThat(keyResources).singleElement().asString().contains(":kms:eu-west-1:").endsWith(":key/*");
    }

    @Test
    void aBadConfigurationStopsTheAppWithTheFieldToFix(@TempDir Path dir) throws IOException {
        Path config = Files.writeString(dir.resolve("c.json"), CONFIG.replace("\"pendingWindowDays\": 7",
                "\"pendingWindowDays\": 3"));
        App app = new App(AppProps.builder().outdir(dir.resolve("out").toString())
                .context(Map.of("config", config.toString())).build());
        assertThatThrownBy(() -> RotatorApp.stackFrom(app)).isInstanceOf(InvalidRotatorConfigException.class)
                .hasMessageContaining("projects[0].pendingWindowDays is 3: it must be between 7 and 30");
    }

    @Test
    void aMissingFunctionsJarSaysHowToBuildIt(@TempDir Path dir) throws IOException {
        Path config = Files.writeString(dir.resolve("c.json"), CONFIG);
        App app = new App(AppProps.builder().outdir(dir.resolve("out").toString())
                .context(Map.of("config", config.toString(), "functionsJar", dir.resolve("absent.jar").toString()))
                .build());
        assertThatThrownBy(() -> RotatorApp.stackFrom(app)).isInstanceOf(RotatorApp.FunctionsJarMissingException.class)
                .hasMessageContaining("mvn -pl functions -am package");
    }
}
