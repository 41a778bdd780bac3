package io.atlascmk.infra;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.atlascmk.infra.config.WorkflowDefaults;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

/** The resources of the synthesized stack, one behaviour per test. */
class RotatorStackTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    /**
     * The variables each handler reads (functions/: AtlasClient.fromEnvironment requires ATLAS_SECRET_ARN in every
     * step, ATLAS_BASE_URL is optional and absent from the sample configuration, StepFunctionsRotationRegistry
     * needs ROTATOR_STATE_MACHINE_ARN in Preflight only, the registry replaced ROTATOR_PROJECT_SETTINGS in
     * Preflight only, AtlasWebhookHandler requires its two).
     */
    private static final Map<String, Set<String>> ENVIRONMENT_BY_HANDLER = Map.of(
            RotatorStep.PREFLIGHT.handler(), Set.of("ATLAS_SECRET_ARN", "ROTATOR_STATE_MACHINE_ARN",
                    "ROTATOR_LOCK_TABLE", "ROTATOR_DEPLOYMENT", "ROTATOR_SOURCE_IDENTITY"),
            // Atlas only: it never reaches a key, so it never assumes a member account's role
            RotatorStep.CHECK_DEPLOYMENT.handler(), Set.of("ATLAS_SECRET_ARN", "ROTATOR_LOCK_TABLE", "ROTATOR_DEPLOYMENT"),
            RotatorFunctions.REGISTRY_SEED_HANDLER, Set.of("ROTATOR_LOCK_TABLE", "ROTATOR_REGISTRY_SEED_FILE"),
            RotatorFunctions.WEBHOOK_HANDLER, Set.of("WEBHOOK_SECRET_ARN", "ROTATOR_EVENT_BUS_NAME", "ROTATOR_LOCK_TABLE"),
            RotatorFunctions.RESCUE_HANDLER, Set.of("ROTATOR_EVENT_BUS_NAME", "ROTATOR_DEPLOYMENT", "ROTATOR_LOCK_TABLE",
                    "ROTATOR_SOURCE_IDENTITY", "ROTATOR_HOME_ACCOUNT"),
            // the metric's Deployment dimension and where the events are kept: nothing of Atlas, keys or the table
            RotatorFunctions.RECORD_HANDLER, Set.of("ROTATOR_DEPLOYMENT", "ROTATOR_EVIDENCE_BUCKET"),
            RotatorStep.AUDIT_AND_RETIRE.handler(), Set.of("ATLAS_SECRET_ARN", "ROTATOR_LOCK_TABLE", "ROTATOR_DEPLOYMENT",
                    "ROTATOR_EVIDENCE_BUCKET", "ROTATOR_SOURCE_IDENTITY"));
    private static final Set<String> OTHER_STEPS_ENVIRONMENT = Set.of("ATLAS_SECRET_ARN", "ROTATOR_LOCK_TABLE",
            "ROTATOR_DEPLOYMENT", "ROTATOR_SOURCE_IDENTITY");
    /** StepFunctionsRotationRegistry's check of ROTATOR_STATE_MACHINE_ARN (functions/), copied here. */
    private static final Pattern REGISTRY_STATE_MACHINE_ARN = Pattern.compile(
            "(arn:aws[a-zA-Z-]*:states:[a-z0-9-]+:\\d{12}):stateMachine:([A-Za-z0-9_-]{1,80})");

    /** The fields of one project in ROTATOR_PROJECT_SETTINGS (functions/: ExecutionSettings), copied here. */
    private static final Set<String> PROJECT_SETTINGS_FIELDS = Set.of("cooldownDays", "pendingWindowDays",
            "settleSeconds", "deploymentDeadlineSeconds", "extraClusterNames", "minRetirementDays", "adoptedKeys", "copyTags",
            "method", "rotationPeriodDays");

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

    /** Our functions (the jar's handlers), not the CDK provider framework's function that runs the registry seed. */
    private static Map<String, Map<String, Object>> ourFunctions() {
        Map<String, Map<String, Object>> ours = new java.util.LinkedHashMap<>();
        resourcesOf("AWS::Lambda::Function").forEach((id, f) -> {
            if (String.valueOf(props(f).get("Handler")).endsWith("::handleRequest")) {
                ours.put(id, f);
            }
        });
        return ours;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> props(Map<String, Object> resource) {
        return (Map<String, Object>) resource.get("Properties");
    }

    @Test
    void everyStepAndTheWebhookIsAJava21Arm64SnapStartFunctionLoggingJson() {
        Map<String, Map<String, Object>> functions = ourFunctions();
        // the steps, the webhook, Rescue, Record and the registry seed; plus CDK's provider framework function
        assertThat(functions).hasSize(RotatorStep.values().length + 4);
        assertThat(resourcesOf("AWS::Lambda::Function")).hasSize(RotatorStep.values().length + 5);
        for (Map<String, Object> function : functions.values()) {
            Map<String, Object> p = props(function);
            assertThat(p.get("Runtime")).isEqualTo("java21");
            assertThat(p.get("Architectures")).isEqualTo(List.of("arm64"));
            assertThat(p.get("SnapStart")).isEqualTo(Map.of("ApplyOn", "PublishedVersions"));
            assertThat((Map<String, Object>) p.get("LoggingConfig")).containsEntry("LogFormat", "JSON")
                    .containsKey("LogGroup");
        }
        List<String> handlers = functions.values().stream().map(f -> (String) props(f).get("Handler")).toList();
        for (RotatorStep step : RotatorStep.values()) {
            assertThat(handlers).contains(step.handler());
        }
        assertThat(handlers).contains("io.atlascmk.rotator.handler.AtlasWebhookHandler::handleRequest");
    }

    @Test
    void allFunctionsShareOneAsset_theFunctionsJar() {
        List<Object> codes = ourFunctions().values().stream()
                .map(f -> props(f).get("Code")).distinct().toList();
        assertThat(codes).hasSize(1);
        assertThat(codes.get(0).toString()).contains(".jar");
    }

    @Test
    void stepsAreSizedPerStep_auditAndRetireGetsMore() {
        template.hasResourceProperties("AWS::Lambda::Function", Map.of(
                "Handler", RotatorStep.AUDIT_AND_RETIRE.handler(), "MemorySize", 2048, "Timeout", 540));
        template.hasResourceProperties("AWS::Lambda::Function", Map.of(
                "Handler", RotatorStep.PREFLIGHT.handler(), "MemorySize", 1024, "Timeout", 90));
    }

    @Test
    void functionTimeoutsStayBelowTheirTaskTimeoutsInTheDefinition() throws IOException {
        Map<String, Object> states = definitionStates();
        for (RotatorStep step : RotatorStep.values()) {
            @SuppressWarnings("unchecked")
            Map<String, Object> state = (Map<String, Object>) states.get(step.stepName());
            assertThat(step.timeoutSeconds()).as(step.stepName())
                    .isLessThan(((Number) state.get("TimeoutSeconds")).intValue());
        }
    }

    @Test
    void stateMachineTimeout_outlastsTheLargestAllowedDeadlinePlusSettlePlusWaits() {
        WorkflowDefaults deployed = synth.config.effectiveWorkflow();
        WorkflowDefaults atTheCaps = new WorkflowDefaults(null, null, WorkflowDefaults.MAX_SETTLE_SECONDS,
                WorkflowDefaults.MAX_DEPLOYMENT_DEADLINE_SECONDS, null, 3_600, 300);
        for (WorkflowDefaults w : List.of(deployed, WorkflowDefaults.STANDARD, atTheCaps)) {
            WorkflowDefaults e = w.effective();
            long longestRun = (long) WorkflowDefaults.MAX_DEPLOYMENT_DEADLINE_SECONDS + WorkflowDefaults.MAX_SETTLE_SECONDS
                    + e.maxWaitSeconds() + e.retryMaxDelaySeconds();
            assertThat(RotationWorkflow.timeoutSeconds(w)).as(w.toString()).isGreaterThan(longestRun);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> definitionStates() throws IOException {
        return (Map<String, Object>) JSON.readValue(synth.definitionFile.toFile(), Map.class).get("States");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> environmentOf(Map<String, Object> function) {
        return (Map<String, Object>) ((Map<String, Object>) props(function).get("Environment")).get("Variables");
    }

    private static Map<String, Object> functionWithHandler(String handler) {
        return resourcesOf("AWS::Lambda::Function").values().stream()
                .filter(f -> handler.equals(props(f).get("Handler"))).findFirst().orElseThrow();
    }

    @Test
    @SuppressWarnings("unchecked")
    void theLockTable_isOnDemand_recoverable_protectedFromDeletion_encrypted_andKept() {
        Map<String, Map<String, Object>> tables = resourcesOf("AWS::DynamoDB::Table");
        assertThat(tables).hasSize(1);
        Map<String, Object> table = tables.values().iterator().next();
        Map<String, Object> p = props(table);
        assertThat(p.get("BillingMode")).isEqualTo("PAY_PER_REQUEST");
        assertThat(p.get("KeySchema")).asString().contains("projectId").contains("HASH");
        assertThat((Map<String, Object>) p.get("PointInTimeRecoverySpecification")).containsEntry("PointInTimeRecoveryEnabled", true);
        assertThat(p.get("DeletionProtectionEnabled")).isEqualTo(true);
        assertThat((Map<String, Object>) p.get("SSESpecification")).containsEntry("SSEEnabled", true);
        assertThat(table.get("DeletionPolicy")).isEqualTo("Retain");
    }

    @Test
    void aStackGivenAnotherStacksLockTable_sharesIt_andCreatesNone() throws IOException {
        com.fasterxml.jackson.databind.node.ObjectNode json = (com.fasterxml.jackson.databind.node.ObjectNode)
                JSON.readTree(SynthesizedRotator.CONFIG_FILE.toFile());
        json.put("lockTableName", "team-a-rotator-RotationLocks1A2B3C");
        RotatorStack shared = SynthesizedRotator.stack("SharesLocks", io.atlascmk.infra.config.RotatorConfigLoader
                .parse(SynthesizedRotator.CONFIG_FILE, json.toString()));
        software.amazon.awscdk.assertions.Template template = software.amazon.awscdk.assertions.Template.fromStack(shared);

        template.resourceCountIs("AWS::DynamoDB::Table", 0);
        template.hasResourceProperties("AWS::Lambda::Function", Map.of("Handler", RotatorStep.PREFLIGHT.handler(),
                "Environment", Map.of("Variables", software.amazon.awscdk.assertions.Match.objectLike(
                        Map.of("ROTATOR_LOCK_TABLE", "team-a-rotator-RotationLocks1A2B3C")))));
        assertThat(JSON.valueToTree(template.toJSON()).toString()).contains("table/team-a-rotator-RotationLocks1A2B3C");
    }

    @Test
    void eachFunctionGetsExactlyTheVariablesItsHandlerReads() {
        for (Map<String, Object> function : ourFunctions().values()) {
            String handler = (String) props(function).get("Handler");
            assertThat(environmentOf(function).keySet()).as(handler)
                    .containsExactlyInAnyOrderElementsOf(
                            ENVIRONMENT_BY_HANDLER.getOrDefault(handler, OTHER_STEPS_ENVIRONMENT));
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void functionEnvironmentsHoldConfigurationOnly_neverSecretValues() {
        for (Map<String, Object> function : ourFunctions().values()) {
            Map<String, Object> variables = environmentOf(function);
            boolean webhook = props(function).get("Handler").toString().contains("AtlasWebhookHandler");
            String rendered = variables.toString();
            assertThat(rendered).doesNotContain("resolve:secretsmanager").doesNotContain("SecretString");
            if (props(function).get("Handler").equals(RotatorFunctions.RESCUE_HANDLER)
                    || props(function).get("Handler").equals(RotatorFunctions.RECORD_HANDLER)
                    || props(function).get("Handler").equals(RotatorFunctions.REGISTRY_SEED_HANDLER)) {
                continue; // reads no secret at all
            }
            // The secret variables carry the secret's ARN: a Ref to the secret resource, not its value.
            String secretVariable = webhook ? "WEBHOOK_SECRET_ARN" : "ATLAS_SECRET_ARN";
            assertThat((Map<String, Object>) variables.get(secretVariable)).containsOnlyKeys("Ref");
        }
    }

    @Test
    void theStateMachineHasAFixedNameFromTheStackName() {
        template.hasResourceProperties("AWS::StepFunctions::StateMachine",
                Map.of("StateMachineName", "RotatorUnderTest-rotation"));
    }

    @Test
    void preflightIsGivenTheStateMachinesArn_builtFromItsName_notFromTheResource() {
        Object value = environmentOf(functionWithHandler(RotatorStep.PREFLIGHT.handler()))
                .get("ROTATOR_STATE_MACHINE_ARN");
        String arn = PolicyAudit.render(value);
        assertThat(arn).isEqualTo("arn:${Ref:AWS::Partition}:states:${Ref:AWS::Region}:${Ref:AWS::AccountId}"
                + ":stateMachine:RotatorUnderTest-rotation");
        // No reference to the state machine resource itself (that would be a circular dependency).
        assertThat(value.toString()).doesNotContain(stateMachineId());
        // Deployed, it has the shape Preflight's registry accepts.
        String deployed = arn.replace("${Ref:AWS::Partition}", "aws").replace("${Ref:AWS::Region}", "us-east-1")
                .replace("${Ref:AWS::AccountId}", "111122223333");
        Matcher matcher = REGISTRY_STATE_MACHINE_ARN.matcher(deployed);
        assertThat(matcher.matches()).as(deployed).isTrue();
        assertThat(matcher.group(2)).isEqualTo("RotatorUnderTest-rotation");
    }

    @Test
    void everyConfiguredProjectIsSeededIntoTheRegistry_atEachDeployThatChangesIt_andNoStepReadsALayer() throws Exception {
        assertThat(environmentOf(functionWithHandler(RotatorStep.PREFLIGHT.handler()))).doesNotContainKey("ROTATOR_PROJECT_SETTINGS_FILE");
        assertThat(props(functionWithHandler(RotatorStep.PREFLIGHT.handler())).get("Layers")).isNull();
        Map<String, Object> seeder = functionWithHandler(RotatorFunctions.REGISTRY_SEED_HANDLER);
        assertThat(environmentOf(seeder).get(RegistrySeedFile.FILE_VARIABLE)).isEqualTo(RegistrySeedFile.FILE_PATH);
        assertThat(props(seeder).get("Layers")).as("the seed layer").isNotNull();
        java.nio.file.Path file;
        try (var walk = java.nio.file.Files.walk(synth.assemblyDirectory)) {
            file = walk.filter(f -> f.getFileName().toString().equals(RegistrySeedFile.FILE_NAME)
                    && f.getParent().getFileName().toString().equals(RegistrySeedFile.LAYER_DIRECTORY))
                    .findFirst().orElseThrow(() -> new AssertionError("no staged registry seed layer"));
        }
        String seed = java.nio.file.Files.readString(file);
        JsonNode projects = JSON.readTree(seed);
        assertThat(projects.isArray()).isTrue();
        List<String> ids = new java.util.ArrayList<>();
        projects.forEach(p -> ids.add(p.get("projectId").textValue()));
        assertThat(ids).isEqualTo(synth.config.projects().stream().map(p -> p.projectId()).toList());
        for (var project : synth.config.projects()) {
            JsonNode entry = projects.get(ids.indexOf(project.projectId()));
            assertThat(entry.get("awsRegion").textValue()).isEqualTo(project.awsRegion());
            assertThat(entry.get("schedule").textValue()).isEqualTo(project.schedule());
            JsonNode settings = entry.get("settings");
            settings.fieldNames().forEachRemaining(field -> assertThat(PROJECT_SETTINGS_FIELDS).contains(field));
            assertThat(settings.get("cooldownDays").intValue()).isEqualTo(project.cooldownDays());
            assertThat(settings.get("pendingWindowDays").intValue()).isEqualTo(project.pendingWindowDays());
            List<String> clusters = new java.util.ArrayList<>();
            settings.path("extraClusterNames").forEach(n -> clusters.add(n.textValue()));
            assertThat(clusters).isEqualTo(project.extraClusterNames());
        }
        // The custom resource carries the seed's digest: a changed configuration runs the seed again.
        Map<String, Map<String, Object>> custom = resourcesOf("Custom::AtlasCmkRotatorRegistrySeed");
        assertThat(custom).hasSize(1);
        assertThat(props(custom.values().iterator().next()).get("SeedSha256")).isEqualTo(java.util.HexFormat.of()
                .formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(seed.getBytes(java.nio.charset.StandardCharsets.UTF_8))));
        assertThat(synth.config.projects()).as("the sample configuration exercises a terminated cluster")
                .anySatisfy(p -> assertThat(p.extraClusterNames()).isNotEmpty());
    }

    @Test
    void noFunctionsEnvironmentExceedsLambdasLimit() {
        for (Map<String, Object> function : resourcesOf("AWS::Lambda::Function").values()) {
            Map<String, String> measured = new java.util.LinkedHashMap<>();
            // Deploy-time values (Ref, Fn::Join) counted as the allowance, literals as they are.
            environmentOf(function).forEach((name, value) -> measured.put(name, value instanceof String text
                    ? text : "x".repeat(LambdaEnvironmentLimit.DEPLOY_TIME_VALUE_BYTES)));
            assertThat(LambdaEnvironmentLimit.measuredBytes(measured)).as(props(function).get("Handler").toString())
                    .isLessThanOrEqualTo(LambdaEnvironmentLimit.LIMIT_BYTES);
        }
    }

    @Test
    void eachFunctionLogsToItsOwnLogGroupWithRetention() {
        Map<String, Map<String, Object>> logGroups = resourcesOf("AWS::Logs::LogGroup");
        // one per function (the steps, the webhook, Rescue, Record, the registry seed), one for the state machine
        assertThat(logGroups).hasSize(RotatorStep.values().length + 5);
        assertThat(logGroups.values()).allSatisfy(g -> assertThat(props(g)).containsEntry("RetentionInDays", 90));
    }

    @Test
    void everyFunctionIsPublishedAndCalledThroughItsLiveAlias() {
        Map<String, Map<String, Object>> aliases = resourcesOf("AWS::Lambda::Alias");
        assertThat(aliases).hasSize(RotatorStep.values().length + 3);
        assertThat(aliases.values()).allSatisfy(a -> {
            assertThat(props(a)).containsEntry("Name", "live");
            assertThat(props(a).get("FunctionVersion").toString()).contains("Version");
        });
        assertThat(resourcesOf("AWS::Lambda::Version")).hasSize(RotatorStep.values().length + 3);
    }

    @Test
    void theStateMachineIsStandard_logsErrorsWithoutExecutionData_fromTheAslFile() {
        template.resourceCountIs("AWS::StepFunctions::StateMachine", 1);
        template.hasResourceProperties("AWS::StepFunctions::StateMachine", Map.of(
                "StateMachineType", "STANDARD",
                "DefinitionString", Match.stringLikeRegexp(".*\"StartAt\".*"),
                "LoggingConfiguration", Match.objectLike(Map.of(
                        "IncludeExecutionData", false,
                        "Level", Match.anyValue(),
                        "Destinations", Match.anyValue()))));
        Map<String, Object> sm = props(resourcesOf("AWS::StepFunctions::StateMachine").values().iterator().next());
        @SuppressWarnings("unchecked")
        Map<String, Object> logging = (Map<String, Object>) sm.get("LoggingConfiguration");
        assertThat(logging.get("Level")).isIn("ERROR", "ALL");
    }

    @Test
    @SuppressWarnings("unchecked")
    void theWebhookIsBehindAPublicFunctionUrlOnItsLiveAlias() {
        Map<String, Map<String, Object>> urls = resourcesOf("AWS::Lambda::Url");
        assertThat(urls).hasSize(1);
        Map<String, Object> url = props(urls.values().iterator().next());
        assertThat(url).containsEntry("AuthType", "NONE").containsEntry("Qualifier", "live");
        String target = ((List<String>) ((Map<String, Object>) url.get("TargetFunctionArn")).get("Fn::GetAtt")).get(0);
        Map<String, Object> function = props(resourcesOf("AWS::Lambda::Function").get(target));
        assertThat(function.get("Handler")).isEqualTo(RotatorFunctions.WEBHOOK_HANDLER);
        template.hasResourceProperties("AWS::Lambda::Permission", Map.of(
                "Action", "lambda:InvokeFunctionUrl", "FunctionUrlAuthType", "NONE", "Principal", "*"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void theInternetFacingWebhook_putsEventsOnlyAsItself_recordsOnlyAlertDeliveries_andRunsAFewAtOnce() {
        Map<String, Object> webhook = functionWithHandler(RotatorFunctions.WEBHOOK_HANDLER);
        assertThat(props(webhook).get("ReservedConcurrentExecutions")).isEqualTo(RotatorFunctions.WEBHOOK_RESERVED_CONCURRENCY);
        String policies = JSON.valueToTree(resourcesOf("AWS::IAM::Policy")).toString();
        assertThat(policies).contains("\"events:source\":\"atlas-cmk-rotator.webhook\"")
                .contains("\"events:source\":\"atlas-cmk-rotator.tripwire\"")
                .contains("\"dynamodb:LeadingKeys\":[\"alert#*\"]")
                .contains("\"dynamodb:LeadingKeys\":[\"project#*\"]");
        assertThat(props(resourcesOf("AWS::DynamoDB::Table").values().iterator().next()).get("TimeToLiveSpecification"))
                .isEqualTo(Map.of("AttributeName", "expiresAt", "Enabled", true));
    }

    @Test
    void thereIsOneRotatorEventBus() {
        template.resourceCountIs("AWS::Events::EventBus", 1);
    }

    @Test
    @SuppressWarnings("unchecked")
    void theAlertRulePatternIsTheFilesContent_theWebhookNotThePatternKnowsTheRegisteredProjects() throws IOException {
        Map<String, Object> fromFile = JSON.readValue(synth.alertRulePatternFile.toFile(), Map.class);
        assertThat((List<String>) fromFile.get("source")).containsExactly(RotatorFunctions.WEBHOOK_EVENT_SOURCE);
        Map<String, Object> rule = alertRule();
        assertThat((JsonNode) JSON.valueToTree(props(rule).get("EventPattern"))).isEqualTo(JSON.valueToTree(fromFile));
        assertThat(props(rule).get("EventBusName")).isEqualTo(
                Map.of("Ref", resourcesOf("AWS::Events::EventBus").keySet().iterator().next()));
    }

    @Test
    @SuppressWarnings("unchecked")
    void theAlertRuleStartsTheStateMachineWithProjectTriggerAndAlertId() throws IOException {
        Map<String, Object> target = ((List<Map<String, Object>>) props(alertRule()).get("Targets")).get(0);
        assertThat(target.get("Arn")).isEqualTo(Map.of("Ref", stateMachineId()));
        Map<String, Object> transformer = (Map<String, Object>) target.get("InputTransformer");
        Map<String, String> paths = (Map<String, String>) transformer.get("InputPathsMap");
        String inputTemplate = (String) transformer.get("InputTemplate");
        // Fill the template as EventBridge would, from an event of the webhook's shape.
        String filled = inputTemplate;
        for (Map.Entry<String, String> path : paths.entrySet()) {
            String value = switch (path.getValue()) {
                case "$.detail.projectId" -> "\"5f1e2d3c4b5a69788796a5b4\"";
                case "$.detail.alertId" -> "\"6f00aa11bb22cc33dd44ee55\"";
                default -> throw new AssertionError("unexpected input path " + path.getValue());
            };
            filled = filled.replace("<" + path.getKey() + ">", value);
        }
        assertThat(JSON.readValue(filled, Map.class)).isEqualTo(Map.of(
                "projectId", "5f1e2d3c4b5a69788796a5b4", "trigger", "alert", "alertId", "6f00aa11bb22cc33dd44ee55"));
        assertThat(target).containsKeys("DeadLetterConfig", "RetryPolicy", "RoleArn");
    }

    private static Map<String, Object> alertRule() {
        return resourcesOf("AWS::Events::Rule").entrySet().stream()
                .filter(e -> e.getKey().contains("AlertRule")).map(Map.Entry::getValue).findFirst().orElseThrow();
    }

    private static String stateMachineId() {
        return resourcesOf("AWS::StepFunctions::StateMachine").keySet().iterator().next();
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyWorkflowOutcomeGoesToTheTopicWhichEmailsTheConfiguredAddress() {
        String topic = resourcesOf("AWS::SNS::Topic").keySet().iterator().next();
        Map<String, Object> rule = resourcesOf("AWS::Events::Rule").entrySet().stream()
                .filter(e -> e.getKey().contains("OutcomeRule")).map(Map.Entry::getValue).findFirst().orElseThrow();
        assertThat(props(rule).get("EventPattern")).isEqualTo(Map.of("source", List.of("atlas-cmk-rotator", "atlas-cmk-rotator.tripwire")));
        Map<String, Object> target = ((List<Map<String, Object>>) props(rule).get("Targets")).get(0);
        assertThat(target.get("Arn")).isEqualTo(Map.of("Ref", topic));
        template.hasResourceProperties("AWS::SNS::Subscription", Map.of(
                "Protocol", "email", "Endpoint", synth.config.notificationEmail(), "TopicArn", Map.of("Ref", topic)));
    }

    @Test
    @SuppressWarnings("unchecked")
    void alarmsOnExecutionsEndedBadlyAndOnTheDeadLetterQueue_notifyTheTopic() {
        String topic = resourcesOf("AWS::SNS::Topic").keySet().iterator().next();
        Map<String, Object> toTopic = Map.of("AlarmActions", List.of(Map.of("Ref", topic)));
        // these two, and the five on the rotator's own metrics (MonitoringStackTest)
        template.resourceCountIs("AWS::CloudWatch::Alarm", 2 + 5);
        Map<String, Object> executions = resourcesOf("AWS::CloudWatch::Alarm").values().stream().map(RotatorStackTest::props)
                .filter(p -> String.valueOf(p.get("AlarmName")).endsWith("-RotationExecutionFailed")).findFirst().orElseThrow();
        assertThat(executions).containsEntry("Threshold", 1)
                .containsEntry("ComparisonOperator", "GreaterThanOrEqualToThreshold")
                .containsEntry("EvaluationPeriods", 1).containsEntry("TreatMissingData", "notBreaching")
                .containsEntry("AlarmActions", toTopic.get("AlarmActions"));
        assertThat(String.valueOf(executions.get("AlarmDescription"))).contains("README: Runbook, RotationExecutionFailed");
        List<Map<String, Object>> queries = (List<Map<String, Object>>) executions.get("Metrics");
        Map<String, Object> sum = queries.stream().filter(q -> q.containsKey("Expression")).findFirst().orElseThrow();
        assertThat(sum.get("Expression")).isEqualTo(
                "SUM([FILL(rotationFailed, 0), FILL(rotationTimedOut, 0), FILL(rotationAborted, 0)])");
        assertThat(sum).containsEntry("ReturnData", true);
        Map<String, String> metricsById = new java.util.TreeMap<>();
        for (Map<String, Object> q : queries) {
            if (q.containsKey("MetricStat")) {
                Map<String, Object> stat = (Map<String, Object>) q.get("MetricStat");
                Map<String, Object> metric = (Map<String, Object>) stat.get("Metric");
                assertThat(metric.get("Namespace")).isEqualTo("AWS/States");
                assertThat(metric.get("Dimensions")).isEqualTo(List.of(Map.of("Name", "StateMachineArn",
                        "Value", Map.of("Ref", stateMachineId()))));
                assertThat(stat).containsEntry("Stat", "Sum").containsEntry("Period", 300);
                metricsById.put((String) q.get("Id"), (String) metric.get("MetricName"));
            }
        }
        assertThat(metricsById).isEqualTo(Map.of("rotationFailed", "ExecutionsFailed",
                "rotationTimedOut", "ExecutionsTimedOut", "rotationAborted", "ExecutionsAborted"));
        String queue = resourcesOf("AWS::SQS::Queue").keySet().iterator().next();
        template.hasResourceProperties("AWS::CloudWatch::Alarm", Match.objectLike(Map.of(
                "MetricName", "ApproximateNumberOfMessagesVisible", "Namespace", "AWS/SQS", "Threshold", 0,
                "ComparisonOperator", "GreaterThanThreshold",
                "Dimensions", List.of(Map.of("Name", "QueueName", "Value", Map.of("Fn::GetAtt", List.of(queue, "QueueName")))),
                "AlarmActions", toTopic.get("AlarmActions"))));
    }

    @Test
    void theCreatedAtlasSecretIsEmpty_theCreatedWebhookSecretIsGenerated() {
        Map<String, Map<String, Object>> secrets = resourcesOf("AWS::SecretsManager::Secret");
        Map<String, Object> atlas = secrets.entrySet().stream().filter(e -> e.getKey().contains("AtlasCredentials"))
                .map(Map.Entry::getValue).findFirst().orElseThrow();
        assertThat(props(atlas)).doesNotContainKeys("SecretString", "GenerateSecretString");
        template.hasResourceProperties("AWS::SecretsManager::Secret", Map.of(
                "GenerateSecretString", Match.objectLike(Map.of("GenerateStringKey", "webhookSecret"))));
    }

    @Test
    void theOutputsNameEverythingAnOperatorNeeds() {
        for (String output : List.of("WebhookUrl", "StateMachineArn", "AtlasCredentialsSecretArn", "WebhookSecretArn",
                "EventBusName", "NotificationTopicArn", "DashboardName", "EvidenceBucketName", "LockTableName")) {
            template.hasOutput(output, Match.anyValue());
        }
        assertThat(template.toJSON().get("Outputs").toString()).doesNotContain("SecretString");
    }
}
