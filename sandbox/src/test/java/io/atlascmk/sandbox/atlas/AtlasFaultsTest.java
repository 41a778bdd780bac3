package io.atlascmk.sandbox.atlas;

import org.junit.jupiter.api.Test;

import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.List;

import static io.atlascmk.sandbox.atlas.AtlasFaults.CrashMode.DROP_CONNECTION;
import static io.atlascmk.sandbox.atlas.AtlasFaults.CrashMode.SERVER_ERROR;
import static io.atlascmk.sandbox.atlas.AtlasFixtures.API;
import static io.atlascmk.sandbox.atlas.AtlasFixtures.CLIENT_ID;
import static io.atlascmk.sandbox.atlas.AtlasFixtures.CLIENT_SECRET;
import static io.atlascmk.sandbox.atlas.AtlasFixtures.KEY_A;
import static io.atlascmk.sandbox.atlas.AtlasFixtures.KEY_B;
import static io.atlascmk.sandbox.atlas.AtlasFixtures.KEY_C;
import static io.atlascmk.sandbox.atlas.AtlasFixtures.awsKmsBody;
import static io.atlascmk.sandbox.atlas.AtlasOperation.GET_ENCRYPTION_AT_REST;
import static io.atlascmk.sandbox.atlas.AtlasOperation.LIST_CLUSTERS;
import static io.atlascmk.sandbox.atlas.AtlasOperation.LIST_EVENTS;
import static io.atlascmk.sandbox.atlas.AtlasOperation.LIST_REPLICA_SET_SNAPSHOTS;
import static io.atlascmk.sandbox.atlas.AtlasOperation.UPDATE_ENCRYPTION_AT_REST;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Fault switches for reliability tests, and call counting. */
class AtlasFaultsTest extends AtlasSimulatorFixture {

    AtlasFaultsTest() {
        super(Login.SERVICE_ACCOUNT);
    }

    @Override
    void seed() {
        project.addCluster(ClusterSpec.replicaSet("Orders"));
    }

    @Test
    void throttleNext_answers429WithRetryAfter_forTheNextCalls_thenRecovers() {
        atlas.faults().throttleNext(2, 7);

        AtlasTestClient.Exchange first = client.call("GET", API + "/encryptionAtRest", null);
        AtlasTestClient.Exchange second = client.call("GET", API + "/clusters", null);
        AtlasTestClient.Exchange third = client.call("GET", API + "/encryptionAtRest", null);

        for (AtlasTestClient.Exchange e : List.of(first, second)) {
            assertThat(e.status()).isEqualTo(429);
            assertThat(e.header("Retry-After")).isEqualTo("7");
            assertThat(e.json().get("errorCode").asText()).isEqualTo("RATE_LIMITED");
            assertThat(e.json().get("reason").asText()).isEqualTo("Too Many Requests");
        }
        assertThat(third.status()).isEqualTo(200);
        assertThat(atlas.faults().armed()).isZero();
    }

    @Test
    void throttleOfOneOperation_leavesTheOthersAlone() {
        atlas.faults().throttleNext(LIST_CLUSTERS, 1, 3);

        assertThat(client.call("GET", API + "/encryptionAtRest", null).status()).isEqualTo(200);
        assertThat(client.call("GET", API + "/clusters", null).status()).isEqualTo(429);
        assertThat(client.call("GET", API + "/clusters", null).status()).isEqualTo(200);
    }

    @Test
    void failNext_answers5xx_forTheNextCalls() {
        atlas.faults().failNext(LIST_EVENTS, 2, 500).failNext(GET_ENCRYPTION_AT_REST, 1, 503);

        AtlasTestClient.Exchange e1 = client.call("GET", API + "/events", null);
        AtlasTestClient.Exchange e2 = client.call("GET", API + "/events", null);
        AtlasTestClient.Exchange e3 = client.call("GET", API + "/events", null);
        AtlasTestClient.Exchange unavailable = client.send("GET", API + "/encryptionAtRest", AtlasTestClient.V2023, null);

        assertThat(List.of(e1.status(), e2.status(), e3.status())).containsExactly(500, 500, 200);
        assertThat(e1.json().get("errorCode").asText()).isEqualTo("UNEXPECTED_ERROR");
        assertThat(unavailable.status()).isEqualTo(503);
        assertThat(unavailable.json().get("errorCode").asText()).isEqualTo("SERVICE_UNAVAILABLE");
        unavailable.assertRequestConforms().assertOutsideContractStatusWithEnvelope(); // the contract lists 500 only
    }

    @Test
    void crashAfter_appliesTheNthPatch_thenAnswers500() {
        atlas.faults().crashAfter(UPDATE_ENCRYPTION_AT_REST, 2, SERVER_ERROR);

        AtlasTestClient.Exchange first = client.call("PATCH", API + "/encryptionAtRest", awsKmsBody(KEY_B, "US_EAST_1", roleId));
        clock.advance(Duration.ofMinutes(20)); // Orders has applied that key change: Atlas takes the next one
        AtlasTestClient.Exchange second = client.call("PATCH", API + "/encryptionAtRest", awsKmsBody(KEY_C, "US_EAST_1", roleId));

        assertThat(first.status()).isEqualTo(200);
        assertThat(second.status()).isEqualTo(500);
        assertThat(second.json().get("errorCode").asText()).isEqualTo("UNEXPECTED_ERROR");
        // ...but the write happened: the client must find out by reading, and a retry must be a no-op.
        assertThat(client.get(API + "/encryptionAtRest").json().get("awsKms").get("customerMasterKeyID").asText()).isEqualTo(KEY_C);
        assertThat(project.events()).extracting(AtlasEventRecord::eventTypeName).containsExactly("AWS_ENCRYPTION_KEY_ROTATED", "AWS_ENCRYPTION_KEY_ROTATED");
    }

    @Test
    void crashAfter_withDroppedConnection_appliesThePatch_andTheClientGetsNoResponse() {
        atlas.faults().crashAfter(UPDATE_ENCRYPTION_AT_REST, 1, DROP_CONNECTION);

        assertThatThrownBy(() -> client.send("PATCH", API + "/encryptionAtRest", AtlasTestClient.V2023, awsKmsBody(KEY_B, "US_EAST_1", roleId)))
                .isInstanceOf(UncheckedIOException.class);

        assertThat(project.awsKms().customerMasterKeyID()).isEqualTo(KEY_B);
        assertThat(project.cluster("Orders").stateName()).isEqualTo("UPDATING");
        assertThat(atlas.callLog()).filteredOn(c -> c.operation() == UPDATE_ENCRYPTION_AT_REST)
                .extracting(CallRecord::status).containsExactly(0);
    }

    @Test
    void rejectNext_injects403And404_withTheGivenErrorCode() {
        atlas.faults()
                .rejectNext(GET_ENCRYPTION_AT_REST, 1, 403, "USER_UNAUTHORIZED", "Current user is not authorized to perform this action.")
                .rejectNext(LIST_REPLICA_SET_SNAPSHOTS, 1, 404, "CLUSTER_NOT_FOUND", "No cluster named Orders exists.");

        AtlasTestClient.Exchange forbidden = client.call("GET", API + "/encryptionAtRest", null);
        AtlasTestClient.Exchange notFound = client.call("GET", API + "/clusters/Orders/backup/snapshots", null);

        assertThat(forbidden.status()).isEqualTo(403);
        assertThat(forbidden.json().get("errorCode").asText()).isEqualTo("USER_UNAUTHORIZED");
        assertThat(forbidden.json().get("reason").asText()).isEqualTo("Forbidden");
        assertThat(notFound.status()).isEqualTo(404);
        assertThat(notFound.json().get("errorCode").asText()).isEqualTo("CLUSTER_NOT_FOUND");
        assertThat(client.call("GET", API + "/encryptionAtRest", null).status()).isEqualTo(200);
        assertThat(client.call("GET", API + "/clusters/Orders/backup/snapshots", null).status()).isEqualTo(200);
    }

    @Test
    void rejectedPatch_changesNothing() {
        atlas.faults().rejectNext(UPDATE_ENCRYPTION_AT_REST, 1, 400, "INVALID_ATTRIBUTE", "Atlas cannot use this key.");

        AtlasTestClient.Exchange refused = client.call("PATCH", API + "/encryptionAtRest", awsKmsBody(KEY_B, "US_EAST_1", roleId));

        assertThat(refused.status()).isEqualTo(400);
        assertThat(project.awsKms().customerMasterKeyID()).isEqualTo(KEY_A);
        assertThat(project.cluster("Orders").stateName()).isEqualTo("IDLE");
    }

    @Test
    void delayNext_holdsTheResponseBack_soAClientTimeoutFires() {
        atlas.faults().delayNext(GET_ENCRYPTION_AT_REST, 1, Duration.ofSeconds(30));
        AtlasTestClient impatient = new AtlasTestClient(atlas, contract).withServiceAccount(CLIENT_ID, CLIENT_SECRET)
                .withRequestTimeout(Duration.ofMillis(200));

        assertThatThrownBy(() -> impatient.send("GET", API + "/encryptionAtRest", AtlasTestClient.V2023, null))
                .isInstanceOf(UncheckedIOException.class).hasCauseInstanceOf(HttpTimeoutException.class);
        assertThat(client.call("GET", API + "/encryptionAtRest", null).status()).isEqualTo(200);
    }

    @Test
    void tokenEndpoint_hasFaultSwitchesToo() {
        atlas.faults().throttleNext(AtlasOperation.CREATE_ACCESS_TOKEN, 1, 2)
                .crashAfter(AtlasOperation.CREATE_ACCESS_TOKEN, 2, DROP_CONNECTION);

        HttpResponse<String> throttled = client.postToken(CLIENT_ID, CLIENT_SECRET, "grant_type=client_credentials");
        assertThatThrownBy(() -> client.postToken(CLIENT_ID, CLIENT_SECRET, "grant_type=client_credentials"))
                .isInstanceOf(UncheckedIOException.class);
        HttpResponse<String> fine = client.postToken(CLIENT_ID, CLIENT_SECRET, "grant_type=client_credentials");

        assertThat(throttled.statusCode()).isEqualTo(429);
        assertThat(throttled.headers().firstValue("Retry-After")).hasValue("2");
        assertThat(fine.statusCode()).isEqualTo(200);
        assertThat(atlas.tokenRequests()).isEqualTo(1 + 3); // the one in start() and these three
        assertThat(atlas.tokensIssued()).isEqualTo(1 + 2); // the dropped request did issue a token
    }

    @Test
    void faultsActAfterAuthentication_soA401DoesNotUseOneUp() {
        atlas.faults().throttleNext(1, 1);

        AtlasTestClient.Exchange unauthenticated = new AtlasTestClient(atlas, contract).withBearer("bogus").call("GET", API + "/clusters", null);

        assertThat(unauthenticated.status()).isEqualTo(401);
        assertThat(atlas.faults().armed()).isEqualTo(1);
        assertThat(client.call("GET", API + "/clusters", null).status()).isEqualTo(429);
    }

    @Test
    void everyCallIsCountedPerOperation_whateverItsOutcome() {
        atlas.faults().failNext(LIST_CLUSTERS, 1, 500);
        client.call("GET", API + "/clusters", null);
        client.call("GET", API + "/clusters", null);
        client.call("GET", API + "/encryptionAtRest", null);
        client.call("PATCH", API + "/encryptionAtRest", awsKmsBody(KEY_B, "US_EAST_1", roleId));

        assertThat(atlas.calls(LIST_CLUSTERS)).isEqualTo(2);
        assertThat(atlas.calls(GET_ENCRYPTION_AT_REST)).isEqualTo(1);
        assertThat(atlas.calls(UPDATE_ENCRYPTION_AT_REST)).isEqualTo(1);
        assertThat(atlas.calls(AtlasOperation.CREATE_ACCESS_TOKEN)).isEqualTo(1);
        assertThat(atlas.callCounts()).containsOnlyKeys(LIST_CLUSTERS, GET_ENCRYPTION_AT_REST, UPDATE_ENCRYPTION_AT_REST,
                AtlasOperation.CREATE_ACCESS_TOKEN);
        assertThat(atlas.callLog()).filteredOn(c -> c.operation() == LIST_CLUSTERS).extracting(CallRecord::status).containsExactly(500, 200);
        assertThat(project.summary()).contains("key " + KEY_B).contains("cluster Orders (REPLICASET, AWS): UPDATING");
    }
}
