package io.atlascmk.infra;

import io.atlascmk.infra.config.RotatorConfig;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Annotations;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.events.IEventBus;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.dynamodb.ITable;
import software.amazon.awscdk.services.lambda.CfnFunction;
import software.amazon.awscdk.services.lambda.Alias;
import software.amazon.awscdk.services.lambda.LayerVersion;
import software.amazon.awscdk.services.lambda.Architecture;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.lambda.LoggingFormat;
import software.amazon.awscdk.services.lambda.Runtime;
import software.amazon.awscdk.services.lambda.SnapStartConf;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.amazon.awscdk.services.secretsmanager.ISecret;
import software.constructs.Construct;

/**
 * Every Lambda function of the rotator, all from one asset (the shaded functions jar): one per workflow step
 * and the Atlas webhook. Each runs java21 on arm64 with SnapStart on published versions, logs JSON to its
 * own log group with a retention, gets configuration (never secret values) in its environment, and is called
 * through its {@value #LIVE_ALIAS} alias so SnapStart applies. Each has its own role with only what its step
 * needs (see {@link KmsPermissions}); only the steps that call Atlas may read the Atlas credentials secret,
 * only the webhook may read the webhook secret and publish to the bus; only Preflight may describe the
 * workflow's executions.
 */
public final class RotatorFunctions extends Construct {

    /** The alias the state machine and the function URL call; it points at the latest published version. */
    public static final String LIVE_ALIAS = "live";
    public static final String WEBHOOK_HANDLER = RotatorStep.HANDLER_PACKAGE + ".AtlasWebhookHandler::handleRequest";
    /** The tripwire's Rescue function (the target of the tripwire rule, not a workflow step). */
    public static final String RESCUE_HANDLER = RotatorStep.HANDLER_PACKAGE + ".RescueHandler::handleRequest";
    public static final RetentionDays LOG_RETENTION = RetentionDays.THREE_MONTHS;

    /** What the functions are built from. */
    public record Props(RotatorConfig config, Path functionsAsset, ISecret atlasCredentials, ISecret webhookSecret,
                        IEventBus bus, WorkflowName workflowName, ITable lockTable) {
    }

    /** Read by every step handler (its Atlas client is built at start-up and refuses to start without it). */
    public static final String ENV_ATLAS_SECRET_ARN = "ATLAS_SECRET_ARN";
    /** Optional for the step handlers: set only when the configuration names another Atlas base URL. */
    public static final String ENV_ATLAS_BASE_URL = "ATLAS_BASE_URL";
    /** Read by every step: the projects' rotation lock table (Preflight takes a lock, the others confirm it). */
    public static final String ENV_LOCK_TABLE = "ROTATOR_LOCK_TABLE";
    /**
     * Read by every step and the Rescue function: this deployment's name (the stack's), which the keys it creates or
     * adopts carry in {@code atlas-cmk-rotator:deployment} and every KMS condition of their roles names.
     */
    public static final String ENV_DEPLOYMENT = "ROTATOR_DEPLOYMENT";
    /** Read by Preflight only: the state machine whose executions hold the projects' locks. */
    public static final String ENV_STATE_MACHINE_ARN = "ROTATOR_STATE_MACHINE_ARN";
    /** Read by the webhook only. */
    public static final String ENV_WEBHOOK_SECRET_ARN = "WEBHOOK_SECRET_ARN";
    /** The {@code source} of the webhook's events (functions/: EventBridgeAlertPublisher.SOURCE; the alert rule matches it). */
    public static final String WEBHOOK_EVENT_SOURCE = "atlas-cmk-rotator.webhook";
    /** The {@code source} of the Rescue function's events (functions/: KeyRescue.SOURCE). */
    public static final String RESCUE_EVENT_SOURCE = "atlas-cmk-rotator.tripwire";
    /** Concurrent webhook invocations at most. */
    public static final int WEBHOOK_RESERVED_CONCURRENCY = 5;

    /** PutEvents on the rotator's bus with this {@code source} only: a function cannot pose as another. */
    static PolicyStatement putEventsAs(IEventBus bus, String source) {
        return PolicyStatement.Builder.create()
                .sid("PutEventsOnlyAs" + source.replaceAll("[^A-Za-z0-9]", ""))
                .actions(List.of("events:PutEvents"))
                .resources(List.of(bus.getEventBusArn()))
                .conditions(Map.of("StringEquals", Map.of("events:source", source)))
                .build();
    }

    /** Read by the webhook and the Rescue function (the workflow publishes its outcomes itself, through the state machine). */
    public static final String ENV_EVENT_BUS_NAME = "ROTATOR_EVENT_BUS_NAME";

    private final Map<RotatorStep, Function> stepFunctions = new EnumMap<>(RotatorStep.class);
    private final Map<RotatorStep, Alias> stepAliases = new EnumMap<>(RotatorStep.class);
    private final Function webhook;
    private final Alias webhookAlias;
    private final Function rescue;
    private final Alias rescueAlias;

    public RotatorFunctions(Construct scope, String id, Props props) {
        super(scope, id);
        Code code = Code.fromAsset(props.functionsAsset().toString());
        KmsPermissions kms = new KmsPermissions(this, props.config());

        // Each project's settings, for Preflight and AuditAndRetire: a file in a layer (a function's variables may
        // hold 4 KB in all, which a few dozen projects fill).
        LayerVersion projectSettings = projectSettingsLayer(props.config());
        for (RotatorStep step : RotatorStep.values()) {
            Map<String, String> environment = stepEnvironment(step, props, kms.deployment());
            LambdaEnvironmentLimit.requireWithinLimit(step.stepName(), environment);
            Function function = function(step.stepName(), code, step.handler(), step.memoryMb(),
                    step.timeoutSeconds(), environment, "Atlas CMK Rotator step " + step.stepName());
            kms.forStep(step).forEach(function::addToRolePolicy);
            if (step.callsAtlas()) {
                props.atlasCredentials().grantRead(function);
            }
            // The lock's item of a project: read it, and change it by conditional update (acquire, confirm).
            props.lockTable().grant(function, "dynamodb:GetItem", "dynamodb:UpdateItem");
            if (step == RotatorStep.PREFLIGHT) {
                function.addToRolePolicy(describeRotationExecutions(props.workflowName()));
            }
            if (step == RotatorStep.PREFLIGHT || step == RotatorStep.AUDIT_AND_RETIRE) {
                function.addToRolePolicy(lookupKeyUsage());
            }
            if (environment.containsKey(ProjectSettingsVariable.FILE_VARIABLE)) {
                function.addLayers(projectSettings);
            }
            stepFunctions.put(step, function);
            stepAliases.put(step, function.addAlias(LIVE_ALIAS));
        }

        Map<String, String> webhookEnvironment = new LinkedHashMap<>();
        webhookEnvironment.put(ENV_WEBHOOK_SECRET_ARN, props.webhookSecret().getSecretArn());
        webhookEnvironment.put(ENV_EVENT_BUS_NAME, props.bus().getEventBusName());
        webhookEnvironment.put(ENV_LOCK_TABLE, props.lockTable().getTableName());
        webhook = function("AtlasWebhook", code, WEBHOOK_HANDLER, 1024, 15, webhookEnvironment,
                "Atlas CMK Rotator: verifies Atlas alert webhooks and publishes them to the rotator's bus");
        // Internet-facing: at most a few at once, whatever a flood of deliveries asks.
        ((CfnFunction) webhook.getNode().getDefaultChild()).setReservedConcurrentExecutions(WEBHOOK_RESERVED_CONCURRENCY);
        props.webhookSecret().grantRead(webhook);
        webhook.addToRolePolicy(putEventsAs(props.bus(), WEBHOOK_EVENT_SOURCE));
        // Records of alert deliveries only (items alert#...), never a project's lock.
        webhook.addToRolePolicy(PolicyStatement.Builder.create()
                .sid("RecordAlertDeliveriesOnly")
                .actions(List.of("dynamodb:PutItem", "dynamodb:DeleteItem"))
                .resources(List.of(props.lockTable().getTableArn()))
                .conditions(Map.of("ForAllValues:StringLike", Map.of("dynamodb:LeadingKeys", List.of("alert#*"))))
                .build());
        webhookAlias = webhook.addAlias(LIVE_ALIAS);

        // The tripwire's target: cancels the deletion of a key something still needs (see Tripwire).
        rescue = function("Rescue", code, RESCUE_HANDLER, 1024, 60,
                Map.of(ENV_EVENT_BUS_NAME, props.bus().getEventBusName(), ENV_DEPLOYMENT, kms.deployment(),
                        ENV_LOCK_TABLE, props.lockTable().getTableName()),
                "Atlas CMK Rotator: cancels the scheduled deletion of a key that something tried to use");
        kms.forRescue().forEach(rescue::addToRolePolicy);
        // It seizes the project's lock (one UpdateItem) before it writes, and releases it: a rotation of the
        // project (an audit about to delete the key again) then writes nothing more.
        props.lockTable().grant(rescue, "dynamodb:UpdateItem");
        rescue.addToRolePolicy(putEventsAs(props.bus(), RESCUE_EVENT_SOURCE));
        rescueAlias = rescue.addAlias(LIVE_ALIAS);
    }

    /**
     * What a step handler reads from its environment (ARNs and names only: secret values are fetched at run
     * time, so none is ever in the environment). Every step: the Atlas credentials secret, the lock table, the deployment name and,
     * when configured, the Atlas base URL. Preflight also gets the state machine's ARN (whether a lock's holder
     * still runs); Preflight and AuditAndRetire the path of the project settings file in the ProjectSettings
     * layer ({@value ProjectSettingsVariable#FILE_VARIABLE}), so that an execution started by an alert or by hand
     * runs with them too.
     */
    static Map<String, String> stepEnvironment(RotatorStep step, Props props, String deployment) {
        Map<String, String> environment = new LinkedHashMap<>();
        environment.put(ENV_ATLAS_SECRET_ARN, props.atlasCredentials().getSecretArn());
        environment.put(ENV_LOCK_TABLE, props.lockTable().getTableName());
        environment.put(ENV_DEPLOYMENT, deployment);
        if (props.config().atlasBaseUrl() != null) {
            environment.put(ENV_ATLAS_BASE_URL, props.config().atlasBaseUrl());
        }
        if (step == RotatorStep.PREFLIGHT) {
            environment.put(ENV_STATE_MACHINE_ARN, props.workflowName().stateMachineArn());
        }
        if (step == RotatorStep.PREFLIGHT || step == RotatorStep.AUDIT_AND_RETIRE) {
            // Preflight: each project's settings; AuditAndRetire: the deployment's other projects, asked which key
            // they use before an adopted key is deleted.
            environment.put(ProjectSettingsVariable.FILE_VARIABLE, ProjectSettingsVariable.FILE_PATH);
        }
        return environment;
    }

    /**
     * Preflight asks whether the run holding a project's pending key still runs: DescribeExecution of that
     * execution of this state machine, and of no other.
     */
    static PolicyStatement describeRotationExecutions(WorkflowName workflowName) {
        return PolicyStatement.Builder.create()
                .sid("DescribeExecutionsOfTheRotationStateMachine")
                .actions(List.of("states:DescribeExecution"))
                .resources(List.of(workflowName.executionArns()))
                .build();
    }

    /**
     * AuditAndRetire (and Preflight's dry-run plan) ask CloudTrail who used a retired key before it is
     * deleted. {@code cloudtrail:LookupEvents} has no resource-level permission: its resource is "*" and it
     * reads only the event history, never a trail's configuration or its bucket.
     */
    static PolicyStatement lookupKeyUsage() {
        return PolicyStatement.Builder.create()
                .sid("LookUpWhoUsedARetiredKey")
                .actions(List.of("cloudtrail:LookupEvents"))
                .resources(List.of("*"))
                .build();
    }

    /** A layer holding {@value ProjectSettingsVariable#FILE_PATH}: the configuration's project settings. */
    private LayerVersion projectSettingsLayer(io.atlascmk.infra.config.RotatorConfig config) {
        java.nio.file.Path dir;
        try {
            dir = java.nio.file.Files.createTempDirectory("rotator-project-settings");
            java.nio.file.Path folder = java.nio.file.Files.createDirectories(dir.resolve(ProjectSettingsVariable.LAYER_DIRECTORY));
            java.nio.file.Files.writeString(folder.resolve(ProjectSettingsVariable.FILE_NAME),
                    ProjectSettingsVariable.value(config.projects()), java.nio.charset.StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("Could not write the project settings layer: " + e.getMessage(), e);
        }
        return LayerVersion.Builder.create(this, "ProjectSettings")
                .description("Atlas CMK Rotator: each configured project's settings (" + ProjectSettingsVariable.FILE_PATH + ")")
                .code(Code.fromAsset(dir.toString()))
                .compatibleRuntimes(List.of(Runtime.JAVA_21))
                .compatibleArchitectures(List.of(Architecture.ARM_64))
                .build();
    }

    private Function function(String name, Code code, String handler, int memoryMb, int timeoutSeconds,
                              Map<String, String> environment, String description) {
        LogGroup logGroup = LogGroup.Builder.create(this, name + "Logs")
                .retention(LOG_RETENTION)
                .build();
        Function function = Function.Builder.create(this, name)
                .description(description)
                .code(code)
                .handler(handler)
                .runtime(Runtime.JAVA_21)
                .architecture(Architecture.ARM_64)
                .snapStart(SnapStartConf.ON_PUBLISHED_VERSIONS)
                .memorySize(memoryMb)
                .timeout(Duration.seconds(timeoutSeconds))
                .environment(environment)
                .loggingFormat(LoggingFormat.JSON)
                .logGroup(logGroup)
                .build();
        // CDK warns that SnapStart needs published versions: every function here is published and called
        // through its live alias (added right after), so the warning does not apply.
        Annotations.of(function).acknowledgeWarning("@aws-cdk/aws-lambda:snapStartRequirePublish",
                "published and called through the " + LIVE_ALIAS + " alias");
        return function;
    }

    public Function stepFunction(RotatorStep step) {
        return stepFunctions.get(step);
    }

    /** The alias the state machine calls for {@code step}. */
    public Alias stepAlias(RotatorStep step) {
        return stepAliases.get(step);
    }

    public Function webhook() {
        return webhook;
    }

    public Alias webhookAlias() {
        return webhookAlias;
    }

    public Function rescue() {
        return rescue;
    }

    /** The alias the tripwire rule invokes. */
    public Alias rescueAlias() {
        return rescueAlias;
    }
}
