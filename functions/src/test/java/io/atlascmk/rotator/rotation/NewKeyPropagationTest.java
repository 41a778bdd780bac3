package io.atlascmk.rotator.rotation;

import io.atlascmk.rotator.atlas.AtlasInvalidRequestException;
import io.atlascmk.rotator.aws.SandboxAws;
import io.atlascmk.rotator.kms.KeyService;
import io.atlascmk.rotator.kms.KmsAccessDeniedException;
import io.atlascmk.sandbox.SandboxClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * KMS and Atlas take minutes to see a key this run just made. Within that time a refusal is "not yet"
 * (a typed exception the workflow retries); after it, the refusal stands. KMS is the sandbox's stand-in
 * with its tag-authorization delay on, reached over the unchanged SDK client.
 */
class NewKeyPropagationTest {

    private static final String PROJECT = "5f1e2d3c4b5a69788796a5b4";
    private static final String ROTATION = "manual-2026-12-01T08-00-00Z";
    private static final String ROLE_ID = "32b6e34b3d91647abb20e7b8";
    private static final String ATLAS_ROLE_ARN = "arn:aws:iam::111122223333:role/atlas-ear";

    private final SandboxClock clock = new SandboxClock(Instant.parse("2026-12-01T08:00:00Z"));
    private final SandboxAws aws = new SandboxAws(clock);
    private final KeyService keys = new KeyService(aws.kms(), io.atlascmk.rotator.kms.FakeKmsClient.DEPLOYMENT);
    private final FakeAtlas atlas = new FakeAtlas(PROJECT, clock);
    private final StepDependencies deps = new StepDependencies(atlas, region -> keys, clock, rotationId -> true,
            region -> aws.usage(), io.atlascmk.rotator.lock.TestLocks.fresh(clock, r -> true, PROJECT));

    @AfterEach
    void stop() {
        aws.close();
    }

    private String currentKey(boolean rotationOn) {
        String arn = aws.kms().createKey(b -> b.description("orders")).keyMetadata().arn();
        if (rotationOn) {
            aws.kms().enableKeyRotation(b -> b.keyId(arn));
        }
        atlas.awsKms(arn, "US_EAST_1", ROLE_ID);
        return arn;
    }

    private CreateKeyResult createKey(String current) {
        return new CreateKeyStep(deps).createKey(new CreateKeyRequest(PROJECT, ROTATION, current, List.of()));
    }

    private GrantAtlasAccessResult grant(String current, CreateKeyResult created) {
        return new GrantAtlasAccessStep(deps).grant(new GrantAtlasAccessRequest(PROJECT, ROTATION, current,
                created.keyId(), ATLAS_ROLE_ARN));
    }

    private String policyOf(String keyArn) {
        return aws.kms().getKeyPolicy(b -> b.keyId(keyArn).policyName("default")).policy();
    }

    @Test
    void grantAtlasAccess_onAKeyKmsDoesNotYetAuthorizeByItsTags_saysNotYet_thenWritesThePolicyOnceItDoes() {
        aws.aws().kms().tagAuthorizationDelay(Duration.ofMinutes(4));
        String current = currentKey(false);
        CreateKeyResult created = createKey(current);
        String untouched = policyOf(created.keyArn());

        assertThatThrownBy(() -> grant(current, created))
                .isInstanceOf(NewKeyNotYetAuthorizedException.class)
                .hasMessageContaining("write the policy of key " + created.keyArn())
                .hasMessageContaining("retries this step until 2026-12-01T08:06:00Z");
        assertThat(policyOf(created.keyArn())).isEqualTo(untouched);

        clock.advance(Duration.ofMinutes(4));
        GrantAtlasAccessResult granted = grant(current, created);

        assertThat(granted.policyChanged()).isTrue();
        assertThat(granted.policyWrittenAt()).isEqualTo(Instant.parse("2026-12-01T08:04:00Z"));
        assertThat(policyOf(created.keyArn())).contains(ATLAS_ROLE_ARN);
    }

    @Test
    void aRefusalPastTheGrace_stands_asTheAccessDenialItIs() {
        aws.aws().kms().tagAuthorizationDelay(Duration.ofMinutes(30)); // an IAM policy that will never allow it, as far as we can tell
        String current = currentKey(false);
        CreateKeyResult created = createKey(current);
        clock.advance(Propagation.KMS_TAG_AUTHORIZATION);

        assertThatThrownBy(() -> grant(current, created))
                .isInstanceOf(KmsAccessDeniedException.class)
                .isNotInstanceOf(NewKeyNotYetAuthorizedException.class);
    }

    @Test
    void createKey_whoseRotationCannotBeEnabledYet_saysNotYet_andTheRetryFinishesTheSameKey() {
        String current = currentKey(true);
        aws.aws().kms().tagAuthorizationDelay(Duration.ofMinutes(2));

        assertThatThrownBy(() -> createKey(current)).isInstanceOf(NewKeyNotYetAuthorizedException.class)
                .hasMessageContaining("enable automatic rotation of key");
        clock.advance(Duration.ofMinutes(2));
        CreateKeyResult retried = createKey(current);

        assertThat(retried.created()).isFalse();
        assertThat(aws.kms().listKeys().keys()).hasSize(2);
        assertThat(aws.kms().getKeyRotationStatus(b -> b.keyId(retried.keyArn())).keyRotationEnabled()).isTrue();
    }

    @Test
    void switchAtlasKey_refusedByAtlasMinutesAfterThePolicyWrite_saysNotYet_laterTheRefusalStands() {
        String current = currentKey(false);
        CreateKeyResult created = createKey(current);
        atlas.role(ROLE_ID, ATLAS_ROLE_ARN);
        Instant written = grant(current, created).policyWrittenAt();
        SwitchAtlasKeyRequest request = new SwitchAtlasKeyRequest(PROJECT, ROTATION, created.keyId(), created.keyArn(),
                written);
        SwitchAtlasKeyStep step = new SwitchAtlasKeyStep(deps);

        atlas.failNextPatch(() -> new AtlasInvalidRequestException("Atlas could not use the key", 400,
                "INVALID_ENCRYPTION_AT_REST_KEY", null));
        assertThatThrownBy(() -> step.switchKey(request)).isInstanceOf(AtlasKeyNotYetAccessibleException.class)
                .hasMessageContaining("Atlas still uses the old key");
        assertThat(atlas.currentKey()).isEqualTo(current);

        atlas.failNextPatch(() -> new AtlasInvalidRequestException("malformed", 400, "INVALID_JSON", null));
        assertThatThrownBy(() -> step.switchKey(request)).isExactlyInstanceOf(AtlasInvalidRequestException.class);

        clock.advance(Propagation.ATLAS_KEY_ACCESS);
        atlas.failNextPatch(() -> new AtlasInvalidRequestException("Atlas could not use the key", 400,
                "INVALID_ENCRYPTION_AT_REST_KEY", null));
        assertThatThrownBy(() -> step.switchKey(request)).isExactlyInstanceOf(AtlasInvalidRequestException.class);
        assertThat(atlas.currentKey()).isEqualTo(current);

        assertThat(step.switchKey(request).switched()).isTrue();
    }
}
