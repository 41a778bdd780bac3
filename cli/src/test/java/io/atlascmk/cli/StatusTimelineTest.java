package io.atlascmk.cli;

import static io.atlascmk.cli.SandboxHistory.OTHER;
import static io.atlascmk.cli.SandboxHistory.PROJECT;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.atlascmk.cli.sandbox.SandboxWorld;
import io.atlascmk.rotator.json.Json;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@code rotator status} over a real sandbox history ({@link SandboxHistory}: two rotations 31 days apart, a second
 * project rotated once): the timeline in text, the history model in JSON, every registered project with {@code --all},
 * and what it says when a source is missing or an object cannot be read.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StatusTimelineTest {

    private static final String TABLE = SandboxWorld.LOCK_TABLE;
    private static final String BUCKET = SandboxWorld.EVIDENCE_BUCKET;

    private SandboxHistory history;

    @BeforeAll
    void play() {
        history = new SandboxHistory();
    }

    @AfterAll
    void stop() {
        if (history != null) {
            history.close();
        }
    }

    private CliRun status(String... args) {
        List<String> all = new ArrayList<>(List.of("status"));
        all.addAll(List.of(args));
        return CliRun.of(history.status(), all.toArray(String[]::new));
    }

    /** The timeline's lines (after its heading), each split into date, key and text. */
    private static List<String[]> timeline(CliRun run, String projectId) {
        List<String> lines = run.outLines();
        int start = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith("Timeline of project " + projectId + " ")) {
                start = i + 1;
            }
        }
        assertThat(start).as(run.toString()).isPositive();
        List<String[]> out = new ArrayList<>();
        for (int i = start; i < lines.size() && lines.get(i).startsWith("  "); i++) {
            // a date column 20 characters wide, then the key (or "project"), then the text
            String line = lines.get(i).substring(2);
            String[] keyAndText = line.substring(22).split("  ", 2);
            out.add(new String[] {line.substring(0, 20).trim(), keyAndText[0], keyAndText[1]});
        }
        return out;
    }

    private static int indexOf(List<String[]> timeline, String key, String textStart) {
        for (int i = 0; i < timeline.size(); i++) {
            if (timeline.get(i)[1].equals(key) && timeline.get(i)[2].startsWith(textStart)) {
                return i;
            }
        }
        StringBuilder lines = new StringBuilder();
        timeline.forEach(l -> lines.append("\n  ").append(String.join(" | ", l)));
        throw new AssertionError("no timeline line for " + key + " starting '" + textStart + "' in:" + lines);
    }

    @Test
    void theTimelineShowsBothRotationsKeysInOrder_createdRetiredAuditedAndDeletionScheduled() {
        CliRun run = status("--project", PROJECT, "--lock-table", TABLE, "--evidence-bucket", BUCKET);

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.outLines().get(0)).isEqualTo("Keys of project " + PROJECT + " (oldest first):");
        assertThat(run.out()).contains("Registered: alert/manual only, method new-key (default)")
                .doesNotContain("Note: ", "Unreadable");
        List<String[]> t = timeline(run, PROJECT);
        assertThat(t).noneMatch(l -> l[0].equals("(date unknown)"));
        List<Instant> dates = t.stream().map(l -> Instant.parse(l[0])).toList();
        assertThat(dates).as("chronological").isSorted();

        int adoptedCreated = indexOf(t, history.adopted, "created outside the rotator; adopted by rotation rotation-1");
        int firstCreated = indexOf(t, history.first, "created by rotation rotation-1");
        int adoptedRetired = indexOf(t, history.adopted, "retired");
        int adoptedDeferred = indexOf(t, history.adopted, "audited by rotation-1: defer until ");
        int rotation1 = indexOf(t, "project", "rotation rotation-1 succeeded (trigger manual), started ");
        int secondCreated = indexOf(t, history.second, "created by rotation rotation-2");
        int adoptedScheduled = indexOf(t, history.adopted, "audited by rotation-2: schedule-deletion");
        int deletion = indexOf(t, history.adopted, "deletion scheduled for ");
        int firstRetired = indexOf(t, history.first, "retired");
        int firstDeferred = indexOf(t, history.first, "audited by rotation-2: defer until ");
        int rotation2 = indexOf(t, "project", "rotation rotation-2 succeeded (trigger manual), started ");
        assertThat(t.get(rotation1)[2]).endsWith(": " + history.adopted + " -> " + history.first);
        assertThat(t.get(rotation2)[2]).endsWith(": " + history.first + " -> " + history.second);
        // started on the sandbox's clock, before it ended
        Instant started = Instant.parse(t.get(rotation1)[2].replaceAll(".*, started ([^:]+:[^:]+:[^:]+): .*", "$1"));
        assertThat(started).isBefore(Instant.parse(t.get(rotation1)[0])).isAfter(Instant.parse(t.get(adoptedCreated)[0]));
        assertThat(List.of(adoptedCreated, firstCreated, adoptedRetired, adoptedDeferred, rotation1, secondCreated,
                adoptedScheduled, deletion, rotation2)).isSorted();
        assertThat(firstRetired).isBetween(secondCreated, rotation2);
        assertThat(firstDeferred).isBetween(firstRetired, rotation2);
        // the evidence each audit used, briefly: the snapshots per cluster that held the key
        assertThat(t.get(adoptedDeferred)[2]).containsPattern("snapshots holding it: orders \\d+, analytics \\d+ \\(\\d+\\)");
        assertThat(t.get(adoptedScheduled)[2]).contains("no snapshot holds it");
        assertThat(Instant.parse(t.get(firstRetired)[0])).isAfter(history.secondRotationAt);
        assertThat(t.get(deletion)[2]).isEqualTo("deletion scheduled for " + history.world.kms()
                .describeKey(b -> b.keyId(history.adopted)).keyMetadata().deletionDate());
    }

    @Test
    void json_isTheHistoryModel_withStableFieldNames() throws Exception {
        CliRun run = status("--project", PROJECT, "--lock-table", TABLE, "--evidence-bucket", BUCKET, "--format", "json");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        JsonNode doc = Json.MAPPER.readTree(run.out());
        assertThat(doc.path("projects")).hasSize(1);
        JsonNode p = doc.path("projects").get(0);
        assertThat(p.path("projectId").asText()).isEqualTo(PROJECT);
        assertThat(p.path("region").asText()).isEqualTo(SandboxWorld.REGION);
        assertThat(p.path("registration").path("source").asText()).isEqualTo("config");
        assertThat(p.path("missing")).isEmpty();
        assertThat(p.path("unreadable")).isEmpty();

        JsonNode keys = p.path("keys");
        assertThat(keys).hasSize(3);
        assertThat(keys.get(0).path("keyId").asText()).isEqualTo(history.adopted);
        assertThat(keys.get(0).path("lifecycle").asText()).isEqualTo("deletion-scheduled");
        assertThat(keys.get(0).path("adoptedBy").asText()).isEqualTo("rotation-1");
        assertThat(keys.get(0).path("deletionScheduledOn").asText()).isEqualTo(keys.get(0).path("audits").get(1).path("auditedAt").asText());
        assertThat(keys.get(0).path("destroyed").asBoolean()).isFalse();
        assertThat(states(keys.get(0))).containsExactly("active", "retired", "deletion-scheduled");
        assertThat(keys.get(0).path("audits")).hasSize(2);
        assertThat(keys.get(0).path("audits").get(0).path("decision").asText()).isEqualTo("defer");
        assertThat(keys.get(0).path("audits").get(0).path("snapshotsByCluster").path("orders").asInt()).isPositive();
        assertThat(keys.get(0).path("audits").get(1).path("decision").asText()).isEqualTo("schedule-deletion");
        assertThat(keys.get(0).path("audits").get(1).path("snapshotsHoldingKey").asInt()).isZero();

        assertThat(keys.get(1).path("keyId").asText()).isEqualTo(history.first);
        assertThat(keys.get(1).path("lifecycle").asText()).isEqualTo("retired");
        assertThat(keys.get(1).path("createdBy").asText()).isEqualTo("rotation-1");
        assertThat(keys.get(1).path("activeSince").asText()).isEqualTo(keys.get(0).path("retiredAt").asText());
        assertThat(keys.get(1).path("safeAfter").asText()).isEqualTo(keys.get(1).path("audits").get(0).path("safeAfter").asText());
        assertThat(states(keys.get(1))).containsExactly("pending", "active", "retired");

        assertThat(keys.get(2).path("keyId").asText()).isEqualTo(history.second);
        assertThat(keys.get(2).path("lifecycle").asText()).isEqualTo("active");
        assertThat(keys.get(2).path("createdBy").asText()).isEqualTo("rotation-2");
        assertThat(keys.get(2).path("kmsState").asText()).isEqualTo("Enabled");

        assertThat(p.path("rotations")).extracting(r -> r.path("rotationId").asText() + " " + r.path("outcome").asText()
                + " " + r.path("newKey").asText()).containsExactly("rotation-1 succeeded " + history.first,
                "rotation-2 succeeded " + history.second);
        assertThat(p.path("audits")).extracting(a -> a.path("rotationId").asText() + " " + a.path("auditedAtFrom").asText())
                .containsExactly("rotation-1 evidence", "rotation-2 evidence");
        assertThat(p.path("audits").get(0).path("object").asText())
                .isEqualTo("s3://" + BUCKET + "/evidence/" + PROJECT + "/rotation-1/AuditAndRetire.json");
    }

    private static List<String> states(JsonNode key) {
        List<String> states = new ArrayList<>();
        key.path("phases").forEach(ph -> states.add(ph.path("state").asText()));
        return states;
    }

    @Test
    void aKeyPastItsDeletionDateIsDestroyed() throws Exception {
        CliRun run = CliRun.of(history.status(Map.of(), Duration.ofDays(10)), "status", "--project", PROJECT,
                "--lock-table", TABLE, "--evidence-bucket", BUCKET, "--format", "json");

        JsonNode adopted = Json.MAPPER.readTree(run.out()).path("projects").get(0).path("keys").get(0);
        assertThat(adopted.path("keyId").asText()).isEqualTo(history.adopted);
        assertThat(adopted.path("lifecycle").asText()).isEqualTo("destroyed");
        assertThat(adopted.path("destroyedAt").asText()).isEqualTo(adopted.path("deletionDate").asText());
        assertThat(states(adopted)).containsExactly("active", "retired", "deletion-scheduled", "destroyed");
    }

    @Test
    void all_showsEveryRegisteredProject_eachInItsRegion() throws Exception {
        // the table from the environment, as the stack's operators set it
        CliRun fromEnvironment = CliRun.of(history.status(Map.of(StatusCommand.LOCK_TABLE_ENV, TABLE), Duration.ZERO),
                "status", "--all", "--evidence-bucket", BUCKET, "--format", "json");

        assertThat(fromEnvironment.exitCode()).as(fromEnvironment.toString()).isZero();
        JsonNode projects = Json.MAPPER.readTree(fromEnvironment.out()).path("projects");
        assertThat(projects).extracting(p -> p.path("projectId").asText()).containsExactly(PROJECT, OTHER);
        JsonNode other = projects.get(1);
        assertThat(other.path("registration").path("schedule").asText()).isEqualTo("rate(90 days)");
        assertThat(other.path("keys")).extracting(k -> k.path("keyId").asText() + " " + k.path("lifecycle").asText())
                .containsExactly(history.otherAdopted + " retired", history.otherNew + " active");
        assertThat(other.path("rotations")).extracting(r -> r.path("rotationId").asText()).containsExactly("other-rotation-1");

        CliRun text = CliRun.of(history.status(Map.of(StatusCommand.LOCK_TABLE_ENV, TABLE), Duration.ZERO), "status", "--all");
        assertThat(text.exitCode()).as(text.toString()).isZero();
        assertThat(text.outLines()).contains("2 registered project(s) in " + TABLE + ".",
                "Keys of project " + PROJECT + " (oldest first):", "Keys of project " + OTHER + " (oldest first):");
        assertThat(text.out()).contains("Timeline of project " + OTHER + " (region us-east-1, ");
    }

    @Test
    void all_withoutARegistry_isAUsageErrorThatSaysToPassTheTable() {
        CliRun run = status("--all", "--evidence-bucket", BUCKET);

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
        assertThat(run.err()).startsWith("--all reads the registered projects from the registry: pass --lock-table TABLE");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void projectAndAllTogether_areRefused() {
        CliRun run = status("--project", PROJECT, "--all", "--lock-table", TABLE);

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
        assertThat(run.err()).startsWith("--project and --all together: pass --project ID for one project, or --all");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void withoutABucketOrRegistry_itSaysPlainlyWhatIsNotShown() {
        CliRun run = status("--project", PROJECT, "--region", SandboxWorld.REGION);

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.outLines()).contains(
                "Note: registry not given: schedule and settings not shown (pass --lock-table or set ROTATOR_LOCK_TABLE)",
                "Note: evidence bucket not given: audits not shown (pass --evidence-bucket or set ROTATOR_EVIDENCE_BUCKET)",
                "Note: evidence bucket not given: rotations not shown (their events are archived there)");
        // the ledger alone still tells each key's story
        List<String[]> t = timeline(run, PROJECT);
        indexOf(t, history.first, "created by rotation rotation-1");
        indexOf(t, history.first, "retired");
        int deletion = indexOf(t, history.adopted, "deletion scheduled for ");
        assertThat(t.get(deletion)[0]).as("no stored audit says when").isEqualTo("(date unknown)");
        assertThat(t.get(deletion)[2]).endsWith(" (scheduled on: no stored audit says when)");
        assertThat(run.out()).doesNotContain("audited by");
    }

    @Test
    void anUnreadableEvidenceObjectIsNamed_andTheRestIsStillShown() {
        String bucket = history.copyBucket("status-spoiled-evidence");
        String badEvent = "events/" + PROJECT + "/2026-06-15T00-00-00Z-broken.json";
        String badAudit = "evidence/" + PROJECT + "/rotation-x/AuditAndRetire.json";
        history.put(bucket, badEvent, "{\"detail-type\": \"Rotation Succeeded\", ");
        history.put(bucket, badAudit, "[1, 2, 3]");

        CliRun run = status("--project", PROJECT, "--lock-table", TABLE, "--evidence-bucket", bucket);

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.outLines()).anySatisfy(l -> assertThat(l)
                .startsWith("Unreadable (evidence bucket): s3://" + bucket + "/" + badEvent + ": not JSON: "));
        assertThat(run.outLines()).contains("Unreadable (evidence bucket): s3://" + bucket + "/" + badAudit + ": not a JSON object");
        assertThat(run.out()).contains("audited by rotation-2: schedule-deletion", "rotation rotation-2 succeeded");
    }
}
