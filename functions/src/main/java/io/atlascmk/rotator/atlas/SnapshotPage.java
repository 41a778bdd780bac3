package io.atlascmk.rotator.atlas;

import java.util.List;

/**
 * One page of a snapshot list, as Atlas answered it.
 *
 * @param snapshots  the page's snapshots, in Atlas's order
 * @param totalCount how many the whole list holds, as Atlas counted it; null when Atlas did not say
 */
public record SnapshotPage(List<Snapshot> snapshots, Integer totalCount) {

    public SnapshotPage {
        snapshots = List.copyOf(snapshots);
    }
}
