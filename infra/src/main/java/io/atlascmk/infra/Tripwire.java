package io.atlascmk.infra;

import java.nio.file.Path;
import java.util.List;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.cloudtrail.ReadWriteType;
import software.amazon.awscdk.services.cloudtrail.Trail;
import software.amazon.awscdk.services.events.CfnRule;
import software.amazon.awscdk.services.events.Rule;
import software.amazon.awscdk.services.events.targets.LambdaFunction;
import software.amazon.awscdk.services.events.targets.LambdaFunctionProps;
import software.amazon.awscdk.services.s3.BlockPublicAccess;
import software.amazon.awscdk.services.s3.Bucket;
import software.amazon.awscdk.services.s3.BucketEncryption;
import software.amazon.awscdk.services.sqs.IQueue;
import software.constructs.Construct;

/**
 * The tripwire: a deletion that something needs cancels itself. A rule on the account's default event bus
 * with the pattern of {@code events/tripwire-rule-pattern.json} matches the CloudTrail record of a KMS call
 * refused because its key is pending deletion, and invokes the Rescue function, which cancels the deletion
 * of a key this system scheduled, enables it and says so on the rotator's bus.
 *
 * <p>What it needs: CloudTrail delivers "AWS API Call via CloudTrail" events to EventBridge only while a trail
 * logs management events in the account and region; and {@code Decrypt} and its kind are read-only events, so
 * the rule is enabled for all CloudTrail management events ({@code ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS}).
 * With {@code createTrail: true} the stack creates that trail (its bucket encrypted, private, TLS only).
 */
public final class Tripwire extends Construct {

    /** What the tripwire is built from. */
    public record Props(RotatorFunctions functions, Path patternFile, IQueue deadLetterQueue, boolean createTrail) {
    }

    /** The rule state that includes read-only management events such as Decrypt. */
    static final String RULE_STATE = "ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS";

    private final Rule rule;

    public Tripwire(Construct scope, String id, Props props) {
        super(scope, id);
        rule = Rule.Builder.create(this, "Rule")
                .description("A KMS call refused because its key is pending deletion: cancel the deletion if the key is the rotator's")
                .eventPattern(EventPatternFile.read(props.patternFile()))
                .build();
        ((CfnRule) rule.getNode().getDefaultChild()).setState(RULE_STATE);
        rule.addTarget(new LambdaFunction(props.functions().rescueAlias(), LambdaFunctionProps.builder()
                .deadLetterQueue(props.deadLetterQueue())
                .retryAttempts(RotationSchedules.RETRY_ATTEMPTS)
                .maxEventAge(Duration.hours(6))
                .build()));
        if (props.createTrail()) {
            Bucket bucket = Bucket.Builder.create(this, "TrailBucket")
                    .encryption(BucketEncryption.S3_MANAGED)
                    .blockPublicAccess(BlockPublicAccess.BLOCK_ALL)
                    .enforceSsl(true)
                    .removalPolicy(RemovalPolicy.RETAIN)
                    .build();
            NagAcknowledgments.acknowledge(bucket, "AwsSolutions-S1", "The bucket holds only CloudTrail's log files,"
                    + " written by CloudTrail itself, which records every access to them as data events can; server"
                    + " access logs of a log bucket would need yet another bucket.");
            Trail.Builder.create(this, "ManagementEvents")
                    .bucket(bucket)
                    .managementEvents(ReadWriteType.ALL)
                    .isMultiRegionTrail(false)
                    .includeGlobalServiceEvents(false)
                    .build();
        }
    }

    public Rule rule() {
        return rule;
    }

    /** The sentence the synth output carries. */
    static String requirement(boolean createTrail) {
        return createTrail
                ? "The tripwire uses the trail this stack creates (management events, read and write)."
                : "The tripwire needs a CloudTrail trail logging management events (read and write) in this account and"
                + " region; none is created (createTrail: false). Without one it never fires.";
    }

}
