package io.atlascmk.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.atlascmk.rotator.atlas.RateLimitEndpointSet;
import io.atlascmk.rotator.atlas.RateLimitEndpointSet.Endpoint;
import java.util.List;
import org.junit.jupiter.api.Test;

class BusiestMinuteTest {

    @Test
    void theMostCallsInAnySixtySeconds() {
        assertThat(BusiestMinute.busiest(List.of())).isZero();
        assertThat(BusiestMinute.busiest(List.of(0L, 10_000L, 59_999L, 60_000L, 61_000L, 200_000L))).isEqualTo(4);
    }

    @Test
    void aProjectScopedSetCountsEachProjectApartAndTheTightestShareWins() {
        RateLimitEndpointSet ear = new RateLimitEndpointSet("ear_group", "Encryption At Rest", "GROUP", 2000L, 1000L, 60L,
                List.of(new Endpoint("GET", "/api/atlas/v2/groups/{groupId}/encryptionAtRest")));
        RateLimitEndpointSet projects = new RateLimitEndpointSet("projects_user", "Projects", "USER", 1200L, 4L, 60L,
                List.of(new Endpoint("GET", "/api/atlas/v2/groups")));
        List<BusiestMinute.Call> calls = List.of(
                new BusiestMinute.Call(0, "GET", "/api/atlas/v2/groups/aaa/encryptionAtRest"),
                new BusiestMinute.Call(1, "GET", "/api/atlas/v2/groups/aaa/encryptionAtRest"),
                new BusiestMinute.Call(2, "GET", "/api/atlas/v2/groups/bbb/encryptionAtRest"),
                new BusiestMinute.Call(3, "GET", "/api/atlas/v2/groups"),
                new BusiestMinute.Call(4, "GET", "/api/atlas/v2/groups"),
                new BusiestMinute.Call(5, "PATCH", "/api/atlas/v2/groups/aaa/encryptionAtRest"));

        BusiestMinute.Bucket tightest = BusiestMinute.tightest(calls, List.of(ear, projects));

        assertThat(tightest.set()).isEqualTo(projects);
        assertThat(tightest.groupId()).isNull();
        assertThat(tightest.calls()).isEqualTo(2);

        BusiestMinute.Bucket earOnly = BusiestMinute.tightest(calls, List.of(ear));
        assertThat(earOnly.groupId()).isEqualTo("aaa");
        assertThat(earOnly.calls()).as("the PATCH is not in the set").isEqualTo(2);
        assertThat(BusiestMinute.perMinute(ear)).isEqualTo(1000.0);
    }

    @Test
    void aTemplateMatchesOneSegmentPerParameter() {
        assertThat(BusiestMinute.template("/api/atlas/v2/groups/{groupId}/clusters").matcher("/api/atlas/v2/groups/x/clusters")
                .matches()).isTrue();
        assertThat(BusiestMinute.template("/api/atlas/v2/groups/{groupId}/clusters").matcher("/api/atlas/v2/groups/x/y/clusters")
                .matches()).isFalse();
    }
}
