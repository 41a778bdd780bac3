package io.atlascmk.infra;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

/**
 * The record of the workflow's events (the Record function and its rule), the five alarms on the rotator's metrics and
 * the dashboard, in the synthesized template: each as the metric spec (namespace AtlasCmkRotator, dimension
 * Deployment = the stack's name) says.
 */
class MonitoringStackTest {

    private static final String DEPLOYMENT = "RotatorUnderTest";
    private static final List<Map<String, Object>> DEPLOYMENT_DIMENSION = List.of(
            Map.of("Name", "Deployment", "Value", DEPLOYMENT));
    /** Every metric of the spec, written here rather than read from the code under test. */
    private static final List<String> SPEC_METRICS = List.of("RotationsStarted", "RotationsSucceeded", "RotationsFailed",
            "RotationsRolledBack", "KeyAgeDays", "KeysOverdue", "RetiredKeysWaiting", "EarliestSafeAfterDays",
            "RetiredKeysPastSafeAfter", "DeletionsScheduled", "DeletionsCancelled", "DeletionsNotCancelled",
            "AtlasRetries", "AtlasRateLimited", "DeploymentWaitSeconds");

    private static SynthesizedRotator synth;
    private static Template template;

    @BeforeAll
    static void synthesize() {
        synth = SynthesizedRotator.get();
        template = synth.template;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Map<String, Object>> resourcesOf(String type) {
        return (Map<String, Map<String, Object>>) (Map<?, ?>) template.findResources(type);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> props(Map<String, Object> resource) {
        return (Map<String, Object>) resource.get("Properties");
    }

    private static String idOf(String type, String containing) {
        return resourcesOf(type).keySet().stream().filter(id -> id.contains(containing)).findFirst().orElseThrow();
    }

    private static String topic() {
        return idOf("AWS::SNS::Topic", "Outcomes");
    }

    // --- the Record function and its rule ---

    @Test
    void theRecordFunction_runsTheRecordHandler_withTheDeploymentAndTheEvidenceBucketOnly() {
        String bucket = idOf("AWS::S3::Bucket", "Evidence");
        template.hasResourceProperties("AWS::Lambda::Function", Map.of(
                "Handler", "io.atlascmk.rotator.handler.RecordHandler::handleRequest",
                "Runtime", "java21",
                "Environment", Map.of("Variables", Map.of(
                        "ROTATOR_DEPLOYMENT", DEPLOYMENT,
                        "ROTATOR_EVIDENCE_BUCKET", Map.of("Ref", bucket)))));
        assertThat(RotatorFunctions.RECORD_HANDLER).isEqualTo("io.atlascmk.rotator.handler.RecordHandler::handleRequest");
    }

    @Test
    void theRecordFunctionMayOnlyPutObjectsUnderEvents() {
        String bucket = idOf("AWS::S3::Bucket", "Evidence");
        String role = idOf("AWS::IAM::Role", "FunctionsRecord");
        Map<String, Map<String, Object>> policies = resourcesOf("AWS::IAM::Policy");
        List<Map<String, Object>> statements = new ArrayList<>();
        policies.values().stream()
                .filter(p -> PolicyAudit.render(props(p).get("Roles")).contains(role))
                .forEach(p -> statements.addAll(PolicyAudit.statements(props(p).get("PolicyDocument"))));
        assertThat(statements).singleElement().satisfies(s -> {
            assertThat(PolicyAudit.strings(s.get("Action"))).containsExactly("s3:PutObject");
            assertThat(PolicyAudit.resources(s.get("Resource"))).containsExactly("${GetAtt:" + bucket + ".Arn}/events/*");
        });
    }

    @Test
    @SuppressWarnings("unchecked")
    void aRuleOnTheRotatorsBus_matchingEverySourceOfTheRotator_invokesRecordsLiveAlias_withRetriesAndTheDeadLetterQueue() {
        Map<String, Object> rule = resourcesOf("AWS::Events::Rule").entrySet().stream()
                .filter(e -> e.getKey().startsWith("Events")).map(Map.Entry::getValue).findFirst().orElseThrow();
        // the workflow's atlas-cmk-rotator, the fleet's .fleet, the tripwire's .tripwire and the alert webhook's
        assertThat(props(rule).get("EventPattern")).isEqualTo(Map.of("source",
                List.of(Map.of("prefix", "atlas-cmk-rotator"))));
        assertThat(props(rule).get("EventBusName")).isEqualTo(Map.of("Ref", idOf("AWS::Events::EventBus", "Bus")));
        assertThat(props(rule).get("State")).isEqualTo("ENABLED");
        List<Map<String, Object>> targets = (List<Map<String, Object>>) props(rule).get("Targets");
        assertThat(targets).singleElement().satisfies(t -> {
            assertThat(PolicyAudit.render(t.get("Arn"))).contains("FunctionsRecordAliaslive");
            assertThat(t.get("DeadLetterConfig")).isEqualTo(Map.of("Arn", Map.of("Fn::GetAtt",
                    List.of(idOf("AWS::SQS::Queue", "StartFailures"), "Arn"))));
            assertThat((Map<String, Object>) t.get("RetryPolicy")).containsEntry("MaximumRetryAttempts",
                    RotationSchedules.RETRY_ATTEMPTS);
        });
        template.hasResourceProperties("AWS::Lambda::Permission", Map.of(
                "Action", "lambda:InvokeFunction", "Principal", "events.amazonaws.com",
                "FunctionName", Map.of("Ref", idOf("AWS::Lambda::Alias", "FunctionsRecordAliaslive")),
                "SourceArn", Match.anyValue()));
    }

    // --- the five alarms ---

    private static Map<String, Object> alarmNamed(String name) {
        return resourcesOf("AWS::CloudWatch::Alarm").values().stream()
                .filter(a -> (DEPLOYMENT + "-" + name).equals(props(a).get("AlarmName")))
                .map(MonitoringStackTest::props).findFirst()
                .orElseThrow(() -> new AssertionError("no alarm " + DEPLOYMENT + "-" + name));
    }

    private static void assertMetricAlarm(String name, String metric, String statistic, int threshold, String comparison,
                                          int period, String missing, boolean okToo) {
        Map<String, Object> alarm = alarmNamed(name);
        assertThat(alarm).as(name)
                .containsEntry("Namespace", "AtlasCmkRotator")
                .containsEntry("MetricName", metric)
                .containsEntry("Dimensions", DEPLOYMENT_DIMENSION)
                .containsEntry("Statistic", statistic)
                .containsEntry("Threshold", threshold)
                .containsEntry("ComparisonOperator", comparison)
                .containsEntry("Period", period)
                .containsEntry("EvaluationPeriods", 1)
                .containsEntry("DatapointsToAlarm", 1)
                .containsEntry("TreatMissingData", missing)
                .containsEntry("AlarmActions", List.of(Map.of("Ref", topic())));
        if (okToo) {
            assertThat(alarm).as(name).containsEntry("OKActions", List.of(Map.of("Ref", topic())));
        } else {
            assertThat(alarm).as(name).doesNotContainKey("OKActions");
        }
        assertThat(alarm).as(name).doesNotContainKey("InsufficientDataActions");
    }

    @Test
    void keyOlderThanSchedule_keysOverdueMaximumAboveZero_overOneDay_missingDataStaysMissing() {
        assertMetricAlarm("KeyOlderThanSchedule", "KeysOverdue", "Maximum", 0, "GreaterThanThreshold", 86_400,
                "missing", true);
    }

    @Test
    void rotationFailed_anyFailedRotationInFiveMinutes() {
        assertMetricAlarm("RotationFailed", "RotationsFailed", "Sum", 1, "GreaterThanOrEqualToThreshold", 300,
                "notBreaching", false);
    }

    @Test
    void rotationRolledBack_anyRolledBackRotationInFiveMinutes() {
        assertMetricAlarm("RotationRolledBack", "RotationsRolledBack", "Sum", 1, "GreaterThanOrEqualToThreshold", 300,
                "notBreaching", false);
    }

    @Test
    void retiredKeyPastSafeAfter_maximumAboveZero_overOneDay() {
        assertMetricAlarm("RetiredKeyPastSafeAfter", "RetiredKeysPastSafeAfter", "Maximum", 0, "GreaterThanThreshold",
                86_400, "notBreaching", true);
    }

    @Test
    @SuppressWarnings("unchecked")
    void tripwireRescue_sumsCancelledAndNotCancelledDeletions_byMetricMath() {
        Map<String, Object> alarm = alarmNamed("TripwireRescue");
        assertThat(alarm).containsEntry("Threshold", 1)
                .containsEntry("ComparisonOperator", "GreaterThanOrEqualToThreshold")
                .containsEntry("EvaluationPeriods", 1)
                .containsEntry("TreatMissingData", "notBreaching")
                .containsEntry("AlarmActions", List.of(Map.of("Ref", topic())))
                .doesNotContainKeys("MetricName", "OKActions");
        List<Map<String, Object>> queries = (List<Map<String, Object>>) alarm.get("Metrics");
        Map<String, Object> expression = queries.stream().filter(q -> q.containsKey("Expression")).findFirst().orElseThrow();
        String math = (String) expression.get("Expression");
        assertThat(math).contains("cancelled").contains("notCancelled");
        Map<String, String> idByMetric = new java.util.HashMap<>();
        for (Map<String, Object> q : queries) {
            if (!q.containsKey("MetricStat")) {
                continue;
            }
            Map<String, Object> stat = (Map<String, Object>) q.get("MetricStat");
            Map<String, Object> metric = (Map<String, Object>) stat.get("Metric");
            assertThat(metric).containsEntry("Namespace", "AtlasCmkRotator").containsEntry("Dimensions", DEPLOYMENT_DIMENSION);
            assertThat(stat).containsEntry("Stat", "Sum").containsEntry("Period", 300);
            assertThat(q).containsEntry("ReturnData", false);
            idByMetric.put((String) metric.get("MetricName"), (String) q.get("Id"));
        }
        assertThat(idByMetric).isEqualTo(Map.of("DeletionsCancelled", "cancelled", "DeletionsNotCancelled", "notCancelled"));
    }

    @Test
    void theFiveAlarmsAreNamedForTheDeployment() {
        for (String name : List.of("KeyOlderThanSchedule", "RotationFailed", "RotationRolledBack",
                "RetiredKeyPastSafeAfter", "TripwireRescue")) {
            assertThat(alarmNamed(name).get("AlarmDescription")).as(name).asString().isNotBlank();
        }
        assertThat(RotatorMonitoring.METRICS).containsExactlyElementsOf(SPEC_METRICS);
    }

    // --- the dashboard ---

    private static Map<String, Object> dashboard() {
        Map<String, Map<String, Object>> dashboards = resourcesOf("AWS::CloudWatch::Dashboard");
        assertThat(dashboards).hasSize(1);
        return props(dashboards.values().iterator().next());
    }

    /** The dashboard body as JSON, its deploy-time values (region, alarm ARNs) rendered as ${...} placeholders. */
    private static JsonNode body() throws IOException {
        return InfraJson.MAPPER.readTree(PolicyAudit.render(dashboard().get("DashboardBody")));
    }

    @Test
    void theDashboardIsNamedForTheDeployment_andTheOutputNamesIt() {
        assertThat(dashboard().get("DashboardName")).isEqualTo(DEPLOYMENT + "-atlas-cmk-rotator");
        template.hasOutput("DashboardName", Map.of("Value", Map.of("Ref", idOf("AWS::CloudWatch::Dashboard", "Dashboard"))));
    }

    @Test
    void theDashboardShowsEveryMetricOfTheSpec_ofThisDeployment() throws IOException {
        List<String> graphed = new ArrayList<>();
        List<String> expressions = new ArrayList<>();
        for (JsonNode widget : body().path("widgets")) {
            for (JsonNode line : widget.path("properties").path("metrics")) {
                if (line.isArray() && line.size() >= 2 && line.get(0).isTextual() && "AtlasCmkRotator".equals(line.get(0).textValue())) {
                    graphed.add(line.get(1).textValue());
                    // [namespace, name, "Deployment", value, {options}]
                    assertThat(line.get(2).textValue()).isEqualTo("Deployment");
                    assertThat(line.get(3).textValue()).isEqualTo(DEPLOYMENT);
                } else if (line.isArray() && line.get(0).isObject() && line.get(0).has("expression")) {
                    expressions.add(line.get(0).get("expression").textValue());
                }
            }
        }
        String searches = String.join("\n", expressions);
        for (String metric : SPEC_METRICS) {
            boolean shown = graphed.contains(metric) || searches.contains("MetricName=\"" + metric + "\"");
            assertThat(shown).as(metric).isTrue();
        }
        assertThat(expressions).contains("SEARCH('{AtlasCmkRotator,Deployment,ProjectId} MetricName=\"KeyAgeDays\""
                + " Deployment=\"" + DEPLOYMENT + "\"', 'Maximum', 86400)");
        assertThat(expressions).allSatisfy(e -> assertThat(e).contains("Deployment=\"" + DEPLOYMENT + "\""));
    }

    @Test
    void theDashboardShowsTheStateOfEveryAlarm() throws IOException {
        List<String> shown = new ArrayList<>();
        for (JsonNode widget : body().path("widgets")) {
            if ("alarm".equals(widget.path("type").textValue())) {
                widget.path("properties").path("alarms").forEach(a -> shown.add(a.textValue()));
            }
        }
        assertThat(shown).hasSize(resourcesOf("AWS::CloudWatch::Alarm").size());
        for (String alarm : resourcesOf("AWS::CloudWatch::Alarm").keySet()) {
            assertThat(shown).contains("${GetAtt:" + alarm + ".Arn}");
        }
    }

    // --- every alarm has its runbook entry ---

    @Test
    void everyAlarmOfTheStack_isNamedForTheDeployment_andHasItsEntryInTheReadmesRunbook() throws IOException {
        String readme = java.nio.file.Files.readString(java.nio.file.Path.of("..", "README.md"));
        String runbook = readme.substring(readme.indexOf("<!-- runbook:start -->"), readme.indexOf("<!-- runbook:end -->"));
        String alarmsPart = runbook.substring(runbook.indexOf("\n### Alarms\n"));
        java.util.Set<String> documented = new java.util.TreeSet<>();
        java.util.regex.Matcher names = java.util.regex.Pattern.compile("(?m)^\\*\\*Names:\\*\\* (.+)$").matcher(runbook);
        while (names.find()) {
            java.util.regex.Matcher name = java.util.regex.Pattern.compile("`([A-Za-z]+)`").matcher(names.group(1));
            while (name.find()) {
                documented.add(name.group(1));
            }
        }
        List<String> alarms = new ArrayList<>();
        for (Map<String, Object> alarm : resourcesOf("AWS::CloudWatch::Alarm").values()) {
            String name = String.valueOf(props(alarm).get("AlarmName"));
            assertThat(name).as("every alarm is named <stack>-<Alarm>").startsWith(DEPLOYMENT + "-");
            alarms.add(name.substring(DEPLOYMENT.length() + 1));
            assertThat(String.valueOf(props(alarm).get("AlarmDescription"))).as(name)
                    .contains("README: Runbook, " + name.substring(DEPLOYMENT.length() + 1));
        }
        assertThat(alarms).hasSize(7);
        assertThat(documented).as("the runbook's entries name every alarm").containsAll(alarms);
        assertThat(alarmsPart).as("under its Alarms heading, or with its event").isNotBlank();
        // RunbookTest (functions) cannot see this module: its list of alarms is held to the template here
        String runbookTest = java.nio.file.Files.readString(java.nio.file.Path.of("..", "functions", "src", "test", "java",
                "io", "atlascmk", "rotator", "handler", "RunbookTest.java"));
        java.util.regex.Matcher list = java.util.regex.Pattern.compile("ALARMS = List\\.of\\(([^;]*)\\);").matcher(runbookTest);
        assertThat(list.find()).as("RunbookTest.ALARMS").isTrue();
        List<String> listed = new ArrayList<>();
        java.util.regex.Matcher quoted = java.util.regex.Pattern.compile("\"([A-Za-z]+)\"").matcher(list.group(1));
        while (quoted.find()) {
            listed.add(quoted.group(1));
        }
        assertThat(listed).as("RunbookTest.ALARMS is the stack's alarms").containsExactlyInAnyOrderElementsOf(alarms);
    }
}
