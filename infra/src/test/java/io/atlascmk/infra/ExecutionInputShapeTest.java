package io.atlascmk.infra;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.atlascmk.infra.config.ProjectConfig;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The schedules send what {@code events/} documents: the rotation input has the shape of
 * {@code scheduled-start.json}, the sweep's the shape of {@code sweep.json} plus the project's settings that
 * AuditAndRetire reads, filled from the project's config.
 */
class ExecutionInputShapeTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static SynthesizedRotator synth;
    private static Map<String, JsonNode> inputsByDescription;

    @BeforeAll
    @SuppressWarnings("unchecked")
    static void synthesize() throws IOException {
        synth = SynthesizedRotator.get();
        inputsByDescription = new TreeMap<>();
        for (Object schedule : synth.template.findResources("AWS::Scheduler::Schedule").values()) {
            Map<String, Object> props = (Map<String, Object>) ((Map<String, Object>) schedule).get("Properties");
            Map<String, Object> target = (Map<String, Object>) props.get("Target");
            inputsByDescription.put((String) props.get("Description"), JSON.readTree((String) target.get("Input")));
        }
    }

    /** Field names and JSON types, recursively: the shape, not the values. */
    static Map<String, String> shape(JsonNode node) {
        Map<String, String> shape = new TreeMap<>();
        shape(node, "$", shape);
        return shape;
    }

    private static void shape(JsonNode node, String path, Map<String, String> shape) {
        shape.put(path, node.getNodeType().name());
        if (node.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                shape(field.getValue(), path + "." + field.getKey(), shape);
            }
        } else if (node.isArray() && !node.isEmpty()) {
            shape(node.get(0), path + "[]", shape);
        }
    }

    private static JsonNode event(String name) throws IOException {
        return JSON.readTree(SynthesizedRotator.REPO_ROOT.resolve("events").resolve(name).toFile());
    }

    private static JsonNode rotationInput(ProjectConfig project) {
        return inputsByDescription.get("Rotate the KMS key of Atlas project " + project.projectId());
    }

    @Test
    void everyProjectHasARotationAndASweepSchedule() {
        assertThat(inputsByDescription).hasSize(2 * synth.config.projects().size());
        for (ProjectConfig project : synth.config.projects()) {
            assertThat(rotationInput(project)).isNotNull();
            assertThat(inputsByDescription.get("Daily audit of retired KMS keys of Atlas project "
                    + project.projectId())).isNotNull();
        }
    }

    @Test
    void theRotationInputHasTheShapeOfScheduledStartJson_withTheProjectsSettings() throws IOException {
        for (ProjectConfig project : synth.config.projects()) {
            Map<String, String> expected = shape(event("scheduled-start.json"));
            JsonNode input = rotationInput(project);
            Map<String, String> actual = shape(input);
            if (project.extraClusterNames().isEmpty()) {
                // An empty list has no element to take the shape of.
                expected.keySet().removeIf(path -> path.endsWith("[]"));
            }
            assertThat(actual).isEqualTo(expected);
            assertThat(input.get("projectId").asText()).isEqualTo(project.projectId());
            assertThat(input.get("trigger").asText()).isEqualTo("schedule");
            assertThat(input.at("/settings/cooldownDays").intValue()).isEqualTo(project.cooldownDays());
            assertThat(input.at("/settings/pendingWindowDays").intValue()).isEqualTo(project.pendingWindowDays());
            List<String> clusters = new ArrayList<>();
            input.at("/settings/extraClusterNames").forEach(n -> clusters.add(n.asText()));
            assertThat(clusters).isEqualTo(project.extraClusterNames());
        }
    }

    @Test
    void theSweepInputIsSweepJson_withTheSettingsAuditAndRetireReads_forEachProject() throws IOException {
        JsonNode sample = event("sweep.json");
        for (ProjectConfig project : synth.config.projects()) {
            JsonNode input = inputsByDescription.get("Daily audit of retired KMS keys of Atlas project "
                    + project.projectId());
            ObjectNode expected = ((ObjectNode) sample.deepCopy()).put("projectId", project.projectId());
            // The terminated clusters' snapshots and the project's pending window reach the sweep's audit too.
            expected.putObject("settings").put("pendingWindowDays", project.pendingWindowDays())
                    .set("extraClusterNames", JSON.valueToTree(project.extraClusterNames()));
            assertThat(input).isEqualTo(expected);
        }
        assertThat(synth.config.projects()).as("the sample configuration exercises a terminated cluster")
                .anySatisfy(p -> assertThat(p.extraClusterNames()).isNotEmpty());
    }

    @Test
    @SuppressWarnings("unchecked")
    void schedulesUseTheProjectsTimeZone_aFlexibleWindow_retriesAndTheDeadLetterQueue() {
        String queue = synth.template.findResources("AWS::SQS::Queue").keySet().iterator().next();
        String stateMachine = synth.template.findResources("AWS::StepFunctions::StateMachine").keySet().iterator().next();
        for (Object schedule : synth.template.findResources("AWS::Scheduler::Schedule").values()) {
            Map<String, Object> props = (Map<String, Object>) ((Map<String, Object>) schedule).get("Properties");
            String description = (String) props.get("Description");
            ProjectConfig project = synth.config.projects().stream()
                    .filter(p -> description.endsWith(p.projectId())).findFirst().orElseThrow();
            assertThat(props.get("ScheduleExpressionTimezone")).isEqualTo(project.effectiveTimeZone());
            assertThat(props.get("ScheduleExpression")).isEqualTo(description.startsWith("Rotate")
                    ? project.schedule() : synth.config.effectiveSweepSchedule());
            assertThat(props.get("FlexibleTimeWindow")).isEqualTo(Map.of("Mode", "FLEXIBLE",
                    "MaximumWindowInMinutes", 15));
            Map<String, Object> target = (Map<String, Object>) props.get("Target");
            assertThat(target.get("Arn")).isEqualTo(Map.of("Ref", stateMachine));
            assertThat(target.get("RetryPolicy")).isEqualTo(Map.of("MaximumRetryAttempts", 3,
                    "MaximumEventAgeInSeconds", 7200));
            assertThat(target.get("DeadLetterConfig")).isEqualTo(Map.of("Arn",
                    Map.of("Fn::GetAtt", List.of(queue, "Arn"))));
        }
    }

    @Test
    void theInputsAreBuiltFromTheSameCodeTheTestsCanCallDirectly() {
        ProjectConfig project = synth.config.projects().get(0);
        assertThat((JsonNode) JSON.valueToTree(ExecutionInputs.scheduledRotation(project))).isEqualTo(rotationInput(project));
    }
}
