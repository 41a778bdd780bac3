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
 * workflow's executions; the Record function may only put objects under {@code events/} of the evidence bucket.
 */
public final class RotatorFunctions extends Construct {

    /** The alias the state machine and the function URL call; it points at the latest published version. */
    public static final String LIVE_ALIAS = "live";
    public static final String WEBHOOK_HANDLER = RotatorStep.HANDLER_PACKAGE + ".AtlasWebhookHandler::handleRequest";
    /** The tripwire's Rescue function (the target of the tripwire rule, not a workflow step). */
    public static final String RESCUE_HANDLER = RotatorStep.HANDLER_PACKAGE + ".RescueHandler::handleRequest";
    /** The fleet run's plan (which registered projects are due), when the configuration runs a fleet. */
    public static final String FLEET_PLAN_HANDLER = RotatorStep.HANDLER_PACKAGE + ".FleetPlanHandler::handleRequest";
    /**
     * The recorder of the workflow's events (the target of a rule on the rotator's bus, not a workflow step): emits the
     * outcome metrics and keeps each event whole in the evidence bucket under {@value #RECORDED_EVENTS_PREFIX}.
     */
    public static final String RECORD_HANDLER = RotatorStep.HANDLER_PACKAGE + ".RecordHandler::handleRequest";
    /** The Record function's name (its construct id), also the step name its metrics and logs carry. */
    public static final String RECORD = "Record";
    /** Where the Record function keeps the events, in the evidence bucket: {@code events/<projectId>/<time>-<id>.json}. */
    public static final String RECORDED_EVENTS_PREFIX = "events/";
    /** The deploy's custom resource that seeds the project registry from the configuration. */
    public static final String REGISTRY_SEED_HANDLER = RotatorStep.HANDLER_PACKAGE + ".RegistrySeedHandler::handleRequest";
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
     * Read by every step, the Rescue and the Record function: this deployment's name (the stack's), which the keys it creates or
     * adopts carry in {@code atlas-cmk-rotator:deployment} and every KMS condition of their roles names, and the
     * {@code Deployment} dimension of every metric.
     */
    public static final String ENV_DEPLOYMENT = "ROTATOR_DEPLOYMENT";
    /** The step's name, the source identity under which the function assumes a member account's role. */
    public static final String ENV_SOURCE_IDENTITY = "ROTATOR_SOURCE_IDENTITY";
    /** The stack's own account: Rescue reaches a key of any other account through that account's member role. */
    public static final String ENV_HOME_ACCOUNT = "ROTATOR_HOME_ACCOUNT";
    /**
     * Read by AuditAndRetire (the evidence bucket, where each run's whole audit is kept, one object per execution) and
     * by Record (each event of the workflow, one object per event).
     */
    public static final String ENV_EVIDENCE_BUCKET = "ROTATOR_EVIDENCE_BUCKET";
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
    private final Function record;
    private final Alias recordAlias;

    public RotatorFunctions(Construct scope, String id, Props props) {
        super(scope, id);
        Code code = Code.fromAsset(props.functionsAsset().toString());
        KmsPermissions kms = new KmsPermissions(this, props.config());
        evidenceBucket = software.amazon.awscdk.services.s3.Bucket.Builder.create(this, "Evidence")
                .encryption(software.amazon.awscdk.services.s3.BucketEncryption.S3_MANAGED)
                .blockPublicAccess(software.amazon.awscdk.services.s3.BlockPublicAccess.BLOCK_ALL)
                .enforceSsl(true)
                .versioned(true)
                .removalPolicy(software.amazon.awscdk.RemovalPolicy.RETAIN)
                .build();
        NagAcknowledgments.acknowledge(evidenceBucket, "AwsSolutions-S1", "The bucket holds the rotator's own evidence"
                + " objects, written only by AuditAndRetire (evidence/) and Record (events/) and versioned so none is ever"
                + " replaced; its reads are"
                + " CloudTrail's to record (S3 data events), and server access logs would need yet another bucket.");

        for (RotatorStep step : RotatorStep.values()) {
            Map<String, String> environment = stepEnvironment(step, props, kms.deployment(), evidenceBucket.getBucketName());
            LambdaEnvironmentLimit.requireWithinLimit(step.stepName(), environment);
            Function function = function(step.stepName(), code, step.handler(), step.memoryMb(),
                    step.timeoutSeconds(), environment, "Atlas CMK Rotator step " + step.stepName());
            kms.forStep(step).forEach(function::addToRolePolicy);
            if (KeyAccounts.reachesKeys(step)) {
                KeyAccounts.allowAssumingMemberRole(this, function.getRole(), kms.deployment(), step.stepName());
            }
            if (step.callsAtlas()) {
                props.atlasCredentials().grantRead(function);
            }
            // The lock's item of a project: read it, and change it by conditional update (acquire, confirm).
            // read any item (the lock, the key index, the project's registration); change only locks and the key
            // index, never a project's registration (the settings that guard deletion) nor an alert record
            props.lockTable().grant(function, "dynamodb:GetItem");
            function.addToRolePolicy(updateLocksAndKeyIndexOnly(props.lockTable()));
            if (step == RotatorStep.PREFLIGHT) {
                function.addToRolePolicy(describeRotationExecutions(props.workflowName()));
            }
            if (step == RotatorStep.AUDIT_AND_RETIRE) {
                // the run's whole evidence, one new object (version) per run; never read, list or delete
                function.addToRolePolicy(PolicyStatement.Builder.create()
                        .sid("PutEvidenceObjectsOnly")
                        .actions(List.of("s3:PutObject"))
                        .resources(List.of(evidenceBucket.arnForObjects("evidence/*")))
                        .build());
                NagAcknowledgments.evidenceObjects(function, evidenceBucket);
            }
            if (step == RotatorStep.PREFLIGHT || step == RotatorStep.AUDIT_AND_RETIRE) {
                function.addToRolePolicy(lookupKeyUsage());
                // the registry: a project's settings (GetItem, above), and every registered project (a scan)
                props.lockTable().grant(function, "dynamodb:Scan");
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
        // Whether the alert's project is registered: one project item of the registry, nothing else.
        webhook.addToRolePolicy(PolicyStatement.Builder.create()
                .sid("ReadRegisteredProjectsOnly")
                .actions(List.of("dynamodb:GetItem"))
                .resources(List.of(props.lockTable().getTableArn()))
                .conditions(Map.of("ForAllValues:StringLike", Map.of("dynamodb:LeadingKeys", List.of("project#*"))))
                .build());
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
                        ENV_LOCK_TABLE, props.lockTable().getTableName(), ENV_SOURCE_IDENTITY, KeyAccounts.RESCUE,
                        ENV_HOME_ACCOUNT, software.amazon.awscdk.Stack.of(this).getAccount()),
                "Atlas CMK Rotator: cancels the scheduled deletion of a key that something tried to use");
        seedRegistry(props.config(), code, props.lockTable());
        if (props.config().runsFleet()) {
            Map<String, String> planEnvironment = new LinkedHashMap<>();
            planEnvironment.put(ENV_LOCK_TABLE, props.lockTable().getTableName());
            planEnvironment.put(ENV_DEPLOYMENT, kms.deployment());
            planEnvironment.put(ENV_SOURCE_IDENTITY, KeyAccounts.FLEET_PLAN);
            // Atlas's rate limits (GET /rateLimits) size the run's concurrency
            planEnvironment.put(ENV_ATLAS_SECRET_ARN, props.atlasCredentials().getSecretArn());
            if (props.config().atlasBaseUrl() != null) {
                planEnvironment.put(ENV_ATLAS_BASE_URL, props.config().atlasBaseUrl());
            }
            Function plan = function("FleetPlan", code, FLEET_PLAN_HANDLER, 1024, 900, planEnvironment,
                    "Atlas CMK Rotator: plans the daily fleet run (which registered projects are due)");
            // the registry (scan) and the key index (get, and the record an interrupted creation's scan writes)
            props.lockTable().grant(plan, "dynamodb:Scan", "dynamodb:GetItem");
            plan.addToRolePolicy(PolicyStatement.Builder.create()
                    .sid("UpdateTheKeyIndexOnly")
                    .actions(List.of("dynamodb:UpdateItem"))
                    .resources(List.of(props.lockTable().getTableArn()))
                    .conditions(Map.of("ForAllValues:StringLike", Map.of("dynamodb:LeadingKeys", List.of("keys#*"))))
                    .build());
            kms.forFleetPlan().forEach(plan::addToRolePolicy);
            props.atlasCredentials().grantRead(plan);
            KeyAccounts.allowAssumingMemberRole(this, plan.getRole(), kms.deployment(), KeyAccounts.FLEET_PLAN);
            fleetPlanAlias = plan.addAlias(LIVE_ALIAS);
        }
        kms.forRescue().forEach(rescue::addToRolePolicy);
        // a key of a member account (its tripwire forwards the event here): the registry names the account's role
        KeyAccounts.allowAssumingMemberRole(this, rescue.getRole(), kms.deployment(), KeyAccounts.RESCUE);
        props.lockTable().grant(rescue, "dynamodb:GetItem", "dynamodb:Scan");
        // It seizes the project's lock (one UpdateItem) before it writes, and releases it: a rotation of the
        // project (an audit about to delete the key again) then writes nothing more.
        rescue.addToRolePolicy(updateLocksAndKeyIndexOnly(props.lockTable()));
        rescue.addToRolePolicy(putEventsAs(props.bus(), RESCUE_EVENT_SOURCE));
        rescueAlias = rescue.addAlias(LIVE_ALIAS);

        // The recorder of the workflow's events: metrics on stdout (EMF) and one new object per event under events/.
        // Nothing else: no key, no Atlas secret, no table, no bus.
        Map<String, String> recordEnvironment = new LinkedHashMap<>();
        recordEnvironment.put(ENV_DEPLOYMENT, kms.deployment());
        recordEnvironment.put(ENV_EVIDENCE_BUCKET, evidenceBucket.getBucketName());
        LambdaEnvironmentLimit.requireWithinLimit(RECORD, recordEnvironment);
        record = function(RECORD, code, RECORD_HANDLER, 1024, 30, recordEnvironment,
                "Atlas CMK Rotator: records the workflow's events (outcome metrics, and each event kept in the evidence bucket)");
        record.addToRolePolicy(PolicyStatement.Builder.create()
                .sid("PutRecordedEventsOnly")
                .actions(List.of("s3:PutObject"))
                .resources(List.of(evidenceBucket.arnForObjects(RECORDED_EVENTS_PREFIX + "*")))
                .build());
        NagAcknowledgments.recordedEvents(record, evidenceBucket);
        recordAlias = record.addAlias(LIVE_ALIAS);
    }

    /**
     * What a step handler reads from its environment (ARNs and names only: secret values are fetched at run
     * time, so none is ever in the environment). Every step: the Atlas credentials secret, the table (locks, key
     * index and the project registry, whose settings every execution of a project runs with), the deployment name
     * and, when configured, the Atlas base URL. Preflight also gets the state machine's ARN (whether a lock's holder
     * still runs).
     */
    static Map<String, String> stepEnvironment(RotatorStep step, Props props, String deployment, String evidenceBucketName) {
        Map<String, String> environment = new LinkedHashMap<>();
        environment.put(ENV_ATLAS_SECRET_ARN, props.atlasCredentials().getSecretArn());
        environment.put(ENV_LOCK_TABLE, props.lockTable().getTableName());
        environment.put(ENV_DEPLOYMENT, deployment);
        if (KeyAccounts.reachesKeys(step)) {
            environment.put(ENV_SOURCE_IDENTITY, step.stepName());
        }
        if (props.config().atlasBaseUrl() != null) {
            environment.put(ENV_ATLAS_BASE_URL, props.config().atlasBaseUrl());
        }
        if (step == RotatorStep.PREFLIGHT) {
            environment.put(ENV_STATE_MACHINE_ARN, props.workflowName().stateMachineArn());
        }
        if (step == RotatorStep.AUDIT_AND_RETIRE && evidenceBucketName != null) {
            environment.put(ENV_EVIDENCE_BUCKET, evidenceBucketName);
        }
        return environment;
    }

    /**
     * UpdateItem of the rotator's table on any item but a project's registration ({@code project#...}, the settings
     * that guard deletion, written only by the registry seed and the operator) and an alert record ({@code alert#...},
     * the webhook's): the locks (conditional updates) and the key index.
     */
    static PolicyStatement updateLocksAndKeyIndexOnly(ITable table) {
        return PolicyStatement.Builder.create()
                .sid("UpdateLocksAndKeyIndexNeverRegistrations")
                .actions(List.of("dynamodb:UpdateItem"))
                .resources(List.of(table.getTableArn()))
                .conditions(Map.of("ForAllValues:StringNotLike",
                        Map.of("dynamodb:LeadingKeys", List.of("project#*", "alert#*"))))
                .build();
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

    /**
     * The project registry's seed: a layer holding {@value RegistrySeedFile#FILE_PATH} (every configured project), a
     * function that writes it into the table, and the custom resource that runs it at every deploy that changes it.
     * The seed never overwrites a project an operator registered, and removes only projects an earlier deploy
     * seeded that the configuration no longer names.
     */
    private void seedRegistry(io.atlascmk.infra.config.RotatorConfig config, Code code, ITable table) {
        String seed = RegistrySeedFile.value(config.projects());
        java.nio.file.Path dir;
        try {
            dir = java.nio.file.Files.createTempDirectory("rotator-registry-seed");
            java.nio.file.Path folder = java.nio.file.Files.createDirectories(dir.resolve(RegistrySeedFile.LAYER_DIRECTORY));
            java.nio.file.Files.writeString(folder.resolve(RegistrySeedFile.FILE_NAME), seed,
                    java.nio.charset.StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("Could not write the registry seed layer: " + e.getMessage(), e);
        }
        LayerVersion layer = LayerVersion.Builder.create(this, "RegistrySeedLayer")
                .description("Atlas CMK Rotator: the configured projects, seeded into the registry (" + RegistrySeedFile.FILE_PATH + ")")
                .code(Code.fromAsset(dir.toString()))
                .compatibleRuntimes(List.of(Runtime.JAVA_21))
                .compatibleArchitectures(List.of(Architecture.ARM_64))
                .build();
        Function seeder = function("RegistrySeed", code, REGISTRY_SEED_HANDLER, 1024, 300,
                Map.of(ENV_LOCK_TABLE, table.getTableName(), RegistrySeedFile.FILE_VARIABLE, RegistrySeedFile.FILE_PATH),
                "Atlas CMK Rotator: seeds the project registry from the configuration at deploy");
        seeder.addLayers(layer);
        seeder.addToRolePolicy(PolicyStatement.Builder.create()
                .sid("WriteRegisteredProjectsOnly")
                .actions(List.of("dynamodb:PutItem", "dynamodb:DeleteItem"))
                .resources(List.of(table.getTableArn()))
                .conditions(Map.of("ForAllValues:StringLike", Map.of("dynamodb:LeadingKeys", List.of("project#*"))))
                .build());
        table.grant(seeder, "dynamodb:Scan");
        software.amazon.awscdk.customresources.Provider provider = software.amazon.awscdk.customresources.Provider.Builder
                .create(this, "RegistrySeedProvider").onEventHandler(seeder).build();
        software.amazon.awscdk.CustomResource.Builder.create(this, "RegistrySeedResource")
                .serviceToken(provider.getServiceToken())
                .resourceType("Custom::AtlasCmkRotatorRegistrySeed")
                // a new value (the seed changed) makes CloudFormation run the seed again
                .properties(Map.of("SeedSha256", sha256(seed)))
                .build();
        NagAcknowledgments.registrySeedProvider(provider, seeder);
    }

    private static String sha256(String text) {
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(digest);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
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

    private Alias fleetPlanAlias;
    private final software.amazon.awscdk.services.s3.Bucket evidenceBucket;

    /** Where AuditAndRetire keeps each run's whole evidence. */
    public software.amazon.awscdk.services.s3.Bucket evidenceBucket() {
        return evidenceBucket;
    }

    /** The fleet plan's alias, or null when the configuration runs no fleet. */
    public Alias fleetPlanAlias() {
        return fleetPlanAlias;
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

    public Function record() {
        return record;
    }

    /** The alias the rule of the workflow's events invokes (see {@link EventRecorder}). */
    public Alias recordAlias() {
        return recordAlias;
    }
}
