package io.atlascmk.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.atlascmk.rotator.kms.DynamoDbKeyIndex;
import io.atlascmk.rotator.kms.KeyIndex;
import io.atlascmk.rotator.kms.KeyTags;
import io.atlascmk.sandbox.SandboxClock;
import io.atlascmk.sandbox.aws.AwsStandIn;
import io.atlascmk.sandbox.aws.KmsKeyView;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.kms.KmsClient;

/** {@code rotator reindex}: the index rebuilt from the tags (sandbox KMS, dynalite), every disagreement named. */
class ReindexCommandTest {

    private static final String PROJECT = "5f1e2d3c4b5a69788796a5b4";
    private static final String REGION = "us-east-1";
    private static final String DEPLOYMENT = "AtlasCmkRotator";

    private final SandboxClock clock = new SandboxClock(Instant.parse("2026-12-01T10:00:00Z"));
    private final List<KmsClient> clients = new CopyOnWriteArrayList<>();
    private AwsStandIn aws;
    private KeyIndex index;

    @BeforeEach
    void start() {
        aws = new AwsStandIn(clock).start();
        index = new DynamoDbKeyIndex(TestTables.dynamo(), TestTables.freshTable("reindex"));
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

    private CliRun reindex() {
        return CliRun.of(new ReindexCommand(this::kms, table -> index), "reindex", "--project", PROJECT, "--region", REGION,
                "--deployment", DEPLOYMENT);
    }

    private KmsKeyView ours(String state) {
        return aws.kms().createKey(REGION, "a key", Map.of(KeyTags.PROJECT, PROJECT, KeyTags.DEPLOYMENT, DEPLOYMENT,
                KeyTags.STATE, state));
    }

    @Test
    void keysTheIndexMissed_keysItNamesWrongly_andInterruptedCreations_areEachReported_andFixed() {
        KmsKeyView missed = ours("retired");
        KmsKeyView known = ours("active");
        KmsKeyView someoneElses = aws.kms().createKey(REGION, "not ours", Map.of("team", "payments"));
        String otherRegion = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
        index.record(PROJECT, Set.of(known.arn(), someoneElses.arn(), otherRegion), Set.of());
        index.intend(PROJECT, "manual-2026-11-30T10-00-00Z");

        CliRun run = reindex();

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).contains("added   " + missed.arn()).contains("removed " + someoneElses.arn())
                .contains("closed  [manual-2026-11-30T10-00-00Z]").contains("3 disagreement(s) fixed")
                .doesNotContain("removed " + otherRegion);
        KeyIndex.Entry after = index.read(PROJECT);
        assertThat(after.keyArns()).containsExactlyInAnyOrder(missed.arn(), known.arn(), otherRegion);
        assertThat(after.openIntents()).isEmpty();

        CliRun again = reindex();
        assertThat(again.out()).contains("The index agreed with the tags; nothing changed.");
    }
}
