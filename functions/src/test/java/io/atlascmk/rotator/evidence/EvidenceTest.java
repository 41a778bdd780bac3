package io.atlascmk.rotator.evidence;

import static org.assertj.core.api.Assertions.assertThat;

import io.atlascmk.rotator.json.Json;
import io.atlascmk.rotator.rotation.AuditAndRetireResult;
import io.atlascmk.rotator.rotation.AuditedKey;
import io.atlascmk.sandbox.s3.S3rver;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The audit of a large project stays far below Step Functions' and EventBridge's 256 KB: the whole evidence goes to
 * the evidence bucket (s3rver, a real S3 implementation) and the execution carries a summary that points at it.
 */
class EvidenceTest {

    private static final int LIMIT = 256 * 1024;
    private static S3rver s3rver;
    private static S3Client s3;

    @BeforeAll
    static void start() {
        s3rver = S3rver.start();
        s3 = io.atlascmk.rotator.aws.AwsClients.s3Builder().endpointOverride(s3rver.endpoint()).region(Region.US_EAST_1)
                .forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(S3rver.ACCESS_KEY_ID,
                        S3rver.SECRET_ACCESS_KEY)))
                .build();
        s3.createBucket(b -> b.bucket("rotator-evidence"));
    }

    @AfterAll
    static void stop() {
        s3.close();
        s3rver.close();
    }

    /** Ten retired keys of a project with 200 clusters, each held by snapshots of every cluster, with long reasons. */
    private static AuditAndRetireResult largeAudit() {
        List<AuditedKey> keys = new ArrayList<>();
        for (int k = 0; k < 10; k++) {
            Map<String, Integer> evidence = new LinkedHashMap<>();
            List<String> reasons = new ArrayList<>();
            for (int c = 0; c < 200; c++) {
                evidence.put("cluster-" + c + (c % 7 == 0 ? "-sharded" : ""), 1 + (c * 37 + k) % 500);
                reasons.add("Snapshot 6a" + String.format("%022x", c) + " of cluster cluster-" + c + " was taken while key "
                        + k + " was active and expires at 2027-0" + (1 + c % 9) + "-01T00:00:00Z: it may hold the key.");
            }
            keys.add(new AuditedKey(String.format("%08x-1111-2222-3333-444455556666", k), "retired", AuditedKey.DEFER,
                    Instant.parse("2027-09-01T00:00:00Z"), null, reasons, evidence, "no use since 2026-11-01 (90 days checked)", null));
        }
        return new AuditAndRetireResult(keys, 400_000, 200);
    }

    @Test
    void aLargeAuditIsKeptWholeInTheBucket_andTheExecutionCarriesASummaryFarBelowTheLimit() throws Exception {
        AuditAndRetireResult whole = largeAudit();
        byte[] json = Json.MAPPER.writeValueAsBytes(whole);
        String uri = new S3EvidenceStore(s3, "rotator-evidence").put("5f1e2d3c4b5a69788796a5b4", "manual-1", "AuditAndRetire", json);

        AuditAndRetireResult summary = whole.summarized(uri);
        int summaryBytes = Json.MAPPER.writeValueAsBytes(summary).length;
        System.out.printf("audit of 200 clusters and 10 retired keys: whole %d bytes, in the execution %d bytes (limit %d)%n",
                json.length, summaryBytes, LIMIT);

        assertThat(json.length).as("whole, it would not fit").isGreaterThan(LIMIT);
        assertThat(summaryBytes).isLessThan(LIMIT / 4);
        assertThat(uri).isEqualTo("s3://rotator-evidence/evidence/5f1e2d3c4b5a69788796a5b4/manual-1/AuditAndRetire.json");
        byte[] stored = s3.getObjectAsBytes(b -> b.bucket("rotator-evidence")
                .key("evidence/5f1e2d3c4b5a69788796a5b4/manual-1/AuditAndRetire.json")).asByteArray();
        assertThat(stored).isEqualTo(json);
        assertThat(summary.evidence()).isEqualTo(uri);
        assertThat(summary.keys()).allSatisfy(k -> {
            assertThat(k.evidence()).hasSize(AuditAndRetireResult.CLUSTERS_SHOWN);
            assertThat(k.reasons()).hasSize(AuditAndRetireResult.REASONS_SHOWN + 1);
            assertThat(k.reasons().get(AuditAndRetireResult.REASONS_SHOWN)).contains("195 more reason(s)")
                    .contains("190 more cluster(s)").contains(uri);
            assertThat(k.decision()).isEqualTo(AuditedKey.DEFER);
        });
        // the clusters shown are those holding the most snapshots of the key
        AuditedKey first = whole.keys().get(0);
        int smallestShown = summary.keys().get(0).evidence().values().stream().min(Integer::compare).orElseThrow();
        assertThat(first.evidence().values().stream().filter(v -> v > smallestShown).count())
                .isLessThan(AuditAndRetireResult.CLUSTERS_SHOWN);
    }

    @Test
    void withoutABucket_theResultStaysWhole() {
        AuditAndRetireResult whole = new AuditAndRetireResult(List.of(), 0, 0);
        assertThat(EvidenceStore.NONE.put("p", "r", "AuditAndRetire", new byte[0])).isNull();
        assertThat(whole.evidence()).isNull();
    }
}
