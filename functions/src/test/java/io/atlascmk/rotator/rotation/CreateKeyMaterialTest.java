package io.atlascmk.rotator.rotation;

import io.atlascmk.rotator.aws.SandboxAws;
import io.atlascmk.rotator.kms.KeyService;
import io.atlascmk.rotator.kms.KeyTags;
import io.atlascmk.sandbox.SandboxClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.kms.model.KeyMetadata;
import software.amazon.awssdk.services.kms.model.OriginType;
import software.amazon.awssdk.services.kms.model.Tag;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * New keys are as strong as the old one: CreateKey copies what the current key's compliance depends on
 * (its key store, automatic rotation, description and the allowed tags) and refuses a key whose material
 * it cannot reproduce. Against the sandbox's KMS, over the unchanged SDK client.
 */
class CreateKeyMaterialTest {

    private static final String PROJECT = "5f1e2d3c4b5a69788796a5b4";
    private static final String ROTATION = "manual-2026-12-01T08-00-00Z";

    private final SandboxClock clock = new SandboxClock(Instant.parse("2026-12-01T08:00:00Z"));
    private final SandboxAws aws = new SandboxAws(clock);
    private final KeyService keys = new KeyService(aws.kms(), io.atlascmk.rotator.kms.FakeKmsClient.DEPLOYMENT);
    private final FakeAtlas atlas = new FakeAtlas(PROJECT, clock);

    @AfterEach
    void stop() {
        aws.close();
    }

    private CreateKeyStep step() {
        return new CreateKeyStep(new StepDependencies(atlas, region -> keys, clock, rotationId -> false,
                region -> aws.usage(), io.atlascmk.rotator.lock.TestLocks.fresh(clock, r -> false, PROJECT)));
    }

    private String currentKey(String description, Map<String, String> tags) {
        KeyMetadata key = aws.kms().createKey(b -> b.description(description).tags(tags.entrySet().stream()
                .map(e -> Tag.builder().tagKey(e.getKey()).tagValue(e.getValue()).build()).toList())).keyMetadata();
        atlas.awsKms(key.arn(), "US_EAST_1", "32b6e34b3d91647abb20e7b8");
        return key.arn();
    }

    private Map<String, String> tagsOf(String keyArn) {
        return aws.kms().listResourceTags(b -> b.keyId(keyArn)).tags().stream()
                .collect(Collectors.toMap(Tag::tagKey, Tag::tagValue));
    }

    @Test
    void theNewKeyTakesTheOldKeysDescriptionRotationAndAllowedTags_butNoOtherTag() {
        String current = currentKey("PCI DSS key of the orders data (owner: payments-security)",
                Map.of("cost-center", "4711", "data-classification", "restricted", "team", "orders"));
        aws.kms().enableKeyRotation(b -> b.keyId(current).rotationPeriodInDays(180));

        CreateKeyResult created = step().createKey(new CreateKeyRequest(PROJECT, ROTATION, current,
                List.of("cost-center", "data-classification", "not-on-the-old-key")));

        KeyMetadata successor = aws.kms().describeKey(b -> b.keyId(created.keyArn())).keyMetadata();
        assertThat(successor.description()).isEqualTo("PCI DSS key of the orders data (owner: payments-security)");
        var rotation = aws.kms().getKeyRotationStatus(b -> b.keyId(created.keyArn()));
        assertThat(rotation.keyRotationEnabled()).isTrue();
        assertThat(rotation.rotationPeriodInDays()).isEqualTo(180);
        assertThat(tagsOf(created.keyArn())).containsEntry("cost-center", "4711")
                .containsEntry("data-classification", "restricted")
                .containsEntry(KeyTags.PROJECT, PROJECT).containsEntry(KeyTags.STATE, "pending")
                .doesNotContainKeys("team", "not-on-the-old-key");
    }

    @Test
    void aKeyWithoutRotationOrDescription_getsTheRotatorsDescriptionAndNoRotation() {
        String current = currentKey("", Map.of());

        CreateKeyResult created = step().createKey(new CreateKeyRequest(PROJECT, ROTATION, current));

        assertThat(aws.kms().describeKey(b -> b.keyId(created.keyArn())).keyMetadata().description())
                .contains("created by rotation " + ROTATION);
        assertThat(aws.kms().getKeyRotationStatus(b -> b.keyId(created.keyArn())).keyRotationEnabled()).isFalse();
    }

    @Test
    void aKeyWithImportedMaterial_isRefused_andNothingIsCreated() {
        KeyMetadata imported = aws.kms().createKey(b -> b.origin(OriginType.EXTERNAL)).keyMetadata();
        atlas.awsKms(imported.arn(), "US_EAST_1", "32b6e34b3d91647abb20e7b8");
        int before = aws.kms().listKeys().keys().size();

        assertThatThrownBy(() -> step().createKey(new CreateKeyRequest(PROJECT, ROTATION, imported.arn())))
                .isInstanceOf(UnsupportedKeyOriginException.class)
                .hasMessageContaining("imported key material").hasMessageContaining("created nothing");
        assertThat(aws.kms().listKeys().keys()).hasSize(before);
    }

    @Test
    void aKeyInACloudHsmKeyStore_getsItsSuccessorInTheSameStore() {
        String store = "cks-1234567890abcdef0";
        aws.aws().kms().addCloudHsmKeyStore("us-east-1", store, "payments-hsm");
        String current = aws.aws().kms().createCloudHsmKey("us-east-1", store, "HSM-backed key", Map.of()).arn();
        atlas.awsKms(current, "US_EAST_1", "32b6e34b3d91647abb20e7b8");

        CreateKeyResult created = step().createKey(new CreateKeyRequest(PROJECT, ROTATION, current));

        KeyMetadata successor = aws.kms().describeKey(b -> b.keyId(created.keyArn())).keyMetadata();
        assertThat(successor.customKeyStoreId()).isEqualTo(store);
        assertThat(successor.origin()).isEqualTo(OriginType.AWS_CLOUDHSM);
    }
}
