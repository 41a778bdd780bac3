package io.atlascmk.infra;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.atlascmk.infra.config.ProjectConfig;
import io.atlascmk.infra.config.RotatorConfig;
import io.atlascmk.infra.config.RotatorConfigLoader;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Template;

/** The fleet run's resources, when the configuration asks for it: one daily schedule instead of two per project. */
class FleetStackTest {

    private static RotatorConfig config;
    private static Template template;

    @BeforeAll
    static void synthesize() throws IOException {
        ObjectNode json = (ObjectNode) InfraJson.MAPPER.readTree(SynthesizedRotator.CONFIG_FILE.toFile());
        json.putObject("fleet").put("maxConcurrency", 3);
        config = RotatorConfigLoader.parse(SynthesizedRotator.CONFIG_FILE, json.toString());
        template = Template.fromStack(SynthesizedRotator.stack("FleetUnderTest", config));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> props(Object resource) {
        return (Map<String, Object>) ((Map<String, Object>) resource).get("Properties");
    }

    @Test
    void oneDailyFleetSchedule_andOnlyCronProjectsKeepTheirOwnRotationSchedule_noPerProjectSweeps() {
        List<Map<String, Object>> schedules = template.findResources("AWS::Scheduler::Schedule").values().stream()
                .map(FleetStackTest::props).toList();
        List<String> descriptions = schedules.stream().map(p -> (String) p.get("Description")).toList();
        List<String> cronProjects = config.projects().stream().filter(p -> p.schedule().startsWith("cron("))
                .map(ProjectConfig::projectId).toList();
        assertThat(cronProjects).as("the sample has a cron project and a rate project").hasSize(1);
        assertThat(descriptions).containsExactlyInAnyOrder("Rotate the KMS key of Atlas project " + cronProjects.get(0),
                "The daily fleet run: every registered project that is due is rotated or swept");
        Map<String, Object> fleet = schedules.stream().filter(p -> ((String) p.get("Description")).startsWith("The daily"))
                .findFirst().orElseThrow();
        assertThat(fleet.get("ScheduleExpression")).isEqualTo(config.effectiveSweepSchedule());
        assertThat(fleet.get("ScheduleExpressionTimezone")).isEqualTo("Etc/UTC");
        assertThat(PolicyAudit.render(((Map<String, Object>) fleet.get("Target")).get("Input"))).isEqualTo("{\"maxConcurrency\":3}");
    }

    @Test
    void theFleetStateMachineRunsFleetAsl_withThePlanFunction_theRotationMachine_andTheBus() {
        Map<String, Map<String, Object>> machines = template.findResources("AWS::StepFunctions::StateMachine");
        assertThat(machines).hasSize(2);
        Map<String, Object> fleet = machines.values().stream().map(FleetStackTest::props)
                .filter(p -> "FleetUnderTest-fleet".equals(p.get("StateMachineName"))).findFirst().orElseThrow();
        Map<String, Object> substitutions = (Map<String, Object>) fleet.get("DefinitionSubstitutions");
        assertThat(substitutions).containsOnlyKeys("FleetPlanFunctionArn", "RotationStateMachineArn", "EventBusName");
        assertThat(PolicyAudit.render(substitutions.get("RotationStateMachineArn"))).endsWith(":stateMachine:FleetUnderTest-rotation");
        String definition = PolicyAudit.render(fleet.get("DefinitionString"));
        assertThat(definition).contains("arn:aws:states:::states:startExecution.sync:2").contains("MaxConcurrencyPath");
    }

    @Test
    @SuppressWarnings("unchecked")
    void theFleetMayStartOnlyTheRotationMachine_andPutOnlyItsOwnEvents_thePlanOnlyReads() {
        String policies = InfraJson.MAPPER.valueToTree(template.findResources("AWS::IAM::Policy")).toString();
        assertThat(policies).contains("StartOnlyTheRotationStateMachine").contains("\"events:source\":\"atlas-cmk-rotator.fleet\"")
                .contains("rule/StepFunctionsGetEventsForStepFunctionsExecutionRule");
        Map<String, Object> plan = template.findResources("AWS::Lambda::Function").values().stream().map(FleetStackTest::props)
                .filter(p -> RotatorFunctions.FLEET_PLAN_HANDLER.equals(p.get("Handler"))).findFirst().orElseThrow();
        assertThat(((Map<String, Object>) ((Map<String, Object>) plan.get("Environment")).get("Variables")).keySet())
                .containsExactlyInAnyOrder("ROTATOR_LOCK_TABLE", "ROTATOR_DEPLOYMENT", "ROTATOR_SOURCE_IDENTITY",
                        "ATLAS_SECRET_ARN");
        assertThat(PolicyAudit.kmsViolationsInTemplate(template.toJSON(), "FleetUnderTest")).isEmpty();
    }

    @Test
    @SuppressWarnings("unchecked")
    void theExecutionsAlarm_alsoWatchesTheFleetMachine_failedTimedOutOrAborted() {
        Map<String, Object> alarm = template.findResources("AWS::CloudWatch::Alarm").values().stream().map(FleetStackTest::props)
                .filter(p -> "FleetUnderTest-RotationExecutionFailed".equals(p.get("AlarmName"))).findFirst().orElseThrow();
        List<Map<String, Object>> queries = (List<Map<String, Object>>) alarm.get("Metrics");
        assertThat(queries.stream().filter(q -> q.containsKey("Expression")).map(q -> q.get("Expression")).toList())
                .containsExactly("SUM([FILL(rotationFailed, 0), FILL(rotationTimedOut, 0), FILL(rotationAborted, 0),"
                        + " FILL(fleetFailed, 0), FILL(fleetTimedOut, 0), FILL(fleetAborted, 0)])");
        String fleetMachine = template.findResources("AWS::StepFunctions::StateMachine").entrySet().stream()
                .filter(e -> "FleetUnderTest-fleet".equals(props(e.getValue()).get("StateMachineName")))
                .map(Map.Entry::getKey).findFirst().orElseThrow();
        List<Object> fleetDimensions = queries.stream().filter(q -> String.valueOf(q.get("Id")).startsWith("fleet"))
                .map(q -> ((Map<String, Object>) ((Map<String, Object>) q.get("MetricStat")).get("Metric")).get("Dimensions"))
                .toList();
        assertThat(fleetDimensions).hasSize(3).allSatisfy(d -> assertThat(d).isEqualTo(
                List.of(Map.of("Name", "StateMachineArn", "Value", Map.of("Ref", fleetMachine)))));
    }
}
