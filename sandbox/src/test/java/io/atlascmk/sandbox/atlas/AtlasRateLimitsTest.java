package io.atlascmk.sandbox.atlas;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.atlascmk.sandbox.atlas.AtlasFixtures.API;
import static io.atlascmk.sandbox.atlas.AtlasFixtures.PUBLIC_KEY;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code GET /api/atlas/v2/rateLimits} as Atlas answers it: every endpoint set in every scope with Atlas's published
 * limits, one scope with {@code groupId} or {@code orgId} when the credentials hold the role that needs, 401 when
 * they do not, 403 for credentials whose API access list does not hold the caller. Every exchange is checked
 * against the contract.
 */
class AtlasRateLimitsTest extends AtlasSimulatorFixture {

    private static final String RATE_LIMITS = "/api/atlas/v2/rateLimits";

    AtlasRateLimitsTest() {
        super(Login.API_KEY);
    }

    private static JsonNode set(JsonNode page, String endpointSetId) {
        for (JsonNode s : page.get("results")) {
            if (s.get("endpointSetId").asText().equals(endpointSetId)) {
                return s;
            }
        }
        throw new AssertionError("no endpoint set " + endpointSetId + " in " + page);
    }

    private static List<String> scopes(JsonNode page) {
        List<String> out = new ArrayList<>();
        page.get("results").forEach(s -> out.add(s.get("scope").asText()));
        return out;
    }

    @Test
    void withoutAFilter_everyScopeIsListed_withAtlasPublishedLimits_andTheEndpointsThatShareThem() {
        JsonNode page = client.get(RATE_LIMITS + "?itemsPerPage=500&pageNum=1").json();

        assertThat(scopes(page)).contains("GROUP", "ORGANIZATION", "USER", "IP");
        assertThat(page.get("totalCount").asInt()).isEqualTo(page.get("results").size());
        JsonNode backups = set(page, "cloudBackups_group");
        assertThat(backups.get("endpointSetName").asText()).isEqualTo("Cloud Backups");
        assertThat(backups.get("scope").asText()).isEqualTo("GROUP");
        assertThat(backups.get("capacity").get("value").asLong()).isEqualTo(1_200);
        assertThat(backups.get("capacity").has("defaultValue")).as("no override").isFalse();
        assertThat(backups.get("refillRate").get("value").asLong()).isEqualTo(500);
        assertThat(backups.get("refillDurationSeconds").get("value").asLong()).isEqualTo(60);
        assertThat(backups.get("endpoints")).anySatisfy(e -> {
            assertThat(e.get("method").asText()).isEqualTo("GET");
            assertThat(e.get("path").asText()).isEqualTo("/api/atlas/v2/groups/{groupId}/clusters/{clusterName}/backup/snapshots");
        });
        assertThat(set(page, "encryptionAtRestUsingCustomerKeyManagement_group").get("capacity").get("value").asLong())
                .isEqualTo(2_000);
        assertThat(set(page, "projects_user").get("endpoints")).anySatisfy(e ->
                assertThat(e.get("path").asText()).isEqualTo("/api/atlas/v2/groups"));
    }

    @Test
    void aProjectOrAnOrganization_selectsTheSetsOfItsScope() {
        JsonNode project = client.get(RATE_LIMITS + "?groupId=" + AtlasFixtures.GROUP_ID).json();
        JsonNode organization = client.get(RATE_LIMITS + "?orgId=" + AtlasSimulator.ORG_ID).json();

        assertThat(scopes(project)).isNotEmpty().containsOnly("GROUP");
        assertThat(scopes(organization)).isNotEmpty().containsOnly("ORGANIZATION");
        assertThat(set(organization, "organizations_organization").get("capacity").get("value").asLong()).isEqualTo(500);
    }

    @Test
    void credentialsWithProjectRolesOnly_read_everyAndTheProjectsLimits_butNotTheOrganizations() {
        atlas.removeOrganizationRole(PUBLIC_KEY);

        client.get(RATE_LIMITS);
        client.get(RATE_LIMITS + "?groupId=" + AtlasFixtures.GROUP_ID);
        AtlasTestClient.Exchange organization = client.call("GET", RATE_LIMITS + "?orgId=" + AtlasSimulator.ORG_ID, null)
                .assertStatus(401);
        AtlasTestClient.Exchange orgProjects = client.call("GET", "/api/atlas/v2/orgs/" + AtlasSimulator.ORG_ID + "/groups", null)
                .assertStatus(401);

        assertThat(organization.json().get("errorCode").asText()).isEqualTo("USER_UNAUTHORIZED");
        assertThat(orgProjects.json().get("errorCode").asText()).isEqualTo("USER_UNAUTHORIZED");
    }

    @Test
    void aProjectOrOrganizationTheCredentialsHoldNoRoleOn_is401_neverA404TheOperationDoesNotDefine() {
        client.call("GET", RATE_LIMITS + "?groupId=6aaaaaaaaaaaaaaaaaaaaaaa", null).assertStatus(401);
        client.call("GET", RATE_LIMITS + "?orgId=6bbbbbbbbbbbbbbbbbbbbbbb", null).assertStatus(401);
    }

    @Test
    void credentialsOffTheirAccessList_get403_onEveryCall() {
        atlas.removeFromAccessList(PUBLIC_KEY);

        AtlasTestClient.Exchange limits = client.call("GET", RATE_LIMITS, null).assertStatus(403);
        client.call("GET", API + "/encryptionAtRest", null).assertStatus(403);

        assertThat(limits.json().get("errorCode").asText()).isEqualTo("IP_ADDRESS_NOT_ON_ACCESS_LIST");
        assertThat(limits.json().get("detail").asText()).contains("127.0.0.1");
    }

    @Test
    void anOverride_isTheAppliedCapacity_withThePublishedOneAsItsDefault() {
        atlas.overrideRateLimitCapacity("projects_user", 3);

        JsonNode projects = set(client.get(RATE_LIMITS).json(), "projects_user");

        assertThat(projects.get("capacity").get("value").asLong()).isEqualTo(3);
        assertThat(projects.get("capacity").get("defaultValue").asLong()).isEqualTo(1_200);
    }

    @Test
    void theListPages_likeEveryAtlasList() {
        int all = client.get(RATE_LIMITS).json().get("totalCount").asInt();
        List<String> ids = new ArrayList<>();
        for (int page = 1; page <= (all + 4) / 5; page++) {
            client.get(RATE_LIMITS + "?itemsPerPage=5&pageNum=" + page).json().get("results")
                    .forEach(s -> ids.add(s.get("endpointSetId").asText()));
        }

        assertThat(ids).doesNotHaveDuplicates().hasSize(all).containsExactlyElementsOf(atlas.rateLimitEndpointSetIds());
    }
}
