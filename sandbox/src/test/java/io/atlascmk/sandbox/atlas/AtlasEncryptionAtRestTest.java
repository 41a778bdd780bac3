package io.atlascmk.sandbox.atlas;

import com.fasterxml.jackson.databind.JsonNode;
import io.atlascmk.contract.AtlasContract;
import io.atlascmk.sandbox.KeyAccess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

import static io.atlascmk.sandbox.atlas.AtlasFixtures.API;
import static io.atlascmk.sandbox.atlas.AtlasFixtures.KEY_A;
import static io.atlascmk.sandbox.atlas.AtlasFixtures.KEY_B;
import static io.atlascmk.sandbox.atlas.AtlasFixtures.KEY_B_ARN;
import static io.atlascmk.sandbox.atlas.AtlasFixtures.KEY_C;
import static io.atlascmk.sandbox.atlas.AtlasFixtures.ROLE_ARN;
import static io.atlascmk.sandbox.atlas.AtlasFixtures.awsKmsBody;
import static org.assertj.core.api.Assertions.assertThat;

class AtlasEncryptionAtRestTest extends AtlasSimulatorFixture {

    /** Keys the Atlas role may use; the test changes it to play the KMS stand-in. */
    private final Set<String> usableKeys = ConcurrentHashMap.newKeySet();

    AtlasEncryptionAtRestTest() {
        super(Login.SERVICE_ACCOUNT);
        usableKeys.add(KEY_A);
    }

    @Override
    KeyAccess keyAccess() {
        return (keyRef, roleArn) -> ROLE_ARN.equals(roleArn) && usableKeys.contains(KmsKeyRefs.keyId(keyRef));
    }

    @Override
    void seed() {
        atlas.keySwitchDuration(Duration.ofMinutes(20));
        project.addCluster(ClusterSpec.replicaSet("Orders"));
        project.addCluster(ClusterSpec.sharded("Events", 2).keySwitchDuration(Duration.ofMinutes(45)));
        project.addCluster(ClusterSpec.replicaSet("Scratch").encryptionAtRestProvider("NONE"));
    }

    @Test
    void aKeyJustSwitchedTo_isReportedNotValidUntilItsPolicyHasPropagated() {
        atlas.keyPropagation(Duration.ofSeconds(90));
        usableKeys.add(KEY_B);

        client.patch(API + "/encryptionAtRest", AtlasFixtures.awsKmsBody(KEY_B, "US_EAST_1", roleId));
        boolean rightAfter = client.get(API + "/encryptionAtRest").json().get("awsKms").get("valid").asBoolean();
        clock.advance(Duration.ofSeconds(90));
        boolean later = client.get(API + "/encryptionAtRest").json().get("awsKms").get("valid").asBoolean();

        assertThat(rightAfter).isFalse();
        assertThat(later).isTrue();
    }

    @Test
    void clustersShowUpdating_onlyAfterAShortDelay_afterTheSwitch() {
        atlas.updateStartDelay(Duration.ofSeconds(30));
        usableKeys.add(KEY_B);

        client.patch(API + "/encryptionAtRest", AtlasFixtures.awsKmsBody(KEY_B, "US_EAST_1", roleId));
        String rightAfter = client.get(API + "/clusters/Orders").json().get("stateName").asText();
        clock.advance(Duration.ofSeconds(30));
        String later = client.get(API + "/clusters/Orders").json().get("stateName").asText();
        clock.advance(Duration.ofMinutes(20));
        String done = client.get(API + "/clusters/Orders").json().get("stateName").asText();

        assertThat(rightAfter).isEqualTo("IDLE");
        assertThat(later).isEqualTo("UPDATING");
        assertThat(done).isEqualTo("IDLE");
    }

    @Test
    void get_returnsTheAwsKmsConfiguration_includingTheWriteOnlyRoleId() {
        JsonNode kms = client.get(API + "/encryptionAtRest").json().get("awsKms");

        assertThat(kms.get("enabled").asBoolean()).isTrue();
        assertThat(kms.get("customerMasterKeyID").asText()).isEqualTo(KEY_A);
        assertThat(kms.get("region").asText()).isEqualTo("US_EAST_1");
        // writeOnly in the contract, returned anyway: real Atlas does, and the rotator needs it.
        assertThat(kms.get("roleId").asText()).isEqualTo(roleId);
        assertThat(kms.get("valid").asBoolean()).isTrue();
    }

    @Test
    void keySwitch_putsEveryAwsEncryptedClusterUpdating_untilItsDurationHasPassedOnTheClock() {
        usableKeys.add(KEY_B);
        JsonNode patched = client.patch(API + "/encryptionAtRest", awsKmsBody(KEY_B, "US_EAST_1", roleId)).json().get("awsKms");

        assertThat(patched.get("customerMasterKeyID").asText()).isEqualTo(KEY_B);
        assertThat(states()).containsExactly("Orders=UPDATING", "Events=UPDATING", "Scratch=IDLE");
        assertThat(client.get(API + "/clusters/Orders/status").json().get("changeStatus").asText()).isEqualTo("PENDING");

        clock.advance(Duration.ofMinutes(20).minusSeconds(1));
        assertThat(states()).containsExactly("Orders=UPDATING", "Events=UPDATING", "Scratch=IDLE");

        clock.advance(Duration.ofSeconds(1));
        assertThat(states()).containsExactly("Orders=IDLE", "Events=UPDATING", "Scratch=IDLE");
        assertThat(client.get(API + "/clusters/Orders").json().get("stateName").asText()).isEqualTo("IDLE");
        assertThat(client.get(API + "/clusters/Orders/status").json().get("changeStatus").asText()).isEqualTo("APPLIED");

        clock.advance(Duration.ofMinutes(25));
        assertThat(states()).containsExactly("Orders=IDLE", "Events=IDLE", "Scratch=IDLE");
        assertThat(project.clusters()).allSatisfy(c -> assertThat(c.idle()).isTrue());
    }

    @Test
    void keySwitch_recordsAnAwsEncryptionKeyRotatedEvent() {
        project.addEvent("AWS_ENCRYPTION_KEY_NEEDS_ROTATION", AtlasFixtures.T0.minus(Duration.ofDays(1)));
        clock.advance(Duration.ofMinutes(30));
        usableKeys.add(KEY_B);

        client.patch(API + "/encryptionAtRest", awsKmsBody(KEY_B, "US_EAST_1", roleId));

        JsonNode events = client.get(API + "/events?eventType=AWS_ENCRYPTION_KEY_ROTATED&minDate=2025-03-01T00:00:00Z").json();
        assertThat(events.get("totalCount").asInt()).isEqualTo(1);
        assertThat(events.get("results").get(0).get("eventTypeName").asText()).isEqualTo("AWS_ENCRYPTION_KEY_ROTATED");
        assertThat(events.get("results").get(0).get("created").asText()).isEqualTo("2025-03-01T00:30:00Z");
    }

    @Test
    void valid_isFalse_whileKeyAccessSaysTheAtlasRoleCannotUseTheKey_andComputedAgainOnEveryRead() {
        usableKeys.add(KEY_B);
        client.patch(API + "/encryptionAtRest", awsKmsBody(KEY_B, "US_EAST_1", roleId));
        usableKeys.remove(KEY_B); // e.g. an SCP now denies the role

        assertThat(client.get(API + "/encryptionAtRest").json().get("awsKms").get("valid").asBoolean()).isFalse();
        assertThat(project.awsKms().valid()).isFalse();

        usableKeys.add(KEY_B); // and is lifted again

        assertThat(client.get(API + "/encryptionAtRest").json().get("awsKms").get("valid").asBoolean()).isTrue();
    }

    @Test
    void aKeyTheRoleCannotUse_isRefusedBeforeAnythingChanges() {
        AtlasTestClient.Exchange refused = client.call("PATCH", API + "/encryptionAtRest", awsKmsBody(KEY_B, "US_EAST_1", roleId));

        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.json().get("errorCode").asText()).isEqualTo(AtlasSimulator.KEY_NOT_USABLE);
        assertThat(refused.json().get("detail").asText()).contains(KEY_B).contains("kms:Encrypt and kms:Decrypt");
        assertThat(project.awsKms().keyId()).isEqualTo(KEY_A);
        assertThat(states()).containsOnly("Orders=IDLE", "Events=IDLE", "Scratch=IDLE");
        assertThat(project.events()).isEmpty();
    }

    @Test
    void anotherKeyChangeWhileClustersStillApplyTheLastOne_isRefusedWith409_theSameKeyAgainIsNot() {
        usableKeys.add(KEY_B);
        usableKeys.add(KEY_C);
        client.patch(API + "/encryptionAtRest", awsKmsBody(KEY_B, "US_EAST_1", roleId));

        AtlasTestClient.Exchange busy = client.call("PATCH", API + "/encryptionAtRest", awsKmsBody(KEY_A, "US_EAST_1", roleId));
        AtlasTestClient.Exchange same = client.call("PATCH", API + "/encryptionAtRest", awsKmsBody(KEY_B, "US_EAST_1", roleId));

        assertThat(busy.status()).isEqualTo(409);
        assertThat(busy.json().get("errorCode").asText()).isEqualTo(AtlasSimulator.KEY_CHANGE_IN_PROGRESS);
        assertThat(same.status()).isEqualTo(200);
        assertThat(project.awsKms().keyId()).isEqualTo(KEY_B);

        clock.advance(Duration.ofMinutes(45)); // the slowest cluster (Events) is IDLE again
        AtlasTestClient.Exchange back = client.call("PATCH", API + "/encryptionAtRest", awsKmsBody(KEY_A, "US_EAST_1", roleId));
        assertThat(back.status()).isEqualTo(200);
        assertThat(project.awsKms().keyId()).isEqualTo(KEY_A);
    }

    @Test
    void patchNamingTheCurrentKeyByItsArn_isNoKeySwitch() {
        project.configureAwsKms(KEY_B, "US_EAST_1", roleId);

        JsonNode kms = client.patch(API + "/encryptionAtRest", awsKmsBody(KEY_B_ARN, "US_EAST_1", roleId)).json().get("awsKms");

        assertThat(kms.get("customerMasterKeyID").asText()).isEqualTo(KEY_B_ARN);
        assertThat(states()).containsOnly("Orders=IDLE", "Events=IDLE", "Scratch=IDLE");
        assertThat(project.events()).isEmpty();
        assertThat(project.awsKms().keyId()).isEqualTo(KEY_B);
    }

    @Test
    void disablingWhileClustersUseTheKey_isRefusedWithConflict() {
        AtlasTestClient.Exchange e = client.call("PATCH", API + "/encryptionAtRest", "{\"awsKms\":{\"enabled\":false}}");

        assertThat(e.status()).isEqualTo(409);
        assertThat(e.json().get("errorCode").asText()).isEqualTo("CANNOT_DISABLE_ENCRYPTION_AT_REST");
        assertThat(project.awsKms().enabled()).isTrue();
    }

    static Stream<Arguments> badPatches() {
        String role = "%ROLE%";
        return Stream.of(
                // body, status, errorCode, message key with which the contract rejects the request too (null: it accepts it)
                Arguments.of("{\"awsKms\":{\"enabled\":true,\"customerMasterKeyID\":\"" + KEY_B + "\",\"region\":\"US_EAST_1\"}}",
                        400, "MISSING_ATTRIBUTE", null),
                Arguments.of("{\"awsKms\":{\"enabled\":true,\"region\":\"US_EAST_1\",\"roleId\":\"" + role + "\"}}",
                        400, "MISSING_ATTRIBUTE", null),
                Arguments.of("{}", 400, "MISSING_ATTRIBUTE", null),
                Arguments.of(awsKmsBody(KEY_B, "US_EAST_1", "not-a-role-id"), 400, "INVALID_ATTRIBUTE", "validation.request.body.schema.pattern"),
                Arguments.of(awsKmsBody(KEY_B, "US_EAST_1", "65f0a1b2c3d4e5f6ffffffff"), 404, "CLOUD_PROVIDER_ACCESS_ROLE_NOT_FOUND", null),
                Arguments.of(awsKmsBody(KEY_B, "MOON_1", role), 400, "INVALID_ENUM_VALUE", "validation.request.body.schema.enum"),
                Arguments.of(awsKmsBody("alias/atlas-cmk", "US_EAST_1", role), 400, "INVALID_ATTRIBUTE", null),
                Arguments.of(awsKmsBody(KEY_B_ARN, "EU_WEST_1", role), 400, "INVALID_ATTRIBUTE", null),
                Arguments.of("{\"awsKms\":{\"enabled\":\"yes\",\"customerMasterKeyID\":\"" + KEY_B + "\",\"region\":\"US_EAST_1\",\"roleId\":\"" + role + "\"}}",
                        400, "INVALID_ATTRIBUTE", "validation.request.body.schema.type"),
                // valid is readOnly: Atlas computes it
                Arguments.of("{\"awsKms\":{\"enabled\":true,\"customerMasterKeyID\":\"" + KEY_B + "\",\"region\":\"US_EAST_1\",\"roleId\":\""
                        + role + "\",\"valid\":true}}", 400, "ATTRIBUTE_READ_ONLY", AtlasContract.READ_ONLY_IN_REQUEST),
                Arguments.of("{\"awsKms\":{\"enabled\":true,\"keyId\":\"" + KEY_B + "\"}}", 400, "INVALID_JSON_ATTRIBUTE",
                        "validation.request.body.schema.additionalProperties"),
                Arguments.of("{\"awsKms\":", 400, "INVALID_JSON", "validation.request.body.schema.invalidJson"));
    }

    @ParameterizedTest
    @MethodSource("badPatches")
    void badPatch_isRefusedWithAtlasErrorEnvelope_andChangesNothing(String body, int status, String errorCode, String contractKey) {
        AtlasTestClient.Exchange e = client.send("PATCH", API + "/encryptionAtRest", AtlasTestClient.V2023, body.replace("%ROLE%", roleId));

        assertThat(e.status()).as(e.body()).isEqualTo(status);
        e.assertResponseConforms();
        if (contractKey == null) {
            e.assertRequestConforms();
        } else {
            e.assertRequestRejectedByContract(contractKey);
        }
        JsonNode err = e.json();
        assertThat(err.get("error").asInt()).isEqualTo(status);
        assertThat(err.get("errorCode").asText()).isEqualTo(errorCode);
        assertThat(err.get("detail").asText()).isNotBlank();
        assertThat(err.get("reason").asText()).isEqualTo(status == 404 ? "Not Found" : "Bad Request");
        assertThat(err.get("parameters").isArray()).isTrue();
        assertThat(project.awsKms().customerMasterKeyID()).isEqualTo(KEY_A);
        assertThat(project.events()).isEmpty();
        assertThat(states()).containsOnly("Orders=IDLE", "Events=IDLE", "Scratch=IDLE");
    }

    @Test
    void patchNamingARoleThatIsNotAuthorized_isRefused() {
        String pending = "65f0a1b2c3d4e5f600000001";
        project.addAwsIamRole(new AwsIamRole(pending, "arn:aws:iam::111122223333:role/pending", AtlasProject.DEFAULT_ATLAS_AWS_ACCOUNT_ARN,
                "0b7c1f5e-7a3d-4b8e-9f21-6c5d4e3f2a10", AtlasFixtures.T0, null));

        AtlasTestClient.Exchange e = client.call("PATCH", API + "/encryptionAtRest", awsKmsBody(KEY_B, "US_EAST_1", pending));

        assertThat(e.status()).isEqualTo(400);
        assertThat(e.json().get("errorCode").asText()).isEqualTo("CLOUD_PROVIDER_ACCESS_ROLE_NOT_AUTHORIZED");
    }

    @Test
    void unknownResourceVersion_isRefusedWith406_likeAtlas() {
        AtlasTestClient.Exchange future = client.send("GET", API + "/encryptionAtRest", "application/vnd.atlas.2099-01-01+json", null);
        AtlasTestClient.Exchange clusterVersion = client.send("GET", API + "/encryptionAtRest", AtlasTestClient.V2024, null);
        AtlasTestClient.Exchange plainJson = client.send("GET", API + "/encryptionAtRest", "application/json", null);

        for (AtlasTestClient.Exchange e : List.of(future, clusterVersion, plainJson)) {
            assertThat(e.status()).as(e.body()).isEqualTo(406);
            assertThat(e.json().get("errorCode").asText()).isEqualTo("INVALID_VERSION_DATE");
            assertThat(e.header("Content-Type")).isEqualTo("application/json");
            e.assertOutsideContractStatusWithEnvelope();
        }
        // The contract itself refuses those Accept headers in requests, except application/json (its error type).
        assertThat(future.requestReport().getMessages()).anySatisfy(m -> assertThat(m.getKey()).isEqualTo("validation.request.accept.notAllowed"));
    }

    @Test
    void sunsetClusterVersions_areGone() {
        AtlasTestClient.Exchange e = client.send("GET", API + "/clusters", "application/vnd.atlas.2023-02-01+json", null);

        assertThat(e.status()).isEqualTo(410);
        assertThat(e.json().get("errorCode").asText()).isEqualTo("VERSION_GONE");
        // The contract names only the version the rotator uses, so it refuses the old one too.
        e.assertRequestRejectedByContract("validation.request.accept.notAllowed").assertOutsideContractStatusWithEnvelope();
    }

    @Test
    void unknownProject_isNotFound() {
        AtlasTestClient.Exchange e = client.call("GET", "/api/atlas/v2/groups/65f0a1b2c3d4e5f6aaaaaaaa/encryptionAtRest", null);

        assertThat(e.status()).isEqualTo(404);
        assertThat(e.json().get("errorCode").asText()).isEqualTo("GROUP_NOT_FOUND");
    }

    @Test
    void cloudProviderAccess_namesTheRoleArnAndItsEncryptionUsage() {
        JsonNode roles = client.get(API + "/cloudProviderAccess").json().get("awsIamRoles");

        assertThat(roles).hasSize(1);
        assertThat(roles.get(0).get("roleId").asText()).isEqualTo(roleId);
        assertThat(roles.get(0).get("iamAssumedRoleArn").asText()).isEqualTo(ROLE_ARN);
        assertThat(roles.get(0).get("providerName").asText()).isEqualTo("AWS");
        assertThat(roles.get(0).get("featureUsages").get(0).get("featureType").asText()).isEqualTo("ENCRYPTION_AT_REST");
    }

    private List<String> states() {
        List<String> out = new ArrayList<>();
        for (JsonNode c : client.get(API + "/clusters").json().get("results")) {
            out.add(c.get("name").asText() + "=" + c.get("stateName").asText());
        }
        return out;
    }
}
