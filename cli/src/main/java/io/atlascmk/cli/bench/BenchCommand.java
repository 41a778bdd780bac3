package io.atlascmk.cli.bench;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code rotator bench [--quick]}: the performance figures in one table, each beside its baseline measured in the same
 * run and its goal, with the machine they were taken on. Prints numbers; asserts none (exit 0 unless a measurement
 * could not be taken). {@code --quick} (CI) measures fewer handlers and a smaller fleet and skips the fresh clone: it
 * proves the benchmark still works.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Measures cold starts, SnapStart priming, the workflow's cost, the newcomer's wait and a fleet run,"
                + " and prints one table: each figure beside its baseline from the same run and its goal."})
public final class BenchCommand implements Callable<Integer> {

    @Option(names = "--quick", description = "Fewer handlers, a fleet of 20, no fresh clone: a few minutes (CI).")
    boolean quick;

    @Option(names = "--only", paramLabel = "WORDS", description = "Only the measurements whose name contains WORDS"
            + " (cold starts and SnapStart priming, workflow cost, the newcomer's wait, fleet run).")
    String only;

    /** The measurements, in order; each is independent (a later one may reuse an earlier one's published figures). */
    static List<Measurement> measurements() {
        return List.of(new ColdStartMeasurement(), new AuditAtScaleMeasurement(), new WorkflowCostMeasurement(),
                new NewcomerMeasurement(), new FleetMeasurement());
    }

    @Override
    public Integer call() {
        PrintStream out = System.out;
        long started = System.nanoTime();
        BenchContext context = new BenchContext(quick, BenchContext.locateRoot(Path.of("")), System.err);
        Machine machine = Machine.current();
        List<BenchRow> rows = new ArrayList<>();
        for (Measurement m : measurements()) {
            if (only != null && !m.name().contains(only)) {
                continue;
            }
            context.say("== " + m.name());
            try {
                rows.addAll(m.run(context));
            } catch (Exception | Error e) {
                rows.add(BenchRow.failed(m.name(), e.getClass().getSimpleName() + ": " + e.getMessage()));
            }
        }
        out.println();
        out.println("Atlas CMK Rotator bench" + (quick ? " --quick" : "") + " on " + machine.describe());
        out.println();
        out.print(BenchTable.format(rows));
        out.println();
        context.notes().forEach(out::println);
        out.printf(Locale.ROOT, "Bench wall time: %.0f s%n", (System.nanoTime() - started) / 1e9);
        return rows.stream().anyMatch(r -> BenchRow.FAILED.equals(r.verdict())) ? 1 : 0;
    }
}
