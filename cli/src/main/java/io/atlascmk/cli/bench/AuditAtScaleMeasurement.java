package io.atlascmk.cli.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;

/**
 * The audit at scale: {@code AuditScaleBench} (functions' test sources: the AuditAndRetire step against the Atlas
 * simulator answering after 50 ms and enforcing Atlas's Cloud Backups limit) run in its own JVM with a 256 MB heap,
 * over a project of 200 clusters and 400,000 snapshots (again at once, with its bucket partly spent) and one of 100,000
 * ({@code --quick}: 40,000 and 10,000, once). Its rows come as {@code BENCH-ROW} lines: Atlas calls beside the fewest
 * that read everything, wall time beside the ideal, 429s, the live heap; this class adds whether the heap grows with
 * the snapshot count. Needs functions' test classes (built by {@code mvn verify} or {@code mvn -pl functions -am
 * test-compile}); Maven writes the classpath.
 */
final class AuditAtScaleMeasurement implements Measurement {

    static final String MAIN = "io.atlascmk.rotator.rotation.AuditScaleBench";

    @Override
    public String name() {
        return "audit at scale";
    }

    @Override
    public List<BenchRow> run(BenchContext context) throws Exception {
        Path functions = context.root().resolve("functions");
        Path testClasses = functions.resolve("target/test-classes");
        if (!Files.isRegularFile(testClasses.resolve(MAIN.replace('.', '/') + ".class"))) {
            return List.of(BenchRow.failed("audit at scale", "functions' test classes are not built: run `mvn -B -pl"
                    + " functions -am test-compile` (or `mvn -B verify`) first"));
        }
        Path classpathFile = Files.createTempFile("rotator-bench-cp-", ".txt");
        try {
            context.say("the functions' test classpath, from Maven");
            // With the reactor (-am) and a compile phase, the project's own modules resolve to their target/classes,
            // so nothing needs installing first (CI never installs); up to date after `mvn verify`. The functions
            // module comes last and writes the file last.
            NewcomerMeasurement.Timed cp = NewcomerMeasurement.time(context.root(), List.of("mvn", "-q", "-o", "-B",
                    "-pl", "functions", "-am", "test-compile", "dependency:build-classpath", "-Dmdep.includeScope=test",
                    "-Dmdep.outputFile=" + classpathFile));
            if (!cp.ok()) {
                return List.of(BenchRow.failed("audit at scale", "Maven could not write the classpath: " + cp.tail()));
            }
            String classpath = testClasses + ":" + functions.resolve("target/classes") + ":" + Files.readString(classpathFile).trim();
            List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx256m", "-cp", classpath, MAIN));
            command.addAll(context.quick() ? List.of("40000", "10000", "--no-repeat") : List.of("400000", "100000"));
            context.say("AuditScaleBench " + String.join(" ", command.subList(command.indexOf(MAIN) + 1, command.size())));
            NewcomerMeasurement.Timed bench = NewcomerMeasurement.time(context.root(), command);
            if (!bench.ok()) {
                return List.of(BenchRow.failed("audit at scale", "exit " + bench.exit() + ": " + bench.tail()));
            }
            return rows(bench.output());
        } finally {
            Files.deleteIfExists(classpathFile);
        }
    }

    /** The bench's rows, and whether the heap the audit adds grows with the snapshot count (the largest against the smallest). */
    static List<BenchRow> rows(String output) {
        List<BenchRow> rows = new ArrayList<>();
        TreeMap<Integer, Long> heapBySnapshots = new TreeMap<>();
        for (String line : output.lines().toList()) {
            String[] f = line.split("\t");
            if (f[0].equals("BENCH-ROW") && f.length == 6) {
                rows.add(new BenchRow(f[1], f[2], f[3], f[4], f[5]));
            } else if (f[0].equals("BENCH-HEAP") && f.length == 3) {
                heapBySnapshots.put(Integer.parseInt(f[1]), Long.parseLong(f[2]));
            }
        }
        if (rows.isEmpty()) {
            return List.of(BenchRow.failed("audit at scale", "the bench printed no rows"));
        }
        if (heapBySnapshots.size() >= 2) {
            long small = Math.max(1, heapBySnapshots.firstEntry().getValue());
            long large = heapBySnapshots.lastEntry().getValue();
            double times = heapBySnapshots.lastKey() / (double) heapBySnapshots.firstKey();
            double grew = large / (double) small;
            rows.add(BenchRow.judged("audit: heap the audit adds, " + String.format(Locale.ROOT, "%,d vs %,d snapshots",
                            heapBySnapshots.lastKey(), heapBySnapshots.firstKey()),
                    String.format(Locale.ROOT, "%.1f MB (%.1fx for %.0fx the snapshots)", large / 1048576.0, grew, times),
                    String.format(Locale.ROOT, "%.1f MB", small / 1048576.0), "not growing with the count (<= 1.25x)",
                    grew <= 1.25));
        }
        return rows;
    }
}
