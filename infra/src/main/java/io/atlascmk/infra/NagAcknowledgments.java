package io.atlascmk.infra;

import software.amazon.awscdk.Acknowledgment;
import software.amazon.awscdk.Validations;
import software.constructs.IConstruct;

/**
 * The cdk-nag (AwsSolutions) findings this stack accepts on purpose, each with its reason, recorded on
 * the construct they concern with CDK's {@code Validations.acknowledge}. The infra tests run the pack and
 * fail on any finding not acknowledged here.
 */
final class NagAcknowledgments {

    private NagAcknowledgments() {
    }

    static void acknowledge(IConstruct scope, String rule, String reason) {
        Validations.of(scope).acknowledge(Acknowledgment.builder().id(rule).reason(reason).build());
    }

    /**
     * The Lambda functions' roles and runtime. cdk-nag names each wildcard finding by its resource
     * ({@code AwsSolutions-IAM5[Resource::...]}), so each accepted wildcard is acknowledged by name: the key
     * ARNs of the configured regions, Resource *, and this state machine's executions.
     */
    static void functions(IConstruct functions, java.util.List<String> keyRegions, String stateMachineName) {
        String keyReason = "KMS keys are created at run time, so key permissions name key/* in the configured regions"
                + " and are narrowed by the deployment, project and ledger-state tag conditions (a test walks them: no role reaches"
                + " the deletion of an active or foreign key).";
        for (String region : keyRegions) {
            acknowledgeFinding(functions, "AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:kms:" + region
                    + ":<AWS::AccountId>:key/*]", keyReason);
        }
        String aliasReason = "Finalize points the alias atlas-cmk/<project> at the project's new key; the projects are"
                + " data, not policy, so the alias permission names the rotator's alias namespace, and moving an alias"
                + " also needs permission on the keys it points from and to, which must carry this deployment's tag.";
        for (String region : keyRegions) {
            acknowledgeFinding(functions, "AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:kms:" + region
                    + ":<AWS::AccountId>:alias/atlas-cmk/*]", aliasReason);
        }
        acknowledgeFinding(functions, "AwsSolutions-IAM5[Resource::*]", "kms:ListKeys, kms:ListAliases and"
                + " kms:CreateKey accept only Resource * (CreateKey is narrowed by request-tag conditions); the Deny of a"
                + " lockout bypass applies everywhere on purpose.");
        acknowledgeFinding(functions, "AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:states:<AWS::Region>"
                + ":<AWS::AccountId>:execution:" + stateMachineName + ":*]", "Preflight asks DescribeExecution of this"
                + " state machine's executions, whose names are not known in advance.");
        acknowledgeFinding(functions, "AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/"
                + "AWSLambdaBasicExecutionRole]", "AWSLambdaBasicExecutionRole only lets a function write its own"
                + " CloudWatch Logs; every permission that touches keys, secrets, the lock table or the bus is an inline,"
                + " condition-narrowed statement.");
        acknowledge(functions, "AwsSolutions-L1", "Java 21 on Amazon Linux 2023 is a supported LTS runtime with"
                + " SnapStart; moving to Java 25 is a separate change, tested against SnapStart first.");
    }

    /**
     * A member account's role ({@link KeyAccountStack}): the same key, alias and Resource * wildcards as the functions'
     * roles, for the same reasons, each statement also tied to one step's source identity.
     */
    static void keyAccountRole(IConstruct stack, java.util.List<String> keyRegions) {
        String reason = "The same KMS permissions as the rotator's functions at home (key/* and alias/atlas-cmk/* of the"
                + " configured regions, Resource * for ListKeys, ListAliases, CreateKey and LookupEvents), narrowed by the"
                + " deployment, project and ledger-state tags and by the calling step's source identity.";
        for (String region : keyRegions) {
            acknowledgeFinding(stack, "AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:kms:" + region
                    + ":<AWS::AccountId>:key/*]", reason);
            acknowledgeFinding(stack, "AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:kms:" + region
                    + ":<AWS::AccountId>:alias/atlas-cmk/*]", reason);
        }
        acknowledgeFinding(stack, "AwsSolutions-IAM5[Resource::*]", reason);
    }

    /** A function's permission to assume the member role, which is named alike in every account that holds keys. */
    static void assumeMemberRole(IConstruct role, String partitionArnPrefixFinding) {
        acknowledgeFinding(role, partitionArnPrefixFinding, "The functions assume the deployment's member role in"
                + " whichever account a project's registration names (accounts are data, not policy); only that role"
                + " name, only under the function's own source identity.");
    }

    /**
     * A finding cdk-nag names by its resource ({@code AwsSolutions-IAM5[Resource::...]}). CDK's
     * {@code acknowledge} refuses ids with {@code ::}, so the acknowledgment is written as the same metadata
     * entry {@code acknowledge} writes, which cdk-nag reads (and copies into the template's {@code cdk_nag}
     * metadata).
     */
    static void acknowledgeFinding(IConstruct scope, String finding, String reason) {
        scope.getNode().addMetadata(Validations.ACKNOWLEDGED_RULES_METADATA_KEY, java.util.Map.of(finding, reason));
    }

    /**
     * CDK's custom resource provider framework, which runs the registry seed at deploy: its own small Node.js
     * function and role, written and kept up to date by the CDK.
     */
    static void registrySeedProvider(IConstruct provider, software.amazon.awscdk.services.lambda.Function seeder) {
        software.amazon.awscdk.Stack stack = software.amazon.awscdk.Stack.of(seeder);
        String logicalId = String.valueOf(stack.resolve(stack.getLogicalId(
                (software.amazon.awscdk.CfnElement) seeder.getNode().getDefaultChild())));
        acknowledgeFinding(provider, "AwsSolutions-IAM5[Resource::<" + logicalId + ".Arn>:*]", "The provider framework"
                + " invokes the seed function (any of its versions, as CDK writes it); it may invoke nothing else.");
    }

    /** The fleet run's state machine: as the rotation's, and it follows the rotation's executions. */
    static void fleet(IConstruct fleet, String rotationStateMachineName) {
        workflow(fleet);
        acknowledgeFinding(fleet, "AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>"
                + ":execution:" + rotationStateMachineName + ":*]", "The fleet follows and may stop the child executions"
                + " of the rotation state machine it starts, whose names are made per run.");
    }

    /** AuditAndRetire writes its evidence objects, whose names are made per run, under {@code evidence/}. */
    static void evidenceObjects(IConstruct function, software.amazon.awscdk.services.s3.Bucket bucket) {
        software.amazon.awscdk.Stack stack = software.amazon.awscdk.Stack.of(bucket);
        String logicalId = String.valueOf(stack.resolve(stack.getLogicalId(
                (software.amazon.awscdk.CfnElement) bucket.getNode().getDefaultChild())));
        acknowledgeFinding(function, "AwsSolutions-IAM5[Resource::<" + logicalId + ".Arn>/evidence/*]", "AuditAndRetire"
                + " writes one evidence object per run (its name carries the project and the execution) and may only"
                + " put objects under evidence/: never read, list or delete them.");
    }

    /** The Record function keeps each event of the workflow, whose names are made per event, under {@code events/}. */
    static void recordedEvents(IConstruct function, software.amazon.awscdk.services.s3.Bucket bucket) {
        software.amazon.awscdk.Stack stack = software.amazon.awscdk.Stack.of(bucket);
        String logicalId = String.valueOf(stack.resolve(stack.getLogicalId(
                (software.amazon.awscdk.CfnElement) bucket.getNode().getDefaultChild())));
        acknowledgeFinding(function, "AwsSolutions-IAM5[Resource::<" + logicalId + ".Arn>/events/*]", "Record keeps"
                + " each event of the workflow as one object (its name carries the project, the time and the event id)"
                + " and may only put objects under events/: never read, list or delete them.");
    }

    /** AWS Chatbot's channel role: the "notifications only" reads of CloudWatch, which name no resource. */
    static void chatbotRole(IConstruct role) {
        String reason = "AWS Chatbot's notifications-only permissions: describe, get and list CloudWatch alarms and metrics"
                + " (to show an alarm's details and graph in the channel); CloudWatch has no resource-level permission for"
                + " most of them, and the channel's guardrail is CloudWatchReadOnlyAccess.";
        for (String action : java.util.List.of("Describe*", "Get*", "List*")) {
            acknowledgeFinding(role, "AwsSolutions-IAM5[Action::cloudwatch:" + action + "]", reason);
        }
        acknowledgeFinding(role, "AwsSolutions-IAM5[Resource::*]", reason);
    }

    /** The state machine. */
    static void workflow(IConstruct workflow) {
        acknowledgeFinding(workflow, "AwsSolutions-IAM5[Resource::*]", "Step Functions' delivery of execution logs to"
                + " CloudWatch Logs (logs:CreateLogDelivery and the other log-delivery actions) accepts only Resource *.");
        acknowledge(workflow, "AwsSolutions-SF1", "Step Functions keeps every execution's full event history for 90"
                + " days; the log group gets errors only and no execution data, so project ids and key ARNs are not"
                + " copied into CloudWatch Logs.");
        acknowledge(workflow, "AwsSolutions-SF2", "The workflow is a sequence of Lambda calls whose timings the execution"
                + " history already records; X-Ray would add a Resource * permission for no further insight.");
    }

    /** The Atlas credentials and webhook secrets. */
    static void secret(IConstruct secret) {
        acknowledge(secret, "AwsSolutions-SMG4", "Atlas issues these credentials (service account or API key) and the"
                + " webhook secret is set in Atlas; no rotation Lambda can create them. Rotate them in Atlas and put the"
                + " new value here: the client reads the secret again after a 401, so no function needs recycling.");
    }

    /** The dead-letter queue of the schedules' and rules' targets. */
    static void deadLetterQueue(IConstruct queue) {
        acknowledge(queue, "AwsSolutions-SQS3", "This queue is itself the dead-letter queue of the schedules' and"
                + " rules' targets (starts that could not be delivered), alarmed on any message.");
    }
}
