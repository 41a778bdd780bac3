package io.atlascmk.infra;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The definition the stack deploys (the template's DefinitionString: the ASL file with its settings
 * applied) with the DefinitionSubstitutions of the template: every placeholder filled, numbers as numbers,
 * valid JSON before and after.
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
        deployedDefinition = (String) props.get("DefinitionString");
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

    /** The settings the stack sets on the parsed definition rather than through a placeholder. */
    private static final Set<String> SETTINGS = Set.of("ExecutionTimeoutSeconds", "RetryMaxDelaySeconds");

    @Test
    void theAslFileIsPlainJson_andTheDeployedDefinitionIsIt_butForItsSettings() throws IOException {
        JsonNode file = JSON.readTree(Files.readString(synth.definitionFile));
        ObjectNode deployed = (ObjectNode) JSON.readTree(deployedDefinition);

        deployed.set("TimeoutSeconds", file.get("TimeoutSeconds"));
        deployed.findValues("Retry").forEach(retry -> retry.forEach(r -> ((ObjectNode) r).set("MaxDelaySeconds",
                file.findValues("MaxDelaySeconds").get(0))));
        assertThat(deployed).isEqualTo(file);
    }

    @Test
    void everyPlaceholderHasASubstitution_andNoSubstitutionIsUnused() {
        Set<String> used = placeholders(deployedDefinition);
        assertThat(used).as("the definition has placeholders to fill").isNotEmpty();
        assertThat(substitutions.keySet()).containsExactlyInAnyOrderElementsOf(used);
    }

    @Test
    void theSubstitutionsAndTheSettingsCoverTheSampleList() throws IOException {
        @SuppressWarnings("unchecked")
        Map<String, Object> sample = JSON.readValue(
                synth.definitionFile.resolveSibling("sample-substitutions.json").toFile(), Map.class);
        Set<String> covered = new TreeSet<>(substitutions.keySet());
        covered.addAll(SETTINGS);
        assertThat(covered).containsExactlyInAnyOrderElementsOf(sample.keySet());
        assertThat(substitutions.keySet()).doesNotContainAnyElementsOf(SETTINGS);
    }

    @Test
    void theDeployedMachineHasItsExecutionTimeout_andEveryRetryItsCap_fromTheConfiguration() throws IOException {
        JsonNode deployed = JSON.readTree(deployedDefinition);

        assertThat(deployed.get("TimeoutSeconds").asLong())
                .isEqualTo(RotationWorkflow.timeoutSeconds(synth.config.effectiveWorkflow()))
                .isGreaterThan(86400 + 3600);
        assertThat(deployed.findValues("Retry")).isNotEmpty().allSatisfy(retry -> assertThat(retry).allSatisfy(r ->
                assertThat(r.get("MaxDelaySeconds").asInt()).isEqualTo(synth.config.effectiveWorkflow().retryMaxDelaySeconds())));
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
                "FirstWaitSeconds", "MaxWaitSeconds")) {
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
        // Step Functions turns States.StringToJson('30') into the number 30 when the state runs.
        assertThat(defaults.get("cooldownDays.$").asText()).matches("States\\.StringToJson\\('[0-9]+'\\)");
        assertThat(defaults.get("pendingWindowDays.$").asText())
                .isEqualTo("States.StringToJson('" + synth.config.effectiveWorkflow().pendingWindowDays() + "')");
        assertThat(definition.at("/States/NotifyFailure/Parameters/Entries/0/EventBusName").asText())
                .isEqualTo("resolved-EventBusName");
    }
}
