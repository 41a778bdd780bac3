package io.atlascmk.rotator.rotation;

import com.sun.management.GarbageCollectionNotificationInfo;
import io.atlascmk.rotator.atlas.AtlasClient;
import io.atlascmk.rotator.atlas.AtlasClientConfig;
import io.atlascmk.rotator.atlas.AtlasCredentials;
import io.atlascmk.rotator.atlas.AtlasCredentialsProvider;
import io.atlascmk.rotator.atlas.RateLimit;
import io.atlascmk.rotator.aws.SandboxAws;
import io.atlascmk.rotator.kms.KeyState;
import io.atlascmk.rotator.kms.KeyTags;
import io.atlascmk.rotator.lock.LockGrant;
import io.atlascmk.rotator.lock.LockState;
import io.atlascmk.rotator.lock.RotationLock;
import io.atlascmk.sandbox.atlas.AtlasProject;
import io.atlascmk.sandbox.atlas.AtlasRateLimit;
import io.atlascmk.sandbox.atlas.AtlasSimulator;
import io.atlascmk.sandbox.atlas.CallRecord;
import io.atlascmk.sandbox.atlas.ClusterSpec;
import io.atlascmk.sandbox.atlas.SnapshotSeries;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;

/**
 * The audit at fleet scale, measured: AuditAndRetire (a dry run: it decides and reports, it writes nothing)
 * over a simulated project of 200 clusters (40 of them sharded, 32 of the replica sets with continuous
 * backup) holding 400,000 snapshots, then the same project audited again at once (its Cloud Backups bucket
 * is still partly spent), then a project of 100,000. The Atlas simulator answers every request after 50 ms
 * and enforces Atlas's Cloud Backups limit (burst 1,200, refill 500 a minute); the client keeps to it with
 * 8 requests in flight.
 *
 * <p>Prints, for each run: Atlas calls beside the fewest that can read everything (the pages the lists
 * have, one sharded list per cluster, the continuous-backup schedules, and the three other calls), wall
 * time beside the ideal (the larger of calls x 50 ms / 8 and the time the rate limit imposes), the 429s
 * provoked, and peak heap: sampled every 5 ms during the timed runs (garbage included, so it says more
 * about the collector than the audit), and, in a separate run of the same audit with the heap collected whole
 * every 100 ms, the largest heap left then (what the audit, the client and the simulator really hold).
 * Prints, never asserts.
 *
 * <pre>
 * mvn -q -pl functions -am test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=test
 * ROTATOR_LOG_LEVEL=WARN java -Xmx256m -cp functions/target/test-classes:functions/target/classes:$(cat functions/target/cp.txt) \
 *     io.atlascmk.rotator.rotation.AuditScaleBench [snapshots...] [--no-repeat]
 * </pre>
 */
public final class AuditScaleBench {

    static final int CLUSTERS = 200;
    static final int SHARDED = 40;
    static final int CONTINUOUS = 32;
    static final Duration LATENCY = Duration.ofMillis(Long.getLong("bench.latencyMs", 50));
    static final int IN_FLIGHT = BackupSurvey.IN_FLIGHT;
    static final int PAGE = AtlasClient.PAGE_SIZE;
    static final Duration EVERY = Duration.ofHours(6);
    static final Duration RETENTION = Duration.ofDays(800);

    private AuditScaleBench() {
    }

    public static void main(String[] args) throws Exception {
        List<Integer> counts = new ArrayList<>();
        boolean repeat = true;
        for (String a : args) {
            if (a.equals("--no-repeat")) {
                repeat = false;
            } else {
                counts.add(Integer.parseInt(a.replace("_", "").replace(",", "")));
            }
        }
        if (counts.isEmpty()) {
            counts = List.of(400_000, 100_000);
        }
        HeapWatch heap = new HeapWatch();
        System.out.printf(Locale.ROOT, "Audit at scale: %d clusters (%d sharded, %d with continuous backup), %d ms per"
                        + " request, Cloud Backups limit %d burst + %d/min, %d requests in flight; max heap %d MB%n",
                CLUSTERS, SHARDED, CONTINUOUS, LATENCY.toMillis(), AtlasRateLimit.CLOUD_BACKUPS.capacity(),
                AtlasRateLimit.CLOUD_BACKUPS.refillPerMinute(), IN_FLIGHT,
                Runtime.getRuntime().maxMemory() / (1024 * 1024));
        for (int i = 0; i < counts.size(); i++) {
            try (Bench bench = new Bench(counts.get(i))) {
                bench.run("fresh", heap, false);
                if (repeat && i == 0) {
                    bench.run("again at once", heap, false);
                }
            }
            // The live heap, apart from the timed runs: the same audit of a new project, the heap collected
            // whole every 100 ms (what is left then is what the audit, the client and the simulator hold).
            try (Bench bench = new Bench(counts.get(i))) {
                bench.run("live-heap probe", heap, true);
            }
        }
        System.exit(0);
    }

    /** One simulated project, its client and its audit. */
    private static final class Bench implements AutoCloseable {
        final int snapshots;
        final RotationWorld world = RotationWorld.managed();
        final SandboxAws trail = SandboxAws.withoutPacing(world.clock);
        final AtlasSimulator atlas = new AtlasSimulator(world.clock, (key, role) -> true);
        final AtlasClient client;
        final int minimumCloudBackups;
        final int minimumOther = 3; // encryptionAtRest, clusters, clusters with retained backups
        /** When the previous run on this project started (its bucket was full then), and its Cloud Backups calls. */
        long lastRunStart;
        int lastRunCloudBackups;

        Bench(int snapshots) {
            this.snapshots = snapshots;
            long t0 = System.nanoTime();
            atlas.addServiceAccount(SimulatedProject.CLIENT_ID, SimulatedProject.CLIENT_SECRET);
            AtlasProject project = atlas.createProject(RotationWorld.PROJECT);
            String roleId = project.addAwsIamRole(RotationWorld.ROLE_ARN);
            project.configureAwsKms(world.currentKeyId(), RotationWorld.ATLAS_REGION, roleId);
            Instant now = RotationWorld.START;
            // Two retired keys: one retired 60 days ago (created 400 days ago), one retired then (created 900 days ago).
            String retired = world.kms.key(world.kms.seed().ledger(RotationWorld.PROJECT, "r1", KeyState.RETIRED)
                    .createdAt(now.minus(Duration.ofDays(400))).tag(KeyTags.RETIRED_AT, now.minus(Duration.ofDays(60)).toString())
                    .create()).keyId();
            String older = world.kms.key(world.kms.seed().ledger(RotationWorld.PROJECT, "r0", KeyState.RETIRED)
                    .createdAt(now.minus(Duration.ofDays(900))).tag(KeyTags.RETIRED_AT, now.minus(Duration.ofDays(400)).toString())
                    .create()).keyId();
            int minimum = 0;
            for (int c = 0; c < CLUSTERS; c++) {
                boolean sharded = c < SHARDED;
                boolean continuous = !sharded && c < SHARDED + CONTINUOUS;
                String name = (sharded ? "shards-" : "rs-") + c;
                ClusterSpec spec = sharded ? ClusterSpec.sharded(name, 3) : ClusterSpec.replicaSet(name);
                project.addCluster(continuous ? spec.continuousBackup(7) : spec);
                int n = snapshots / CLUSTERS + (c < snapshots % CLUSTERS ? 1 : 0);
                // Newest first: 60 days under the current key, back to 400 days under the retired one, older under the older.
                SnapshotSeries series = SnapshotSeries.of(n).every(EVERY).retainedFor(RETENTION);
                int current = Math.min(n, 240);
                int mid = Math.min(n - current, 1360);
                series.key(world.currentKeyId(), current);
                if (mid > 0) {
                    series.key(retired, mid);
                }
                if (n - current - mid > 0) {
                    series.key(older, n - current - mid);
                }
                project.addSnapshotSeries(name, series);
                // the fewest Cloud Backups calls: the replica-set list's pages (one, empty, for a sharded cluster),
                // the sharded list, the schedule of a continuous-backup cluster
                minimum += (sharded ? 1 : Math.max(1, (n + PAGE - 1) / PAGE)) + 1 + (continuous ? 1 : 0);
            }
            this.minimumCloudBackups = minimum;
            atlas.latency(LATENCY);
            atlas.start();
            client = new AtlasClient(AtlasClientConfig.builder().baseUrl(atlas.baseUrl()).clock(world.clock)
                    .cloudBackupsRateLimit(RateLimit.ATLAS_CLOUD_BACKUPS).build(),
                    AtlasCredentialsProvider.of(AtlasCredentials.serviceAccount(SimulatedProject.CLIENT_ID,
                            SimulatedProject.CLIENT_SECRET)));
            System.out.printf(Locale.ROOT, "%nProject of %,d snapshots seeded in %d ms%n", snapshots,
                    (System.nanoTime() - t0) / 1_000_000);
        }

        void run(String label, HeapWatch heap, boolean probe) {
            StepDependencies deps = new StepDependencies(client, region -> world.keys, world.clock,
                    world.running::contains, region -> trail.usage(), NO_LOCK);
            AuditAndRetireStep step = new AuditAndRetireStep(deps);
            AuditAndRetireRequest request = new AuditAndRetireRequest(RotationWorld.PROJECT, RotationWorld.ROTATION,
                    true, 30, List.of(), 7);
            atlas.resetCallCounts();
            int rateLimitedBefore = atlas.rateLimitedCalls();
            heap.reset();
            // Atlas's bucket now: full when the previous run started, less its calls, plus the refill since.
            double tokensAtStart = lastRunStart == 0 ? AtlasRateLimit.CLOUD_BACKUPS.capacity()
                    : Math.min(AtlasRateLimit.CLOUD_BACKUPS.capacity(), AtlasRateLimit.CLOUD_BACKUPS.capacity()
                    - lastRunCloudBackups + (System.nanoTime() - lastRunStart) / 1e9
                    * AtlasRateLimit.CLOUD_BACKUPS.refillPerMinute() / 60.0);
            long baseline = heap.liveNow();
            heap.probe(probe);
            long t0 = System.nanoTime();
            lastRunStart = t0;
            AuditAndRetireResult result = step.audit(request);
            long wall = System.nanoTime() - t0;
            heap.probe(false);
            HeapWatch.Peak peak = heap.peak();
            if (probe) {
                System.out.printf(Locale.ROOT, "  %s: live heap %.1f MB before the audit, at most %.1f MB during it"
                                + " (%d full collections); %,d snapshots audited%n", label, baseline / 1048576.0,
                        peak.probedBytes() / 1048576.0, peak.probes(), result.snapshotsAudited());
                row(String.format(Locale.ROOT, "audit %,d snapshots: live heap peak", snapshots),
                        String.format(Locale.ROOT, "%.1f MB", peak.probedBytes() / 1048576.0),
                        String.format(Locale.ROOT, "%.1f MB before the audit", baseline / 1048576.0), "< 256 MB",
                        peak.probedBytes() < 256L * 1048576 ? "met" : "SHORT");
                System.out.printf(Locale.ROOT, "BENCH-HEAP\t%d\t%d%n", snapshots, peak.probedBytes() - baseline);
                return;
            }

            List<CallRecord> calls = atlas.callLog();
            long cloudBackups = calls.stream().filter(c -> c.operation() != null && c.operation().cloudBackups()).count();
            long other = calls.stream().filter(c -> c.operation() != null && !c.operation().cloudBackups()
                    && c.operation() != io.atlascmk.sandbox.atlas.AtlasOperation.CREATE_ACCESS_TOKEN).count();
            long tooMany = calls.stream().filter(c -> c.status() == 429).count();
            lastRunCloudBackups = (int) cloudBackups;
            double byLatency = (cloudBackups + other) * LATENCY.toMillis() / 1000.0 / IN_FLIGHT;
            double byLimit = Math.max(0, cloudBackups - tokensAtStart) * 60.0 / AtlasRateLimit.CLOUD_BACKUPS.refillPerMinute();
            double ideal = Math.max(byLatency, byLimit);
            System.out.printf(Locale.ROOT, "  %s: %,d snapshots audited in %d clusters; keys: %s%n", label,
                    result.snapshotsAudited(), result.clustersAudited(), decisions(result));
            System.out.printf(Locale.ROOT, "    Atlas calls      %,d (Cloud Backups %,d + other %d) vs minimum %,d (%,d + %d)%n",
                    cloudBackups + other, cloudBackups, other, minimumCloudBackups + minimumOther, minimumCloudBackups,
                    minimumOther);
            System.out.printf(Locale.ROOT, "    wall time        %.2f s vs ideal %.2f s (latency bound %.2f s, rate-limit"
                            + " bound %.2f s from ~%.0f tokens): %.2fx%n",
                    wall / 1e9, ideal, byLatency, byLimit, tokensAtStart, wall / 1e9 / ideal);
            System.out.printf(Locale.ROOT, "    429s provoked    %d (rate limit refusals: %d)%n", tooMany,
                    atlas.rateLimitedCalls() - rateLimitedBefore);
            String what = String.format(Locale.ROOT, "audit %,d snapshots (%s)", snapshots, label);
            row(what + ": Atlas calls", String.format(Locale.ROOT, "%,d", cloudBackups + other),
                    String.format(Locale.ROOT, "minimum %,d", minimumCloudBackups + minimumOther), "= minimum",
                    cloudBackups + other == minimumCloudBackups + minimumOther ? "met" : "SHORT");
            row(what + ": wall time", String.format(Locale.ROOT, "%.2f s (%.2fx)", wall / 1e9, wall / 1e9 / ideal),
                    String.format(Locale.ROOT, "ideal %.2f s", ideal), "<= 1.5x ideal",
                    wall / 1e9 <= 1.5 * ideal ? "met" : "SHORT");
            row(what + ": 429s provoked", String.valueOf(tooMany), "—", "0", tooMany == 0 ? "met" : "SHORT");
            System.out.printf(Locale.ROOT, "    peak heap        %.1f MB used (sampled every 5 ms, garbage included; %.1f MB"
                            + " before), %.1f MB at most after a collection (%d collections)%n",
                    peak.sampledBytes() / 1048576.0, baseline / 1048576.0, peak.liveBytes() / 1048576.0,
                    peak.collections());
        }

        private static String decisions(AuditAndRetireResult result) {
            List<String> out = new ArrayList<>();
            for (AuditedKey k : result.keys()) {
                out.add(k.keyId().substring(0, 8) + " " + k.decision()
                        + (k.safeAfter() != null ? " until " + k.safeAfter() : "")
                        + (k.evidence().isEmpty() ? "" : " (" + k.evidence().values().stream().mapToInt(Integer::intValue)
                        .sum() + " snapshots in " + k.evidence().size() + " clusters)"));
            }
            return String.join("; ", out);
        }

        @Override
        public void close() {
            atlas.close();
            trail.close();
        }
    }

    /** One row of {@code ./rotator bench}'s table, which reads these lines ({@code AuditAtScaleMeasurement}). */
    private static void row(String measure, String figure, String baseline, String goal, String verdict) {
        System.out.println(String.join("\t", "BENCH-ROW", measure, figure, baseline, goal, verdict));
    }

    /** AuditAndRetire takes no lock (the workflow's Preflight does); the bench has none to give. */
    private static final RotationLock NO_LOCK = new RotationLock() {
        @Override
        public LockGrant acquire(String projectId, String holder) {
            throw new UnsupportedOperationException();
        }

        @Override
        public LockGrant seize(String projectId, String holder) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void confirm(LockGrant grant) {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean release(LockGrant grant) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Optional<LockState> read(String projectId) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Optional<LockState> unlock(String projectId) {
            throw new UnsupportedOperationException();
        }
    };

    /**
     * Heap use: sampled every 5 ms (garbage included), and after every collection (what was still live).
     */
    private static final class HeapWatch {
        record Peak(long sampledBytes, long liveBytes, long collections, long probedBytes, long probes) {
        }

        private volatile boolean probing;
        private final AtomicLong probed = new AtomicLong();
        private final AtomicLong probes = new AtomicLong();

        /** While on, the sampler collects the whole heap every 100 ms and keeps the largest heap left. */
        void probe(boolean on) {
            probing = on;
        }

        /** The heap in use right after a full collection. */
        long liveNow() {
            System.gc();
            return memory.getHeapMemoryUsage().getUsed();
        }

        private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        private final AtomicLong sampled = new AtomicLong();
        private final AtomicLong live = new AtomicLong();
        private final AtomicLong collections = new AtomicLong();

        HeapWatch() {
            java.util.Set<String> heapPools = new java.util.HashSet<>();
            for (java.lang.management.MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
                if (pool.getType() == java.lang.management.MemoryType.HEAP) {
                    heapPools.add(pool.getName());
                }
            }
            Thread sampler = new Thread(() -> {
                long lastProbe = 0;
                while (true) {
                    sampled.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
                    if (probing && System.nanoTime() - lastProbe > 100_000_000L) {
                        probed.accumulateAndGet(liveNow(), Math::max);
                        probes.incrementAndGet();
                        lastProbe = System.nanoTime();
                    }
                    try {
                        Thread.sleep(5);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "heap-sampler");
            sampler.setDaemon(true);
            sampler.start();
            for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
                ((NotificationEmitter) gc).addNotificationListener((notification, handback) -> {
                    if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
                        return;
                    }
                    GarbageCollectionNotificationInfo info = GarbageCollectionNotificationInfo.from(
                            (CompositeData) notification.getUserData());
                    long after = info.getGcInfo().getMemoryUsageAfterGc().entrySet().stream()
                            .filter(e -> heapPools.contains(e.getKey())).mapToLong(e -> e.getValue().getUsed()).sum();
                    live.accumulateAndGet(after, Math::max);
                    collections.incrementAndGet();
                }, null, null);
            }
        }

        void reset() {
            System.gc();
            try {
                Thread.sleep(300); // the collection's notification comes on another thread
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            sampled.set(memory.getHeapMemoryUsage().getUsed());
            live.set(0);
            collections.set(0);
            probed.set(0);
            probes.set(0);
        }

        Peak peak() {
            return new Peak(sampled.get(), live.get(), collections.get(), probed.get(), probes.get());
        }
    }
}
