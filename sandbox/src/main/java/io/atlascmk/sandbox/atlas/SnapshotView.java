package io.atlascmk.sandbox.atlas;

import java.time.Instant;
import java.util.AbstractList;
import java.util.List;

/**
 * The live snapshots of a cluster (of one kind) as Atlas lists them, newest first (by {@code createdAt},
 * then id, both descending): the stored ones merged with those of its {@link Series}, made only when
 * asked for. Reading it in order costs a comparison per element and source; it holds no snapshot of a
 * series. Immutable once made (it reads nothing the simulator changes), so a page can be rendered
 * outside the simulator's lock. Not thread-safe (one per request).
 */
final class SnapshotView extends AbstractList<SnapshotRecord> {

    private final List<SnapshotRecord> stored;
    private final Series[] series;
    private final int[] sizes;
    private final int size;
    /** The merge's state: element {@code next} comes next; pos[0] in stored, pos[1 + s] in series s. */
    private final int[] pos;
    private int next;

    SnapshotView(List<SnapshotRecord> stored, List<Series> series, Instant now) {
        this.stored = List.copyOf(stored);
        this.series = series.toArray(new Series[0]);
        this.sizes = new int[this.series.length];
        int total = this.stored.size();
        for (int s = 0; s < this.series.length; s++) {
            sizes[s] = this.series[s].alive(now);
            total += sizes[s];
        }
        this.size = total;
        this.pos = new int[1 + this.series.length];
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public SnapshotRecord get(int index) {
        if (index < 0 || index >= size) {
            throw new IndexOutOfBoundsException("Index " + index + " of " + size);
        }
        if (index < next) {
            java.util.Arrays.fill(pos, 0);
            next = 0;
        }
        while (next < index) {
            advance();
        }
        return advance();
    }

    /** Takes the newest element left. */
    private SnapshotRecord advance() {
        int best = -1;
        Instant bestAt = null;
        for (int src = 0; src < pos.length; src++) {
            if (src == 0 ? pos[0] >= stored.size() : pos[src] >= sizes[src - 1]) {
                continue;
            }
            Instant at = src == 0 ? stored.get(pos[0]).createdAt() : series[src - 1].createdAt(pos[src]);
            if (best < 0) {
                best = src;
                bestAt = at;
                continue;
            }
            int c = at.compareTo(bestAt);
            if (c > 0 || (c == 0 && id(src).compareTo(id(best)) > 0)) {
                best = src;
                bestAt = at;
            }
        }
        SnapshotRecord out = best == 0 ? stored.get(pos[0]) : series[best - 1].record(pos[best]);
        pos[best]++;
        next++;
        return out;
    }

    private String id(int src) {
        return src == 0 ? stored.get(pos[0]).id() : series[src - 1].id(pos[src]);
    }
}
