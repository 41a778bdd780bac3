package io.atlascmk.rotator.aws;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudtrail.CloudTrailClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * The AWS SDK clients, each built once per JVM (per Lambda execution environment, before SnapStart
 * takes its snapshot when a handler's constructor asks for them) and shared; SDK clients are
 * thread-safe. Handlers take them in their public no-arg constructor and never build one inside
 * {@code handleRequest}.
 *
 * <p>HTTP client: {@link UrlConnectionHttpClient}, on purpose. The rotator makes a few sequential
 * calls per invocation, so pooling and async I/O buy nothing, while the JDK-based URLConnection
 * client is the smallest (no dependencies) and starts fastest on a cold start. The Netty and Apache
 * clients are excluded from the jar in {@code functions/pom.xml}.
 *
 * <p>Region and credentials come from the SDK's default provider chains ({@code AWS_REGION} in
 * Lambda). Endpoint: nothing is set here because AWS SDK for Java 2.57 resolves it by itself, in
 * this order: {@code aws.endpointUrlKms} / {@code aws.endpointUrlSecretsManager} system property,
 * {@code AWS_ENDPOINT_URL_KMS} / {@code AWS_ENDPOINT_URL_SECRETS_MANAGER}, {@code aws.endpointUrl},
 * {@code AWS_ENDPOINT_URL}, then the shared config file's {@code endpoint_url} (see the SDK's
 * {@code AwsClientEndpointProvider}; {@code AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true} turns it
 * off). So pointing {@code AWS_ENDPOINT_URL} at the sandbox or LocalStack reaches every client.
 */
public final class AwsClients {

    private static final Map<Region, KmsClient> KMS_BY_REGION = new ConcurrentHashMap<>();
    private static final Map<Region, CloudTrailClient> CLOUDTRAIL_BY_REGION = new ConcurrentHashMap<>();

    private AwsClients() {
    }

    /** The shared KMS client for the default region. */
    public static KmsClient kms() {
        return DefaultKms.CLIENT;
    }

    /**
     * The shared KMS client for a given region (a project's key may live in another region than
     * the function), built on first use.
     */
    public static KmsClient kms(String region) {
        return KMS_BY_REGION.computeIfAbsent(Region.of(region), AwsClients::newKmsClient);
    }

    /** The shared CloudTrail client for a region (a key's uses are in its own region's event history). */
    public static CloudTrailClient cloudTrail(String region) {
        return CLOUDTRAIL_BY_REGION.computeIfAbsent(Region.of(region), r -> CloudTrailClient.builder()
                .region(r)
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .build());
    }

    /** The shared STS client of the function's own region (a member account's role is assumed through it). */
    public static software.amazon.awssdk.services.sts.StsClient sts() {
        return DefaultSts.CLIENT;
    }

    /** A new KMS client for {@code region} signing with {@code credentials} (a member account's role). */
    public static KmsClient newKmsClient(Region region, software.amazon.awssdk.auth.credentials.AwsCredentialsProvider credentials) {
        return KmsClient.builder()
                .region(region)
                .credentialsProvider(credentials)
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .build();
    }

    /** A new CloudTrail client for {@code region} signing with {@code credentials} (a member account's role). */
    public static CloudTrailClient newCloudTrailClient(Region region,
            software.amazon.awssdk.auth.credentials.AwsCredentialsProvider credentials) {
        return CloudTrailClient.builder()
                .region(region)
                .credentialsProvider(credentials)
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .build();
    }

    /** The shared Secrets Manager client for the default region. */
    public static SecretsManagerClient secretsManager() {
        return DefaultSecretsManager.CLIENT;
    }

    /** A new KMS client for the default region; prefer {@link #kms()}. */
    public static KmsClient newKmsClient() {
        return KmsClient.builder()
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .build();
    }

    /** A new KMS client for {@code region}; prefer {@link #kms(String)}. */
    public static KmsClient newKmsClient(Region region) {
        return KmsClient.builder()
                .region(region)
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .build();
    }

    /** A new Secrets Manager client for the default region; prefer {@link #secretsManager()}. */
    public static SecretsManagerClient newSecretsManagerClient() {
        return SecretsManagerClient.builder()
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .build();
    }

    /** The shared DynamoDB client for the default region (the rotation lock's table). */
    public static DynamoDbClient dynamoDb() {
        return DefaultDynamoDb.CLIENT;
    }

    /** The shared S3 client for the default region (the evidence bucket). */
    public static software.amazon.awssdk.services.s3.S3Client s3() {
        return DefaultS3.CLIENT;
    }

    /**
     * How the rotator's S3 clients are built: a plain, whole-body-signed PutObject (no aws-chunked encoding), which
     * every S3 implementation accepts; evidence objects are small.
     */
    public static software.amazon.awssdk.services.s3.S3ClientBuilder s3Builder() {
        return software.amazon.awssdk.services.s3.S3Client.builder().httpClientBuilder(UrlConnectionHttpClient.builder())
                .requestChecksumCalculation(software.amazon.awssdk.core.checksums.RequestChecksumCalculation.WHEN_REQUIRED)
                .serviceConfiguration(software.amazon.awssdk.services.s3.S3Configuration.builder()
                        .chunkedEncodingEnabled(false).build());
    }

    private static final class DefaultS3 {
        static final software.amazon.awssdk.services.s3.S3Client CLIENT = s3Builder().build();
    }

    // Holder classes: each client is built on first use, exactly once, without locking.
    private static final class DefaultDynamoDb {
        static final DynamoDbClient CLIENT = DynamoDbClient.builder()
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .build();
    }

    private static final class DefaultKms {
        static final KmsClient CLIENT = newKmsClient();
    }

    private static final class DefaultSts {
        static final software.amazon.awssdk.services.sts.StsClient CLIENT = software.amazon.awssdk.services.sts.StsClient
                .builder().httpClientBuilder(UrlConnectionHttpClient.builder()).build();
    }

    private static final class DefaultSecretsManager {
        static final SecretsManagerClient CLIENT = newSecretsManagerClient();
    }
}
