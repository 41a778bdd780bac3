package io.atlascmk.rotator.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.atlascmk.rotator.json.Json;
import io.atlascmk.rotator.rescue.RescueResult;
import io.atlascmk.rotator.rotation.AuditAndRetireRequest;
import io.atlascmk.rotator.rotation.AuditAndRetireResult;
import io.atlascmk.rotator.rotation.AuditedKey;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The metrics of the outcomes the sandbox's scenarios cannot reach, written as EMF lines and read back: a kept key
 * whose safe-after date has passed (the sandbox's Atlas drops a snapshot the moment it expires; real Atlas lists an
 * expired snapshot until it gets to deleting it, and the audit then defers the key to that past date), and a deletion
 * the tripwire could not cancel. The scenarios' metrics are held in the cli's SandboxMetricsTest.
 */
class StepMetricsTest {

    private static final Instant NOW = Instant.parse("2026-12-01T09:00:00Z");
    private static final String PROJECT = "5f1e2d3c4b5a69788796a5b4";

    @Test
    void aKeptKeyPastItsSafeAfterDate_isCounted_besideTheWaitingAndTheScheduled() {
        AuditAndRetireResult result = new AuditAndRetireResult(List.of(
                key("past", AuditedKey.DEFER, NOW.minus(Duration.ofDays(2))),
                key("future", AuditedKey.DEFER, NOW.plus(Duration.ofDays(10))),
                key("refused", AuditedKey.REFUSE, null),
                key("gone", AuditedKey.SCHEDULE_DELETION, null)), 4, 1, "s3://evidence/x");
        List<JsonNode> lines = emit(StepMetrics.audit(request(false), result, NOW));

        assertThat(lines).hasSize(1);
        JsonNode line = lines.get(0);
        assertThat(line.path("ProjectId").asText()).isEqualTo(PROJECT);
        assertThat(line.path("RetiredKeysWaiting").asDouble()).isEqualTo(3);
        assertThat(line.path("RetiredKeysPastSafeAfter").asDouble()).isEqualTo(1);
        assertThat(line.path("DeletionsScheduled").asDouble()).isEqualTo(1);
        assertThat(line.path("EarliestSafeAfterDays").asDouble()).as("the past date, as negative days").isEqualTo(-2);
        assertThat(directives(line)).containsEntry("RetiredKeysPastSafeAfter", "Count [[Deployment, ProjectId], [Deployment]]")
                .containsEntry("EarliestSafeAfterDays", "None [[Deployment, ProjectId]]");
    }

    @Test
    void aKeyKeptPastTheDateItCarried_isPastItsSafeAfter_evenWithANewDateAhead() {
        // the usual case: an earlier audit promised 2026-11-20; this audit found something new and defers it further
        AuditAndRetireResult result = new AuditAndRetireResult(List.of(
                key("promised-earlier", AuditedKey.DEFER, NOW.plus(Duration.ofDays(20)), NOW.minus(Duration.ofDays(11))),
                key("refused-after-its-date", AuditedKey.REFUSE, null, NOW.minus(Duration.ofDays(1))),
                key("not-yet", AuditedKey.DEFER, NOW.plus(Duration.ofDays(20)), NOW.plus(Duration.ofDays(5))),
                key("scheduled-on-time", AuditedKey.SCHEDULE_DELETION, null, NOW.minus(Duration.ofDays(1)))),
                4, 1, "s3://evidence/x");

        JsonNode line = emit(StepMetrics.audit(request(false), result, NOW)).get(0);

        assertThat(line.path("RetiredKeysWaiting").asDouble()).isEqualTo(3);
        assertThat(line.path("RetiredKeysPastSafeAfter").asDouble()).isEqualTo(2);
    }

    @Test
    void anUnreadableSafeAfterTag_isNoDate() {
        assertThat(AuditedKey.safeAfterTag("2026-11-20T00:00:00Z")).isEqualTo(Instant.parse("2026-11-20T00:00:00Z"));
        assertThat(AuditedKey.safeAfterTag("soon")).isNull();
        assertThat(AuditedKey.safeAfterTag(null)).isNull();
    }

    @Test
    void aDryRunAudit_writesNoLine() {
        AuditAndRetireResult result = new AuditAndRetireResult(List.of(
                key("past", AuditedKey.DEFER, NOW.minus(Duration.ofDays(2)))), 1, 1, null);
        assertThat(emit(StepMetrics.audit(request(true), result, NOW))).isEmpty();
    }

    @Test
    void aDeletionTheTripwireCouldNotCancel_isCountedForTheDeploymentOnly() {
        RescueResult result = new RescueResult(RescueResult.NEEDS_OPERATOR, "arn:aws:kms:us-east-1:111122223333:key/k",
                PROJECT, "arn:aws:iam::111122223333:user/someone", "ScheduleKeyDeletion", NOW, null, null, null);
        List<JsonNode> lines = emit(StepMetrics.rescue(result));

        assertThat(lines).hasSize(1);
        assertThat(lines.get(0).path("DeletionsNotCancelled").asDouble()).isEqualTo(1);
        assertThat(lines.get(0).has("ProjectId")).isFalse();
        assertThat(directives(lines.get(0))).containsExactly(Map.entry("DeletionsNotCancelled", "Count [[Deployment]]"));
    }

    private static AuditedKey key(String id, String decision, Instant safeAfter) {
        return key(id, decision, safeAfter, null);
    }

    private static AuditedKey key(String id, String decision, Instant safeAfter, Instant previousSafeAfter) {
        return new AuditedKey(id, AuditedKey.SCHEDULE_DELETION.equals(decision) ? "deletion-scheduled" : "retired",
                decision, safeAfter, AuditedKey.SCHEDULE_DELETION.equals(decision) ? NOW.plus(Duration.ofDays(30)) : null,
                AuditedKey.SCHEDULE_DELETION.equals(decision) ? List.of() : List.of("kept"), Map.of(), null,
                previousSafeAfter);
    }

    private static AuditAndRetireRequest request(boolean dryRun) {
        return new AuditAndRetireRequest(PROJECT, "manual-2026-12-01T09-00-00Z", dryRun, 30, List.of(), 30, 0, null);
    }

    private static List<JsonNode> emit(MetricLine line) {
        List<String> out = new ArrayList<>();
        new Metrics("StepMetricsTest", Clock.fixed(NOW, ZoneOffset.UTC), out::add).flush(line);
        List<JsonNode> parsed = new ArrayList<>();
        for (String l : out) {
            try {
                JsonNode node = Json.MAPPER.readTree(l);
                assertThat(node.path("Deployment").asText()).isEqualTo("StepMetricsTest");
                assertThat(node.path("_aws").path("Timestamp").asLong()).isEqualTo(NOW.toEpochMilli());
                parsed.add(node);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return parsed;
    }

    /** Each metric's "unit [dimension sets]", as the line's directives declare it. */
    private static Map<String, String> directives(JsonNode line) {
        Map<String, String> out = new java.util.TreeMap<>();
        for (JsonNode directive : line.path("_aws").path("CloudWatchMetrics")) {
            assertThat(directive.path("Namespace").asText()).isEqualTo("AtlasCmkRotator");
            List<List<String>> sets = new ArrayList<>();
            directive.path("Dimensions").forEach(set -> {
                List<String> names = new ArrayList<>();
                set.forEach(n -> names.add(n.asText()));
                sets.add(names);
            });
            for (JsonNode m : directive.path("Metrics")) {
                assertThat(line.path(m.path("Name").asText()).isNumber()).isTrue();
                out.put(m.path("Name").asText(), m.path("Unit").asText() + " " + sets);
            }
        }
        return out;
    }
}
