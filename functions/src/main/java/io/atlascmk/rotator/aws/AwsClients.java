package io.atlascmk.rotator.aws;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.http.SdkHttpClient;
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
 * <p>Region and credentials: in Lambda, when the function's environment carries them ({@code AWS_REGION} and
 * {@code AWS_ACCESS_KEY_ID}, with {@code AWS_LAMBDA_FUNCTION_NAME} set), the region is set from {@code AWS_REGION}
 * and the credentials come from {@link EnvironmentVariableCredentialsProvider}, as AWS's cold-start guidance for the
 * SDK v2 advises: the default provider chains are skipped. A SnapStart function gets no key variables (its
 * credentials come from the container endpoint), so it keeps the default chain, as does everything outside Lambda
 * (the command line, tests, profiles). Endpoint: nothing is set here because AWS SDK for Java 2.57 resolves it by
 * itself, in this order: {@code aws.endpointUrlKms} / {@code aws.endpointUrlSecretsManager} system property,
 * {@code AWS_ENDPOINT_URL_KMS} / {@code AWS_ENDPOINT_URL_SECRETS_MANAGER}, {@code aws.endpointUrl},
 * {@code AWS_ENDPOINT_URL}, then the shared config file's {@code endpoint_url} (see the SDK's
 * {@code AwsClientEndpointProvider}; {@code AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true} turns it
 * off). So pointing {@code AWS_ENDPOINT_URL} at the sandbox or LocalStack reaches every client.
 *
 * <p>Every client shares one {@link PrimableHttpClient} over one URLConnection client, so a SnapStart priming pass
 * ({@link OfflinePriming}) runs their request path without a call leaving the process.
 */
public final class AwsClients {

    private static final Map<Region, KmsClient> KMS_BY_REGION = new ConcurrentHashMap<>();
    private static final Map<Region, CloudTrailClient> CLOUDTRAIL_BY_REGION = new ConcurrentHashMap<>();

    private AwsClients() {
    }

    /** The HTTP client every SDK client of this JVM shares (thread-safe; never closed: it lives as long as the JVM). */
    public static SdkHttpClient httpClient() {
        return SharedHttp.CLIENT;
    }

    private static final class SharedHttp {
        static final SdkHttpClient CLIENT = new PrimableHttpClient(UrlConnectionHttpClient.create());
    }

    /**
     * True in a Lambda function whose environment carries its region and credentials ({@code AWS_LAMBDA_FUNCTION_NAME},
     * {@code AWS_REGION}, {@code AWS_ACCESS_KEY_ID}): clients then take both from there, skipping the provider chains.
     */
    public static boolean regionAndCredentialsFromLambdaEnvironment(Map<String, String> env) {
        return present(env, "AWS_LAMBDA_FUNCTION_NAME") && present(env, "AWS_REGION") && present(env, "AWS_ACCESS_KEY_ID");
    }

    private static boolean present(Map<String, String> env, String name) {
        String value = env.get(name);
        return value != null && !value.isBlank();
    }

    private static final boolean FROM_LAMBDA_ENVIRONMENT = regionAndCredentialsFromLambdaEnvironment(System.getenv());

    /**
     * {@code builder} on the shared HTTP client and, in Lambda ({@link #regionAndCredentialsFromLambdaEnvironment}),
     * with the region from {@code AWS_REGION} and {@link EnvironmentVariableCredentialsProvider}. A region or
     * credentials set on the builder afterwards win.
     */
    public static <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> B configure(B builder) {
        builder.httpClient(httpClient());
        if (FROM_LAMBDA_ENVIRONMENT) {
            builder.region(Region.of(System.getenv("AWS_REGION").trim()))
                    .credentialsProvider(EnvironmentVariableCredentialsProvider.create());
        }
        return builder;
    }

    /** The shared EventBridge client of the function's region (alerts, rescues). */
    public static software.amazon.awssdk.services.eventbridge.EventBridgeClient eventBridge() {
        return DefaultEventBridge.CLIENT;
    }

    /** The shared Step Functions client of the function's region (Preflight's lock question). */
    public static software.amazon.awssdk.services.sfn.SfnClient sfn() {
        return DefaultSfn.CLIENT;
    }

    private static final class DefaultEventBridge {
        static final software.amazon.awssdk.services.eventbridge.EventBridgeClient CLIENT =
                configure(software.amazon.awssdk.services.eventbridge.EventBridgeClient.builder()).build();
    }

    private static final class DefaultSfn {
        static final software.amazon.awssdk.services.sfn.SfnClient CLIENT =
                configure(software.amazon.awssdk.services.sfn.SfnClient.builder()).build();
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
        return CLOUDTRAIL_BY_REGION.computeIfAbsent(Region.of(region), r -> configure(CloudTrailClient.builder())
                .region(r)
                .build());
    }

    /** The shared STS client of the function's own region (a member account's role is assumed through it). */
    public static software.amazon.awssdk.services.sts.StsClient sts() {
        return DefaultSts.CLIENT;
    }

    /** A new KMS client for {@code region} signing with {@code credentials} (a member account's role). */
    public static KmsClient newKmsClient(Region region, software.amazon.awssdk.auth.credentials.AwsCredentialsProvider credentials) {
        return configure(KmsClient.builder())
                .region(region)
                .credentialsProvider(credentials)
                .build();
    }

    /** A new CloudTrail client for {@code region} signing with {@code credentials} (a member account's role). */
    public static CloudTrailClient newCloudTrailClient(Region region,
            software.amazon.awssdk.auth.credentials.AwsCredentialsProvider credentials) {
        return configure(CloudTrailClient.builder())
                .region(region)
                .credentialsProvider(credentials)
                .build();
    }

    /** The shared Secrets Manager client for the default region. */
    public static SecretsManagerClient secretsManager() {
        return DefaultSecretsManager.CLIENT;
    }

    /** A new KMS client for the default region; prefer {@link #kms()}. */
    public static KmsClient newKmsClient() {
        return configure(KmsClient.builder())
                .build();
    }

    /** A new KMS client for {@code region}; prefer {@link #kms(String)}. */
    public static KmsClient newKmsClient(Region region) {
        return configure(KmsClient.builder())
                .region(region)
                .build();
    }

    /** A new Secrets Manager client for the default region; prefer {@link #secretsManager()}. */
    public static SecretsManagerClient newSecretsManagerClient() {
        return configure(SecretsManagerClient.builder())
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
        return configure(software.amazon.awssdk.services.s3.S3Client.builder())
                .requestChecksumCalculation(software.amazon.awssdk.core.checksums.RequestChecksumCalculation.WHEN_REQUIRED)
                .serviceConfiguration(software.amazon.awssdk.services.s3.S3Configuration.builder()
                        .chunkedEncodingEnabled(false).build());
    }

    private static final class DefaultS3 {
        static final software.amazon.awssdk.services.s3.S3Client CLIENT = s3Builder().build();
    }

    // Holder classes: each client is built on first use, exactly once, without locking.
    private static final class DefaultDynamoDb {
        static final DynamoDbClient CLIENT = configure(DynamoDbClient.builder())
                .build();
    }

    private static final class DefaultKms {
        static final KmsClient CLIENT = newKmsClient();
    }

    private static final class DefaultSts {
        static final software.amazon.awssdk.services.sts.StsClient CLIENT = configure(software.amazon.awssdk.services.sts.StsClient
                .builder()).build();
    }

    private static final class DefaultSecretsManager {
        static final SecretsManagerClient CLIENT = newSecretsManagerClient();
    }
}
