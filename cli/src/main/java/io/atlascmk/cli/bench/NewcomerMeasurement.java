package io.atlascmk.cli.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The newcomer's wait: the README's sandbox command ({@code ./rotator sandbox}) timed as a child process in this
 * checkout, after a build; and (not with {@code --quick}) a fresh {@code git clone} of this checkout's commit into a
 * temporary folder plus the same command there, which builds with Maven (from the local repository, as a newcomer's
 * second project would) and installs the Node engines first.
 */
final class NewcomerMeasurement implements Measurement {

    @Override
    public String name() {
        return "the newcomer's wait";
    }

    @Override
    public List<BenchRow> run(BenchContext context) throws Exception {
        List<BenchRow> rows = new ArrayList<>();
        context.say("./rotator sandbox in this checkout");
        Timed built = time(context.root(), List.of("./rotator", "sandbox"));
        if (!built.ok()) {
            return List.of(BenchRow.failed("newcomer: ./rotator sandbox after a build", "exit " + built.exit + ": " + built.tail));
        }
        rows.add(BenchRow.info("newcomer: ./rotator sandbox after a build (child process)",
                String.format(Locale.ROOT, "%.1f s", built.seconds),
                "the scenario's own wall time inside it: " + built.scenarioWallTime()));
        if (context.quick()) {
            rows.add(BenchRow.info("newcomer: fresh git clone + ./rotator sandbox", "skipped (--quick)", BenchRow.NONE));
            return rows;
        }
        Path temp = Files.createTempDirectory("rotator-newcomer-");
        try {
            Path clone = temp.resolve("atlas-cmk-rotator");
            context.say("git clone into " + clone + ", then ./rotator sandbox there (it builds)");
            long t0 = System.nanoTime();
            Timed cloned = time(temp, List.of("git", "clone", "-q", "--no-hardlinks", context.root().toString(), clone.toString()));
            if (!cloned.ok()) {
                rows.add(BenchRow.failed("newcomer: fresh git clone + ./rotator sandbox", "git clone: " + cloned.tail));
                return rows;
            }
            Timed fresh = time(clone, List.of("./rotator", "sandbox"));
            double total = (System.nanoTime() - t0) / 1e9;
            rows.add(fresh.ok()
                    ? BenchRow.info("newcomer: fresh git clone + ./rotator sandbox (builds: Maven offline-capable, npm ci x2)",
                            String.format(Locale.ROOT, "%.0f s (clone %.1f s)", total, cloned.seconds),
                            String.format(Locale.ROOT, "after a build: %.1f s", built.seconds))
                    : BenchRow.failed("newcomer: fresh git clone + ./rotator sandbox", "exit " + fresh.exit + ": " + fresh.tail));
        } finally {
            try (var files = Files.walk(temp)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        return rows;
    }

    record Timed(int exit, double seconds, String output, String tail) {
        boolean ok() {
            return exit == 0;
        }

        String scenarioWallTime() {
            return output.lines().filter(l -> l.startsWith("Wall time:")).map(l -> l.substring("Wall time:".length()).trim())
                    .findFirst().orElse("not printed");
        }
    }

    static Timed time(Path dir, List<String> command) throws IOException, InterruptedException {
        Path log = Files.createTempFile("rotator-newcomer-", ".log");
        try {
            ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            long t0 = System.nanoTime();
            Process p = pb.start();
            if (!p.waitFor(30, TimeUnit.MINUTES)) {
                p.destroyForcibly();
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            String output = Files.readString(log);
            List<String> lines = output.lines().toList();
            String tail = String.join(" / ", lines.subList(Math.max(0, lines.size() - 3), lines.size()));
            return new Timed(p.exitValue(), seconds, output, tail);
        } finally {
            Files.deleteIfExists(log);
        }
    }
}
