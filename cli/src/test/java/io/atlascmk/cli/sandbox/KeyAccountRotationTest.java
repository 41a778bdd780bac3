package io.atlascmk.cli.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.atlascmk.cli.ExecutionResult;
import io.atlascmk.rotator.aws.KeyAccount;
import io.atlascmk.rotator.json.Json;
import io.atlascmk.rotator.kms.KeyTags;
import io.atlascmk.sandbox.aws.KmsKeyView;
import io.atlascmk.sandbox.aws.KmsStandIn;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A project whose key lives in another AWS account: every KMS and CloudTrail call of its rotation goes through the
 * member role (STS AssumeRole with the external id), so its keys are created, tagged, audited and retired in that
 * account, and nothing of it lands in the deployment's own account.
 */
class KeyAccountRotationTest {

    private static final String PROJECT = "6e1b2c3d4e5f60718293a4b5";
    private static final String MEMBER = "222233334444";
    private static final String ROLE = "arn:aws:iam::" + MEMBER + ":role/atlas-cmk-rotator-member";
    private static final String REGION = "eu-west-1";

    private SandboxWorld world;

    @BeforeEach
    void start() {
        world = new SandboxWorld();
        SandboxSeed.seed(world); // the Atlas credentials, and the sandbox's own project in the home account
    }

    @AfterEach
    void stop() {
        world.close();
    }

    private static ObjectNode rotate() {
        return Json.MAPPER.createObjectNode().put("projectId", PROJECT).put("trigger", "manual");
    }

    @Test
    void aRotation_createsAndRetiresKeysInTheMemberAccount_throughItsRole_andNothingAtHome() {
        String original = SandboxSeed.seedProjectInAccount(world, PROJECT, null, REGION, new KeyAccount(ROLE, "ext-7f3a9"));
        KmsStandIn member = world.aws().kms(MEMBER);
        int homeKeysBefore = world.aws().kms().keys().size();
        world.clock().advance(Duration.ofDays(100));

        ExecutionResult run = world.execute("cross-account-1", rotate(), e -> { });

        assertThat(run.succeeded()).as(run.error() + ": " + run.cause()).isTrue();
        String current = world.atlas().project(PROJECT).awsKms().customerMasterKeyID();
        assertThat(current).as("Atlas names the new key by its member-account ARN")
                .startsWith("arn:aws:kms:" + REGION + ":" + MEMBER + ":key/").isNotEqualTo(original);
        KmsKeyView created = member.key(current).orElseThrow();
        assertThat(created.tags()).containsEntry(KeyTags.PROJECT, PROJECT)
                .containsEntry(KeyTags.DEPLOYMENT, SandboxWorld.DEPLOYMENT).containsEntry(KeyTags.STATE, "active");
        assertThat(member.key(original).orElseThrow().tags()).containsEntry(KeyTags.STATE, "retired");
        assertThat(world.aws().kms().keys()).as("no key created in the deployment's own account").hasSize(homeKeysBefore);
        assertThat(world.aws().sts().assumedCount()).as("reached through the member role").isPositive();
        assertThat(world.aws().cloudTrail(MEMBER).events()).as("the member account's trail records the rotator's calls")
                .anySatisfy(e -> assertThat(e.record().path("eventName").asText()).isEqualTo("CreateKey"));
    }

    @Test
    void aWrongExternalId_stopsBeforeAnyChange_namingTheRoleAndWhatToCheck() {
        String original = SandboxSeed.seedProjectInAccount(world, PROJECT, null, REGION, new KeyAccount(ROLE, "ext-7f3a9"));
        // The registration says another external id than the member stack was deployed with.
        var registered = world.registry().find(PROJECT).orElseThrow();
        world.registry().put(new io.atlascmk.rotator.registry.RegisteredProject(PROJECT, REGION, null, null, null,
                io.atlascmk.rotator.registry.RegisteredProject.SOURCE_CLI, world.clock().instant(),
                registered.keyAccountRoleArn(), "not-the-member-stacks"));
        KmsStandIn member = world.aws().kms(MEMBER);
        List<KmsKeyView> before = member.keys();
        world.clock().advance(Duration.ofDays(100));

        ExecutionResult run = world.execute("cross-account-denied", rotate(), e -> { });

        assertThat(run.succeeded()).isFalse();
        assertThat(run.error()).isEqualTo("io.atlascmk.rotator.kms.KeyAccountUnreachableException");
        assertThat(run.cause()).contains(ROLE).contains("keyAccountExternalId").doesNotContain("not-the-member-stacks");
        assertThat(world.atlas().project(PROJECT).awsKms().customerMasterKeyID()).isEqualTo(original);
        assertThat(member.keys()).as("nothing created or tagged in the member account").isEqualTo(before);
        assertThat(world.aws().sts().refusedCount()).isPositive();
    }

    @Test
    void aUseOfAMemberAccountsKeyPendingDeletion_isForwardedToTheTripwire_whichCancelsTheDeletionThroughTheRole() {
        SandboxSeed.seedProjectInAccount(world, PROJECT, null, REGION, new KeyAccount(ROLE, "ext-7f3a9"));
        KmsStandIn member = world.aws().kms(MEMBER);
        String retired = member.createKey(REGION, "a retired key of the project", java.util.Map.of(KeyTags.PROJECT, PROJECT,
                KeyTags.DEPLOYMENT, SandboxWorld.DEPLOYMENT, KeyTags.STATE, "deletion-scheduled"),
                SandboxSeed.initialPolicy(MEMBER)).arn();
        world.clock().advance(Duration.ofMinutes(10)); // its tags count for IAM
        io.atlascmk.rotator.aws.KeyPlace place = new io.atlascmk.rotator.aws.KeyPlace(REGION, new KeyAccount(ROLE, "ext-7f3a9"));
        world.keys(place).scheduleDeletion(retired, 30);
        // an application of the member account still decrypts with it
        world.aws().principals().register("AKIAMEMBERAPP0000001", "arn:aws:iam::" + MEMBER + ":role/orders-app");
        try (TripwirePath tripwire = new TripwirePath(world);
             software.amazon.awssdk.services.kms.KmsClient app = software.amazon.awssdk.services.kms.KmsClient.builder()
                     .region(software.amazon.awssdk.regions.Region.of(REGION)).endpointOverride(world.aws().endpoint())
                     .credentialsProvider(software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
                             software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create("AKIAMEMBERAPP0000001", "x")))
                     .httpClientBuilder(software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient.builder()).build()) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> app.encrypt(b -> b.keyId(retired)
                    .plaintext(software.amazon.awssdk.core.SdkBytes.fromUtf8String("order 42"))))
                    .hasMessageContaining("pending deletion");
            world.clock().advance(Duration.ofMinutes(5)); // the trail delivers

            List<com.fasterxml.jackson.databind.JsonNode> rescues = tripwire.trailDelivers();

            assertThat(rescues).singleElement().satisfies(r -> assertThat(r.path("outcome").asText())
                    .isEqualTo(io.atlascmk.rotator.rescue.RescueResult.RESCUED));
        }
        KmsKeyView saved = member.key(retired).orElseThrow();
        assertThat(saved.state()).isEqualTo(io.atlascmk.sandbox.aws.KmsKeyState.ENABLED);
        assertThat(saved.tags()).containsEntry(KeyTags.STATE, "retired").containsKey(KeyTags.RESCUED_AT);
    }
}
