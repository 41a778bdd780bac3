package io.atlascmk.rotator.rotation;

import io.atlascmk.rotator.atlas.AtlasApi;
import io.atlascmk.rotator.atlas.AtlasApiException;
import io.atlascmk.rotator.atlas.AtlasInvalidRequestException;
import io.atlascmk.rotator.atlas.AtlasNotFoundException;
import io.atlascmk.rotator.atlas.BackupSchedule;
import io.atlascmk.rotator.atlas.Cluster;
import io.atlascmk.rotator.atlas.Snapshot;
import io.atlascmk.rotator.atlas.SnapshotPages;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every snapshot of every cluster of a project, live or deleted, says about keys: read once per
 * run, page by page as Atlas answers, and shared by the decisions for every key. No snapshot is kept:
 * each page is folded into its cluster's {@link SnapshotSummary} as it arrives (counted for the candidate
 * keys' spans given before the read), so memory does not grow with the number of snapshots.
 *
 * <p>What is read, per live cluster: the replica-set list (all pages) <em>and</em> the sharded-cluster
 * list, whatever the cluster's type today: a cluster converted from a replica set to a sharded
 * cluster keeps its replica-set snapshots. When Atlas answers 400 for the list that does not match the
 * cluster's current type, that list is taken as empty. For a cluster with continuous backup
 * ({@code pitEnabled}) the backup schedule gives its restore window; a 404 there leaves the window
 * unknown, which keeps every key (the policy refuses).
 *
 * <p><b>Deleted clusters.</b> A cluster deleted with its backups retained (by {@code retainBackups},
 * or by a Backup Compliance Policy, whatever the person who deleted it chose) is no longer in the
 * cluster list, but its snapshots still need the key they were taken under. The survey asks Atlas for
 * them itself ({@code includeDeletedWithRetainedBackups=true}): every cluster in that list that is not
 * live is read as a deleted cluster, both snapshot lists. If that list cannot be read the survey fails
 * and nothing is decided (better no decision than one on a partial read).
 *
 * <p><b>Extra cluster names</b> (configured, for deleted clusters Atlas might not list) are read the
 * same way, in addition. When Atlas answers 404 for both lists of a deleted cluster, whether Atlas
 * listed it or it was configured, the audit cannot know what its snapshots need: it is reported in
 * {@link #unreadableClusters()} and <em>no</em> key is deleted while that holds.
 *
 * <p><b>Only a first page may say "no such list".</b> A 400 or 404 read as "no snapshots of this kind"
 * counts only when it answers a list's first page; once a page has been read, any failure of a later
 * one fails the survey (a list cut short must not read as a shorter list).
 *
 * <p><b>How it reads.</b> At most {@value #IN_FLIGHT} requests at once, on a pool made once per JVM (per
 * Lambda execution environment): every list's first page, every sharded list and schedule, and as soon
 * as a first page says how many snapshots there are, that list's other pages, each page exactly once.
 * The Atlas client keeps to Atlas's Cloud Backups rate limit, so none of this provokes a 429 (one still
 * is retried). The first failure stops the survey: requests not yet sent are not sent, and the failure
 * is thrown (nothing is decided).
 *
 * <p><b>Time budget.</b> A survey that has not finished within its budget stops the same way and comes
 * back {@link #incomplete()}: every key is kept, because the read was incomplete, never deleted.
 *
 * @param clusters           the backups of every readable cluster, live ones first
 * @param unreadableClusters deleted clusters whose snapshots could not be read, with why
 * @param snapshotsRead      snapshots read in all
 * @param incomplete         why the survey did not read everything (its time budget ran out); null when it did
 */
record BackupSurvey(List<ClusterBackups> clusters, List<Unreadable> unreadableClusters, int snapshotsRead,
                    String incomplete) {

    private static final Logger LOG = LoggerFactory.getLogger(BackupSurvey.class);

    /** Requests to Atlas at once. */
    static final int IN_FLIGHT = 8;
    /** A list longer than this many pages of 500 is not audited (the survey fails). */
    static final int MAX_PAGES = 1000;
    /** How long a survey may take unless told otherwise. */
    static final Duration DEFAULT_BUDGET = Duration.ofMinutes(5);

    /** A deleted cluster whose snapshots could not be read, and what the operator can do. */
    record Unreadable(String clusterName, String reason) {
    }

    BackupSurvey {
        clusters = List.copyOf(clusters);
        unreadableClusters = List.copyOf(unreadableClusters);
    }

    /** A survey whose read did not finish: no cluster counts, and every key is kept. */
    static BackupSurvey incomplete(String why) {
        return new BackupSurvey(List.of(), List.of(), 0, why);
    }

    static BackupSurvey read(AtlasApi atlas, String projectId, List<String> extraClusterNames,
                             Collection<SnapshotSummary.Span> spans, Duration budget) {
        return read(atlas, projectId, atlas.listClusters(projectId), extraClusterNames, spans, budget);
    }

    /**
     * As {@link #read(AtlasApi, String, List, Collection, Duration)}, over a list of live clusters the
     * caller has already read.
     *
     * @param spans  the candidate keys' spans: unknown-key snapshots are counted inside each
     * @param budget how long the survey may take; past it, it stops and comes back {@link #incomplete()}
     */
    static BackupSurvey read(AtlasApi atlas, String projectId, List<Cluster> liveClusters,
                             List<String> extraClusterNames, Collection<SnapshotSummary.Span> spans, Duration budget) {
        long deadline = System.nanoTime() + budget.toNanos();
        Set<String> live = new LinkedHashSet<>();
        liveClusters.forEach(c -> live.add(c.name()));
        Set<String> listedDeleted = new LinkedHashSet<>();
        for (Cluster cluster : atlas.listClustersWithRetainedBackups(projectId)) {
            if (!live.contains(cluster.name())) {
                listedDeleted.add(cluster.name());
            }
        }
        Set<String> deleted = new LinkedHashSet<>(listedDeleted);
        for (String name : extraClusterNames) {
            if (!live.contains(name)) {
                deleted.add(name);
            }
        }

        Requests requests = new Requests();
        List<ClusterRead> reads = new ArrayList<>();
        for (Cluster cluster : liveClusters) {
            reads.add(ClusterRead.live(atlas, projectId, cluster, spans, requests));
        }
        for (String name : deleted) {
            reads.add(ClusterRead.deleted(atlas, projectId, name, spans, requests));
        }
        List<CompletableFuture<?>> lists = new ArrayList<>();
        reads.forEach(r -> lists.addAll(r.lists));
        boolean finished = requests.await(lists, deadline);
        if (!finished) {
            long done = lists.stream().filter(CompletableFuture::isDone).count();
            String why = "The backup survey of project " + projectId + " did not finish within its time budget of "
                    + budget.toSeconds() + " s (" + done + " of " + lists.size() + " snapshot lists and schedules read):"
                    + " a partial read cannot show that nothing needs a key, so no key is deleted in this run; the next"
                    + " audit reads them again.";
            LOG.warn(why);
            return incomplete(why);
        }

        List<ClusterBackups> backups = new ArrayList<>();
        List<Unreadable> unreadable = new ArrayList<>();
        long read = 0;
        for (ClusterRead r : reads) {
            if (r.unreadable()) {
                unreadable.add(new Unreadable(r.name, listedDeleted.contains(r.name)
                        ? "Atlas lists cluster '" + r.name + "' as deleted with retained backups, but answers 404 for both"
                        + " of its snapshot lists: its snapshots cannot be checked, so no key is deleted. Run again"
                        + " later; if it persists, ask MongoDB support why the retained snapshots cannot be listed."
                        : "Atlas knows no cluster '" + r.name + "' (404 for its replica-set and sharded snapshot lists),"
                        + " which is configured in extraClusterNames: its retained snapshots, if any, cannot be checked,"
                        + " so no key is deleted. Remove the name from extraClusterNames once you have made sure it has"
                        + " no snapshots left, or fix its spelling."));
                continue;
            }
            ClusterBackups b = r.backups();
            backups.add(b);
            read += b.snapshots().listed();
        }
        LOG.info("Backup survey of project {}: {} snapshots of {} clusters ({} unreadable), {} lists and schedules, {} ms",
                projectId, read, backups.size(), unreadable.size(), lists.size(),
                (System.nanoTime() - (deadline - budget.toNanos())) / 1_000_000);
        return new BackupSurvey(backups, unreadable, (int) Math.min(Integer.MAX_VALUE, read), null);
    }

    /** Position of a snapshot in its cluster's listing: replica-set list (0) before sharded list (1), then page, then index. */
    private static long position(int list, int pageNum) {
        return ((long) list << 42) | ((long) pageNum << 21);
    }

    /** One cluster's reads under way: its lists and schedule, each folding into the cluster's summary. */
    private static final class ClusterRead {
        final String name;
        final Cluster cluster;
        final SnapshotSummary.Builder summary;
        final List<CompletableFuture<?>> lists = new ArrayList<>();
        /** For a deleted cluster: how many of its two lists Atlas does not know (404 or 400). */
        final AtomicInteger absentLists = new AtomicInteger();
        final AtomicReference<BackupSchedule> schedule = new AtomicReference<>();

        private ClusterRead(String name, Cluster cluster, Collection<SnapshotSummary.Span> spans) {
            this.name = name;
            this.cluster = cluster;
            this.summary = new SnapshotSummary.Builder(spans);
        }

        static ClusterRead live(AtlasApi atlas, String projectId, Cluster cluster, Collection<SnapshotSummary.Span> spans,
                                Requests requests) {
            ClusterRead r = new ClusterRead(cluster.name(), cluster, spans);
            boolean off = cluster.backupKnownOff();
            r.lists.add(r.replicaSetList(atlas, projectId, requests).thenAccept(outcome -> {
                if (outcome.notListed() != null && !emptyForLiveCluster(outcome.notListed(), cluster.isSharded(), off)) {
                    throw outcome.notListed();
                }
            }));
            r.lists.add(r.shardedList(atlas, projectId, requests, notListed -> {
                if (!emptyForLiveCluster(notListed, !cluster.isSharded(), off)) {
                    throw notListed;
                }
            }));
            if (Boolean.TRUE.equals(cluster.pitEnabled())) {
                r.lists.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        r.schedule.set(atlas.getBackupSchedule(projectId, cluster.name()));
                    } catch (AtlasNotFoundException noSchedule) {
                        r.schedule.set(null);
                    }
                    return null;
                }, requests));
            }
            return r;
        }

        static ClusterRead deleted(AtlasApi atlas, String projectId, String name, Collection<SnapshotSummary.Span> spans,
                                   Requests requests) {
            ClusterRead r = new ClusterRead(name, null, spans);
            r.lists.add(r.replicaSetList(atlas, projectId, requests).thenAccept(outcome -> {
                if (outcome.notListed() != null) {
                    r.absentLists.incrementAndGet();
                }
            }));
            r.lists.add(r.shardedList(atlas, projectId, requests, notListed -> r.absentLists.incrementAndGet()));
            return r;
        }

        /**
         * A 400 is "no snapshots of this kind" only for the kind that does not match the cluster, and a 400
         * or 404 only for a cluster whose Cloud Backup is known to be off. Anything else fails the audit
         * (better no decision than one on a partial read).
         */
        private static boolean emptyForLiveCluster(AtlasApiException notListed, boolean otherKind, boolean backupOff) {
            if (notListed instanceof AtlasInvalidRequestException) {
                return otherKind || backupOff;
            }
            return notListed instanceof AtlasNotFoundException && backupOff;
        }

        private CompletableFuture<SnapshotPages.Outcome> replicaSetList(AtlasApi atlas, String projectId, Requests requests) {
            return SnapshotPages.readReplicaSet(atlas, projectId, name, requests,
                    (pageNum, page) -> summary.addAll(position(0, pageNum), page), MAX_PAGES);
        }

        private CompletableFuture<Void> shardedList(AtlasApi atlas, String projectId, Requests requests,
                                                    java.util.function.Consumer<AtlasApiException> notListed) {
            return CompletableFuture.supplyAsync(() -> {
                List<Snapshot> all;
                try {
                    all = atlas.listShardedClusterSnapshots(projectId, name);
                } catch (AtlasNotFoundException | AtlasInvalidRequestException absent) {
                    notListed.accept(absent);
                    return null;
                }
                summary.addAll(position(1, 1), all);
                return null;
            }, requests);
        }

        boolean unreadable() {
            return cluster == null && absentLists.get() == 2;
        }

        ClusterBackups backups() {
            return cluster == null
                    ? ClusterBackups.terminated(name, summary.build())
                    : ClusterBackups.of(cluster, schedule.get(), summary.build());
        }
    }

    /**
     * The requests of one survey, run on the shared pool: at most {@value #IN_FLIGHT} at once. Once stopped
     * (first failure, or the budget ran out) requests not yet started are dropped and those running are
     * interrupted.
     */
    static final class Requests implements java.util.concurrent.Executor {

        /** Made once per JVM; its threads are daemons and go after a minute unused. */
        private static final class Pool {
            static final ExecutorService POOL = pool();

            private static ExecutorService pool() {
                AtomicInteger n = new AtomicInteger();
                ThreadPoolExecutor pool = new ThreadPoolExecutor(IN_FLIGHT, IN_FLIGHT, 60, TimeUnit.SECONDS,
                        new LinkedBlockingQueue<>(), r -> {
                            Thread t = new Thread(r, "atlas-survey-" + n.incrementAndGet());
                            t.setDaemon(true);
                            return t;
                        });
                pool.allowCoreThreadTimeOut(true);
                return pool;
            }
        }

        private final Set<Thread> running = new HashSet<>();
        private int pending;
        private boolean stopped;

        @Override
        public void execute(Runnable request) {
            synchronized (this) {
                if (stopped) {
                    return;
                }
                pending++;
            }
            Pool.POOL.execute(() -> {
                Thread me = Thread.currentThread();
                try {
                    synchronized (this) {
                        if (stopped) {
                            return;
                        }
                        running.add(me);
                    }
                    request.run();
                } finally {
                    synchronized (this) {
                        running.remove(me);
                        pending--;
                        notifyAll();
                    }
                    Thread.interrupted(); // an interrupt meant for this survey's request does not reach the next task
                }
            });
        }

        /**
         * Waits until every list has been read (true), or stops at the first failure (thrown) or at the
         * deadline (false).
         */
        boolean await(List<CompletableFuture<?>> lists, long deadlineNanos) {
            CompletableFuture<Void> all = CompletableFuture.allOf(lists.toArray(new CompletableFuture[0]));
            CompletableFuture<Object> firstFailure = new CompletableFuture<>();
            lists.forEach(f -> f.whenComplete((v, failure) -> {
                if (failure != null) {
                    firstFailure.completeExceptionally(failure);
                }
            }));
            try {
                CompletableFuture.anyOf(all, firstFailure).get(Math.max(0, deadlineNanos - System.nanoTime()),
                        TimeUnit.NANOSECONDS);
                return true;
            } catch (java.util.concurrent.TimeoutException outOfTime) {
                stop();
                return false;
            } catch (java.util.concurrent.ExecutionException failed) {
                stop();
                throw SnapshotPages.unwrap(failed.getCause());
            } catch (InterruptedException interrupted) {
                stop();
                Thread.currentThread().interrupt();
                throw new IllegalStateException("The backup survey was interrupted; nothing is decided.", interrupted);
            }
        }

        /** Drops what has not started, interrupts what runs, and waits a little for it to end. */
        private synchronized void stop() {
            stopped = true;
            running.forEach(Thread::interrupt);
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (pending > 0 && System.nanoTime() < until) {
                try {
                    wait(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }
}
