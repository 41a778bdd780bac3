package io.atlascmk.cli.bench;

import io.atlascmk.cli.ExecutionResult;
import io.atlascmk.cli.sandbox.FleetScenario;
import io.atlascmk.cli.sandbox.SandboxWorld;
import io.atlascmk.rotator.atlas.RateLimitEndpointSet;
import io.atlascmk.rotator.fleet.FleetConcurrency;
import io.atlascmk.sandbox.atlas.CallRecord;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The fleet scenario ({@link FleetScenario}: 100 projects, {@code --quick} 20, 10 at a time) with its figures beside
 * what they should be, and the busiest minute of Atlas calls on the wall clock (the sandbox compresses waits, so its
 * calls come faster than in AWS: the figure is an upper bound) beside Atlas's published limit of the bucket it
 * strains most.
 */
final class FleetMeasurement implements Measurement {

    static final int CONCURRENCY = 10;

    @Override
    public String name() {
        return "fleet run";
    }

    @Override
    public List<BenchRow> run(BenchContext context) throws Exception {
        int projects = context.quick() ? 20 : 100;
        List<BenchRow> rows = new ArrayList<>();
        try (SandboxWorld world = new SandboxWorld()) {
            // as ./rotator sandbox fleet plays it: the sandbox's own project and secret first, then the fleet
            io.atlascmk.cli.sandbox.SandboxSeed.seed(world);
            int before = world.atlas().callLogSize();
            Sampler sampler = new Sampler(world.atlas()::callLogSize);
            context.say("fleet scenario with " + projects + " projects, " + CONCURRENCY + " at a time");
            sampler.start();
            FleetScenario.Figures f;
            List<ExecutionResult> results = new ArrayList<>();
            try {
                f = FleetScenario.play(world, new PrintStream(new ByteArrayOutputStream()), projects, CONCURRENCY, e -> { },
                        results);
            } finally {
                sampler.stop();
            }
            List<BusiestMinute.Call> calls = new ArrayList<>();
            List<Long> times = new ArrayList<>();
            List<CallRecord> log = world.atlas().callLog();
            for (int i = before; i < log.size(); i++) {
                CallRecord c = log.get(i);
                long at = sampler.wallMillisOf(i);
                calls.add(new BusiestMinute.Call(at, c.method(), c.path()));
                times.add(at);
            }
            List<RateLimitEndpointSet> limits = world.atlasClient().listRateLimits();
            int perProject = FleetConcurrency.CALLS_PER_PROJECT.values().stream().mapToInt(Integer::intValue).sum();

            rows.add(BenchRow.info(String.format(Locale.ROOT, "fleet: wall time, %d projects, %d at a time", f.projects(),
                            CONCURRENCY),
                    String.format(Locale.ROOT, "%.1f s (%d due, %d rotated, %d failed)", f.wallSeconds(), f.due(), f.rotated(),
                            f.failed()),
                    context.figure("rotationWallSeconds").map(s -> String.format(Locale.ROOT,
                            "one rotation alone %.1f s x %d due / %d = %.1f s", s, f.due(), CONCURRENCY, s * f.due() / CONCURRENCY))
                            .orElse(BenchRow.NONE)));
            rows.add(BenchRow.info("fleet: Atlas calls", String.format(Locale.ROOT, "%,d (%.1f per rotated project)",
                    f.atlasCalls(), f.rotated() == 0 ? 0.0 : f.atlasCalls() / (double) f.rotated()),
                    "FleetConcurrency.CALLS_PER_PROJECT: " + perProject + " per project"));
            rows.add(BenchRow.judged("fleet: Atlas 429 answers", String.valueOf(f.atlas429s()), "0 (the simulator throttles"
                    + " only when told)", "0", f.atlas429s() == 0));
            context.note("Fleet: the busiest minute is on the wall clock, and the sandbox compresses every wait, so its calls"
                    + " come faster than in AWS: an upper bound. Atlas's limits are the simulator's copy of Atlas's published table.");
            rows.add(BenchRow.info("fleet: busiest minute, all Atlas calls",
                    String.format(Locale.ROOT, "%,d calls", BusiestMinute.busiest(times)), "no shared bucket holds"
                            + " them all: see the next row"));
            BusiestMinute.Bucket b = BusiestMinute.tightest(calls, limits);
            if (b == null) {
                rows.add(BenchRow.failed("fleet: busiest minute on one rate-limit bucket", "no call matched Atlas's listed sets"));
            } else {
                double limit = BusiestMinute.perMinute(b.set());
                rows.add(BenchRow.judged("fleet: busiest minute on one rate-limit bucket",
                        b.calls() + " calls (" + b.set().endpointSetName() + ", " + b.set().scope()
                                + (b.groupId() == null ? "" : " " + b.groupId()) + ")", String.format(Locale.ROOT, "Atlas's limit: %.0f/min refill, capacity %d",
                                limit, b.set().capacity()), "≤ limit", b.calls() <= limit));
            }
        }
        return rows;
    }

    /** Notes, every 50 ms of wall clock, how many calls Atlas's log holds, to date each call to within 50 ms. */
    private static final class Sampler {
        private final java.util.function.IntSupplier log;
        private final List<long[]> samples = new java.util.concurrent.CopyOnWriteArrayList<>();
        private volatile boolean running = true;
        private Thread thread;

        Sampler(java.util.function.IntSupplier log) {
            this.log = log;
        }

        void start() {
            thread = new Thread(() -> {
                while (running) {
                    sample();
                    try {
                        Thread.sleep(50);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "bench-atlas-call-sampler");
            thread.setDaemon(true);
            thread.start();
        }

        void stop() throws InterruptedException {
            running = false;
            thread.join();
            sample();
        }

        private void sample() {
            int size = log.getAsInt();
            samples.add(new long[] {System.currentTimeMillis(), size});
        }

        /** When the call at {@code index} was first seen in the log. */
        long wallMillisOf(int index) {
            for (long[] s : samples) {
                if (s[1] > index) {
                    return s[0];
                }
            }
            return samples.get(samples.size() - 1)[0];
        }
    }
}
