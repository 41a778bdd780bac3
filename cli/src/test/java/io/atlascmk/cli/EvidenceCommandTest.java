package io.atlascmk.cli;

import static io.atlascmk.cli.sandbox.SandboxWorld.PROJECT_ID;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.atlascmk.cli.evidence.EvidenceCsv;
import io.atlascmk.cli.sandbox.SandboxSeed;
import io.atlascmk.cli.sandbox.SandboxWorld;
import io.atlascmk.rotator.json.Json;
import io.atlascmk.rotator.registry.RegisteredProject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * {@code rotator evidence} against the sandbox: two real rotations 31 days apart (the first adopts and retires the
 * hand-made key, its audit defers it; the second retires the first rotation's key, and its audit schedules the
 * hand-made key's deletion), each published event archived into the evidence bucket by the sandbox's Record function, on
 * its rule on the sandbox's bus as the stack deploys it ({@code events/<projectId>/<yyyy-MM-dd'T'HH-mm-ss'Z'>-<id>.json}).
 * Tests that damage the evidence work on copies of the bucket.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EvidenceCommandTest {

    private static final String BUCKET = SandboxWorld.EVIDENCE_BUCKET;
    private static final String TABLE = SandboxWorld.LOCK_TABLE;
    private static final String HOSTILE_REASON = "Cluster <script>alert(1)</script> said \"no\", twice";
    private static final String HOSTILE_CLUSTER = "<b>legacy</b>";
    /** A reason across lines, with a comma: quoted in CSV, its line breaks kept. */
    private static final String MULTILINE_REASON = "first line, of two\r\nsecond \"line\"\nthird";
    private static final String OTHER_PROJECT = "bbbbbbbbbbbbbbbbbbbbbbbb";

    private SandboxWorld world;

    private String hadKey;
    private String firstKey;
    private String secondKey;
    private Instant firstStart;
    private Instant secondStart;
    private int copies;

    @BeforeAll
    void twoRotations() {
        world = new SandboxWorld();
        SandboxSeed.seed(world);
        world.registry().put(new RegisteredProject(PROJECT_ID, SandboxWorld.REGION, "rate(90 days)", null, null,
                RegisteredProject.SOURCE_CLI, world.clock().instant()));

        firstStart = world.clock().instant();
        var first = rotate("rotation-1", "manual");
        world.clock().advance(Duration.ofDays(31));
        secondStart = world.clock().instant();
        var second = rotate("rotation-2", "schedule");

        hadKey = first.output().path("previousKey").path("keyId").asText();
        firstKey = first.output().path("newKey").path("keyId").asText();
        secondKey = second.output().path("newKey").path("keyId").asText();
        assertThat(second.output().path("previousKey").path("keyId").asText()).isEqualTo(firstKey);
        world.clock().advance(Duration.ofHours(1));
    }

    @AfterAll
    void stopWorld() {
        world.close();
    }

    private ExecutionResult rotate(String name, String how) {
        ExecutionResult result = world.execute(name, Json.MAPPER.createObjectNode().put("projectId", PROJECT_ID)
                .put("trigger", how), e -> { });
        assertThat(result.succeeded()).as(name + ": " + result.error() + ": " + result.cause()).isTrue();
        return result;
    }

    /** The objects the sandbox's Record function archived under events/, as the stack's would. */
    private List<String> archived() {
        return world.s3().listObjectsV2Paginator(b -> b.bucket(BUCKET).prefix("events/")).contents().stream()
                .map(software.amazon.awssdk.services.s3.model.S3Object::key).toList();
    }

    private CliRun evidence(String... args) {
        return evidence(Map.of(), args);
    }

    private CliRun evidence(Map<String, String> environment, String... args) {
        EvidenceCommand command = new EvidenceCommand(region -> world.kms(), table -> world.registry(), world::s3,
                environment::get, world.clock());
        List<String> all = new ArrayList<>(List.of("evidence"));
        all.addAll(List.of(args));
        return CliRun.of(command, all.toArray(String[]::new));
    }

    private JsonNode json(CliRun run) throws Exception {
        assertThat(run.exitCode()).as(run.toString()).isZero();
        return Json.MAPPER.readTree(run.out());
    }

    /** A copy of the evidence bucket, to damage. */
    private String copyOfBucket() {
        String copy = "evidence-copy-" + (++copies);
        world.s3().createBucket(b -> b.bucket(copy));
        world.s3().listObjectsV2Paginator(b -> b.bucket(BUCKET)).contents().forEach(o -> {
            byte[] bytes = world.s3().getObjectAsBytes(b -> b.bucket(BUCKET).key(o.key())).asByteArray();
            world.s3().putObject(b -> b.bucket(copy).key(o.key()), RequestBody.fromBytes(bytes));
        });
        return copy;
    }

    private static List<String> texts(JsonNode array, String field) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.path(field).asText(null)));
        return out;
    }

    private static JsonNode decisionFor(JsonNode rotation, String keyId) {
        for (JsonNode k : rotation.path("audit").path("keys")) {
            if (keyId.equals(k.path("keyId").asText())) {
                return k;
            }
        }
        throw new AssertionError("no decision for " + keyId + " in " + rotation);
    }

    // ------------------------------------------------------------------------------------------

    @Test
    void json_bothRotations_withKeysTriggerAuditsAndDeletion_andTheLongestActiveKeyBesideThePolicy() throws Exception {
        JsonNode report = json(evidence("--since", "2026-05-01", "--lock-table", TABLE, "--evidence-bucket", BUCKET,
                "--format", "json"));

        assertThat(report.path("generatedAt").asText()).isEqualTo(world.clock().instant().toString());
        assertThat(report.path("period").path("from").asText()).isEqualTo("2026-05-01T00:00:00Z");
        assertThat(report.path("period").path("fromInclusive").asBoolean()).isTrue();
        assertThat(report.path("period").path("toInclusive").asBoolean()).isFalse();
        assertThat(report.path("period").path("text").asText()).contains("(inclusive)", "(exclusive)");
        assertThat(report.path("projects")).hasSize(1);
        JsonNode project = report.path("projects").get(0);
        assertThat(project.path("projectId").asText()).isEqualTo(PROJECT_ID);
        assertThat(project.path("gaps")).as(project.path("gaps").toString()).isEmpty();

        JsonNode rotations = project.path("rotations");
        assertThat(texts(rotations, "rotationId")).containsExactly("rotation-1", "rotation-2");
        JsonNode first = rotations.get(0);
        assertThat(first.path("kind").asText()).isEqualTo("rotation");
        assertThat(first.path("outcome").asText()).isEqualTo("succeeded");
        assertThat(first.path("trigger").asText()).isEqualTo("manual");
        assertThat(first.path("startedAt").asText()).isEqualTo(firstStart.toString());
        assertThat(first.path("previousKey").asText()).isEqualTo(hadKey);
        assertThat(first.path("newKey").asText()).isEqualTo(firstKey);
        assertThat(first.path("event").asText()).startsWith("s3://" + BUCKET + "/events/" + PROJECT_ID + "/");
        JsonNode deferred = decisionFor(first, hadKey);
        assertThat(deferred.path("decision").asText()).isEqualTo("defer");
        assertThat(deferred.path("safeAfter").isTextual()).isTrue();
        assertThat(deferred.path("snapshotsByCluster").path("orders").asInt()).isPositive();
        assertThat(deferred.path("deletionDate").isNull()).isTrue();

        JsonNode second = rotations.get(1);
        assertThat(second.path("trigger").asText()).isEqualTo("schedule");
        assertThat(second.path("startedAt").asText()).isEqualTo(secondStart.toString());
        assertThat(second.path("previousKey").asText()).isEqualTo(firstKey);
        assertThat(second.path("newKey").asText()).isEqualTo(secondKey);
        JsonNode scheduled = decisionFor(second, hadKey);
        assertThat(scheduled.path("decision").asText()).isEqualTo("schedule-deletion");
        assertThat(scheduled.path("deletionScheduledOn").asText()).isEqualTo(second.path("audit").path("auditedAt").asText());
        assertThat(Instant.parse(scheduled.path("deletionDate").asText()))
                .isEqualTo(world.kms().describeKey(b -> b.keyId(hadKey)).keyMetadata().deletionDate());
        assertThat(decisionFor(second, firstKey).path("decision").asText()).isEqualTo("defer");

        assertThat(texts(project.path("keys"), "keyId")).containsExactly(hadKey, firstKey, secondKey);
        JsonNode policy = project.path("policy");
        assertThat(policy.path("schedule").asText()).isEqualTo("rate(90 days)");
        assertThat(policy.path("intervalDays").asDouble()).isEqualTo(90.0);
        // the hand-made key was Atlas's from the seed (2026-01-01) until the first rotation (2026-06-01)
        assertThat(policy.path("longestActive").path("keyId").asText()).isEqualTo(hadKey);
        assertThat(policy.path("longestActive").path("days").asDouble()).isBetween(151.0, 152.0);
        assertThat(policy.path("longestActive").path("until").asText()).isEqualTo("retired");
        assertThat(policy.path("withinPolicy").asText()).isEqualTo("no");
        assertThat(report.path("summary").path("rotations").asInt()).isEqualTo(2);
        assertThat(report.path("summary").path("notWithinPolicy").asInt()).isEqualTo(1);
        assertThat(report.path("summary").path("gaps").asInt()).isZero();

        // from mid-June: only the second rotation; the first rotation's key, active 31 days, is the longest
        JsonNode june = json(evidence("--since", "2026-06-15T00:00:00Z", "--project", PROJECT_ID, "--lock-table", TABLE,
                "--evidence-bucket", BUCKET, "--format", "json")).path("projects").get(0);
        assertThat(texts(june.path("rotations"), "rotationId")).containsExactly("rotation-2");
        assertThat(june.path("policy").path("longestActive").path("keyId").asText()).isEqualTo(firstKey);
        assertThat(june.path("policy").path("longestActive").path("days").asDouble()).isBetween(30.0, 32.0);
        assertThat(june.path("policy").path("withinPolicy").asText()).isEqualTo("yes");
    }

    @Test
    void csv_oneRowPerRotationAuditKey_parsesBack_andQuotesAFieldWithACommaAndQuotes() {
        CliRun run = evidence("--since", "2026-05-01", "--lock-table", TABLE, "--evidence-bucket", BUCKET, "--format", "csv");
        assertThat(run.exitCode()).as(run.toString()).isZero();
        List<List<String>> rows = Rfc4180.parse(run.out());
        assertThat(rows.get(0)).isEqualTo(EvidenceCsv.COLUMNS);
        assertThat(rows).allSatisfy(r -> assertThat(r).hasSize(EvidenceCsv.COLUMNS.size()));
        List<Map<String, String>> records = Rfc4180.records(rows);
        assertThat(records).extracting(r -> r.get("row_type")).containsOnly("audit-key");
        assertThat(records).extracting(r -> r.get("rotation_id") + " " + r.get("key_id") + " " + r.get("decision"))
                .containsExactlyInAnyOrder("rotation-1 " + hadKey + " defer", "rotation-2 " + hadKey + " schedule-deletion",
                        "rotation-2 " + firstKey + " defer");
        Map<String, String> scheduled = records.stream().filter(r -> "schedule-deletion".equals(r.get("decision")))
                .findFirst().orElseThrow();
        assertThat(scheduled.get("old_key")).isEqualTo(firstKey);
        assertThat(scheduled.get("new_key")).isEqualTo(secondKey);
        assertThat(scheduled.get("trigger")).isEqualTo("schedule");
        assertThat(Instant.parse(scheduled.get("deletion_scheduled_for")))
                .isEqualTo(world.kms().describeKey(b -> b.keyId(hadKey)).keyMetadata().deletionDate());
        assertThat(scheduled.get("deletion_scheduled_on")).isNotEmpty();
        assertThat(scheduled.get("period_from_inclusive")).isEqualTo("2026-05-01T00:00:00Z");
        assertThat(scheduled.get("within_policy")).isEqualTo("no");
        assertThat(scheduled.get("policy_interval_days")).isEqualTo("90");
        assertThat(records).allSatisfy(r -> assertThat(r.get("project_id")).isEqualTo(PROJECT_ID));

        String hostile = hostileBucket();
        CliRun quoted = evidence("--since", "2026-05-01", "--lock-table", TABLE, "--evidence-bucket", hostile, "--format", "csv");
        assertThat(quoted.exitCode()).as(quoted.toString()).isZero();
        String reasons = HOSTILE_REASON + " | " + MULTILINE_REASON;
        assertThat(quoted.out()).contains(",\"" + reasons.replace("\"", "\"\"") + "\",");
        List<Map<String, String>> parsed = Rfc4180.records(Rfc4180.parse(quoted.out()));
        Map<String, String> sweep = parsed.stream().filter(r -> "sweep-9".equals(r.get("rotation_id"))).findFirst().orElseThrow();
        assertThat(sweep.get("reasons")).isEqualTo(reasons);
        assertThat(sweep.get("kind")).isEqualTo("audit-only");
        assertThat(sweep.get("snapshots_by_cluster")).isEqualTo(HOSTILE_CLUSTER + "=2");
        assertThat(parsed).anySatisfy(r -> {
            assertThat(r.get("row_type")).isEqualTo("gap");
            assertThat(r.get("gap_kind")).isEqualTo("no-archived-event");
            assertThat(r.get("note")).contains("sweep-9");
        });
    }

    /** A copy of the bucket with an audit of a sweep whose event was never archived, naming hostile strings. */
    private String hostileBucket() {
        String copy = copyOfBucket();
        ObjectNode audit = Json.MAPPER.createObjectNode()
                .put("auditedAt", world.clock().instant().minus(Duration.ofMinutes(30)).toString())
                .put("snapshotsAudited", 3).put("clustersAudited", 1);
        ObjectNode key = audit.putArray("keys").addObject().put("keyId", firstKey).put("decision", "defer")
                .put("state", "retired").put("safeAfter", world.clock().instant().plus(Duration.ofDays(20)).toString());
        key.putArray("reasons").add(HOSTILE_REASON).add(MULTILINE_REASON);
        key.putObject("evidence").put(HOSTILE_CLUSTER, 2);
        world.s3().putObject(b -> b.bucket(copy).key("evidence/" + PROJECT_ID + "/sweep-9/AuditAndRetire.json"),
                RequestBody.fromString(audit.toString()));
        return copy;
    }

    @Test
    void html_oneSelfContainedPage_withTheSummary_theProjectAndItsKeys_everyTextEscaped(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("evidence.html");
        CliRun run = evidence("--since", "2026-05-01", "--lock-table", TABLE, "--evidence-bucket", hostileBucket(),
                "--format", "html", "--output", file.toString());
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).contains("Wrote the evidence of 1 project(s), 2 rotation(s)", file.toString());
        String html = Files.readString(file);
        assertThat(html).startsWith("<!DOCTYPE html>").contains("<h2>Summary</h2>", PROJECT_ID, hadKey, firstKey, secondKey,
                "rotation-1", "rotation-2", "schedule-deletion", "(inclusive)", "(exclusive)", "Missing records",
                "no-archived-event", "Cluster &lt;script&gt;alert(1)&lt;/script&gt; said &quot;no&quot;, twice",
                "&lt;b&gt;legacy&lt;/b&gt;: 2");
        assertThat(html).as("no script, no external asset, nothing unescaped")
                .doesNotContain("<script", "<b>legacy", "<link", "src=", "href=", "@import", "url(");
    }

    @Test
    void sinceAfterEverything_noRotations_saidPlainly() throws Exception {
        String[] period = {"--since", "2027-01-01", "--until", "2027-02-01T00:00:00Z"};
        JsonNode report = json(evidence(concat(period, "--lock-table", TABLE, "--evidence-bucket", BUCKET, "--format", "json")));
        JsonNode project = report.path("projects").get(0);
        assertThat(project.path("rotations")).isEmpty();
        assertThat(project.path("notes").get(0).asText()).isEqualTo("No rotation, sweep, rescue or audit of this project in the period.");
        assertThat(report.path("summary").path("rotations").asInt()).isZero();
        assertThat(report.path("period").path("to").asText()).isEqualTo("2027-02-01T00:00:00Z");

        CliRun csv = evidence(concat(period, "--lock-table", TABLE, "--evidence-bucket", BUCKET, "--format", "csv"));
        List<Map<String, String>> rows = Rfc4180.records(Rfc4180.parse(csv.out()));
        assertThat(rows).hasSize(1);
        assertThat(rows.get(0)).containsEntry("row_type", "none")
                .containsEntry("note", "No rotation, sweep, rescue or audit of this project in the period.");
        CliRun html = evidence(concat(period, "--lock-table", TABLE, "--evidence-bucket", BUCKET, "--format", "html"));
        assertThat(html.out()).contains("No rotation, sweep, rescue or audit of this project in the period.");
    }

    @Test
    void aDeletedOrUnreadableEvidenceObject_orAMissingEvent_isNamedInTheGaps() throws Exception {
        String damaged = copyOfBucket();
        String secondAudit = "evidence/" + PROJECT_ID + "/rotation-2/AuditAndRetire.json";
        String firstAudit = "evidence/" + PROJECT_ID + "/rotation-1/AuditAndRetire.json";
        world.s3().deleteObject(b -> b.bucket(damaged).key(secondAudit));
        world.s3().putObject(b -> b.bucket(damaged).key(firstAudit), RequestBody.fromString("{not json"));

        JsonNode project = json(evidence("--since", "2026-05-01", "--project", PROJECT_ID, "--lock-table", TABLE,
                "--evidence-bucket", damaged, "--format", "json")).path("projects").get(0);
        JsonNode gaps = project.path("gaps");
        assertThat(texts(gaps, "kind")).contains("unreadable", "no-audit-evidence");
        assertThat(gaps.toString()).contains("s3://" + damaged + "/" + secondAudit + " is not in the bucket",
                "s3://" + damaged + "/" + firstAudit + " could not be read");
        assertThat(texts(gaps, "subject")).contains("s3://" + damaged + "/" + firstAudit, "rotation-2");
        assertThat(gaps).allSatisfy(g -> assertThat(g.path("action").asText()).isNotEmpty());
        JsonNode second = project.path("rotations").get(1);
        assertThat(second.path("audit").isNull()).isTrue();
        assertThat(second.path("notes").get(0).asText()).contains("no audit evidence");

        // the same in CSV (a gap row, and the rotation's own row says it) and HTML (the missing records)
        List<Map<String, String>> csv = Rfc4180.records(Rfc4180.parse(evidence("--since", "2026-05-01", "--lock-table",
                TABLE, "--evidence-bucket", damaged, "--format", "csv").out()));
        assertThat(csv).anySatisfy(r -> {
            assertThat(r.get("row_type")).isEqualTo("gap");
            assertThat(r.get("gap_kind")).isEqualTo("no-audit-evidence");
            assertThat(r.get("note")).contains("s3://" + damaged + "/" + secondAudit + " is not in the bucket", "what to do:");
        });
        assertThat(csv).anySatisfy(r -> {
            assertThat(r.get("row_type")).isEqualTo("gap");
            assertThat(r.get("gap_kind")).isEqualTo("unreadable");
            assertThat(r.get("note")).contains("s3://" + damaged + "/" + firstAudit);
        });
        assertThat(csv).anySatisfy(r -> {
            assertThat(r.get("row_type")).isEqualTo("rotation");
            assertThat(r.get("rotation_id")).isEqualTo("rotation-2");
            assertThat(r.get("decision")).isEmpty();
            assertThat(r.get("note")).contains("no audit evidence");
        });
        String html = evidence("--since", "2026-05-01", "--lock-table", TABLE, "--evidence-bucket", damaged,
                "--format", "html").out();
        assertThat(html).contains("Missing records", "no-audit-evidence", "s3://" + damaged + "/" + secondAudit
                + " is not in the bucket", "unreadable", "s3://" + damaged + "/" + firstAudit + " could not be read");

        // the first rotation's event gone: the key it created is named, and when it became active is not known
        String noEvent = copyOfBucket();
        String firstEvent = archived().stream().filter(k -> {
            byte[] bytes = world.s3().getObjectAsBytes(b -> b.bucket(BUCKET).key(k)).asByteArray();
            return new String(bytes, java.nio.charset.StandardCharsets.UTF_8).contains("\"rotation-1\"")
                    && new String(bytes, java.nio.charset.StandardCharsets.UTF_8).contains("Rotation Succeeded");
        }).findFirst().orElseThrow();
        world.s3().deleteObject(b -> b.bucket(noEvent).key(firstEvent));
        JsonNode withoutEvent = json(evidence("--since", "2026-05-01", "--lock-table", TABLE, "--evidence-bucket", noEvent,
                "--format", "json")).path("projects").get(0);
        assertThat(withoutEvent.path("gaps")).anySatisfy(g -> {
            assertThat(g.path("kind").asText()).isEqualTo("no-rotation-record");
            assertThat(g.path("subject").asText()).isEqualTo(firstKey);
            assertThat(g.path("text").asText()).contains("rotation-1");
        });
        assertThat(withoutEvent.path("gaps")).anySatisfy(g -> assertThat(g.path("kind").asText()).isEqualTo("no-archived-event"));
        assertThat(texts(withoutEvent.path("rotations"), "kind")).containsExactly("audit-only", "rotation");
    }

    @Test
    void aKeyWhoseLedgerRecordIsGone_isNamed_inEveryFormat() throws Exception {
        // the first rotation's key loses its ledger tags (project, state, retired-at...): KMS still has it
        var saved = world.kms().listResourceTags(b -> b.keyId(firstKey)).tags();
        List<String> ours = saved.stream().map(software.amazon.awssdk.services.kms.model.Tag::tagKey)
                .filter(k -> k.startsWith("atlas-cmk-rotator:")).toList();
        world.kms().untagResource(b -> b.keyId(firstKey).tagKeys(ours));
        try {
            JsonNode project = json(evidence("--since", "2026-05-01", "--lock-table", TABLE, "--evidence-bucket", BUCKET,
                    "--format", "json")).path("projects").get(0);
            assertThat(project.path("gaps")).anySatisfy(g -> {
                assertThat(g.path("kind").asText()).isEqualTo("no-ledger-record");
                assertThat(g.path("subject").asText()).isEqualTo(firstKey);
                assertThat(g.path("text").asText()).contains("has no ledger record", "rotation-1 (new key)",
                        "rotation-2 (old key)");
                assertThat(g.path("action").asText()).contains("list-resource-tags");
            });
            // its rotations still show it, from the archive
            assertThat(texts(project.path("rotations"), "newKey")).contains(firstKey);

            List<Map<String, String>> csv = Rfc4180.records(Rfc4180.parse(evidence("--since", "2026-05-01",
                    "--lock-table", TABLE, "--evidence-bucket", BUCKET, "--format", "csv").out()));
            assertThat(csv).anySatisfy(r -> {
                assertThat(r.get("row_type")).isEqualTo("gap");
                assertThat(r.get("gap_kind")).isEqualTo("no-ledger-record");
                assertThat(r.get("note")).contains(firstKey, "has no ledger record");
            });
            String html = evidence("--since", "2026-05-01", "--lock-table", TABLE, "--evidence-bucket", BUCKET,
                    "--format", "html").out();
            assertThat(html).contains("Missing records", "no-ledger-record", "key " + firstKey);
        } finally {
            world.kms().tagResource(b -> b.keyId(firstKey).tags(saved.stream()
                    .filter(t -> ours.contains(t.tagKey())).toList()));
        }
        JsonNode restored = json(evidence("--since", "2026-05-01", "--lock-table", TABLE, "--evidence-bucket", BUCKET,
                "--format", "json")).path("projects").get(0);
        assertThat(restored.path("gaps")).isEmpty();
    }

    /** Last: it moves the sandbox's clock past the hand-made key's deletion date, after which KMS has no such key. */
    @Test
    @Order(Integer.MAX_VALUE)
    void aKeyKmsDeleted_isNamedWithoutItsLedgerRecord_andItsActiveTimeIsNotGuessed() throws Exception {
        Instant deletion = world.kms().describeKey(b -> b.keyId(hadKey)).keyMetadata().deletionDate();
        world.clock().advance(Duration.between(world.clock().instant(), deletion).plusDays(1));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> world.kms().describeKey(b -> b.keyId(hadKey)))
                .isInstanceOf(software.amazon.awssdk.services.kms.model.NotFoundException.class);

        JsonNode project = json(evidence("--since", "2026-01-01", "--lock-table", TABLE, "--evidence-bucket", BUCKET,
                "--format", "json")).path("projects").get(0);
        assertThat(project.path("gaps")).anySatisfy(g -> {
            assertThat(g.path("kind").asText()).isEqualTo("no-ledger-record");
            assertThat(g.path("subject").asText()).isEqualTo(hadKey);
            assertThat(g.path("text").asText()).contains("KMS has no such key any more", "rotation-1 (old key)");
        });
        // it was Atlas's key until the first rotation, since when is gone with its ledger record: the verdict is not
        // "yes" on the strength of the keys still known (the first rotation's key, 31 days)
        assertThat(project.path("gaps")).anySatisfy(g -> {
            assertThat(g.path("kind").asText()).isEqualTo("active-since-unknown");
            assertThat(g.path("subject").asText()).isEqualTo(hadKey);
        });
        JsonNode policy = project.path("policy");
        assertThat(policy.path("longestActive").path("keyId").asText()).isNotEqualTo(hadKey);
        assertThat(policy.path("withinPolicy").asText()).isEqualTo("unknown");
        assertThat(policy.path("explanation").asText()).contains(hadKey, "is not known");
        // its deletion, scheduled by the second rotation's audit, is still in the report
        JsonNode scheduled = decisionFor(project.path("rotations").get(1), hadKey);
        assertThat(scheduled.path("decision").asText()).isEqualTo("schedule-deletion");
        assertThat(Instant.parse(scheduled.path("deletionDate").asText())).isEqualTo(deletion);

        List<Map<String, String>> csv = Rfc4180.records(Rfc4180.parse(evidence("--since", "2026-01-01", "--lock-table",
                TABLE, "--evidence-bucket", BUCKET, "--format", "csv").out()));
        assertThat(csv).allSatisfy(r -> assertThat(r.get("within_policy")).isEqualTo("unknown"));
        assertThat(csv).anySatisfy(r -> {
            assertThat(r.get("gap_kind")).isEqualTo("no-ledger-record");
            assertThat(r.get("note")).contains(hadKey);
        });
        assertThat(evidence("--since", "2026-01-01", "--lock-table", TABLE, "--evidence-bucket", BUCKET, "--format",
                "html").out()).contains("no-ledger-record", "active-since-unknown", "<span class=\"unknown\">unknown</span>");
    }

    @Test
    void project_reportsOnlyThatProject_andAnUnknownProjectIsAUsageError() throws Exception {
        world.registry().put(new RegisteredProject(OTHER_PROJECT, SandboxWorld.REGION, "rate(30 days)", null, null,
                RegisteredProject.SOURCE_CLI, world.clock().instant()));
        try {
            JsonNode all = json(evidence("--since", "2026-05-01", "--lock-table", TABLE, "--evidence-bucket", BUCKET,
                    "--format", "json"));
            assertThat(texts(all.path("projects"), "projectId")).containsExactly(PROJECT_ID, OTHER_PROJECT);
            JsonNode one = json(evidence("--since", "2026-05-01", "--project", PROJECT_ID, "--lock-table", TABLE,
                    "--evidence-bucket", BUCKET, "--format", "json"));
            assertThat(texts(one.path("projects"), "projectId")).containsExactly(PROJECT_ID);
            assertThat(one.path("summary").path("projects").asInt()).isEqualTo(1);
            List<Map<String, String>> csv = Rfc4180.records(Rfc4180.parse(evidence("--since", "2026-05-01",
                    "--project", OTHER_PROJECT, "--lock-table", TABLE, "--evidence-bucket", BUCKET, "--format", "csv").out()));
            assertThat(csv).extracting(r -> r.get("project_id")).containsOnly(OTHER_PROJECT);
            assertThat(csv).extracting(r -> r.get("row_type")).containsExactly("none");
        } finally {
            world.registry().remove(OTHER_PROJECT);
        }

        String unknown = "cccccccccccccccccccccccc";
        CliRun notRegistered = evidence("--since", "2026-05-01", "--project", unknown, "--lock-table", TABLE,
                "--evidence-bucket", BUCKET, "--format", "csv");
        assertThat(notRegistered.exitCode()).as(notRegistered.toString()).isEqualTo(2);
        assertThat(notRegistered.err()).contains("Unknown project " + unknown, "not registered in " + TABLE,
                "./rotator projects list");
        assertThat(notRegistered.out()).isEmpty();

        CliRun nothingKnown = evidence("--since", "2026-05-01", "--project", unknown, "--region", SandboxWorld.REGION,
                "--lock-table", TABLE, "--evidence-bucket", BUCKET, "--format", "json");
        assertThat(nothingKnown.exitCode()).as(nothingKnown.toString()).isEqualTo(2);
        assertThat(nothingKnown.err()).contains("Unknown project " + unknown, "no key in " + SandboxWorld.REGION,
                "holds no record of it");
        assertThat(nothingKnown.out()).isEmpty();

        CliRun notAnId = evidence("--since", "2026-05-01", "--project", "my-project", "--lock-table", TABLE,
                "--format", "json");
        assertThat(notAnId.exitCode()).isEqualTo(2);
        assertThat(notAnId.err()).contains("is not an Atlas project id");
    }

    @Test
    void noBucket_isSaid_inEveryFormat() throws Exception {
        JsonNode project = json(evidence("--since", "2026-05-01", "--lock-table", TABLE, "--format", "json"))
                .path("projects").get(0);
        assertThat(texts(project.path("gaps"), "kind")).contains("bucket-not-given");
        assertThat(project.path("gaps").toString()).contains("evidence bucket not given", "--evidence-bucket");
        assertThat(project.path("rotations")).isEmpty();
        assertThat(project.path("notes").get(0).asText()).contains("archive of rotations was not read");
        assertThat(evidence("--since", "2026-05-01", "--lock-table", TABLE, "--format", "csv").out())
                .contains("gap,", "bucket-not-given", "evidence bucket not given");
        assertThat(evidence("--since", "2026-05-01", "--lock-table", TABLE, "--format", "html").out())
                .contains("Missing records", "evidence bucket not given");
        // the bucket from the environment, as the other commands take it
        JsonNode fromEnv = json(evidence(Map.of(EvidenceCommand.BUCKET_ENV, BUCKET), "--since", "2026-05-01",
                "--lock-table", TABLE, "--format", "json")).path("projects").get(0);
        assertThat(fromEnv.path("rotations")).hasSize(2);
    }

    @Test
    void aBadDate_isAUsageErrorSayingTheFormat() {
        for (String bad : List.of("2026-13-45", "yesterday", "01/02/2026")) {
            CliRun run = evidence("--since", bad, "--lock-table", TABLE, "--format", "json");
            assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
            assertThat(run.err()).contains("--since '" + bad + "' is not a date", "2026-01-01", "2026-01-01T00:00:00Z");
            assertThat(run.out()).isEmpty();
        }
        CliRun until = evidence("--since", "2026-05-01", "--until", "2026-04-01", "--lock-table", TABLE, "--format", "json");
        assertThat(until.exitCode()).isEqualTo(2);
        assertThat(until.err()).contains("--until", "must be after --since");
        CliRun format = evidence("--since", "2026-05-01", "--lock-table", TABLE, "--format", "pdf");
        assertThat(format.exitCode()).isEqualTo(2);
        assertThat(format.err()).contains("csv, json, html");
    }

    @Test
    void noRegistryAndNoProject_isAUsageError_sayingWhatToPass() {
        CliRun run = evidence("--since", "2026-05-01", "--format", "json");
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
        assertThat(run.err()).contains("--lock-table", "--project ID with --region REGION");

        CliRun noRegion = evidence("--since", "2026-05-01", "--project", PROJECT_ID, "--format", "json");
        assertThat(noRegion.exitCode()).isEqualTo(2);
        assertThat(noRegion.err()).contains("No region");

        // --project with --region and no registry: the report, saying the registry (the policy) was not read
        JsonNode project = evidence("--since", "2026-05-01", "--project", PROJECT_ID, "--region", SandboxWorld.REGION,
                "--evidence-bucket", BUCKET, "--format", "json").out().transform(s -> {
                    try {
                        return Json.MAPPER.readTree(s).path("projects").get(0);
                    } catch (Exception e) {
                        throw new AssertionError(s, e);
                    }
                });
        assertThat(texts(project.path("gaps"), "kind")).contains("registry-not-given");
        assertThat(project.path("policy").path("withinPolicy").asText()).isEqualTo("unknown");
        assertThat(project.path("rotations")).hasSize(2);
    }

    private static String[] concat(String[] a, String... b) {
        List<String> all = new ArrayList<>(List.of(a));
        all.addAll(List.of(b));
        return all.toArray(String[]::new);
    }

    /** A strict RFC 4180 reader: CRLF records, quoted fields with doubled quotes; anything else fails the test. */
    static final class Rfc4180 {

        static List<List<String>> parse(String text) {
            List<List<String>> rows = new ArrayList<>();
            List<String> row = new ArrayList<>();
            StringBuilder field = new StringBuilder();
            int i = 0;
            boolean fieldStart = true;
            while (i < text.length()) {
                char c = text.charAt(i);
                if (fieldStart && c == '"') {
                    i++;
                    while (true) {
                        if (i >= text.length()) {
                            throw new AssertionError("unterminated quoted field at " + i);
                        }
                        char q = text.charAt(i);
                        if (q == '"') {
                            if (i + 1 < text.length() && text.charAt(i + 1) == '"') {
                                field.append('"');
                                i += 2;
                                continue;
                            }
                            i++;
                            break;
                        }
                        field.append(q);
                        i++;
                    }
                    fieldStart = false;
                    if (i < text.length() && text.charAt(i) != ',' && text.charAt(i) != '\r') {
                        throw new AssertionError("text after a closing quote at " + i);
                    }
                    continue;
                }
                if (c == ',') {
                    row.add(field.toString());
                    field.setLength(0);
                    fieldStart = true;
                    i++;
                } else if (c == '\r') {
                    if (i + 1 >= text.length() || text.charAt(i + 1) != '\n') {
                        throw new AssertionError("CR without LF at " + i);
                    }
                    row.add(field.toString());
                    field.setLength(0);
                    rows.add(row);
                    row = new ArrayList<>();
                    fieldStart = true;
                    i += 2;
                } else if (c == '"' || c == '\n') {
                    throw new AssertionError("unquoted " + (c == '"' ? "quote" : "LF") + " at " + i);
                } else {
                    field.append(c);
                    fieldStart = false;
                    i++;
                }
            }
            if (!row.isEmpty() || field.length() > 0) {
                throw new AssertionError("the last record does not end with CRLF");
            }
            return rows;
        }

        /** The rows after the header, by column name. */
        static List<Map<String, String>> records(List<List<String>> rows) {
            List<Map<String, String>> out = new ArrayList<>();
            List<String> header = rows.get(0);
            for (List<String> row : rows.subList(1, rows.size())) {
                Map<String, String> record = new java.util.LinkedHashMap<>();
                for (int c = 0; c < header.size(); c++) {
                    record.put(header.get(c), row.get(c));
                }
                out.add(record);
            }
            return out;
        }
    }
}
