package io.atlascmk.sandbox.aws;

import static org.assertj.core.api.Assertions.assertThat;

import io.atlascmk.sandbox.KeyAccess;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.services.kms.KmsClient;

/** The question the Atlas simulator asks: may the Atlas IAM role use this key? (stand-in only). */
class AwsKmsKeyAccessTest {

    private static final String ROLE = "arn:aws:iam::111122223333:role/atlas-ear-role";
    private static final String OTHER_ROLE = "arn:aws:iam::111122223333:role/someone-else";
    private static final String ROOT_STATEMENT = "{\"Sid\":\"Root\",\"Effect\":\"Allow\","
            + "\"Principal\":{\"AWS\":\"arn:aws:iam::111122223333:root\"},\"Action\":\"kms:*\",\"Resource\":\"*\"}";

    private AwsTarget target;
    private KmsStandIn kmsStandIn;
    private KeyAccess access;

    @BeforeEach
    void start() {
        target = AwsTarget.start();
        kmsStandIn = target.standIn().kms();
        access = kmsStandIn;
    }

    @AfterEach
    void stop() throws Exception {
        target.close();
    }

    private static String policyWith(String statement) {
        return "{\"Version\":\"2012-10-17\",\"Statement\":[" + ROOT_STATEMENT + "," + statement + "]}";
    }

    private static String allow(String principal, String action) {
        return "{\"Effect\":\"Allow\",\"Principal\":" + principal + ",\"Action\":" + action + ",\"Resource\":\"*\"}";
    }

    private KmsKeyView keyWithPolicy(String policy) {
        return kmsStandIn.createKey("us-east-1", "atlas key", Map.of(), policy);
    }

    /** Whether the role may use a new key whose policy allows {@code principal} the {@code action} (besides the root). */
    private boolean roleCanUseKeyAllowing(String principal, String action) {
        KmsKeyView key = keyWithPolicy(policyWith(allow(principal, action)));
        return access.atlasRoleCanUse(key.keyId(), ROLE);
    }

    @Test
    void theRoleCanUseAnEnabledKeyWhosePolicyGrantsItEncryptAndDecrypt_byIdOrArn() {
        KmsKeyView key = keyWithPolicy(policyWith(allow("{\"AWS\":\"" + ROLE + "\"}",
                "[\"kms:Encrypt\",\"kms:Decrypt\",\"kms:DescribeKey\"]")));

        assertThat(access.atlasRoleCanUse(key.keyId(), ROLE)).isTrue();
        assertThat(access.atlasRoleCanUse(key.arn(), ROLE)).isTrue();
        assertThat(access.atlasRoleCanUse(key.keyId(), OTHER_ROLE)).isFalse();
    }

    @Test
    void theDefaultPolicy_grantsTheAccountRootOnly_notTheRole() {
        KmsKeyView key = kmsStandIn.createKey("us-east-1", "default policy", Map.of());

        assertThat(access.atlasRoleCanUse(key.keyId(), ROLE)).isFalse();
    }

    @Test
    void anUnknownKey_cannotBeUsed() {
        assertThat(access.atlasRoleCanUse("00000000-0000-0000-0000-000000000000", ROLE)).isFalse();
        assertThat(access.atlasRoleCanUse("arn:aws:kms:us-east-1:111122223333:key/00000000-0000-0000-0000-000000000000", ROLE))
                .isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "\"*\"",
        "{\"AWS\":\"*\"}",
        "{\"AWS\":\"" + ROLE + "\"}",
        "{\"AWS\":[\"" + OTHER_ROLE + "\",\"" + ROLE + "\"]}"
    })
    void principalsThatNameTheRole(String principal) {
        assertThat(roleCanUseKeyAllowing(principal, "[\"kms:Encrypt\",\"kms:Decrypt\"]")).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"AWS\":\"" + OTHER_ROLE + "\"}",
        "{\"AWS\":[\"" + OTHER_ROLE + "\"]}",
        "{\"AWS\":\"arn:aws:iam::111122223333:root\"}",
        "{\"Service\":\"lambda.amazonaws.com\"}"
    })
    void principalsThatDoNotNameTheRole(String principal) {
        assertThat(roleCanUseKeyAllowing(principal, "\"kms:*\"")).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "\"kms:*\"",
        "\"*\"",
        "[\"kms:Encrypt*\",\"kms:Decrypt*\"]",
        "[\"KMS:encrypt\",\"kms:DECRYPT\"]",
        "[\"kms:*crypt\"]",
        "[\"kms:?ncrypt\",\"kms:Decrypt\"]"
    })
    void actionsThatCoverEncryptAndDecrypt(String action) {
        assertThat(roleCanUseKeyAllowing("{\"AWS\":\"" + ROLE + "\"}", action)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "\"kms:Encrypt\"",
        "[\"kms:Decrypt\",\"kms:DescribeKey\"]",
        "\"kms:Describe*\"",
        "[\"kms:GenerateDataKey*\",\"kms:Encrypt\"]"
    })
    void actionsThatMissEncryptOrDecrypt(String action) {
        assertThat(roleCanUseKeyAllowing("{\"AWS\":\"" + ROLE + "\"}", action)).isFalse();
    }

    @Test
    void anExplicitDeny_winsOverAnAllow() {
        String deny = "{\"Effect\":\"Deny\",\"Principal\":{\"AWS\":\"" + ROLE + "\"},\"Action\":\"kms:Decrypt\",\"Resource\":\"*\"}";
        KmsKeyView key = keyWithPolicy("{\"Version\":\"2012-10-17\",\"Statement\":[" + ROOT_STATEMENT + ","
                + allow("{\"AWS\":\"" + ROLE + "\"}", "\"kms:*\"") + "," + deny + "]}");

        assertThat(access.atlasRoleCanUse(key.keyId(), ROLE)).isFalse();
    }

    @Test
    void aDisabledKey_orOnePendingDeletion_cannotBeUsed() {
        String policy = policyWith(allow("{\"AWS\":\"" + ROLE + "\"}", "\"kms:*\""));
        KmsKeyView disabled = keyWithPolicy(policy);
        KmsKeyView pending = keyWithPolicy(policy);
        KmsClient kms = target.kms();

        kms.disableKey(r -> r.keyId(disabled.keyId()));
        kms.scheduleKeyDeletion(r -> r.keyId(pending.keyId()).pendingWindowInDays(7));

        assertThat(access.atlasRoleCanUse(disabled.keyId(), ROLE)).isFalse();
        assertThat(access.atlasRoleCanUse(pending.keyId(), ROLE)).isFalse();
        kms.enableKey(r -> r.keyId(disabled.keyId()));
        assertThat(access.atlasRoleCanUse(disabled.keyId(), ROLE)).isTrue();
    }

    @Test
    void aPolicyPutThroughTheSdk_isWhatTheAtlasSimulatorSees() {
        KmsClient kms = target.kms();
        String keyId = kms.createKey(r -> r.description("rotated")).keyMetadata().keyId();
        assertThat(access.atlasRoleCanUse(keyId, ROLE)).isFalse();

        kms.putKeyPolicy(r -> r.keyId(keyId).policyName("default").policy(policyWith(
                allow("{\"AWS\":\"" + ROLE + "\"}", "[\"kms:Encrypt\",\"kms:Decrypt\",\"kms:DescribeKey\"]"))));

        assertThat(access.atlasRoleCanUse(keyId, ROLE)).isTrue();
    }

    @Test
    void aMultiRegionKey_isFoundByItsMrkId_inItsRegion() {
        KmsClient kms = target.kms();
        String keyId = kms.createKey(r -> r.multiRegion(true).policy(policyWith(
                allow("{\"AWS\":\"" + ROLE + "\"}", "\"kms:*\"")))).keyMetadata().keyId();

        assertThat(keyId).startsWith("mrk-");
        assertThat(access.atlasRoleCanUse(keyId, ROLE)).isTrue();
    }

    @Test
    void aNewPolicyReachesTheRoleOnlyAfterThePropagationDelay_theOldOneAnswersMeanwhile() {
        kmsStandIn.policyPropagationDelay(java.time.Duration.ofSeconds(60));
        KmsKeyView key = keyWithPolicy(policyWith(allow("{\"AWS\":\"" + OTHER_ROLE + "\"}", "\"kms:*\"")));
        KmsClient kms = target.kms();
        kms.putKeyPolicy(r -> r.keyId(key.keyId()).policyName("default")
                .policy(policyWith(allow("{\"AWS\":\"" + ROLE + "\"}", "[\"kms:Encrypt\",\"kms:Decrypt\"]"))));

        boolean rightAfter = access.atlasRoleCanUse(key.keyId(), ROLE);
        target.clock().advance(java.time.Duration.ofSeconds(59));
        boolean justBefore = access.atlasRoleCanUse(key.keyId(), ROLE);
        target.clock().advance(java.time.Duration.ofSeconds(1));
        boolean after = access.atlasRoleCanUse(key.keyId(), ROLE);

        assertThat(rightAfter).isFalse();
        assertThat(justBefore).isFalse();
        assertThat(after).isTrue();
    }

    @Test
    void keyChangesOnABrandNewKey_areDeniedUntilItsTagsCountForAuthorization_readsAreNot() {
        kmsStandIn.tagAuthorizationDelay(java.time.Duration.ofSeconds(60));
        KmsClient kms = target.kms();
        String keyId = kms.createKey(r -> r.tags(software.amazon.awssdk.services.kms.model.Tag.builder()
                .tagKey("atlas-cmk-rotator:project").tagValue("p1").build())).keyMetadata().keyId();

        Throwable denied = org.assertj.core.api.Assertions.catchThrowable(() -> kms.putKeyPolicy(r -> r.keyId(keyId)
                .policyName("default").policy(policyWith(allow("{\"AWS\":\"" + ROLE + "\"}", "\"kms:Encrypt\"")))));
        Throwable tagDenied = org.assertj.core.api.Assertions.catchThrowable(() -> kms.enableKeyRotation(r -> r.keyId(keyId)));
        String description = kms.describeKey(r -> r.keyId(keyId)).keyMetadata().description();
        target.clock().advance(java.time.Duration.ofSeconds(60));
        kms.enableKeyRotation(r -> r.keyId(keyId));

        assertThat(denied).isInstanceOf(software.amazon.awssdk.services.kms.model.KmsException.class)
                .hasMessageContaining("is not authorized to perform: kms:PutKeyPolicy on resource: arn:aws:kms:us-east-1:111122223333:key/" + keyId);
        assertThat(((software.amazon.awssdk.services.kms.model.KmsException) denied).awsErrorDetails().errorCode())
                .isEqualTo("AccessDeniedException");
        assertThat(tagDenied).hasMessageContaining("kms:EnableKeyRotation");
        assertThat(description).isNotNull();
        assertThat(kms.getKeyRotationStatus(r -> r.keyId(keyId)).keyRotationEnabled()).isTrue();
    }
}
