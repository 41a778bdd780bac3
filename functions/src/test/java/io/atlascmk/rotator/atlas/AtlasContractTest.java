package io.atlascmk.rotator.atlas;

import com.atlassian.oai.validator.report.ValidationReport;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.atlascmk.contract.AtlasContract;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.atlascmk.rotator.atlas.AtlasFixtures.API;
import static io.atlascmk.rotator.atlas.AtlasFixtures.KEY_ID;
import static io.atlascmk.rotator.atlas.AtlasFixtures.ROLE_ID;
import static io.atlascmk.rotator.atlas.AtlasFixtures.V2023;
import static io.atlascmk.rotator.atlas.AtlasFixtures.V2024;
import static io.atlascmk.rotator.atlas.AtlasFixtures.cluster;
import static io.atlascmk.rotator.atlas.AtlasFixtures.encryptionAtRest;
import static io.atlascmk.rotator.atlas.AtlasFixtures.ok;
import static io.atlascmk.rotator.atlas.AtlasFixtures.page;
import static io.atlascmk.rotator.atlas.AtlasFixtures.snapshot;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Proves the contract check the client's tests rely on has teeth: the project's contract accepts what the
 * client sends and the fixtures serve, and rejects requests and responses that stray from it, including
 * through WireMock serve events ({@link AtlasExchanges}).
 */
class AtlasContractTest {

    private static final AtlasContract CONTRACT = AtlasContract.shared();
    private static final AtlasExchanges EXCHANGES = AtlasExchanges.shared();

    @RegisterExtension
    static WireMockExtension atlas = AtlasFixtures.wireMock();

    private static final String GOOD_PATCH = "{\"awsKms\":{\"enabled\":true,\"customerMasterKeyID\":\"" + KEY_ID
            + "\",\"region\":\"US_EAST_1\",\"roleId\":\"" + ROLE_ID + "\"}}";

    private static List<String> errors(ValidationReport report) {
        return AtlasContract.errors(report);
    }

    private static ValidationReport patch(String contentType, String body) {
        return CONTRACT.validateRequest("PATCH", API + "/encryptionAtRest",
                Map.of("Accept", List.of(V2023), "Content-Type", List.of(contentType)), body);
    }

    @Test
    void contractAcceptsThePatchTheClientSends() {
        assertThat(errors(patch(V2023, GOOD_PATCH))).isEmpty();
    }

    @Test
    void contractRejectsAPatchCarryingTheReadOnlyValidFlag() {
        String withValid = GOOD_PATCH.replace("}}", ",\"valid\":true}}");

        assertThat(errors(patch(V2023, withValid))).anySatisfy(e -> assertThat(e).contains("readOnly").contains("valid"));
    }

    @Test
    void contractRejectsAPatchWithAnUndefinedMediaType() {
        assertThat(errors(patch("application/json", GOOD_PATCH)))
                .anySatisfy(e -> assertThat(e).startsWith("validation.request.contentType.notAllowed"));
    }

    @Test
    void contractRejectsAPatchWithAWrongRegionOrRoleId() {
        assertThat(errors(patch(V2023, GOOD_PATCH.replace("US_EAST_1", "us-east-1")))).isNotEmpty();
        assertThat(errors(patch(V2023, GOOD_PATCH.replace(ROLE_ID, "not-a-role-id")))).isNotEmpty();
    }

    @Test
    void contractRejectsPagingBeyondTheMaximumPageSizeAndUnknownParameters() {
        Map<String, List<String>> accept = Map.of("Accept", List.of(V2024));
        assertThat(errors(CONTRACT.validateRequest("GET", API + "/clusters?itemsPerPage=500&pageNum=1", accept, null)))
                .isEmpty();
        assertThat(errors(CONTRACT.validateRequest("GET", API + "/clusters?itemsPerPage=501&pageNum=1", accept, null)))
                .isNotEmpty();
        assertThat(errors(CONTRACT.validateRequest("GET", API + "/clusters?pageNum=0", accept, null)))
                .isNotEmpty();
        assertThat(errors(CONTRACT.validateRequest("GET", API + "/clusters?page=2", accept, null)))
                .anySatisfy(e -> assertThat(e).startsWith("validation.request.parameter.query.unexpected"));
    }

    @Test
    void contractChecksEventTypeValuesAgainstItsEnum() {
        Map<String, List<String>> accept = Map.of("Accept", List.of(V2023));
        String events = API + "/events?itemsPerPage=500&pageNum=1&minDate=2025-01-01T00%3A00%3A00Z&eventType=";

        assertThat(errors(CONTRACT.validateRequest("GET", events + "AWS_ENCRYPTION_KEY_ROTATED", accept, null))).isEmpty();
        assertThat(errors(CONTRACT.validateRequest("GET", events + "AWS_KEY_ROTATED", accept, null)))
                .anySatisfy(e -> assertThat(e).startsWith("validation.request.parameter.schema.enum").contains("AWS_KEY_ROTATED"));
        assertThat(errors(CONTRACT.validateRequest("GET", API + "/events?minDate=yesterday", accept, null)))
                .isNotEmpty();
    }

    @Test
    void contractRejectsAnAcceptHeaderTheOperationDoesNotServe() {
        Map<String, List<String>> accept = Map.of("Accept", List.of("application/vnd.atlas.2099-01-01+json"));
        assertThat(errors(CONTRACT.validateRequest("GET", API + "/encryptionAtRest", accept, null)))
                .anySatisfy(e -> assertThat(e).startsWith("validation.request.accept.notAllowed"));
    }

    @Test
    void contractAcceptsRoleIdInAnEncryptionAtRestAnswerButNoFieldItDoesNotName() {
        Map<String, List<String>> json = Map.of("Content-Type", List.of(V2023));
        assertThat(errors(CONTRACT.validateResponse("GET", API + "/encryptionAtRest", 200, json,
                encryptionAtRest(KEY_ID, true)))).isEmpty();

        String leaky = encryptionAtRest(KEY_ID, true).replace("\"valid\"", "\"secretAccessKey\":\"x\",\"valid\"");
        assertThat(errors(CONTRACT.validateResponse("GET", API + "/encryptionAtRest", 200, json, leaky)))
                .anySatisfy(e -> assertThat(e).contains("additionalProperties").contains("secretAccessKey"));
    }

    @Test
    void contractRejectsResponsesWithWrongEnumsTypesOrMediaTypes() {
        Map<String, List<String>> v2024 = Map.of("Content-Type", List.of(V2024));
        assertThat(errors(CONTRACT.validateResponse("GET", API + "/clusters/c0", 200, v2024,
                cluster("c0", "REPLICASET", "IDLE", true)))).isEmpty();
        assertThat(errors(CONTRACT.validateResponse("GET", API + "/clusters/c0", 200, v2024,
                cluster("c0", "REPLICASET", "SLEEPING", true)))).isNotEmpty();
        assertThat(errors(CONTRACT.validateResponse("GET", API + "/clusters/c0", 200, v2024,
                cluster("c0", "REPLICASET", "IDLE", true).replace("\"pitEnabled\":true", "\"pitEnabled\":\"yes\""))))
                .isNotEmpty();
        assertThat(errors(CONTRACT.validateResponse("GET", API + "/clusters/c0", 200,
                Map.of("Content-Type", List.of("application/json")), cluster("c0", "REPLICASET", "IDLE", true))))
                .isNotEmpty();

        Map<String, List<String>> v2023 = Map.of("Content-Type", List.of(V2023));
        String snapshots = API + "/clusters/c0/backup/snapshots";
        assertThat(errors(CONTRACT.validateResponse("GET", snapshots, 200, v2023,
                page(List.of(snapshot(1, KEY_ID)), 1)))).isEmpty();
        assertThat(errors(CONTRACT.validateResponse("GET", snapshots, 200, v2023,
                page(List.of(snapshot(1, KEY_ID).replace("completed", "done")), 1)))).isNotEmpty();
        assertThat(errors(CONTRACT.validateResponse("GET", snapshots, 200, v2023, "{\"items\":[]}"))).isNotEmpty();
    }

    @Test
    void serveEventCheck_flagsAStrayRequestAndAnOffSpecStubResponse() throws Exception {
        atlas.stubFor(get(urlPathEqualTo(API + "/clusters/c0")).willReturn(ok(V2024,
                cluster("c0", "REPLICASET", "IDLE", false))));
        atlas.stubFor(get(urlPathEqualTo(API + "/encryptionAtRest")).willReturn(ok(V2023, "{\"awsKms\":{\"enabled\":\"yes\"}}")));
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

        send(http, API + "/clusters/c0", V2024);
        assertThat(EXCHANGES.violations(atlas.getAllServeEvents())).isEmpty();

        send(http, API + "/clusters/c0?verbose=true", "application/vnd.atlas.1999-01-01+json");
        send(http, API + "/encryptionAtRest", V2023);
        send(http, API + "/no-such-operation", V2023);

        List<String> violations = EXCHANGES.violations(atlas.getAllServeEvents());
        assertThat(violations)
                .anySatisfy(v -> assertThat(v).contains("/clusters/c0?verbose=true (request)").contains("query.unexpected"))
                .anySatisfy(v -> assertThat(v).contains("/clusters/c0?verbose=true (request)").contains("accept.notAllowed"))
                .anySatisfy(v -> assertThat(v).contains("/encryptionAtRest (response 200)").contains("enabled"))
                .anySatisfy(v -> assertThat(v).contains("/no-such-operation").contains("no stub matched"));
    }

    private static void send(HttpClient http, String target, String accept) throws Exception {
        http.send(HttpRequest.newBuilder(URI.create(atlas.baseUrl() + target)).header("Accept", accept).GET().build(),
                HttpResponse.BodyHandlers.discarding());
    }
}
