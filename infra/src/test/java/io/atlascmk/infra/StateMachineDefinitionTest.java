package io.atlascmk.infra;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The definition the stack deploys (the S3 asset in the cloud assembly, the ASL file's bytes) with the
 * DefinitionSubstitutions of the template: every placeholder filled, numbers as numbers, valid JSON after.
 */
class StateMachineDefinitionTest {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Za-z0-9_]+)}");
    private static final ObjectMapper JSON = new ObjectMapper();

    private static SynthesizedRotator synth;
    private static String deployedDefinition;
    private static Map<String, Object> substitutions;

    @BeforeAll
    @SuppressWarnings("unchecked")
    static void synthesize() throws IOException {
        synth = SynthesizedRotator.get();
        Map<String, Object> stateMachine = (Map<String, Object>) synth.template
                .findResources("AWS::StepFunctions::StateMachine").values().iterator().next();
        Map<String, Object> props = (Map<String, Object>) stateMachine.get("Properties");
        String key = (String) ((Map<String, Object>) props.get("DefinitionS3Location")).get("Key");
        Path asset = synth.assemblyDirectory.resolve("asset." + key);
        deployedDefinition = Files.readString(asset);
        substitutions = (Map<String, Object>) props.get("DefinitionSubstitutions");
    }

    private static Set<String> placeholders(String text) {
        Set<String> names = new TreeSet<>();
        Matcher m = PLACEHOLDER.matcher(text);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    @Test
    void theDeployedDefinitionIsTheAslFile() throws IOException {
        assertThat(deployedDefinition).isEqualTo(Files.readString(synth.definitionFile));
    }

    @Test
    void everyPlaceholderHasASubstitution_andNoSubstitutionIsUnused() {
        Set<String> used = placeholders(deployedDefinition);
        assertThat(used).as("the definition has placeholders to fill").isNotEmpty();
        assertThat(substitutions.keySet()).containsExactlyInAnyOrderElementsOf(used);
    }

    @Test
    void theSubstitutionsCoverTheSampleList() throws IOException {
        @SuppressWarnings("unchecked")
        Map<String, Object> sample = JSON.readValue(
                synth.definitionFile.resolveSibling("sample-substitutions.json").toFile(), Map.class);
        assertThat(substitutions.keySet()).containsExactlyInAnyOrderElementsOf(sample.keySet());
    }

    @Test
    void theExecutionTimeoutIsInTheDefinitionItself_becauseCdkDropsItForAFileDefinition() throws IOException {
        @SuppressWarnings("unchecked")
        Map<String, Object> asl = JSON.readValue(deployedDefinition.replaceAll("\\$\\{(\\w+)\\}", "0"), Map.class);
        assertThat(asl.get("TimeoutSeconds")).as("top-level TimeoutSeconds of the ASL").isNotNull();
        assertThat(deployedDefinition).contains("\"TimeoutSeconds\": ${ExecutionTimeoutSeconds}");
        assertThat(Long.parseLong((String) substitutions.get("ExecutionTimeoutSeconds"))).isGreaterThan(86400 + 3600);
    }

    @Test
    void stepsAreCalledThroughTheirLiveAliases() {
        for (RotatorStep step : RotatorStep.values()) {
            Object value = substitutions.get(step.substitutionName());
            assertThat(PolicyAudit.render(value)).as(step.substitutionName())
                    .startsWith("${Ref:").contains(step.stepName()).contains("Aliaslive");
        }
    }

    @Test
    void numericPlaceholdersAreFilledWithPlainNumbers() {
        for (String name : Set.of("CooldownDays", "PendingWindowDays", "SettleSeconds", "DeploymentDeadlineSeconds",
                "FirstWaitSeconds", "MaxWaitSeconds", "RetryMaxDelaySeconds", "ExecutionTimeoutSeconds")) {
            assertThat(substitutions.get(name)).as(name).isInstanceOf(String.class);
            assertThat((String) substitutions.get(name)).as(name).matches("[0-9]+");
        }
    }

    @Test
    void substitutingEverythingLeavesNoPlaceholderAndValidJson() throws IOException {
        String filled = deployedDefinition;
        for (Map.Entry<String, Object> entry : substitutions.entrySet()) {
            // Token values (alias ARNs, the bus) are resolved by CloudFormation; any text stands in for them.
            String value = entry.getValue() instanceof String s ? s : "resolved-" + entry.getKey();
            filled = filled.replace("${" + entry.getKey() + "}", value);
        }
        assertThat(placeholders(filled)).isEmpty();
        assertThat(filled).doesNotContain("${");
        JsonNode definition = JSON.readTree(filled);
        JsonNode defaults = definition.at("/States/Preflight/Parameters/defaults");
        assertThat(defaults.get("cooldownDays").isInt()).isTrue();
        assertThat(defaults.get("pendingWindowDays").intValue())
                .isEqualTo(synth.config.effectiveWorkflow().pendingWindowDays());
        assertThat(definition.at("/States/NotifyFailure/Parameters/Entries/0/EventBusName").asText())
                .isEqualTo("resolved-EventBusName");
    }
}
