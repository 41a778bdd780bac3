package io.atlascmk.sandbox.aws;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.atlascmk.sandbox.SandboxClock;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.services.cloudtrail.CloudTrailClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * Where the AWS tests send their calls: the stand-in, started on a loopback port, or, when the
 * environment variable {@code AWS_ENDPOINT_URL} is set, that external emulator (LocalStack or any
 * other), unchanged. Clients are the real SDK v2 clients with the URL-connection HTTP client and dummy
 * static credentials. Stand-in-only assertions go through {@link #standIn()}, which skips the test
 * with a clear message against an external emulator.
 */
final class AwsTarget implements AutoCloseable {

    static final String ENDPOINT_ENV = "AWS_ENDPOINT_URL";
    static final Instant START = Instant.parse("2026-03-02T09:00:00Z");
    /** The access key id every client signs with. */
    static final String ACCESS_KEY_ID = "AKIASANDBOXTEST00001";

    private final AwsStandIn standIn;
    private final SandboxClock clock;
    private final URI endpoint;
    private final List<AutoCloseable> closeables = new ArrayList<>();

    private AwsTarget(AwsStandIn standIn, SandboxClock clock, URI endpoint) {
        this.standIn = standIn;
        this.clock = clock;
        this.endpoint = endpoint;
    }

    static AwsTarget start() {
        String external = System.getenv(ENDPOINT_ENV);
        if (external != null && !external.isBlank()) {
            return new AwsTarget(null, null, URI.create(external.strip()));
        }
        SandboxClock clock = new SandboxClock(START);
        AwsStandIn standIn = new AwsStandIn(clock).start();
        return new AwsTarget(standIn, clock, standIn.endpoint());
    }

    boolean isStandIn() {
        return standIn != null;
    }

    /** The stand-in, for inspection and fault switches; skips the test against an external emulator. */
    AwsStandIn standIn() {
        assumeTrue(standIn != null, "Stand-in only: " + ENDPOINT_ENV + " points these tests at an external "
                + "emulator, which has neither the stand-in's inspection API, its fault switches nor its clock.");
        return standIn;
    }

    SandboxClock clock() {
        standIn();
        return clock;
    }

    URI endpoint() {
        return endpoint;
    }

    /** A name no earlier run used, so the tests also run against an emulator that keeps state. */
    static String unique(String prefix) {
        return prefix + UUID.randomUUID().toString().substring(0, 8);
    }

    KmsClient kms() {
        return kms(Region.US_EAST_1, null);
    }

    KmsClient kms(Region region, RetryStrategy retryStrategy) {
        return track(configure(KmsClient.builder(), region, retryStrategy, null).build());
    }

    KmsClient kms(RetryStrategy retryStrategy, Duration attemptTimeout) {
        return track(configure(KmsClient.builder(), Region.US_EAST_1, retryStrategy, attemptTimeout).build());
    }

    SecretsManagerClient secretsManager() {
        return secretsManager(null);
    }

    SecretsManagerClient secretsManager(RetryStrategy retryStrategy) {
        return track(configure(SecretsManagerClient.builder(), Region.US_EAST_1, retryStrategy, null).build());
    }

    EventBridgeClient eventBridge() {
        return eventBridge(Region.US_EAST_1, null);
    }

    EventBridgeClient eventBridge(Region region, RetryStrategy retryStrategy) {
        return track(configure(EventBridgeClient.builder(), region, retryStrategy, null).build());
    }

    CloudTrailClient cloudTrail() {
        return cloudTrail(Region.US_EAST_1, null);
    }

    CloudTrailClient cloudTrail(Region region, RetryStrategy retryStrategy) {
        return track(configure(CloudTrailClient.builder(), region, retryStrategy, null).build());
    }

    /** No retries: every fault reaches the test as an exception. */
    static RetryStrategy noRetries() {
        return AwsRetryStrategy.doNotRetry();
    }

    /** The SDK's standard strategy (same retry rules), with the backoff waits removed. */
    static RetryStrategy standardWithoutBackoff(int maxAttempts) {
        return AwsRetryStrategy.standardRetryStrategy().toBuilder()
                .maxAttempts(maxAttempts)
                .backoffStrategy(BackoffStrategy.retryImmediately())
                .throttlingBackoffStrategy(BackoffStrategy.retryImmediately())
                .circuitBreakerEnabled(false)
                .build();
    }

    private <B extends AwsClientBuilder<B, ?> & AwsSyncClientBuilder<B, ?>> B configure(B builder, Region region, RetryStrategy retryStrategy,
            Duration attemptTimeout) {
        SdkHttpClient http = UrlConnectionHttpClient.create();
        closeables.add(http);
        ClientOverrideConfiguration.Builder override = ClientOverrideConfiguration.builder();
        if (retryStrategy != null) {
            override.retryStrategy(retryStrategy);
        }
        if (attemptTimeout != null) {
            override.apiCallAttemptTimeout(attemptTimeout);
        }
        return builder
                .endpointOverride(endpoint)
                .region(region)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(ACCESS_KEY_ID, "sandbox-secret-key-not-checked")))
                .httpClient(http)
                .overrideConfiguration(override.build());
    }

    private <C extends AutoCloseable> C track(C client) {
        closeables.add(client);
        return client;
    }

    @Override
    public void close() throws Exception {
        for (AutoCloseable closeable : closeables) {
            closeable.close();
        }
        if (standIn != null) {
            standIn.close();
        }
    }
}
