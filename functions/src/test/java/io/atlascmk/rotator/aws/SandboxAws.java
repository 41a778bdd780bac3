package io.atlascmk.rotator.aws;

import io.atlascmk.rotator.trail.CloudTrailKeyUsage;

import io.atlascmk.sandbox.SandboxClock;
import io.atlascmk.sandbox.aws.AwsStandIn;
import io.atlascmk.sandbox.aws.CloudTrailStandIn;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudtrail.CloudTrailClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.kms.KmsClient;

/**
 * AWS for a test: the sandbox's AWS stand-in (the one model of AWS the project has: KMS, CloudTrail,
 * EventBridge), reached through the unchanged SDK clients; CloudTrail through a real
 * {@link CloudTrailKeyUsage}. By default pauses between
 * lookups move the sandbox clock, as in the sandbox, and the stand-in enforces LookupEvents' rate.
 * {@link #withoutPacing} is for tests that compare end states to the millisecond (crash and re-run):
 * the stand-in's rate limit is off and the clock never moves for a pause.
 */
public final class SandboxAws implements AutoCloseable {

    private final AwsStandIn aws;
    private final CloudTrailClient client;
    private final KmsClient kms;
    private final EventBridgeClient eventBridge;
    private final CloudTrailKeyUsage usage;

    public SandboxAws(SandboxClock clock) {
        this(clock, true);
    }

    /** Without the rate limit and without pauses: the clock moves only when the test moves it. */
    public static SandboxAws withoutPacing(SandboxClock clock) {
        return new SandboxAws(clock, false);
    }

    private SandboxAws(SandboxClock clock, boolean paced) {
        this.aws = new AwsStandIn(clock).start();
        aws.cloudTrail().rateLimitEnabled(paced);
        this.client = CloudTrailClient.builder()
                .endpointOverride(aws.endpoint())
                .region(Region.US_EAST_1)
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create("AKIAFUNCTIONSTEST001", "not-checked")))
                .build();
        this.usage = new CloudTrailKeyUsage(client, clock, paced ? clock::advance : pause -> { });
        this.kms = KmsClient.builder().endpointOverride(aws.endpoint()).region(Region.US_EAST_1)
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create("AKIAFUNCTIONSTEST001", "not-checked")))
                .build();
        this.eventBridge = EventBridgeClient.builder().endpointOverride(aws.endpoint()).region(Region.US_EAST_1)
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create("AKIAFUNCTIONSTEST001", "not-checked")))
                .build();
    }

    /** The event history: record uses with {@link CloudTrailStandIn#recordKmsUse}. */
    public CloudTrailStandIn events() {
        return aws.cloudTrail();
    }

    public AwsStandIn aws() {
        return aws;
    }

    public CloudTrailKeyUsage usage() {
        return usage;
    }

    /** KMS of the stand-in, region us-east-1. */
    public KmsClient kms() {
        return kms;
    }

    public EventBridgeClient eventBridge() {
        return eventBridge;
    }

    @Override
    public void close() {
        client.close();
        kms.close();
        eventBridge.close();
        aws.close();
    }
}
