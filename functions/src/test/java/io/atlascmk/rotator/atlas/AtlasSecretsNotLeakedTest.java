package io.atlascmk.rotator.atlas;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueResponse;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static io.atlascmk.rotator.atlas.AtlasFixtures.API;
import static io.atlascmk.rotator.atlas.AtlasFixtures.CLIENT_ID;
import static io.atlascmk.rotator.atlas.AtlasFixtures.CLIENT_SECRET;
import static io.atlascmk.rotator.atlas.AtlasFixtures.GROUP;
import static io.atlascmk.rotator.atlas.AtlasFixtures.KEY_ID;
import static io.atlascmk.rotator.atlas.AtlasFixtures.PRIVATE_KEY;
import static io.atlascmk.rotator.atlas.AtlasFixtures.PUBLIC_KEY;
import static io.atlascmk.rotator.atlas.AtlasFixtures.TOKEN_1;
import static io.atlascmk.rotator.atlas.AtlasFixtures.TOKEN_2;
import static io.atlascmk.rotator.atlas.AtlasFixtures.V2023;
import static io.atlascmk.rotator.atlas.AtlasFixtures.V2024;
import static io.atlascmk.rotator.atlas.AtlasFixtures.basic;
import static io.atlascmk.rotator.atlas.AtlasFixtures.cluster;
import static io.atlascmk.rotator.atlas.AtlasFixtures.digestChallenge;
import static io.atlascmk.rotator.atlas.AtlasFixtures.encryptionAtRest;
import static io.atlascmk.rotator.atlas.AtlasFixtures.error;
import static io.atlascmk.rotator.atlas.AtlasFixtures.ok;
import static io.atlascmk.rotator.atlas.AtlasFixtures.tokenResponse;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Safety rule 8: Atlas credentials never appear in logs, outputs or exceptions. Runs every path that
 * handles a secret (token fetch and renewal, Digest answers, auth failures, retries, timeouts, bad
 * secrets) while capturing stdout/stderr (slf4j-simple writes there), then searches the captured log,
 * every exception's stack trace (messages and causes) and every toString for each secret value.
 */
class AtlasSecretsNotLeakedTest {

    private static final AtlasExchanges CONTRACT = AtlasExchanges.shared();
    private static final String EAR = API + "/encryptionAtRest";
    private static final String OTHER_SECRET = "mdb_sa_sk_RevokedSecretValue0000";
    private static final String TOKEN_IN_BROKEN_ANSWER = "eyJ.token-in-a-broken-answer.sig";

    @RegisterExtension
    static WireMockExtension atlas = AtlasFixtures.wireMock();

    private final AtlasFixtures.Harness harness = new AtlasFixtures.Harness();
    private final List<Throwable> thrown = new ArrayList<>();
    private final List<Object> printed = new ArrayList<>();

    @AfterEach
    void everyExchangeFollowsTheContract() {
        CONTRACT.assertSatisfiedBy(atlas.getAllServeEvents());
    }

    @Test
    void noSecretAppearsInLogsExceptionsOrToString() {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream originalErr = System.err;
        PrintStream originalOut = System.out;
        System.setErr(new PrintStream(new Tee(captured, originalErr), true, StandardCharsets.UTF_8));
        System.setOut(new PrintStream(new Tee(captured, originalOut), true, StandardCharsets.UTF_8));
        try {
            exerciseEveryPathThatHandlesASecret();
        } finally {
            System.setErr(originalErr);
            System.setOut(originalOut);
        }
        String logs = captured.toString(StandardCharsets.UTF_8);

        assertThat(logs).as("the capture saw the client's log lines")
                .contains("io.atlascmk.rotator.atlas.AtlasClient")
                .contains("retry 1 of")
                .contains("fetching a new one");
        assertThat(thrown).hasSizeGreaterThanOrEqualTo(8);

        StringBuilder everything = new StringBuilder(logs);
        for (Throwable t : thrown) {
            StringWriter trace = new StringWriter();
            t.printStackTrace(new PrintWriter(trace));
            everything.append('\n').append(trace);
        }
        for (Object o : printed) {
            everything.append('\n').append(o);
        }
        String basicHeader = Base64.getEncoder().encodeToString(
                (CLIENT_ID + ":" + CLIENT_SECRET).getBytes(StandardCharsets.UTF_8));
        for (String secret : List.of(CLIENT_SECRET, OTHER_SECRET, PRIVATE_KEY, TOKEN_1, TOKEN_2, TOKEN_IN_BROKEN_ANSWER,
                basicHeader, "Bearer ", "Authorization")) {
            assertThat(everything.toString()).as("output must not contain %s", secret).doesNotContain(secret);
        }
    }

    private void exerciseEveryPathThatHandlesASecret() {
        // Service account: the first token is refused (renewal), a 503 is retried, then 403 and 404.
        atlas.stubFor(post(urlPathEqualTo("/api/oauth/token")).inScenario("tokens").whenScenarioStateIs(STARTED)
                .withHeader("Authorization", equalTo(basic(CLIENT_ID, CLIENT_SECRET)))
                .willReturn(tokenResponse(TOKEN_1, 3600)).willSetStateTo("second"));
        atlas.stubFor(post(urlPathEqualTo("/api/oauth/token")).inScenario("tokens").whenScenarioStateIs("second")
                .withHeader("Authorization", equalTo(basic(CLIENT_ID, CLIENT_SECRET)))
                .willReturn(tokenResponse(TOKEN_2, 3600)));
        atlas.stubFor(get(urlPathEqualTo(EAR)).withHeader("Authorization", equalTo("Bearer " + TOKEN_1))
                .willReturn(error(401, "Unauthorized", "NOT_AUTHORIZED", "Token expired.")));
        atlas.stubFor(get(urlPathEqualTo(EAR)).withHeader("Authorization", equalTo("Bearer " + TOKEN_2))
                .inScenario("ear").whenScenarioStateIs(STARTED)
                .willReturn(error(503, "Service Unavailable", "SERVICE_UNAVAILABLE", "Busy.")).willSetStateTo("up"));
        atlas.stubFor(get(urlPathEqualTo(EAR)).withHeader("Authorization", equalTo("Bearer " + TOKEN_2))
                .inScenario("ear").whenScenarioStateIs("up").willReturn(ok(V2023, encryptionAtRest(KEY_ID, true))));
        atlas.stubFor(get(urlPathEqualTo(API + "/cloudProviderAccess"))
                .willReturn(error(403, "Forbidden", "USER_UNAUTHORIZED", "The current user is not authorized.")));
        atlas.stubFor(get(urlPathEqualTo(API + "/clusters/gone"))
                .willReturn(error(404, "Not Found", "CLUSTER_NOT_FOUND", "No cluster named gone.")));
        atlas.stubFor(get(urlPathEqualTo(API + "/clusters/slow"))
                .willReturn(ok(V2024, cluster("slow", "REPLICASET", "IDLE", false)).withFixedDelay(3000)));

        AtlasClient serviceAccount = harness.client(atlas.baseUrl(), AtlasFixtures.serviceAccount());
        printed.add(serviceAccount);
        printed.add(serviceAccount.config());
        printed.add(serviceAccount.getEncryptionAtRest(GROUP));
        capture(() -> serviceAccount.listCloudProviderAccessRoles(GROUP));
        capture(() -> serviceAccount.getCluster(GROUP, "gone"));
        AtlasClient impatient = new AtlasClient(harness.config(atlas.baseUrl()).requestTimeout(Duration.ofMillis(200))
                .retryPolicy(new RetryPolicy(2, Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(60),
                        Duration.ofSeconds(30))).build(), AtlasCredentialsProvider.of(AtlasFixtures.serviceAccount()));
        capture(() -> impatient.getCluster(GROUP, "slow"));

        // Service account whose secret was revoked: the token endpoint refuses it.
        atlas.stubFor(post(urlPathEqualTo("/api/oauth/token"))
                .withHeader("Authorization", equalTo(basic(CLIENT_ID, OTHER_SECRET)))
                .willReturn(aResponse().withStatus(401).withHeader("Content-Type", "application/json")
                        .withBody("{\"error\":\"invalid_client\",\"error_description\":\"Invalid client secret\"}")));
        AtlasCredentials revoked = AtlasCredentials.serviceAccount(CLIENT_ID, OTHER_SECRET);
        printed.add(revoked);
        capture(() -> harness.client(atlas.baseUrl(), revoked).getEncryptionAtRest(GROUP));

        // A token endpoint (wrong base URL?) answering 200 with a body that is not the expected JSON.
        atlas.stubFor(post(urlPathEqualTo("/broken/api/oauth/token")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "text/plain").withBody("access_token=" + TOKEN_IN_BROKEN_ANSWER)));
        capture(() -> harness.client(atlas.baseUrl() + "/broken", AtlasFixtures.serviceAccount())
                .getEncryptionAtRest(GROUP));

        // API key: the challenge is answered; a wrong private key is refused.
        atlas.stubFor(get(urlPathEqualTo(API + "/clusters/orders")).withHeader("Authorization", absent())
                .atPriority(5).willReturn(digestChallenge("n-1", false)));
        atlas.stubFor(get(urlPathEqualTo(API + "/clusters/orders"))
                .andMatching(DigestMatcher.answering("n-1", PUBLIC_KEY, PRIVATE_KEY)).atPriority(1)
                .willReturn(ok(V2024, cluster("orders", "REPLICASET", "IDLE", false))));
        atlas.stubFor(get(urlPathEqualTo(API + "/clusters/orders")).withHeader("Authorization", matching("Digest .*"))
                .atPriority(3).willReturn(digestChallenge("n-2", false)));
        printed.add(harness.client(atlas.baseUrl(), AtlasFixtures.apiKey()).getCluster(GROUP, "orders"));
        capture(() -> harness.client(atlas.baseUrl(), AtlasCredentials.apiKey(PUBLIC_KEY, OTHER_SECRET))
                .getCluster(GROUP, "orders"));
        printed.add(AtlasFixtures.apiKey());

        // Secrets of the wrong shape, directly and through Secrets Manager.
        capture(() -> AtlasCredentials.parse("{\"user\":\"" + CLIENT_ID + "\",\"password\":\"" + CLIENT_SECRET + "\"}"));
        capture(() -> AtlasCredentials.parse("{clientSecret: " + CLIENT_SECRET + "}"));
        capture(() -> AtlasCredentials.parse("{\"publicKey\":\"" + PUBLIC_KEY + "\",\"privateKey\":[\"" + PRIVATE_KEY + "\"]}"));
        SecretsManagerAtlasCredentials fromSecretsManager = new SecretsManagerAtlasCredentials(
                new AtlasCredentialsTest.FakeSecretsManager(() -> GetSecretValueResponse.builder()
                        .secretString("{\"privateKey\":\"" + PRIVATE_KEY + "\"}").build()), "atlas/rotator");
        printed.add(fromSecretsManager);
        capture(fromSecretsManager::credentials);
        capture(() -> AtlasClient.fromEnvironment(Map.of(), new AtlasCredentialsTest.FakeSecretsManager(() -> null)));
    }

    private void capture(Runnable action) {
        try {
            printed.add(String.valueOf(callReturning(action)));
        } catch (RuntimeException e) {
            thrown.add(e);
        }
    }

    private static Object callReturning(Runnable action) {
        action.run();
        return "ok";
    }

    /** Writes to the capture and to the original stream, so the build log still shows the output. */
    private static final class Tee extends OutputStream {
        private final OutputStream a;
        private final OutputStream b;

        Tee(OutputStream a, OutputStream b) {
            this.a = a;
            this.b = b;
        }

        @Override
        public synchronized void write(int c) throws java.io.IOException {
            a.write(c);
            b.write(c);
        }

        @Override
        public synchronized void write(byte[] buf, int off, int len) throws java.io.IOException {
            a.write(buf, off, len);
            b.write(buf, off, len);
        }

        @Override
        public void flush() throws java.io.IOException {
            a.flush();
            b.flush();
        }
    }
}
