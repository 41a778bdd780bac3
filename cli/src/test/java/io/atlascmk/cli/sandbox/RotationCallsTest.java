package io.atlascmk.cli.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.atlascmk.cli.ExecutionResult;
import io.atlascmk.cli.ProgressPrinter;
import io.atlascmk.rotator.fleet.FleetConcurrency;
import io.atlascmk.sandbox.atlas.AtlasOperation;
import io.atlascmk.sandbox.atlas.CallRecord;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Pins {@link FleetConcurrency#CALLS_PER_PROJECT}, the Atlas calls one project's fleet execution makes, against a real
 * sandbox run: the sandbox's project rotated (CreateKey to AuditAndRetire), then swept 31 days later (the audit deletes
 * the adopted old key, after asking every project the credentials can read whether it uses it). Per endpoint the
 * constant is the larger of the two. When the workflow's calls change, this fails: measure again and update the
 * constant (and its comment).
 */
class RotationCallsTest {

    @Test
    void aRotationAndItsSweep_makeTheCallsTheFleetSizesItsConcurrencyBy() {
        try (SandboxWorld world = new SandboxWorld()) {
            PrintStream out = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
            List<ExecutionResult> runs = Scenario.SNAPSHOTS_HOLD_OLD_KEY.playIn(world, out, new ProgressPrinter(out));
            assertThat(runs).hasSize(2).allSatisfy(r -> assertThat(r.succeeded()).as(r.error() + ": " + r.cause()).isTrue());

            // the rotation runs on the scenario's first day; the sweep 31 days later
            Instant between = SandboxWorld.START.plus(Duration.ofDays(10));
            Map<String, Integer> rotation = calls(world.atlas().callLog(), c -> c.at().isBefore(between));
            Map<String, Integer> sweep = calls(world.atlas().callLog(), c -> !c.at().isBefore(between));
            assertThat(rotation).as("the rotation made calls").isNotEmpty();
            assertThat(sweep).as("the sweep made calls").isNotEmpty();
            Map<String, Integer> larger = new TreeMap<>(rotation);
            sweep.forEach((endpoint, n) -> larger.merge(endpoint, n, Math::max));

            assertThat(larger).as("Atlas calls per endpoint; rotation %s, sweep %s", rotation, sweep)
                    .isEqualTo(new TreeMap<>(FleetConcurrency.CALLS_PER_PROJECT));
        }
    }

    /** Calls per {@code METHOD /path/template}, whatever their status (a refused call takes a token too). */
    private static Map<String, Integer> calls(List<CallRecord> log, java.util.function.Predicate<CallRecord> which) {
        Map<String, Integer> out = new TreeMap<>();
        for (CallRecord c : log) {
            if (which.test(c) && c.operation() != null && c.operation() != AtlasOperation.CREATE_ACCESS_TOKEN) {
                out.merge(c.method() + " " + c.operation().pathTemplate(), 1, Integer::sum);
            }
        }
        return out;
    }
}
