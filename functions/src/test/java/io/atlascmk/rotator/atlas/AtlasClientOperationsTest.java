package io.atlascmk.rotator.atlas;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.patch;
import static com.github.tomakehurst.wiremock.client.WireMock.patchRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.atlascmk.rotator.atlas.AtlasFixtures.API;
import static io.atlascmk.rotator.atlas.AtlasFixtures.GROUP;
import static io.atlascmk.rotator.atlas.AtlasFixtures.KEY_ID;
import static io.atlascmk.rotator.atlas.AtlasFixtures.NEW_KEY_ID;
import static io.atlascmk.rotator.atlas.AtlasFixtures.ROLE_ID;
import static io.atlascmk.rotator.atlas.AtlasFixtures.TOKEN_1;
import static io.atlascmk.rotator.atlas.AtlasFixtures.V2023;
import static io.atlascmk.rotator.atlas.AtlasFixtures.V2024;
import static io.atlascmk.rotator.atlas.AtlasFixtures.cluster;
import static io.atlascmk.rotator.atlas.AtlasFixtures.clusters;
import static io.atlascmk.rotator.atlas.AtlasFixtures.encryptionAtRest;
import static io.atlascmk.rotator.atlas.AtlasFixtures.hexId;
import static io.atlascmk.rotator.atlas.AtlasFixtures.ok;
import static io.atlascmk.rotator.atlas.AtlasFixtures.page;
import static io.atlascmk.rotator.atlas.AtlasFixtures.snapshot;
import static io.atlascmk.rotator.atlas.AtlasFixtures.snapshots;
import static io.atlascmk.rotator.atlas.AtlasFixtures.tokenResponse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Every operation over HTTP: paths, media types, paging, JSON mapping; every exchange checked against the spec. */
class AtlasClientOperationsTest {

    private static final AtlasExchanges CONTRACT = AtlasExchanges.shared();
    private static final String OLD_KEY_UUID = "0b1c2d3e-4f50-4617-8293-a4b5c6d7e8f9";

    @RegisterExtension
    static WireMockExtension atlas = AtlasFixtures.wireMock();

    private final AtlasFixtures.Harness harness = new AtlasFixtures.Harness();

    private AtlasClient client() {
        atlas.stubFor(post(urlPathEqualTo("/api/oauth/token")).willReturn(tokenResponse(TOKEN_1, 3600)));
        return harness.client(atlas.baseUrl(), AtlasFixtures.serviceAccount());
    }

    @AfterEach
    void everyExchangeFollowsTheContract() {
        CONTRACT.assertSatisfiedBy(atlas.getAllServeEvents());
    }

    private List<LoggedRequest> gets(String path) {
        return atlas.findAll(getRequestedFor(urlPathEqualTo(path)));
    }

    // ------------------------------------------------------------------ encryption at rest

    @Test
    void getEncryptionAtRest_mapsTheAwsKmsObject() {
        atlas.stubFor(get(urlPathEqualTo(API + "/encryptionAtRest")).withHeader("Accept", equalTo(V2023))
                .withHeader("Authorization", equalTo("Bearer " + TOKEN_1))
                .willReturn(ok(V2023, encryptionAtRest(KEY_ID, false))));

        EncryptionAtRest ear = client().getEncryptionAtRest(GROUP);

        assertThat(ear.awsKms()).isEqualTo(new AwsKms(true, KEY_ID, "US_EAST_1", ROLE_ID, null, false));
        assertThat(ear.awsKmsEnabled()).isTrue();
        assertThat(ear.azureKeyVaultEnabled()).isFalse();
        assertThat(ear.googleCloudKmsEnabled()).isFalse();
    }

    @Test
    void getEncryptionAtRest_withoutAwsKms_hasNoAwsKms() {
        atlas.stubFor(get(urlPathEqualTo(API + "/encryptionAtRest"))
                .willReturn(ok(V2023, "{\"azureKeyVault\":{\"enabled\":true},\"googleCloudKms\":{\"enabled\":false}}")));

        EncryptionAtRest ear = client().getEncryptionAtRest(GROUP);

        assertThat(ear.awsKms()).isNull();
        assertThat(ear.awsKmsEnabled()).isFalse();
        assertThat(ear.azureKeyVaultEnabled()).isTrue();
    }

    @Test
    void updateAwsKms_sendsTheWholeAwsKmsObjectButNeverValid() {
        atlas.stubFor(patch(urlPathEqualTo(API + "/encryptionAtRest"))
                .withHeader("Content-Type", equalTo(V2023)).withHeader("Accept", equalTo(V2023))
                .willReturn(ok(V2023, encryptionAtRest(NEW_KEY_ID, true))));
        AwsKms current = new AwsKms(true, KEY_ID, "US_EAST_1", ROLE_ID, null, true);

        EncryptionAtRest result = client().updateAwsKms(GROUP, new AwsKms(true, NEW_KEY_ID, "US_EAST_1", ROLE_ID, null, true));

        assertThat(result.awsKms().customerMasterKeyID()).isEqualTo(NEW_KEY_ID);
        assertThat(current.withCustomerMasterKeyID(NEW_KEY_ID).valid()).isNull();
        atlas.verify(1, patchRequestedFor(urlPathEqualTo(API + "/encryptionAtRest")).withRequestBody(equalToJson(
                "{\"awsKms\":{\"enabled\":true,\"customerMasterKeyID\":\"" + NEW_KEY_ID + "\",\"region\":\"US_EAST_1\","
                        + "\"roleId\":\"" + ROLE_ID + "\"}}")));
    }

    @Test
    void updateAwsKms_sendsRequirePrivateNetworkingOnlyWhenSet() {
        atlas.stubFor(patch(urlPathEqualTo(API + "/encryptionAtRest"))
                .willReturn(ok(V2023, encryptionAtRest(NEW_KEY_ID, true))));

        client().updateAwsKms(GROUP, new AwsKms(true, NEW_KEY_ID, "EU_WEST_1", ROLE_ID, false, null));

        atlas.verify(1, patchRequestedFor(urlPathEqualTo(API + "/encryptionAtRest")).withRequestBody(equalToJson(
                "{\"awsKms\":{\"enabled\":true,\"customerMasterKeyID\":\"" + NEW_KEY_ID + "\",\"region\":\"EU_WEST_1\","
                        + "\"roleId\":\"" + ROLE_ID + "\",\"requirePrivateNetworking\":false}}")));
    }

    @Test
    void updateAwsKms_refusesAnIncompleteAwsKmsWithoutCallingAtlas() {
        AtlasClient client = client();

        assertThatThrownBy(() -> client.updateAwsKms(GROUP, new AwsKms(true, NEW_KEY_ID, "US_EAST_1", null, null, null)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("roleId");
        assertThat(atlas.getAllServeEvents()).isEmpty();
    }

    // ------------------------------------------------------------------ projects

    @Test
    void listProjects_pagesThroughEveryProjectTheCredentialsCanRead() {
        String path = "/api/atlas/v2/groups";
        for (int pageNum = 1; pageNum <= 2; pageNum++) {
            List<String> items = new java.util.ArrayList<>();
            for (int i = (pageNum - 1) * 500; i < (pageNum == 1 ? 500 : 501); i++) {
                items.add("{\"id\":\"" + String.format("%024x", i) + "\",\"name\":\"p" + i
                        + "\",\"orgId\":\"5e2211c17a3e5a48f5497de3\",\"clusterCount\":1,\"created\":\"2024-01-01T00:00:00Z\","
                        + "\"links\":[]}");
            }
            atlas.stubFor(get(urlPathEqualTo(path)).withQueryParam("pageNum", equalTo(String.valueOf(pageNum)))
                    .withQueryParam("itemsPerPage", equalTo("500")).withHeader("Accept", equalTo(V2023))
                    .willReturn(ok(V2023, page(items, 501))));
        }

        List<ProjectRef> projects = client().listProjects();

        assertThat(projects).hasSize(501).doesNotHaveDuplicates();
        assertThat(projects.get(500)).isEqualTo(new ProjectRef(String.format("%024x", 500), "p500", "5e2211c17a3e5a48f5497de3"));
        assertThat(gets(path)).hasSize(2);
    }

    @Test
    void listOrganizationProjects_readsTheOrganizationsPages_andRefusesAnIdThatIsNoOrganizationId() {
        String org = "5e2211c17a3e5a48f5497de3";
        String path = "/api/atlas/v2/orgs/" + org + "/groups";
        atlas.stubFor(get(urlPathEqualTo(path)).withQueryParam("pageNum", equalTo("1")).withHeader("Accept", equalTo(V2023))
                .willReturn(ok(V2023, page(List.of("{\"id\":\"" + GROUP + "\",\"name\":\"payments\",\"orgId\":\"" + org
                        + "\",\"clusterCount\":2,\"created\":\"2024-01-01T00:00:00Z\",\"links\":[]}"), 1))));

        assertThat(client().listOrganizationProjects(org)).containsExactly(new ProjectRef(GROUP, "payments", org));
        assertThatThrownBy(() -> client().listOrganizationProjects("acme")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("orgId");
        assertThat(gets(path)).hasSize(1);
    }

    // ------------------------------------------------------------------ clusters

    @Test
    void listClusters_pagesThroughEveryPageWith500Items() {
        String path = API + "/clusters";
        for (int pageNum = 1; pageNum <= 3; pageNum++) {
            List<String> items = clusters((pageNum - 1) * 500, pageNum < 3 ? 500 : 3);
            atlas.stubFor(get(urlPathEqualTo(path)).withQueryParam("pageNum", equalTo(String.valueOf(pageNum)))
                    .withQueryParam("itemsPerPage", equalTo("500")).withHeader("Accept", equalTo(V2024))
                    .willReturn(ok(V2024, page(items, 1003))));
        }

        List<Cluster> clusters = client().listClusters(GROUP);

        assertThat(clusters).hasSize(1003);
        assertThat(clusters).extracting(Cluster::name).doesNotHaveDuplicates()
                .startsWith("cluster-0", "cluster-1").endsWith("cluster-1002");
        assertThat(gets(path)).extracting(r -> r.queryParameter("pageNum").firstValue()).containsExactly("1", "2", "3");
    }

    @Test
    void listClusters_stopsOnceTotalCountIsReached() {
        String path = API + "/clusters";
        for (int pageNum = 1; pageNum <= 2; pageNum++) {
            atlas.stubFor(get(urlPathEqualTo(path)).withQueryParam("pageNum", equalTo(String.valueOf(pageNum)))
                    .willReturn(ok(V2024, page(clusters((pageNum - 1) * 500, 500), 1000))));
        }

        assertThat(client().listClusters(GROUP)).hasSize(1000);
        assertThat(gets(path)).hasSize(2);
    }

    @Test
    void listReplicaSetSnapshots_keepsPagingPastAShortPage_whileTotalCountSaysMoreExist() {
        String path = API + "/clusters/orders/backup/snapshots";
        int[] sizes = {500, 120, 80};
        int offset = 0;
        for (int pageNum = 1; pageNum <= 3; pageNum++) {
            atlas.stubFor(get(urlPathEqualTo(path)).withQueryParam("pageNum", equalTo(String.valueOf(pageNum)))
                    .willReturn(ok(V2023, page(snapshots(offset, sizes[pageNum - 1], KEY_ID), 700))));
            offset += sizes[pageNum - 1];
        }

        assertThat(client().listReplicaSetSnapshots(GROUP, "orders")).hasSize(700);
        assertThat(gets(path)).hasSize(3);
    }

    @Test
    void listReplicaSetSnapshots_failsRatherThanReturnAListThatTotalCountSaysIsIncomplete() {
        String path = API + "/clusters/orders/backup/snapshots";
        atlas.stubFor(get(urlPathEqualTo(path)).withQueryParam("pageNum", equalTo("1"))
                .willReturn(ok(V2023, page(snapshots(0, 300, KEY_ID), 400))));
        atlas.stubFor(get(urlPathEqualTo(path)).withQueryParam("pageNum", equalTo("2"))
                .willReturn(ok(V2023, page(List.of(), 400))));

        assertThatThrownBy(() -> client().listReplicaSetSnapshots(GROUP, "orders"))
                .isExactlyInstanceOf(AtlasApiException.class)
                .hasMessageContaining("totalCount 400").hasMessageContaining("incomplete");
    }

    @Test
    void listClusters_refusesToPageForeverWhenAtlasKeepsReturningFullPages() {
        String path = API + "/clusters";
        atlas.stubFor(get(urlPathEqualTo(path)).willReturn(ok(V2024, page(clusters(0, 500), null))));
        atlas.stubFor(post(urlPathEqualTo("/api/oauth/token")).willReturn(tokenResponse(TOKEN_1, 3600)));
        AtlasClient client = new AtlasClient(harness.config(atlas.baseUrl()).maxPages(3).build(),
                AtlasCredentialsProvider.of(AtlasFixtures.serviceAccount()));

        assertThatThrownBy(() -> client.listClusters(GROUP))
                .isExactlyInstanceOf(AtlasApiException.class)
                .hasMessageContaining("after 3 pages");
        assertThat(gets(path)).hasSize(3);
    }

    @Test
    void getCluster_mapsStateEncryptionAndBackupFlags() {
        atlas.stubFor(get(urlPathEqualTo(API + "/clusters/orders")).withHeader("Accept", equalTo(V2024))
                .willReturn(ok(V2024, cluster("orders", "SHARDED", "UPDATING", true))));

        Cluster c = client().getCluster(GROUP, "orders");

        assertThat(c).isEqualTo(new Cluster("orders", "SHARDED", "UPDATING", "AWS", true, true));
        assertThat(c.isSharded()).isTrue();
        assertThat(c.isIdle()).isFalse();
    }

    // ------------------------------------------------------------------ snapshots and backup

    @Test
    void listReplicaSetSnapshots_pagesThroughEveryPageAndTagsKindAndCluster() {
        String path = API + "/clusters/orders/backup/snapshots";
        for (int pageNum = 1; pageNum <= 3; pageNum++) {
            List<String> items = snapshots((pageNum - 1) * 500, pageNum < 3 ? 500 : 2,
                    pageNum == 3 ? OLD_KEY_UUID : KEY_ID);
            atlas.stubFor(get(urlPathEqualTo(path)).withQueryParam("pageNum", equalTo(String.valueOf(pageNum)))
                    .withQueryParam("itemsPerPage", equalTo("500")).withHeader("Accept", equalTo(V2023))
                    .willReturn(ok(V2023, page(items, null))));
        }

        List<Snapshot> snapshots = client().listReplicaSetSnapshots(GROUP, "orders");

        assertThat(snapshots).hasSize(1002);
        assertThat(snapshots).allSatisfy(s -> {
            assertThat(s.kind()).isEqualTo(Snapshot.Kind.REPLICA_SET);
            assertThat(s.clusterName()).isEqualTo("orders");
        });
        Snapshot last = snapshots.get(1001);
        assertThat(last.id()).isEqualTo(hexId(1001));
        assertThat(last.masterKeyUUID()).isEqualTo(OLD_KEY_UUID);
        assertThat(last.createdAt()).isEqualTo(AtlasFixtures.START.minusSeconds(1001 * 3600L));
        assertThat(last.expiresAt()).isEqualTo(last.createdAt().plusSeconds(7 * 86400L));
        assertThat(last.status()).isEqualTo("completed");
        assertThat(gets(path)).hasSize(3);
    }

    @Test
    void listReplicaSetSnapshots_keepsAMissingExpiryAsNull() {
        String path = API + "/clusters/orders/backup/snapshots";
        String neverExpires = snapshot(7, KEY_ID).replaceAll(",\"expiresAt\":\"[^\"]*\"", "");
        atlas.stubFor(get(urlPathEqualTo(path)).willReturn(ok(V2023, page(List.of(neverExpires), 1))));

        assertThat(client().listReplicaSetSnapshots(GROUP, "orders")).singleElement()
                .satisfies(s -> assertThat(s.expiresAt()).isNull());
    }

    @Test
    void listShardedClusterSnapshots_readsTheUnpagedList() {
        String path = API + "/clusters/geo/backup/snapshots/shardedClusters";
        String sharded = snapshot(3, KEY_ID).replace("\"type\":\"replicaSet\"", "\"type\":\"shardedCluster\"");
        atlas.stubFor(get(urlPathEqualTo(path)).withQueryParam("pageNum", absent()).withHeader("Accept", equalTo(V2023))
                .willReturn(ok(V2023, page(List.of(sharded), 1))));

        List<Snapshot> snapshots = client().listShardedClusterSnapshots(GROUP, "geo");

        assertThat(snapshots).singleElement().satisfies(s -> {
            assertThat(s.kind()).isEqualTo(Snapshot.Kind.SHARDED_CLUSTER);
            assertThat(s.clusterName()).isEqualTo("geo");
            assertThat(s.masterKeyUUID()).isEqualTo(KEY_ID);
        });
    }

    @Test
    void listShardedClusterSnapshots_refusesAnIncompleteList() {
        String path = API + "/clusters/geo/backup/snapshots/shardedClusters";
        atlas.stubFor(get(urlPathEqualTo(path)).willReturn(ok(V2023, page(List.of(snapshot(1, KEY_ID)), 2))));

        assertThatThrownBy(() -> client().listShardedClusterSnapshots(GROUP, "geo"))
                .isInstanceOf(AtlasApiException.class)
                .hasMessageContaining("incomplete");
    }

    @Test
    void getBackupSchedule_readsTheRestoreWindow_inTheVersionAtlasDoesNotSunset() {
        atlas.stubFor(get(urlPathEqualTo(API + "/clusters/orders/backup/schedule")).withHeader("Accept", equalTo(V2024))
                .willReturn(ok(V2024, "{\"clusterId\":\"" + hexId(9) + "\",\"clusterName\":\"orders\","
                        + "\"restoreWindowDays\":7,\"policies\":[],\"referenceHourOfDay\":3}")));

        assertThat(client().getBackupSchedule(GROUP, "orders")).isEqualTo(new BackupSchedule("orders", 7));
    }

    @Test
    void getBackupSchedule_withoutContinuousBackup_hasNoRestoreWindow() {
        atlas.stubFor(get(urlPathEqualTo(API + "/clusters/orders/backup/schedule"))
                .willReturn(ok(V2024, "{\"clusterName\":\"orders\",\"policies\":[]}")));

        assertThat(client().getBackupSchedule(GROUP, "orders").restoreWindowDays()).isNull();
    }

    @Test
    void aDeprecatedResourceVersion_isWarnedAboutOncePerOperation() {
        for (String cluster : List.of("orders", "billing")) {
            atlas.stubFor(get(urlPathEqualTo(API + "/clusters/" + cluster + "/backup/schedule"))
                    .willReturn(ok(V2024, "{\"clusterName\":\"" + cluster + "\",\"policies\":[]}")
                            .withHeader("Deprecation", "@1767225600")
                            .withHeader("Sunset", "Thu, 01 Jul 2027 00:00:00 GMT")));
        }
        atlas.stubFor(get(urlPathEqualTo(API + "/encryptionAtRest")).willReturn(ok(V2023, encryptionAtRest(KEY_ID, true))));
        AtlasClient client = client();

        String log = capturingTheLog(() -> {
            client.getBackupSchedule(GROUP, "orders");
            client.getBackupSchedule(GROUP, "billing");
            client.getBackupSchedule(GROUP, "orders");
            client.getEncryptionAtRest(GROUP);
        });

        assertThat(log.lines().filter(l -> l.contains("deprecated")).toList()).singleElement().satisfies(line -> assertThat(line)
                .contains("WARN")
                .contains("GET /api/atlas/v2/groups/{groupId}/clusters/{clusterName}/backup/schedule")
                .contains(V2024)
                .contains("Sunset: Thu, 01 Jul 2027 00:00:00 GMT")
                .doesNotContain(GROUP));
    }

    @Test
    void operationTemplates_hideTheProjectTheClusterAndTheSnapshot() {
        assertThat(AtlasClient.operation("/api/atlas/v2/groups/" + GROUP + "/clusters/orders/backup/snapshots/shardedClusters"))
                .isEqualTo("/api/atlas/v2/groups/{groupId}/clusters/{clusterName}/backup/snapshots/shardedClusters");
        assertThat(AtlasClient.operation("/api/atlas/v2/groups/" + GROUP + "/clusters/orders/backup/snapshots/" + hexId(3)))
                .isEqualTo("/api/atlas/v2/groups/{groupId}/clusters/{clusterName}/backup/snapshots/{snapshotId}");
        assertThat(AtlasClient.operation("/api/atlas/v2/groups/" + GROUP + "/events"))
                .isEqualTo("/api/atlas/v2/groups/{groupId}/events");
    }

    /** What the functions log while {@code action} runs (one JSON line per event, on standard output). */
    private static String capturingTheLog(Runnable action) {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream original = System.out;
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            action.run();
        } finally {
            System.setOut(original);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }

    // ------------------------------------------------------------------ cloud provider access and events

    @Test
    void listCloudProviderAccessRoles_mapsTheAwsIamRoles() {
        atlas.stubFor(get(urlPathEqualTo(API + "/cloudProviderAccess")).withHeader("Accept", equalTo(V2023))
                .willReturn(ok(V2023, "{\"awsIamRoles\":[{\"providerName\":\"AWS\",\"roleId\":\"" + ROLE_ID + "\","
                        + "\"iamAssumedRoleArn\":\"arn:aws:iam::123456789012:role/atlas-kms\","
                        + "\"atlasAWSAccountArn\":\"arn:aws:iam::772401394250:root\","
                        + "\"atlasAssumedRoleExternalId\":\"24be4bb8-9be3-4c8b-8d4a-7a1b3c5d7e9f\","
                        + "\"authorizedDate\":\"2024-05-01T10:00:00Z\","
                        + "\"featureUsages\":[]}],\"azureServicePrincipals\":[],\"gcpServiceAccounts\":[]}")));

        assertThat(client().listCloudProviderAccessRoles(GROUP)).containsExactly(new CloudProviderAccessRole(ROLE_ID,
                "AWS", "arn:aws:iam::123456789012:role/atlas-kms", "arn:aws:iam::772401394250:root",
                java.time.Instant.parse("2024-05-01T10:00:00Z")));
    }

    @Test
    void listEvents_filtersByTypeAndMinDate() {
        // Paging is the same code as for clusters and snapshots (tested there over 3 pages); a full page
        // of 500 events costs seconds to validate against the events oneOf, so one short page here.
        String path = API + "/events";
        atlas.stubFor(get(urlPathEqualTo(path)).withQueryParam("pageNum", equalTo("1"))
                .withQueryParam("itemsPerPage", equalTo("500"))
                .withQueryParam("eventType", equalTo("AWS_ENCRYPTION_KEY_ROTATED"))
                .withQueryParam("minDate", equalTo("2025-02-01T00:00:00Z"))
                .willReturn(ok(V2023, page(List.of(event(1), event(2), event(3)), 3))));

        List<AtlasEvent> events = client().listEvents(GROUP, "AWS_ENCRYPTION_KEY_ROTATED",
                Instant.parse("2025-02-01T00:00:00Z"));

        assertThat(events).hasSize(3).first().isEqualTo(new AtlasEvent(hexId(1), "AWS_ENCRYPTION_KEY_ROTATED",
                Instant.parse("2025-02-10T00:00:00Z")));
        assertThat(gets(path)).hasSize(1);
    }

    private static String event(int n) {
        return "{\"id\":\"" + hexId(n) + "\",\"created\":\"2025-02-10T00:00:00Z\","
                + "\"eventTypeName\":\"AWS_ENCRYPTION_KEY_ROTATED\",\"groupId\":\"" + GROUP + "\",\"isGlobalAdmin\":false}";
    }
}
