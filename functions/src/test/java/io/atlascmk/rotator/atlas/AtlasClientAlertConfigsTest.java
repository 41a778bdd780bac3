package io.atlascmk.rotator.atlas;

import io.atlascmk.sandbox.atlas.AlertConfigRecord;
import io.atlascmk.sandbox.atlas.AtlasOperation;
import io.atlascmk.sandbox.atlas.AtlasProject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The client's alert configuration and private endpoint operations against the sandbox's Atlas simulator; every
 * request, its body included, held against the project's contract.
 */
class AtlasClientAlertConfigsTest {

    private static final String URL = "https://abc123.lambda-url.us-east-1.on.aws/";
    private static final String SECRET = "whsec-client-test";

    private final SimulatedAtlas sim = new SimulatedAtlas();
    private final AtlasProject project = sim.atlas().createProject();
    private final AtlasClient client = sim.client();

    @AfterEach
    void stop() {
        sim.close();
    }

    private static AlertConfig config(int days) {
        return new AlertConfig(null, AlertConfig.AWS_ENCRYPTION_KEY_NEEDS_ROTATION, true, AlertThreshold.greaterThanDays(days),
                List.of(AlertNotification.webhook(URL, SECRET, 60)));
    }

    @Test
    void createsListsAndReplaces_withinTheContract() {
        AlertConfig created = client.createAlertConfig(project.groupId(), config(90));
        AlertConfig replaced = client.updateAlertConfig(project.groupId(), created.id(), config(120));
        List<AlertConfig> listed = client.listAlertConfigs(project.groupId());

        assertThat(created.id()).matches("[0-9a-f]{24}");
        assertThat(replaced.threshold()).isEqualTo(AlertThreshold.greaterThanDays(120));
        assertThat(listed).singleElement().satisfies(c -> {
            assertThat(c.eventTypeName()).isEqualTo("AWS_ENCRYPTION_KEY_NEEDS_ROTATION");
            assertThat(c.notifications().get(0).webhookUrl()).isEqualTo(URL + "****");
            assertThat(c.notifications().get(0).webhookSecret()).doesNotContain(SECRET);
        });
        assertThat(project.alertConfigs().get(0).notifications().get(0).webhookSecret()).isEqualTo(SECRET);
        assertThat(sim.requestsOutsideTheContract(AtlasClient.MEDIA_TYPE_2023_01_01)).isEmpty();
        assertThat(config(90).toString()).doesNotContain(SECRET);
    }

    @Test
    void listReadsEveryPage() {
        for (int i = 0; i < 501; i++) {
            project.addAlertConfig(AlertConfigRecord.webhook("AWS_ENCRYPTION_KEY_INVALID", 0, URL + i, SECRET));
        }

        assertThat(client.listAlertConfigs(project.groupId())).hasSize(501);
        assertThat(sim.atlas().calls(AtlasOperation.LIST_ALERT_CONFIGS)).isEqualTo(2);
    }

    @Test
    void aRefusedBodyIsAnInvalidRequest_whoseMessageHoldsNoSecret() {
        AlertConfig tooOften = new AlertConfig(null, AlertConfig.AWS_ENCRYPTION_KEY_NEEDS_ROTATION, true,
                AlertThreshold.greaterThanDays(90), List.of(AlertNotification.webhook(URL, SECRET, 4)));

        assertThatThrownBy(() -> client.createAlertConfig(project.groupId(), tooOften))
                .isInstanceOf(AtlasInvalidRequestException.class)
                .hasMessageContaining("intervalMin").satisfies(e -> assertThat(e.getMessage()).doesNotContain(SECRET));
    }

    @Test
    void privateEndpointsAndTheRolesAuthorizationAreRead() {
        project.addEncryptionAtRestPrivateEndpoint("US_EAST_1", "ACTIVE");
        project.addEncryptionAtRestPrivateEndpoint("EU_WEST_1", "PENDING_ACCEPTANCE");
        project.addAwsIamRole("arn:aws:iam::111122223333:role/atlas");

        List<EncryptionAtRestPrivateEndpoint> endpoints = client.listEncryptionAtRestPrivateEndpoints(project.groupId(), "AWS");
        List<CloudProviderAccessRole> roles = client.listCloudProviderAccessRoles(project.groupId());

        assertThat(endpoints).extracting(EncryptionAtRestPrivateEndpoint::regionName, EncryptionAtRestPrivateEndpoint::isActive)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("US_EAST_1", true),
                        org.assertj.core.groups.Tuple.tuple("EU_WEST_1", false));
        assertThat(roles).singleElement().satisfies(r -> assertThat(r.isAuthorized()).isTrue());
        assertThat(sim.requestsOutsideTheContract(AtlasClient.MEDIA_TYPE_2023_01_01)).isEmpty();
    }
}
