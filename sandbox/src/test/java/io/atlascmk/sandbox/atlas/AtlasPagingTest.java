package io.atlascmk.sandbox.atlas;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.atlascmk.sandbox.atlas.AtlasFixtures.API;
import static io.atlascmk.sandbox.atlas.AtlasFixtures.KEY_A;
import static io.atlascmk.sandbox.atlas.AtlasFixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;

/** Atlas paging: pageNum, itemsPerPage, includeCount, totalCount and self / previous / next links. */
class AtlasPagingTest extends AtlasSimulatorFixture {

    AtlasPagingTest() {
        super(Login.SERVICE_ACCOUNT);
    }

    @Test
    void clusterList_comesInPages_linkedBySelfPreviousAndNext_withTotalCount() {
        List<String> seeded = new ArrayList<>();
        for (int i = 1; i <= 7; i++) {
            seeded.add("Cluster" + i);
            project.addCluster(ClusterSpec.replicaSet("Cluster" + i));
        }

        List<String> names = new ArrayList<>();
        List<Map<String, String>> linksPerPage = new ArrayList<>();
        String next = API + "/clusters?itemsPerPage=3";
        while (next != null) {
            JsonNode page = client.get(next).json();
            assertThat(page.get("totalCount").asInt()).isEqualTo(7);
            page.get("results").forEach(c -> names.add(c.get("name").asText()));
            Map<String, String> links = links(page);
            linksPerPage.add(links);
            next = links.containsKey("next") ? pathAndQuery(links.get("next")) : null;
        }

        assertThat(names).containsExactlyElementsOf(seeded);
        assertThat(linksPerPage).hasSize(3);
        assertThat(linksPerPage.get(0).keySet()).containsExactly("self", "next");
        assertThat(linksPerPage.get(1).keySet()).containsExactly("self", "previous", "next");
        assertThat(linksPerPage.get(2).keySet()).containsExactly("self", "previous");
        assertThat(linksPerPage.get(1).get("self")).isEqualTo(atlas.baseUrl() + API + "/clusters?itemsPerPage=3&pageNum=2");
        assertThat(linksPerPage.get(1).get("previous")).isEqualTo(atlas.baseUrl() + API + "/clusters?itemsPerPage=3&pageNum=1");
        assertThat(linksPerPage.get(1).get("next")).isEqualTo(atlas.baseUrl() + API + "/clusters?itemsPerPage=3&pageNum=3");
    }

    @Test
    void includeCountFalse_leavesTotalCountOut_andAPagePastTheEndIsEmpty() {
        project.addCluster(ClusterSpec.replicaSet("Only"));

        JsonNode uncounted = client.get(API + "/clusters?includeCount=false").json();
        JsonNode pastEnd = client.get(API + "/clusters?pageNum=5&itemsPerPage=10").json();

        assertThat(uncounted.has("totalCount")).isFalse();
        assertThat(uncounted.get("results")).hasSize(1);
        assertThat(pastEnd.get("results")).isEmpty();
        assertThat(pastEnd.get("totalCount").asInt()).isEqualTo(1);
        assertThat(links(pastEnd).keySet()).containsExactly("self", "previous");
    }

    @Test
    void snapshotList_pagesByItemsPerPage_andDefaultsToOneHundred() {
        project.addCluster(ClusterSpec.replicaSet("Orders").backupPolicy(BackupPolicyItem.daily(365)));
        for (int i = 1; i <= 104; i++) {
            project.addSnapshot("Orders", SnapshotSeed.takenAt(T0.minus(Duration.ofHours(i))).key(KEY_A));
        }

        JsonNode firstDefault = client.get(API + "/clusters/Orders/backup/snapshots").json();
        JsonNode page2 = client.get(API + "/clusters/Orders/backup/snapshots?pageNum=2&itemsPerPage=50").json();
        JsonNode page3 = client.get(API + "/clusters/Orders/backup/snapshots?pageNum=3&itemsPerPage=50").json();

        assertThat(firstDefault.get("results")).hasSize(100);
        assertThat(firstDefault.get("totalCount").asInt()).isEqualTo(104);
        assertThat(links(firstDefault)).containsKey("next");
        assertThat(page2.get("results")).hasSize(50);
        assertThat(page3.get("results")).hasSize(4);
        // newest first: the last page holds the oldest
        assertThat(page3.get("results").get(3).get("createdAt").asText()).isEqualTo("2025-02-24T16:00:00Z"); // T0 - 104 h
    }

    @Test
    void itemsPerPageAbove500_orPageNumBelow1_isABadRequest() {
        project.addCluster(ClusterSpec.replicaSet("Orders"));

        AtlasTestClient.Exchange tooMany = client.send("GET", API + "/clusters/Orders/backup/snapshots?itemsPerPage=501", AtlasTestClient.V2023, null);
        AtlasTestClient.Exchange pageZero = client.send("GET", API + "/clusters/Orders/backup/snapshots?pageNum=0", AtlasTestClient.V2023, null);
        AtlasTestClient.Exchange clusters = client.send("GET", API + "/clusters?itemsPerPage=501", AtlasTestClient.V2024, null);

        for (AtlasTestClient.Exchange e : List.of(tooMany, pageZero, clusters)) {
            assertThat(e.status()).isEqualTo(400);
            assertThat(e.json().get("errorCode").asText()).isEqualTo("INVALID_PARAMETER");
            e.assertRequestRejectedByContract("validation.request.parameter.schema." + (e == pageZero ? "minimum" : "maximum"));
        }
        tooMany.assertResponseConforms();
        pageZero.assertResponseConforms();
        // listGroupClusters lists no 400 in the contract, though Atlas answers one
        clusters.assertOutsideContractStatusWithEnvelope();
    }

    @Test
    void events_filteredByTypeAndMinDate_comeInPagesNewestFirst() {
        for (int i = 0; i < 9; i++) {
            project.addEvent("AWS_ENCRYPTION_KEY_ROTATED", T0.plus(Duration.ofDays(i)));
            project.addEvent("AWS_ENCRYPTION_KEY_NEEDS_ROTATION", T0.plus(Duration.ofDays(i)).plusSeconds(60));
        }

        List<String> created = new ArrayList<>();
        String next = API + "/events?eventType=AWS_ENCRYPTION_KEY_ROTATED&minDate=2025-03-02T00:00:00Z&itemsPerPage=3";
        int pages = 0;
        while (next != null) {
            JsonNode page = client.get(next).json();
            pages++;
            assertThat(page.get("totalCount").asInt()).isEqualTo(8);
            page.get("results").forEach(e -> {
                assertThat(e.get("eventTypeName").asText()).isEqualTo("AWS_ENCRYPTION_KEY_ROTATED");
                created.add(e.get("created").asText());
            });
            Map<String, String> links = links(page);
            next = links.containsKey("next") ? pathAndQuery(links.get("next")) : null;
        }

        assertThat(pages).isEqualTo(3);
        assertThat(created).hasSize(8).first().isEqualTo("2025-03-09T00:00:00Z");
        assertThat(created).last().isEqualTo("2025-03-02T00:00:00Z");
    }

    private static Map<String, String> links(JsonNode page) {
        Map<String, String> out = new LinkedHashMap<>();
        page.get("links").forEach(l -> out.put(l.get("rel").asText(), l.get("href").asText()));
        return out;
    }

    private static String pathAndQuery(String href) {
        URI u = URI.create(href);
        return u.getRawPath() + (u.getRawQuery() == null ? "" : "?" + u.getRawQuery());
    }
}
