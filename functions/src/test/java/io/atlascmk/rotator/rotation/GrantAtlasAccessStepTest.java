package io.atlascmk.rotator.rotation;

import static io.atlascmk.rotator.rotation.RotationWorld.PROJECT;
import static io.atlascmk.rotator.rotation.RotationWorld.ROLE_ARN;
import static io.atlascmk.rotator.rotation.RotationWorld.ROTATION;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.atlascmk.rotator.json.Json;
import io.atlascmk.rotator.kms.KeyState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class GrantAtlasAccessStepTest {

    static final String ADMIN_ROLE = "arn:aws:iam::111122223333:role/key-admins";

    /** The current key's policy: the account root, a key administrator, and a Deny someone added. */
    static String currentPolicy(String currentKeyArn) {
        return """
                {"Version":"2012-10-17","Id":"customer-policy","Statement":[
                  {"Sid":"Enable IAM User Permissions","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"kms:*","Resource":"*"},
                  {"Sid":"KeyAdmins","Effect":"Allow","Principal":{"AWS":"%s"},"Action":["kms:Describe*","kms:Put*"],"Resource":"%s"},
                  {"Sid":"NoDisable","Effect":"Deny","Principal":{"AWS":"*"},"Action":"kms:DisableKey","Resource":"*"}
                ]}""".formatted(ADMIN_ROLE, currentKeyArn);
    }

    private static RotationWorld worldWithCustomerPolicy() {
        RotationWorld world = new RotationWorld();
        world.currentKeyArn = world.kms.seed().ledger(PROJECT, RotationWorld.PREVIOUS_ROTATION, KeyState.ACTIVE)
                .createdAt(RotationWorld.START.minus(Duration.ofDays(300))).create();
        String policy = currentPolicy(world.currentKeyArn);
        world.kms.putKeyPolicy(b -> b.keyId(world.currentKeyArn).policyName("default").policy(policy));
        world.atlas.awsKms(world.currentKeyId(), RotationWorld.ATLAS_REGION, RotationWorld.ROLE_ID)
                .role(RotationWorld.ROLE_ID, ROLE_ARN).replicaSet("Cluster0", false);
        return world;
    }

    @Test
    void grant_keepsEveryStatementOfTheCurrentKeysPolicy_andAddsTheAtlasRole() throws Exception {
        RotationWorld world = worldWithCustomerPolicy();
        CreateKeyResult newKey = world.createKey();
        world.resetRecording();

        GrantAtlasAccessResult result = world.grant(newKey);

        assertThat(result.policyChanged()).isTrue();
        assertThat(world.kms.writes("PutKeyPolicy")).isEqualTo(1);
        JsonNode policy = Json.MAPPER.readTree(world.kms.key(newKey.keyArn()).policy());
        List<String> sids = new ArrayList<>();
        policy.get("Statement").forEach(s -> sids.add(s.path("Sid").asText()));
        assertThat(sids).containsExactly("Enable IAM User Permissions", "KeyAdmins", "NoDisable",
                KeyPolicies.ATLAS_STATEMENT_SID);
        JsonNode atlas = policy.get("Statement").get(3);
        assertThat(atlas.path("Principal").path("AWS").asText()).isEqualTo(ROLE_ARN);
        assertThat(atlas.toString()).contains("kms:Encrypt", "kms:Decrypt", "kms:DescribeKey");
        assertThat(policy.get("Statement").get(1).path("Resource").asText())
                .as("a statement naming the current key now names this key").isEqualTo("*");
        assertThat(result.summary()).contains("4 statements").contains(ROLE_ARN);
    }

    @Test
    void grantRerun_writesNothing_whenTheNewKeyAlreadyHasThePolicy() {
        RotationWorld world = worldWithCustomerPolicy();
        CreateKeyResult newKey = world.createKey();
        world.grant(newKey);
        world.resetRecording();

        GrantAtlasAccessResult again = world.grant(newKey);

        assertThat(again.policyChanged()).isFalse();
        assertThat(world.kms.totalWrites()).isZero();
    }

    @Test
    void grantRefusesLockout_whenNobodyButAtlasCouldChangeThePolicy_andWritesNothing() {
        RotationWorld world = RotationWorld.managed();
        String onlyConditional = """
                {"Version":"2012-10-17","Statement":[
                  {"Sid":"Conditional","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"kms:*","Resource":"*",
                   "Condition":{"StringEquals":{"aws:PrincipalTag/team":"db"}}}]}""";
        world.kms.putKeyPolicy(b -> b.keyId(world.currentKeyArn).policyName("default").policy(onlyConditional)
                .bypassPolicyLockoutSafetyCheck(true));
        CreateKeyResult newKey = world.createKey();
        String before = world.kms.key(newKey.keyArn()).policy();
        world.resetRecording();

        assertThatThrownBy(() -> world.grant(newKey)).isInstanceOf(KeyPolicyLockoutException.class)
                .hasMessageContaining(ROLE_ARN);
        assertThat(world.kms.totalWrites()).isZero();
        assertThat(world.kms.key(newKey.keyArn()).policy()).isEqualTo(before);
    }

    @Test
    void grantRefuses_whenTheNewKeyIsNotThisRotationsPendingKey() {
        RotationWorld world = RotationWorld.managed();
        String stranger = world.kms.seed().ledger(PROJECT, "another-rotation", KeyState.PENDING).create();
        world.resetRecording();

        assertThatThrownBy(() -> new GrantAtlasAccessStep(world.deps()).grant(new GrantAtlasAccessRequest(PROJECT,
                ROTATION, world.currentKeyId(), world.kms.key(stranger).keyId(), ROLE_ARN)))
                .isInstanceOf(KeyNotInRotationException.class);
        assertThat(world.kms.totalWrites()).isZero();
    }

    @Test
    void grant_crashAfterEachWriteAndRerun_endsWithTheSamePolicy() {
        int crashPoints = CrashAndRerun.assertSameEndStateAfterCrashAtEveryWrite(() -> {
            RotationWorld w = worldWithCustomerPolicy();
            w.createKey();
            return w;
        }, w -> w.grant(w.createKey()));

        assertThat(crashPoints).isEqualTo(1);
    }
}
