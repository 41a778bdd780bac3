package io.atlascmk.sandbox.atlas;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.atlascmk.sandbox.atlas.AtlasFixtures.API;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The simulator's alert configurations (list with paging, create, replace, Atlas's refusals, redacted webhook URL and
 * secret) and encryption-at-rest private endpoints; every exchange checked against the contract.
 */
class AtlasAlertConfigsTest extends AtlasSimulatorFixture {

    static final String URL = "https://abc123.lambda-url.us-east-1.on.aws/";
    static final String SECRET = "whsec-do-not-show";

    AtlasAlertConfigsTest() {
        super(Login.SERVICE_ACCOUNT);
    }

    /** A key-needs-rotation configuration with one webhook, as the rotator sends it. */
    static String body(int days, String url, String secret) {
        return "{\"enabled\":true,\"eventTypeName\":\"AWS_ENCRYPTION_KEY_NEEDS_ROTATION\",\"threshold\":{\"operator\":"
                + "\"GREATER_THAN\",\"threshold\":" + days + ",\"units\":\"DAYS\"},\"notifications\":[{\"typeName\":\"WEBHOOK\","
                + "\"intervalMin\":60,\"delayMin\":0,\"webhookUrl\":\"" + url + "\",\"webhookSecret\":\"" + secret + "\"}]}";
    }

    @Test
    void create_storesTheConfiguration_andAnswersItWithTheUrlAndSecretRedacted() {
        AtlasTestClient.Exchange created = client.call("POST", API + "/alertConfigs", body(90, URL + "hook?x=1", SECRET)).assertStatus(200);

        JsonNode answer = created.json();
        assertThat(answer.get("id").asText()).matches("[0-9a-f]{24}");
        assertThat(answer.get("threshold").get("threshold").asInt()).isEqualTo(90);
        JsonNode webhook = answer.get("notifications").get(0);
        assertThat(webhook.get("webhookUrl").asText()).isEqualTo(URL + "****");
        assertThat(webhook.get("webhookSecret").asText()).matches("\\*+");
        assertThat(created.body()).doesNotContain(SECRET);
        assertThat(project.alertConfigs()).singleElement().satisfies(c -> {
            assertThat(c.notifications().get(0).webhookSecret()).isEqualTo(SECRET);
            assertThat(c.notifications().get(0).webhookUrl()).isEqualTo(URL + "hook?x=1");
            assertThat(c.toString()).doesNotContain(SECRET);
        });
    }

    @Test
    void put_replacesTheWholeConfiguration_andAnUnknownIdIs404() {
        String id = client.call("POST", API + "/alertConfigs", body(90, URL, SECRET)).assertStatus(200).json().get("id").asText();
        clock.advance(java.time.Duration.ofMinutes(5));

        JsonNode replaced = client.call("PUT", API + "/alertConfigs/" + id, body(400, URL, "new-secret")).assertStatus(200).json();

        assertThat(replaced.get("id").asText()).isEqualTo(id);
        assertThat(replaced.get("threshold").get("threshold").asInt()).isEqualTo(400);
        assertThat(replaced.get("updated").asText()).isNotEqualTo(replaced.get("created").asText());
        assertThat(project.alertConfigs()).singleElement().satisfies(c -> assertThat(c.notifications().get(0).webhookSecret()).isEqualTo("new-secret"));
        AtlasTestClient.Exchange missing = client.call("PUT", API + "/alertConfigs/" + "0".repeat(24), body(90, URL, SECRET));
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.json().get("errorCode").asText()).isEqualTo("ALERT_CONFIG_NOT_FOUND");
    }

    @Test
    void list_pagesTheConfigurations() {
        for (int i = 0; i < 5; i++) {
            project.addAlertConfig(AlertConfigRecord.webhook("AWS_ENCRYPTION_KEY_NEEDS_ROTATION", 30 + i, URL + i, SECRET));
        }

        JsonNode first = client.get(API + "/alertConfigs?itemsPerPage=2&pageNum=1").json();
        JsonNode last = client.get(API + "/alertConfigs?itemsPerPage=2&pageNum=3").json();

        assertThat(first.get("totalCount").asInt()).isEqualTo(5);
        assertThat(first.get("results")).hasSize(2);
        assertThat(last.get("results")).hasSize(1);
        assertThat(last.get("results").get(0).get("threshold").get("threshold").asInt()).isEqualTo(34);
    }

    @Test
    void bodiesAtlasWouldRefuse_areRefusedWithItsCodes_andNoDetailShowsTheSecret() {
        List<String[]> cases = new ArrayList<>();
        cases.add(new String[] {"{\"eventTypeName\":", "INVALID_JSON"});
        cases.add(new String[] {body(90, URL, SECRET).replace("\"eventTypeName\":\"AWS_ENCRYPTION_KEY_NEEDS_ROTATION\",", ""), "MISSING_ATTRIBUTE"});
        cases.add(new String[] {body(90, URL, SECRET).replace("AWS_ENCRYPTION_KEY_NEEDS_ROTATION", "KEY_TOO_OLD"), "INVALID_EVENT_TYPE_FOR_ALERT"});
        cases.add(new String[] {body(90, URL, SECRET).replace("\"intervalMin\":60", "\"intervalMin\":4"), "INVALID_ATTRIBUTE"});
        cases.add(new String[] {body(90, URL, SECRET).replace(",\"webhookSecret\":\"" + SECRET + "\"", ""), "MISSING_ATTRIBUTE"});
        cases.add(new String[] {body(90, URL, SECRET).replace("\"webhookUrl\":\"" + URL + "\",", ""), "MISSING_ATTRIBUTE"});
        cases.add(new String[] {body(90, "ftp://files.example.com/", SECRET), "INVALID_ATTRIBUTE"});
        cases.add(new String[] {body(90, URL, "****"), "INVALID_ATTRIBUTE"});
        cases.add(new String[] {body(0, URL, SECRET), "INVALID_ATTRIBUTE"});
        cases.add(new String[] {body(90, URL, SECRET).replace("GREATER_THAN", "LESS_THAN"), "INVALID_ATTRIBUTE"});
        cases.add(new String[] {body(90, URL, SECRET).replace("\"DAYS\"", "\"HOURS\""), "INVALID_ATTRIBUTE"});
        cases.add(new String[] {body(90, URL, SECRET).replace("\"threshold\":{\"operator\":\"GREATER_THAN\",\"threshold\":90,\"units\":\"DAYS\"},", ""), "MISSING_ATTRIBUTE"});
        cases.add(new String[] {body(90, URL, SECRET).replace("\"notifications\":[{", "\"notifications\":[],\"x\":[{"), "INVALID_JSON_ATTRIBUTE"});
        cases.add(new String[] {body(90, URL, SECRET).replace("{\"enabled\"", "{\"id\":\"" + "a".repeat(24) + "\",\"enabled\""), "ATTRIBUTE_READ_ONLY"});

        for (String[] c : cases) {
            AtlasTestClient.Exchange refused = client.send("POST", API + "/alertConfigs", AtlasTestClient.V2023, c[0]);
            assertThat(refused.status()).as(c[0]).isEqualTo(400);
            refused.assertResponseConforms();
            assertThat(refused.json().get("errorCode").asText()).as(c[0]).isEqualTo(c[1]);
            assertThat(refused.body()).doesNotContain(SECRET);
        }
        assertThat(project.alertConfigs()).isEmpty();
    }

    @Test
    void privateEndpoints_areListedWithTheirStatus_onlyForAws() {
        project.addEncryptionAtRestPrivateEndpoint("US_EAST_1", "PENDING_ACCEPTANCE");
        project.addEncryptionAtRestPrivateEndpoint("EU_WEST_1", "ACTIVE");
        project.addEncryptionAtRestPrivateEndpoint("US_EAST_1", "FAILED");

        JsonNode aws = client.get(API + "/encryptionAtRest/AWS/privateEndpoints?itemsPerPage=500&pageNum=1").json();
        JsonNode azure = client.get(API + "/encryptionAtRest/AZURE/privateEndpoints").json();
        AtlasTestClient.Exchange gcp = client.send("GET", API + "/encryptionAtRest/GCP/privateEndpoints", AtlasTestClient.V2023, null);

        assertThat(aws.get("totalCount").asInt()).isEqualTo(3);
        assertThat(aws.get("results").findValuesAsText("status")).containsExactly("PENDING_ACCEPTANCE", "ACTIVE", "FAILED");
        assertThat(aws.get("results").get(2).get("errorMessage").asText()).isNotBlank();
        assertThat(azure.get("results")).isEmpty();
        assertThat(gcp.status()).isEqualTo(400);
    }

    @Test
    void cloudProviderAccess_showsAuthorizedDateOnlyForAnAuthorizedRole() {
        project.addAwsIamRole(new AwsIamRole("b".repeat(24), "arn:aws:iam::111122223333:role/pending", AtlasProject.DEFAULT_ATLAS_AWS_ACCOUNT_ARN,
                "5d0f6c4e-3b2a-4c1d-9e8f-7a6b5c4d3e2f", AtlasFixtures.T0, null));

        JsonNode roles = client.get(API + "/cloudProviderAccess").json().get("awsIamRoles");

        assertThat(roles).hasSize(2);
        assertThat(roles.get(0).has("authorizedDate")).isTrue();
        assertThat(roles.get(1).has("authorizedDate")).isFalse();
    }
}
