package io.atlascmk.rotator.trail;

import io.atlascmk.sandbox.SandboxClock;
import io.atlascmk.sandbox.aws.AwsStandIn;
import io.atlascmk.sandbox.aws.CloudTrailStandIn;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudtrail.CloudTrailClient;

/**
 * CloudTrail for a test: the sandbox's AWS stand-in (the one model of AWS the project has), reached
 * through the unchanged SDK client by a real {@link CloudTrailKeyUsage}. By default pauses between
 * lookups move the sandbox clock, as in the sandbox, and the stand-in enforces LookupEvents' rate.
 * {@link #withoutPacing} is for tests that compare end states to the millisecond (crash and re-run):
 * the stand-in's rate limit is off and the clock never moves for a pause.
 */
public final class SandboxTrail implements AutoCloseable {

    private final AwsStandIn aws;
    private final CloudTrailClient client;
    private final CloudTrailKeyUsage usage;

    public SandboxTrail(SandboxClock clock) {
        this(clock, true);
    }

    /** Without the rate limit and without pauses: the clock moves only when the test moves it. */
    public static SandboxTrail withoutPacing(SandboxClock clock) {
        return new SandboxTrail(clock, false);
    }

    private SandboxTrail(SandboxClock clock, boolean paced) {
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

    @Override
    public void close() {
        client.close();
        aws.close();
    }
}
