package io.atlascmk.sandbox.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.atlascmk.sandbox.aws.FaultSwitches.CrashMode;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.InternalException;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.KmsException;
import software.amazon.awssdk.services.kms.model.KmsInternalException;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.InternalServiceErrorException;
import software.amazon.awssdk.services.secretsmanager.model.SecretsManagerException;

/**
 * Each fault switch as the SDK sees it. With {@link AwsTarget#noRetries()} every fault reaches the test;
 * with the SDK's standard retry rules (backoff waits removed) the SDK absorbs them, and the call counts
 * show its attempts. Stand-in only.
 */
class AwsFaultSwitchesTest {

    private AwsTarget target;
    private AwsStandIn aws;
    private FaultSwitches faults;

    @BeforeEach
    void start() {
        target = AwsTarget.start();
        aws = target.standIn();
        faults = aws.faults();
    }

    @AfterEach
    void stop() throws Exception {
        target.close();
    }

    @Test
    void throttleNext_answersThrottlingException400_withoutRunningTheCall() {
        KmsClient kms = target.kms(Region.US_EAST_1, AwsTarget.noRetries());
        faults.throttleNext(AwsService.KMS, "CreateKey", 2);

        for (int i = 0; i < 2; i++) {
            assertThatThrownBy(() -> kms.createKey(r -> r.description("throttled")))
                    .isInstanceOfSatisfying(KmsException.class, e -> {
                        assertThat(e.statusCode()).isEqualTo(400);
                        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ThrottlingException");
                        assertThat(e.isThrottlingException()).isTrue();
                    });
        }
        assertThat(aws.kms().keys()).isEmpty();

        kms.createKey(r -> r.description("let through"));
        assertThat(aws.kms().keys()).hasSize(1);
        assertThat(faults.calls(AwsService.KMS, "CreateKey")).isEqualTo(3);
    }

    @Test
    void throttling_isRetriedByTheSdk_andEachAttemptIsCounted() {
        KmsClient kms = target.kms(Region.US_EAST_1, AwsTarget.standardWithoutBackoff(3));
        faults.throttleNext(AwsService.KMS, "CreateKey", 2);

        kms.createKey(r -> r.description("third attempt"));

        assertThat(faults.calls(AwsService.KMS, "CreateKey")).isEqualTo(3);
        assertThat(aws.kms().keys()).hasSize(1);
    }

    @Test
    void failNext_answers500WithEachServicesInternalError() {
        KmsClient kms = target.kms(Region.US_EAST_1, AwsTarget.noRetries());
        SecretsManagerClient secrets = target.secretsManager(AwsTarget.noRetries());
        EventBridgeClient events = target.eventBridge(Region.US_EAST_1, AwsTarget.noRetries());
        faults.failNext(AwsService.KMS, "ListKeys", 1);
        faults.failNext(AwsService.SECRETS_MANAGER, "GetSecretValue", 1);
        faults.failNext(AwsService.EVENTBRIDGE, "PutEvents", 1);

        assertThatThrownBy(kms::listKeys).isInstanceOfSatisfying(KmsInternalException.class,
                e -> assertThat(e.statusCode()).isEqualTo(500));
        assertThatThrownBy(() -> secrets.getSecretValue(r -> r.secretId("anything")))
                .isInstanceOfSatisfying(InternalServiceErrorException.class, e -> assertThat(e.statusCode()).isEqualTo(500));
        assertThatThrownBy(() -> events.putEvents(r -> r.entries(e -> e.source("s").detailType("t").detail("{}"))))
                .isInstanceOfSatisfying(InternalException.class, e -> assertThat(e.statusCode()).isEqualTo(500));
        assertThat(aws.eventBridge().publishedEvents()).isEmpty();

        assertThat(kms.listKeys().keys()).isEmpty();
    }

    @Test
    void serverErrors_areRetriedByTheSdk_andEachAttemptIsCounted() {
        SecretsManagerClient secrets = target.secretsManager(AwsTarget.standardWithoutBackoff(3));
        aws.secretsManager().createSecret("us-east-1", "atlas/credentials", "{}");
        faults.failNext(AwsService.SECRETS_MANAGER, "GetSecretValue", 2);

        assertThat(secrets.getSecretValue(r -> r.secretId("atlas/credentials")).secretString()).isEqualTo("{}");
        assertThat(faults.calls(AwsService.SECRETS_MANAGER, "GetSecretValue")).isEqualTo(3);
    }

    @Test
    void moreFailuresThanAttempts_reachTheCaller() {
        KmsClient kms = target.kms(Region.US_EAST_1, AwsTarget.standardWithoutBackoff(3));
        faults.failNext(AwsService.KMS, "DescribeKey", 5);

        assertThatThrownBy(() -> kms.describeKey(r -> r.keyId(UUID.randomUUID().toString())))
                .isInstanceOf(KmsInternalException.class);
        assertThat(faults.calls(AwsService.KMS, "DescribeKey")).isEqualTo(3);
    }

    @Test
    void anySwitchOnAnyOperation_appliesToEveryOperationOfThatServiceOnly() {
        KmsClient kms = target.kms(Region.US_EAST_1, AwsTarget.noRetries());
        SecretsManagerClient secrets = target.secretsManager(AwsTarget.noRetries());
        faults.throttleNext(AwsService.KMS, FaultSwitches.ANY_OPERATION, 1);

        assertThatThrownBy(() -> secrets.getSecretValue(r -> r.secretId("missing")))
                .isInstanceOfSatisfying(SecretsManagerException.class,
                        e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ResourceNotFoundException"));
        assertThatThrownBy(kms::listAliases).isInstanceOfSatisfying(KmsException.class,
                e -> assertThat(e.isThrottlingException()).isTrue());
        assertThat(kms.listAliases().aliases()).isEmpty();
    }

    @Test
    void delay_holdsTheCallBackUntilTheClientGivesUp_andZeroClearsIt() {
        KmsClient impatient = target.kms(AwsTarget.noRetries(), Duration.ofMillis(300));
        faults.delay(AwsService.KMS, "ListKeys", Duration.ofMinutes(5));

        assertThatThrownBy(impatient::listKeys).isInstanceOf(ApiCallAttemptTimeoutException.class);
        assertThat(faults.calls(AwsService.KMS, "ListKeys")).isEqualTo(1);

        faults.delay(AwsService.KMS, "ListKeys", Duration.ZERO);
        KmsClient patient = target.kms(Region.US_EAST_1, AwsTarget.noRetries());
        assertThat(patient.listKeys().keys()).isEmpty();
        assertThat(faults.calls(AwsService.KMS, "ListKeys")).isEqualTo(2);
    }

    @Test
    void crashWithADroppedConnection_afterTheWriteWasApplied() {
        KmsClient kms = target.kms(Region.US_EAST_1, AwsTarget.noRetries());
        kms.listKeys(); // the crash then happens on a kept-alive connection
        faults.crashAfterApplying(AwsService.KMS, "CreateKey", 1, CrashMode.DROP_CONNECTION);

        assertThatThrownBy(() -> kms.createKey(r -> r.description("applied, then the connection dropped")))
                .isInstanceOf(SdkClientException.class);

        assertThat(aws.kms().keys()).singleElement()
                .satisfies(k -> assertThat(k.description()).isEqualTo("applied, then the connection dropped"));
        assertThat(faults.calls(AwsService.KMS, "CreateKey")).isEqualTo(1);
    }

    @Test
    void crashWithAServerError_onTheNthCall_isOneShot() {
        KmsClient kms = target.kms(Region.US_EAST_1, AwsTarget.noRetries());
        faults.crashAfterApplying(AwsService.KMS, "CreateKey", 2, CrashMode.SERVER_ERROR);

        kms.createKey(r -> r.description("first"));
        assertThatThrownBy(() -> kms.createKey(r -> r.description("second"))).isInstanceOf(KmsInternalException.class);
        kms.createKey(r -> r.description("third"));

        assertThat(aws.kms().keys()).extracting(KmsKeyView::description).containsExactly("first", "second", "third");
    }

    @Test
    void aRetriedCreateKeyAfterACrash_leavesTwoKeys_becauseCreateKeyIsNotIdempotent() {
        KmsClient kms = target.kms(Region.US_EAST_1, AwsTarget.standardWithoutBackoff(3));
        faults.crashAfterApplying(AwsService.KMS, "CreateKey", 1, CrashMode.SERVER_ERROR);

        kms.createKey(r -> r.description("one SDK call"));

        assertThat(faults.calls(AwsService.KMS, "CreateKey")).isEqualTo(2);
        assertThat(aws.kms().keys()).hasSize(2);
    }

    @Test
    void aRetriedPutSecretValueAfterACrash_isAbsorbedByTheClientRequestToken() {
        SecretsManagerClient secrets = target.secretsManager(AwsTarget.standardWithoutBackoff(3));
        aws.secretsManager().createSecret("us-east-1", "atlas/credentials", "v1");
        faults.crashAfterApplying(AwsService.SECRETS_MANAGER, "PutSecretValue", 1, CrashMode.DROP_CONNECTION);

        secrets.putSecretValue(r -> r.secretId("atlas/credentials").secretString("v2"));

        assertThat(faults.calls(AwsService.SECRETS_MANAGER, "PutSecretValue")).isEqualTo(2);
        assertThat(aws.secretsManager().secrets().get(0).versionIdsToStages()).hasSize(2);
        assertThat(aws.secretsManager().currentSecretString("us-east-1", "atlas/credentials")).contains("v2");
    }

    @Test
    void callCounts_areKeyedByTarget_andClearDisarmsWithoutResettingThem() {
        KmsClient kms = target.kms(Region.US_EAST_1, AwsTarget.noRetries());
        faults.throttleNext(AwsService.KMS, "ListKeys", 5);
        faults.clear();

        kms.listKeys();
        kms.listKeys();
        kms.listAliases();

        assertThat(faults.callCounts()).containsEntry("TrentService.ListKeys", 2).containsEntry("TrentService.ListAliases", 1);
        faults.resetCounts();
        assertThat(faults.callCounts()).isEmpty();
    }
}
