package io.atlascmk.rotator.rotation;

import io.atlascmk.rotator.atlas.Snapshot;
import io.atlascmk.rotator.rotation.ProjectWorld.GenCluster;
import io.atlascmk.rotator.rotation.ProjectWorld.GenSnapshot;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A cluster's snapshots summarised as they stream by, in pages arriving in any order and with other keys'
 * spans counted alongside, decide exactly as the whole list does: same verdict, reasons (counts, dates
 * and the example ids), evidence and anomalies.
 */
class SnapshotSummaryProperties {

    @Provide
    Arbitrary<ProjectWorld> worlds() {
        return ProjectWorld.worlds();
    }

    @Property(tries = 400)
    void aSummaryStreamedPageByPageInAnyOrder_decidesAsTheWholeList(@ForAll("worlds") ProjectWorld world,
            @ForAll @IntRange(min = 1, max = 60) int pageSize, @ForAll long seed) {
        RetirementInput whole = world.input();
        Random random = new Random(seed);
        SnapshotSummary.Span span = new SnapshotSummary.Span(whole.key().createdAt(), whole.retiredAt());
        // Other candidates' spans, counted in the same read.
        SnapshotSummary.Span other = new SnapshotSummary.Span(world.now().minus(Duration.ofDays(90)), world.now());
        List<ClusterBackups> streamed = new ArrayList<>();
        for (int c = 0; c < world.clusters().size(); c++) {
            GenCluster cluster = world.clusters().get(c);
            ClusterBackups listed = whole.clusters().get(c);
            List<Snapshot> snapshots = cluster.snapshots().stream().map(GenSnapshot::snapshot).toList();
            List<Integer> pages = new ArrayList<>();
            for (int p = 0; p * pageSize < snapshots.size(); p++) {
                pages.add(p);
            }
            Collections.shuffle(pages, random);
            SnapshotSummary.Builder builder = new SnapshotSummary.Builder(Set.of(other, span));
            for (int p : pages) {
                builder.addAll((long) p * pageSize,
                        snapshots.subList(p * pageSize, Math.min(snapshots.size(), (p + 1) * pageSize)));
            }
            streamed.add(new ClusterBackups(listed.clusterName(), listed.terminated(), listed.pitEnabled(),
                    listed.restoreWindowDays(), listed.pausedWithOldData(), builder.build()));
        }
        RetirementInput byPages = new RetirementInput(whole.key(), whole.projectId(), whole.atlasKms(), streamed,
                whole.retiredAt(), whole.knownKeyIds(), whole.minRetirement(), whole.usage(), whole.adoption(), whole.now());

        assertThat(RetirementPolicy.decide(byPages)).usingRecursiveComparison().isEqualTo(RetirementPolicy.decide(whole));
    }
}
