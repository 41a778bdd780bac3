package io.atlascmk.rotator.atlas;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;

/**
 * Reads every page of a cluster's replica-set snapshot list with no more requests than the pages it has:
 * page 1 first; when Atlas says how many snapshots there are ({@code totalCount}), the other pages all at
 * once on {@code executor}; without a count, one page after another until a page holds fewer than
 * {@link AtlasClient#PAGE_SIZE}. Each page goes to the {@link Sink} as it arrives (on the executor's
 * threads, in any order), so no caller ever holds the whole list.
 *
 * <p>Atlas's count is believed over short pages: pages that come back shorter than requested before the
 * count is reached are followed by more pages, one at a time, and a page that comes back empty before
 * the count is reached fails the read (a snapshot list cut short could let a key that still holds
 * snapshots look unused). A list longer than {@code maxPages} pages fails before anything past page 1
 * is asked.
 */
public final class SnapshotPages {

    /** Where pages go. Called from the executor's threads, possibly at once for different pages. */
    @FunctionalInterface
    public interface Sink {
        /**
         * @param pageNum   1-based
         * @param snapshots the page's snapshots, in Atlas's order
         */
        void page(int pageNum, List<Snapshot> snapshots);
    }

    /**
     * How a read ended.
     *
     * @param snapshots how many snapshots the pages held
     * @param pages     pages read
     * @param notListed Atlas answered page 1 with 400 or 404 (nothing was read); null when the list was read
     */
    public record Outcome(long snapshots, int pages, AtlasApiException notListed) {
    }

    private final AtlasApi atlas;
    private final String groupId;
    private final String clusterName;
    private final Executor executor;
    private final Sink sink;
    private final int maxPages;

    private SnapshotPages(AtlasApi atlas, String groupId, String clusterName, Executor executor, Sink sink, int maxPages) {
        this.atlas = atlas;
        this.groupId = groupId;
        this.clusterName = clusterName;
        this.executor = executor;
        this.sink = sink;
        this.maxPages = maxPages;
    }

    /**
     * Starts reading; the future completes once every page has gone to the sink, or fails with the first
     * failure (an {@link AtlasApiException} of a page past the first, or of page 1 other than 400 and 404).
     */
    public static CompletableFuture<Outcome> readReplicaSet(AtlasApi atlas, String groupId, String clusterName,
                                                            Executor executor, Sink sink, int maxPages) {
        return new SnapshotPages(atlas, groupId, clusterName, executor, sink, maxPages).start();
    }

    /** Every replica-set snapshot of the cluster, read here one page after another (for callers that want a list). */
    public static List<Snapshot> listReplicaSet(AtlasApi atlas, String groupId, String clusterName, int maxPages) {
        List<Snapshot> all = new ArrayList<>();
        // The caller's thread runs the requests one after another, from a queue (no recursion however many pages).
        java.util.ArrayDeque<Runnable> queue = new java.util.ArrayDeque<>();
        CompletableFuture<Outcome> read = readReplicaSet(atlas, groupId, clusterName, queue::add,
                (n, page) -> all.addAll(page), maxPages);
        for (Runnable next = queue.poll(); next != null; next = queue.poll()) {
            next.run();
        }
        Outcome outcome;
        try {
            outcome = read.join();
        } catch (CompletionException e) {
            throw unwrap(e);
        }
        if (outcome.notListed() != null) {
            throw outcome.notListed();
        }
        return List.copyOf(all);
    }

    /** The exception a failed read carries, as thrown by the page that failed. */
    public static RuntimeException unwrap(Throwable failure) {
        Throwable t = failure;
        while (t instanceof CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        return t instanceof RuntimeException r ? r : new IllegalStateException(t);
    }

    private CompletableFuture<SnapshotPage> fetch(int pageNum) {
        return CompletableFuture.supplyAsync(() -> atlas.replicaSetSnapshotPage(groupId, clusterName, pageNum), executor);
    }

    private CompletableFuture<Outcome> start() {
        return fetch(1).handle((first, failure) -> {
            if (failure != null) {
                RuntimeException cause = unwrap(failure);
                if (cause instanceof AtlasNotFoundException || cause instanceof AtlasInvalidRequestException) {
                    return CompletableFuture.completedFuture(new Outcome(0, 1, (AtlasApiException) cause));
                }
                return CompletableFuture.<Outcome>failedFuture(cause);
            }
            sink.page(1, first.snapshots());
            return afterFirst(first);
        }).thenCompose(f -> f);
    }

    private CompletableFuture<Outcome> afterFirst(SnapshotPage first) {
        long received = first.snapshots().size();
        Integer total = first.totalCount();
        if (total == null) {
            return received < AtlasClient.PAGE_SIZE ? done(received, 1) : oneAfterAnother(2, received, null);
        }
        if (received >= total) {
            return done(received, 1);
        }
        long planned = (total + (long) AtlasClient.PAGE_SIZE - 1) / AtlasClient.PAGE_SIZE;
        if (planned > maxPages) {
            return CompletableFuture.failedFuture(new AtlasApiException("Atlas reports " + total + " replica-set snapshots"
                    + " of cluster '" + clusterName + "', more than " + maxPages + " pages of " + AtlasClient.PAGE_SIZE
                    + ": too many to audit in one run, so nothing is decided on them. Report this.", 200, null, null));
        }
        List<CompletableFuture<Integer>> rest = new ArrayList<>();
        for (int n = 2; n <= planned; n++) {
            int pageNum = n;
            rest.add(fetch(pageNum).thenApply(page -> {
                sink.page(pageNum, page.snapshots());
                return page.snapshots().size();
            }));
        }
        return CompletableFuture.allOf(rest.toArray(new CompletableFuture[0])).thenCompose(v -> {
            long all = received;
            int emptyPage = 0;
            for (int i = 0; i < rest.size(); i++) {
                int size = rest.get(i).join();
                all += size;
                if (size == 0 && emptyPage == 0) {
                    emptyPage = i + 2;
                }
            }
            if (all >= total) {
                return done(all, (int) planned);
            }
            if (emptyPage > 0) {
                return CompletableFuture.failedFuture(incomplete(total, emptyPage, all));
            }
            return oneAfterAnother((int) planned + 1, all, total);
        });
    }

    /** Pages from {@code pageNum} on, one at a time, until the count (or, without one, a short page). */
    private CompletableFuture<Outcome> oneAfterAnother(int pageNum, long received, Integer total) {
        if (pageNum > maxPages) {
            return CompletableFuture.failedFuture(new AtlasApiException("Atlas GET of the replica-set snapshots of cluster '"
                    + clusterName + "' still returned full pages after " + maxPages + " pages of " + AtlasClient.PAGE_SIZE
                    + " (" + received + " items); stopping rather than paging forever. Atlas may be ignoring pageNum;"
                    + " report this.", 200, null, null));
        }
        return fetch(pageNum).thenCompose(page -> {
            int size = page.snapshots().size();
            if (size > 0) {
                sink.page(pageNum, page.snapshots());
            }
            long all = received + size;
            Integer count = total != null ? total : page.totalCount();
            if (count != null) {
                if (all >= count) {
                    return done(all, pageNum);
                }
                if (size == 0) {
                    return CompletableFuture.failedFuture(incomplete(count, pageNum, all));
                }
                return oneAfterAnother(pageNum + 1, all, count);
            }
            return size < AtlasClient.PAGE_SIZE ? done(all, pageNum) : oneAfterAnother(pageNum + 1, all, null);
        });
    }

    private AtlasApiException incomplete(long total, int pageNum, long received) {
        return new AtlasApiException("Atlas GET of the replica-set snapshots of cluster '" + clusterName
                + "' reported totalCount " + total + " but page " + pageNum + " was empty after " + received
                + " items: the list is incomplete, so nothing is decided on it. Run again later.", 200, null, null);
    }

    private static CompletableFuture<Outcome> done(long snapshots, int pages) {
        return CompletableFuture.completedFuture(new Outcome(snapshots, pages, null));
    }
}
