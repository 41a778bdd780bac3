package io.atlascmk.cli;

import static io.atlascmk.cli.SandboxHistory.PROJECT;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.atlascmk.cli.sandbox.SandboxWorld;
import io.atlascmk.cli.sandbox.TripwirePath;
import io.atlascmk.rotator.json.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.SdkBytes;

/**
 * {@code rotator status} after the tripwire cancelled a deletion, on its real path: the sandbox history
 * ({@link SandboxHistory}) goes on a month (the adopted key's deletion date passes: destroyed), a third rotation
 * schedules the first rotation's key for deletion, and Atlas then restores a snapshot whose data key that key wraps:
 * KMS refuses, the trail delivers the refused call, the tripwire rule runs Rescue, which cancels the deletion. The
 * timeline, the JSON and the page show the key's deletion scheduled and then cancelled, beside a destroyed key, a
 * retired one kept for its snapshots, and the active one.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StatusTripwireTest {

    private SandboxHistory history;
    private String third;
    private List<JsonNode> rescues;

    @TempDir
    Path tmp;

    @BeforeAll
    void play() {
        history = new SandboxHistory();
        try (TripwirePath tripwire = new TripwirePath(history.world)) {
            // Atlas wraps a snapshot's data key under the first rotation's key (retired, still enabled)
            SdkBytes dataKey = tripwire.atlasWrapsADataKey(history.first);
            history.world.clock().advance(Duration.ofDays(30));
            third = history.rotate(PROJECT, "rotation-3").output().path("newKey").path("keyId").asText();
            history.world.clock().advance(Duration.ofDays(3));
            assertThat(tripwire.atlasRestores(dataKey)).startsWith("KMSInvalidStateException");
            history.world.clock().advance(Duration.ofMinutes(6));
            rescues = tripwire.trailDelivers();
            assertThat(tripwire.atlasRestores(dataKey)).isEqualTo("ok");
        }
        history.world.clock().advance(Duration.ofDays(1));
        history.archiveEvents(SandboxWorld.EVIDENCE_BUCKET);
    }

    @AfterAll
    void stop() {
        if (history != null) {
            history.close();
        }
    }

    private CliRun status(String... more) {
        List<String> args = new ArrayList<>(List.of("status", "--project", PROJECT, "--lock-table", SandboxWorld.LOCK_TABLE,
                "--evidence-bucket", SandboxWorld.EVIDENCE_BUCKET));
        args.addAll(List.of(more));
        CliRun run = CliRun.of(history.status(), args.toArray(String[]::new));
        assertThat(run.exitCode()).as(run.toString()).isZero();
        return run;
    }

    @Test
    void theRescuedKeysDeletion_isScheduledThenCancelledByTheTripwire_besideDestroyedRetiredAndActiveKeys() throws Exception {
        assertThat(rescues).hasSize(1);
        assertThat(rescues.get(0).path("outcome").asText()).isEqualTo("rescued");
        // the caller CloudTrail recorded: Atlas's role, as assumed
        String caller = rescues.get(0).path("caller").asText();
        assertThat(caller).startsWith("arn:aws:sts::").contains(":assumed-role/atlas-encryption-at-rest/");

        JsonNode keys = Json.MAPPER.readTree(status("--format", "json").out()).path("projects").get(0).path("keys");
        assertThat(keys).extracting(k -> k.path("keyId").asText() + " " + k.path("lifecycle").asText()).containsExactlyInAnyOrder(
                history.adopted + " destroyed", history.first + " retired", history.second + " retired", third + " active");
        JsonNode first = null;
        for (JsonNode k : keys) {
            first = history.first.equals(k.path("keyId").asText()) ? k : first;
        }
        assertThat(first.path("kmsState").asText()).isEqualTo("Enabled");
        assertThat(first.path("rescuedFor").asText()).isEqualTo(caller);
        assertThat(first.path("deletionScheduledOn").asText()).isNotEmpty();
        assertThat(first.path("rescuedAt").asText()).isGreaterThan(first.path("deletionScheduledOn").asText());
        assertThat(first.path("audits")).extracting(a -> a.path("decision").asText())
                .containsExactly("defer", "schedule-deletion");

        String text = status().out();
        assertThat(states(first)).containsExactly("pending", "active", "retired", "deletion-scheduled", "retired");
        // the key list says the deletion was cancelled, not that it is coming
        assertThat(text.lines().filter(l -> l.startsWith("  " + history.first + " ")).findFirst().orElseThrow())
                .contains(" retired ", "KMS Enabled", " deletion (was on " + first.path("deletionDate").asText() + ") cancelled "
                        + first.path("rescuedAt").asText() + " by the tripwire")
                .doesNotContain(" deletion on ");
        assertThat(text.lines().filter(l -> l.startsWith("  " + history.adopted + " ")).findFirst().orElseThrow())
                .contains(" destroyed ", "KMS Gone", "created (date unknown)");
        List<String> firstLines = text.lines().filter(l -> l.startsWith("  ") && l.contains(history.first)).toList();
        int scheduled = indexOf(firstLines, "deletion scheduled for ");
        int cancelled = indexOf(firstLines, "deletion cancelled by the tripwire: used by " + caller);
        assertThat(cancelled).as(text).isGreaterThan(scheduled);
        assertThat(text).contains("destroyed: KMS has no such key any more").doesNotContain("Note: ", "Unreadable");

        Path page = tmp.resolve("status.html");
        status("--html", page.toString());
        assertThat(Files.readString(page)).contains(history.first + ": deletion cancelled at " + first.path("rescuedAt").asText()
                + ", used by " + caller);
    }

    private static List<String> states(JsonNode key) {
        List<String> states = new ArrayList<>();
        key.path("phases").forEach(ph -> states.add(ph.path("state").asText()));
        return states;
    }

    private static int indexOf(List<String> lines, String text) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(text)) {
                return i;
            }
        }
        throw new AssertionError("no line with '" + text + "' in:\n" + String.join("\n", lines));
    }
}
