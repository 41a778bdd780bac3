package io.atlascmk.infra;

import io.atlascmk.infra.config.RotatorConfig;
import java.util.regex.Pattern;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.events.EventBus;
import software.amazon.awscdk.services.secretsmanager.CfnSecret;
import software.amazon.awscdk.services.secretsmanager.ISecret;
import software.amazon.awscdk.services.secretsmanager.Secret;
import software.amazon.awscdk.services.secretsmanager.SecretStringGenerator;
import software.amazon.awscdk.services.sqs.Queue;
import software.amazon.awscdk.services.sqs.QueueEncryption;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.dynamodb.Attribute;
import software.amazon.awscdk.services.dynamodb.AttributeType;
import software.amazon.awscdk.services.dynamodb.BillingMode;
import software.amazon.awscdk.services.dynamodb.PointInTimeRecoverySpecification;
import software.amazon.awscdk.services.dynamodb.ITable;
import software.amazon.awscdk.services.dynamodb.Table;
import software.amazon.awscdk.services.dynamodb.TableEncryption;
import software.amazon.awscdk.services.stepfunctions.StateMachine;
import software.amazon.awscdk.services.stepfunctions.IStateMachine;
import software.constructs.Construct;

/**
 * The whole rotator in one stack: secrets, the rotator's event bus, the functions, the workflow, the
 * schedules, the alert path, the notifications, the record of the workflow's events, the dashboard and alarms on the
 * rotator's metrics, and (optionally) chat delivery. See design.md section 7.
 */
public final class RotatorStack extends Stack {

    /** A complete secret ARN ends in a hyphen and the six characters Secrets Manager adds to the name. */
    private static final Pattern COMPLETE_SECRET_ARN = Pattern.compile(".*:secret:.+-[A-Za-z0-9]{6}");

    public static final String ATLAS_CREDENTIALS_DESCRIPTION = "Atlas Admin API credentials of the Atlas CMK "
            + "Rotator. Fill with {\"clientId\":\"...\",\"clientSecret\":\"...\"} (service account) or "
            + "{\"publicKey\":\"...\",\"privateKey\":\"...\"} (API key).";
    public static final String WEBHOOK_SECRET_DESCRIPTION = "Secret of the Atlas webhook integration that "
            + "delivers alerts to the Atlas CMK Rotator, as {\"webhookSecret\":\"...\"}. Paste the same value "
            + "into the Atlas webhook integration.";

    private final RotatorFunctions functions;
    private final StateMachine stateMachine;

    public RotatorStack(Construct scope, String id, RotatorStackProps props) {
        super(scope, id, StackProps.builder().env(props.env()).description(props.description()).build());
        RotatorConfig config = props.config();
        WorkflowName workflowName = WorkflowName.of(this);

        ISecret atlasCredentials = config.createsAtlasCredentialsSecret()
                ? emptySecret("AtlasCredentials", ATLAS_CREDENTIALS_DESCRIPTION)
                : importSecret("AtlasCredentials", config.atlasCredentialsSecretArn());
        ISecret webhookSecret = config.createsWebhookSecret()
                ? Secret.Builder.create(this, "WebhookSecret")
                        .description(WEBHOOK_SECRET_DESCRIPTION)
                        .generateSecretString(SecretStringGenerator.builder()
                                .secretStringTemplate("{}")
                                .generateStringKey("webhookSecret")
                                .excludePunctuation(true)
                                .passwordLength(48)
                                .build())
                        .build()
                : importSecret("WebhookSecret", config.webhookSecretArn());

        EventBus bus = EventBus.Builder.create(this, "Bus")
                .description("Atlas CMK Rotator: alerts from the Atlas webhook and the workflow's outcomes")
                .build();
        Queue deadLetterQueue = Queue.Builder.create(this, "StartFailures")
                .encryption(QueueEncryption.SQS_MANAGED)
                .enforceSsl(true)
                .retentionPeriod(Duration.days(14))
                .build();

        // One rotation per project: Preflight takes the project's item with a conditional write, every step that
        // writes confirms it, every end of the workflow releases it. Kept when the stack goes (it is the record of
        // who holds what), and protected against deletion.
        ITable lockTable = config.lockTableName() != null
                ? Table.fromTableName(this, "RotationLocks", config.lockTableName())
                : Table.Builder.create(this, "RotationLocks")
                .partitionKey(Attribute.builder().name("projectId").type(AttributeType.STRING).build())
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .pointInTimeRecoverySpecification(PointInTimeRecoverySpecification.builder()
                        .pointInTimeRecoveryEnabled(true).build())
                .deletionProtection(true)
                .encryption(TableEncryption.AWS_MANAGED)
                .removalPolicy(RemovalPolicy.RETAIN)
                // The webhook's records of alert deliveries (alert#<id>) expire by themselves.
                .timeToLiveAttribute("expiresAt")
                .build();
        functions = new RotatorFunctions(this, "Functions", new RotatorFunctions.Props(
                config, props.functionsAsset(), atlasCredentials, webhookSecret, bus, workflowName, lockTable));
        stateMachine = new RotationWorkflow(this, "Workflow", new RotationWorkflow.Props(
                props.definitionFile(), workflowName, functions, bus, config.effectiveWorkflow(), lockTable)).stateMachine();
        new RotationSchedules(this, "Schedules", new RotationSchedules.Props(config, stateMachine, deadLetterQueue));
        IStateMachine fleetStateMachine = null;
        if (config.runsFleet()) {
            // next to rotation.asl.json: the fleet run's definition
            fleetStateMachine = new FleetWorkflow(this, "Fleet", new FleetWorkflow.Props(props.definitionFile().resolveSibling("fleet.asl.json"),
                    config, functions, bus, stateMachine, workflowName, deadLetterQueue,
                    RotationWorkflow.timeoutSeconds(config.effectiveWorkflow()))).stateMachine();
        }
        AlertIntake alerts = new AlertIntake(this, "Alerts", new AlertIntake.Props(
                functions, bus, stateMachine, props.alertRulePatternFile(), deadLetterQueue));
        OutcomeNotifications outcomes = new OutcomeNotifications(this, "Outcomes", new OutcomeNotifications.Props(
                config.notificationEmail(), bus, stateMachine, fleetStateMachine, deadLetterQueue));
        new Tripwire(this, "Tripwire", new Tripwire.Props(functions, props.tripwireRulePatternFile(), deadLetterQueue,
                config.createsTrail()));
        new EventRecorder(this, "Events", new EventRecorder.Props(functions, bus, deadLetterQueue));
        RotatorMonitoring monitoring = new RotatorMonitoring(this, "Monitoring", new RotatorMonitoring.Props(
                getStackName(), outcomes.topic(), outcomes.alarms()));
        if (config.deliversToChat()) {
            new ChatNotifications(this, "Chat", new ChatNotifications.Props(config.chatbot(), outcomes.topic(),
                    getStackName()));
        }
        // The member stacks of the accounts the configuration names forward their tripwire events to this account's
        // default bus: let exactly those accounts put events there.
        for (String account : KeyAccounts.accountsOf(config)) {
            software.amazon.awscdk.services.events.CfnEventBusPolicy.Builder.create(this, "TripwireEventsFrom" + account)
                    .eventBusName("default")
                    .statementId("atlas-cmk-rotator-" + getStackName() + "-tripwire-" + account)
                    .action("events:PutEvents")
                    .principal(account)
                    .build();
        }

        NagAcknowledgments.functions(functions, config.keyRegions(), workflowName.name());
        NagAcknowledgments.workflow(stateMachine);
        NagAcknowledgments.secret(atlasCredentials);
        NagAcknowledgments.secret(webhookSecret);
        NagAcknowledgments.deadLetterQueue(deadLetterQueue);

        output("WebhookUrl", alerts.webhookUrl().getUrl(),
                "Give this URL to Atlas: Project Integrations > Webhook Settings (with the webhook secret)");
        output("StateMachineArn", stateMachine.getStateMachineArn(), "Start manual rotations here");
        output("AtlasCredentialsSecretArn", atlasCredentials.getSecretArn(),
                "Atlas credentials: {clientId, clientSecret} or {publicKey, privateKey}");
        output("WebhookSecretArn", webhookSecret.getSecretArn(), "Webhook secret: {webhookSecret}");
        output("EventBusName", bus.getEventBusName(), "The rotator's event bus (alerts in, outcomes out)");
        output("LockTableName", lockTable.getTableName(),
                "The projects' rotation locks (./rotator run --lock-table, ./rotator unlock)");
        output("EvidenceBucketName", functions.evidenceBucket().getBucketName(),
                "Each audit's evidence and every event of the bus (./rotator status, ./rotator evidence --evidence-bucket)");
        output("NotificationTopicArn", outcomes.topic().getTopicArn(), "Outcomes and alarms");
        output("DeadLetterQueueUrl", deadLetterQueue.getQueueUrl(), "Starts that could not be delivered");
        output("DashboardName", monitoring.dashboard().getDashboardName(),
                "The rotator's CloudWatch dashboard (rotations, key age, retired keys, deletions, Atlas retries, alarms)");
        output("TripwireRequires", config.createsTrail() ? "trail created by this stack" : "a trail of management events",
                Tripwire.requirement(config.createsTrail()));
    }

    /**
     * A secret with no value at all (CloudFormation creates an empty secret when neither SecretString nor
     * GenerateSecretString is given): nothing to leak, and the functions fail clearly until the user fills it.
     */
    private ISecret emptySecret(String id, String description) {
        Secret secret = Secret.Builder.create(this, id).description(description).build();
        ((CfnSecret) secret.getNode().getDefaultChild()).addPropertyDeletionOverride("GenerateSecretString");
        return secret;
    }

    private ISecret importSecret(String id, String arn) {
        return COMPLETE_SECRET_ARN.matcher(arn).matches()
                ? Secret.fromSecretCompleteArn(this, id, arn)
                : Secret.fromSecretPartialArn(this, id, arn);
    }

    private void output(String id, String value, String description) {
        CfnOutput.Builder.create(this, id).value(value).description(description).build();
    }

    public RotatorFunctions functions() {
        return functions;
    }

    public StateMachine stateMachine() {
        return stateMachine;
    }
}
