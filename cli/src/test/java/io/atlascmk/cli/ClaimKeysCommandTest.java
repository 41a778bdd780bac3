package io.atlascmk.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.atlascmk.rotator.kms.KeyTags;
import io.atlascmk.sandbox.SandboxClock;
import io.atlascmk.sandbox.aws.AwsStandIn;
import io.atlascmk.sandbox.aws.KmsKeyView;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.kms.KmsClient;

/**
 * {@code rotator claim-keys}: keys tagged before the deployment tag existed (or a gone deployment's) are handed to a
 * deployment over the wire, on the sandbox's KMS stand-in; nothing else is touched, and a dry run touches nothing.
 */
class ClaimKeysCommandTest {

    private static final String PROJECT = "5f1e2d3c4b5a69788796a5b4";
    private static final String OTHER_PROJECT = "65a1b2c3d4e5f60718293a4b";
    private static final String REGION = "us-east-1";

    private final SandboxClock clock = new SandboxClock(Instant.parse("2026-12-01T10:00:00Z"));
    private AwsStandIn aws;
    private final List<KmsClient> clients = new CopyOnWriteArrayList<>();
    private io.atlascmk.rotator.kms.KeyIndex index;

    @BeforeEach
    void freshTable() {
        index = new io.atlascmk.rotator.kms.DynamoDbKeyIndex(TestTables.dynamo(), TestTables.freshTable("claim"));
    }

    @BeforeEach
    void start() {
        aws = new AwsStandIn(clock).start();
    }

    @AfterEach
    void stop() {
        clients.forEach(KmsClient::close);
        aws.close();
    }

    private KmsClient kms(String region) {
        KmsClient client = TestTables.kms(aws, region);
        clients.add(client);
        return client;
    }

    private CliRun claim(String... args) {
        String[] line = new String[args.length + 1];
        line[0] = "claim-keys";
        System.arraycopy(args, 0, line, 1, args.length);
        return CliRun.of(new ClaimKeysCommand(this::kms, table -> index), line);
    }

    private KmsKeyView key(Map<String, String> tags) {
        return aws.kms().createKey(REGION, "a key", tags);
    }

    private Map<String, String> tagsOf(KmsKeyView key) {
        return aws.kms().key(key.keyId()).orElseThrow().tags();
    }

    @Test
    void aDryRunListsTheProjectsUnclaimedKeys_andTagsNothing() {
        KmsKeyView legacy = key(Map.of(KeyTags.PROJECT, PROJECT, KeyTags.STATE, "retired"));

        CliRun run = claim("--deployment", "AtlasCmkRotator", "--region", REGION);

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).contains("Would claim").contains(legacy.arn()).contains("Dry run: nothing was tagged");
        assertThat(tagsOf(legacy)).doesNotContainKey(KeyTags.DEPLOYMENT);
    }

    @Test
    void withYes_tagsOnlyUnclaimedKeysOfTheNamedProjects_neverAnotherDeploymentsOrUntaggedKeys() {
        KmsKeyView legacy = key(Map.of(KeyTags.PROJECT, PROJECT, KeyTags.STATE, "retired"));
        KmsKeyView otherProject = key(Map.of(KeyTags.PROJECT, OTHER_PROJECT, KeyTags.STATE, "active"));
        KmsKeyView teamB = key(Map.of(KeyTags.PROJECT, PROJECT, KeyTags.DEPLOYMENT, "TeamBRotator", KeyTags.STATE, "retired"));
        KmsKeyView someoneElses = key(Map.of("team", "payments"));

        CliRun run = claim("--deployment", "AtlasCmkRotator", "--region", REGION, "--project", PROJECT, "--yes");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).contains("Claimed 1 key(s) of 1 project(s)");
        assertThat(tagsOf(legacy)).containsEntry(KeyTags.DEPLOYMENT, "AtlasCmkRotator").containsEntry(KeyTags.STATE, "retired");
        assertThat(tagsOf(otherProject)).doesNotContainKey(KeyTags.DEPLOYMENT);
        assertThat(tagsOf(teamB)).containsEntry(KeyTags.DEPLOYMENT, "TeamBRotator");
        assertThat(tagsOf(someoneElses)).containsOnlyKeys("team");
        assertThat(index.read(PROJECT).keyArns()).as("the deployment's key index learns the claimed key")
                .containsExactly(legacy.arn());
    }

    @Test
    void fromAGoneDeployment_takesOnlyThatDeploymentsKeys() {
        KmsKeyView teamB = key(Map.of(KeyTags.PROJECT, PROJECT, KeyTags.DEPLOYMENT, "TeamBRotator", KeyTags.STATE, "active"));
        KmsKeyView legacy = key(Map.of(KeyTags.PROJECT, PROJECT, KeyTags.STATE, "retired"));

        CliRun run = claim("--deployment", "AtlasCmkRotator", "--region", REGION, "--from", "TeamBRotator", "--yes");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(tagsOf(teamB)).containsEntry(KeyTags.DEPLOYMENT, "AtlasCmkRotator");
        assertThat(tagsOf(legacy)).doesNotContainKey(KeyTags.DEPLOYMENT);
    }

    @Test
    void aKeyPendingDeletion_isNamed_notTagged_andTheOperatorToldWhatThatMeans() {
        KmsKeyView legacy = key(Map.of(KeyTags.PROJECT, PROJECT, KeyTags.STATE, "deletion-scheduled"));
        kms(REGION).scheduleKeyDeletion(b -> b.keyId(legacy.keyId()).pendingWindowInDays(30));

        CliRun run = claim("--deployment", "AtlasCmkRotator", "--region", REGION, "--yes");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).contains(legacy.arn()).contains("pending deletion: KMS cannot tag it")
                .contains("tripwire will not cancel").contains("Claimed 0 key(s)");
    }

    @Test
    void badArguments_areUsageErrors_beforeAnyKmsCall() {
        assertThat(claim("--deployment", "has space", "--region", REGION).exitCode()).isEqualTo(2);
        assertThat(claim("--deployment", "A", "--region", REGION, "--project", "nope").exitCode()).isEqualTo(2);
        CliRun same = claim("--deployment", "A", "--region", REGION, "--from", "A");
        assertThat(same.exitCode()).isEqualTo(2);
        assertThat(same.err()).contains("nothing to claim");
        assertThat(clients).isEmpty();
    }
}
