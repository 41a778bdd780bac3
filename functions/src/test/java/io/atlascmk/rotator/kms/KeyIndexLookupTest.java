package io.atlascmk.rotator.kms;

import static org.assertj.core.api.Assertions.assertThat;

import io.atlascmk.rotator.aws.SandboxAws;
import io.atlascmk.rotator.lock.TestLocks;
import io.atlascmk.sandbox.SandboxClock;
import io.atlascmk.sandbox.aws.AwsService;
import io.atlascmk.sandbox.aws.KmsKeyView;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Finding a project's keys through the key index (dynalite) on the sandbox's KMS stand-in: no cost per unrelated key
 * of the region, the tags still decide, and an interrupted creation is found by reading the tags after all.
 */
class KeyIndexLookupTest {

    private static final String REGION = "us-east-1";
    private static final String DEPLOYMENT = FakeKmsClient.DEPLOYMENT;

    private final SandboxClock clock = new SandboxClock(Instant.parse("2026-12-01T08:00:00Z"));
    private final SandboxAws aws = SandboxAws.withoutPacing(clock);
    private final KeyIndex index = new DynamoDbKeyIndex(TestLocks.dynamo(), TestLocks.TABLE);
    private final KeyService indexed = new KeyService(aws.kms(), DEPLOYMENT, index);
    private final KeyService scanning = new KeyService(aws.kms(), DEPLOYMENT);

    @AfterEach
    void stop() {
        // each test uses its own project id below, so the shared table needs no cleaning
        aws.close();
    }

    private static String project() {
        return UUID.randomUUID().toString().replace("-", "").substring(0, 24);
    }

    private static Map<String, String> ledger(String project, String rotation, String state) {
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put(KeyTags.PROJECT, project);
        tags.put(KeyTags.ROTATION, rotation);
        tags.put(KeyTags.STATE, state);
        return tags;
    }

    private void unrelatedKeys(int n) {
        for (int i = 0; i < n; i++) {
            aws.aws().kms().createKey(REGION, "someone else's key " + i, Map.of("team", "payments"));
        }
    }

    private int kmsCalls(String operation) {
        return aws.aws().faults().calls(AwsService.KMS, operation);
    }

    @Test
    void withTheIndex_findingTheProjectsKeys_costsNothingPerUnrelatedKey_whereReadingTagsCostsOneCallEach() {
        String project = project();
        unrelatedKeys(300);
        ManagedKey first = indexed.createKey("k1", ledger(project, "r1", "retired"), false);
        clock.advance(java.time.Duration.ofMinutes(1)); // oldest first
        ManagedKey second = indexed.createKey("k2", ledger(project, "r2", "active"), false);

        int tagsBefore = kmsCalls("ListResourceTags");
        int listBefore = kmsCalls("ListKeys");
        assertThat(indexed.findProjectKeys(project)).extracting(ManagedKey::arn).containsExactly(first.arn(), second.arn());
        assertThat(kmsCalls("ListKeys") - listBefore).isZero();
        assertThat(kmsCalls("ListResourceTags") - tagsBefore).isEqualTo(2);

        int scanBefore = kmsCalls("ListResourceTags");
        assertThat(scanning.findProjectKeys(project)).extracting(ManagedKey::arn).containsExactly(first.arn(), second.arn());
        assertThat(kmsCalls("ListResourceTags") - scanBefore).isGreaterThanOrEqualTo(302);
    }

    @Test
    void aCreationInterruptedBeforeItsRecord_isFoundByReadingTheTags_andRecorded() {
        String project = project();
        index.intend(project, "r1"); // then the function crashed after KMS created the key, before the record
        KmsKeyView created = aws.aws().kms().createKey(REGION, "k1", Map.of(KeyTags.PROJECT, project,
                KeyTags.DEPLOYMENT, DEPLOYMENT, KeyTags.ROTATION, "r1", KeyTags.STATE, "pending"));

        assertThat(indexed.findByRotation(project, "r1")).get().extracting(ManagedKey::arn).isEqualTo(created.arn());
        assertThat(index.read(project).keyArns()).containsExactly(created.arn());
        assertThat(index.read(project).openIntents()).isEmpty();
    }

    @Test
    void anIndexedKeyWhoseTagsDoNotSayItIsTheProjects_isLeftOut_andDroppedFromTheIndex() {
        String project = project();
        KmsKeyView theirs = aws.aws().kms().createKey(REGION, "k", Map.of(KeyTags.PROJECT, project,
                KeyTags.DEPLOYMENT, "TeamBRotator", KeyTags.STATE, "retired"));
        KmsKeyView untagged = aws.aws().kms().createKey(REGION, "k", Map.of("team", "payments"));
        index.record(project, Set.of(theirs.arn(), untagged.arn()), Set.of());

        assertThat(indexed.findProjectKeys(project)).isEmpty();
        assertThat(index.read(project).keyArns()).isEmpty();
    }

    @Test
    void adoptingAKey_recordsItInTheIndex_soTheAuditWillSeeIt() {
        String project = project();
        KmsKeyView atlasKey = aws.aws().kms().createKey(REGION, "the key Atlas used first", Map.of());

        indexed.tag(atlasKey.arn(), Map.of(KeyTags.PROJECT, project, KeyTags.DEPLOYMENT, DEPLOYMENT,
                KeyTags.STATE, "active"));

        assertThat(index.read(project).keyArns()).containsExactly(atlasKey.arn());
        assertThat(indexed.findProjectKeys(project)).extracting(ManagedKey::arn).containsExactly(atlasKey.arn());
    }
}
