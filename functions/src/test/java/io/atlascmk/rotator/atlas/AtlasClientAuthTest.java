package io.atlascmk.rotator.atlas;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static io.atlascmk.rotator.atlas.AtlasFixtures.API;
import static io.atlascmk.rotator.atlas.AtlasFixtures.CLIENT_ID;
import static io.atlascmk.rotator.atlas.AtlasFixtures.CLIENT_SECRET;
import static io.atlascmk.rotator.atlas.AtlasFixtures.KEY_ID;
import static io.atlascmk.rotator.atlas.AtlasFixtures.PRIVATE_KEY;
import static io.atlascmk.rotator.atlas.AtlasFixtures.PUBLIC_KEY;
import static io.atlascmk.rotator.atlas.AtlasFixtures.GROUP;
import static io.atlascmk.rotator.atlas.AtlasFixtures.TOKEN_1;
import static io.atlascmk.rotator.atlas.AtlasFixtures.TOKEN_2;
import static io.atlascmk.rotator.atlas.AtlasFixtures.V2023;
import static io.atlascmk.rotator.atlas.AtlasFixtures.basic;
import static io.atlascmk.rotator.atlas.AtlasFixtures.digestChallenge;
import static io.atlascmk.rotator.atlas.AtlasFixtures.encryptionAtRest;
import static io.atlascmk.rotator.atlas.AtlasFixtures.error;
import static io.atlascmk.rotator.atlas.AtlasFixtures.ok;
import static io.atlascmk.rotator.atlas.AtlasFixtures.tokenResponse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Both authentication modes over real HTTP against WireMock. */
class AtlasClientAuthTest {

    private static final AtlasExchanges CONTRACT = AtlasExchanges.shared();
    private static final String EAR = API + "/encryptionAtRest";
    private static final String TOKEN = "/api/oauth/token";

    @RegisterExtension
    static WireMockExtension atlas = AtlasFixtures.wireMock();

    private final AtlasFixtures.Harness harness = new AtlasFixtures.Harness();

    @AfterEach
    void everyExchangeFollowsTheContract() {
        CONTRACT.assertSatisfiedBy(atlas.getAllServeEvents());
    }

    // ------------------------------------------------------------------ service account

    private void stubTokens(String... tokens) {
        String state = STARTED;
        for (int i = 0; i < tokens.length; i++) {
            String next = i + 1 < tokens.length ? "token-" + (i + 1) : state;
            atlas.stubFor(post(urlPathEqualTo(TOKEN)).inScenario("tokens").whenScenarioStateIs(state)
                    .withHeader("Authorization", equalTo(basic(CLIENT_ID, CLIENT_SECRET)))
                    .withHeader("Content-Type", containing("application/x-www-form-urlencoded"))
                    .withHeader("Accept", equalTo("application/json"))
                    .withRequestBody(equalTo("grant_type=client_credentials"))
                    .willReturn(tokenResponse(tokens[i], 3600))
                    .willSetStateTo(next));
            state = next;
        }
    }

    private void stubEarFor(String token) {
        atlas.stubFor(get(urlPathEqualTo(EAR)).withHeader("Authorization", equalTo("Bearer " + token))
                .withHeader("Accept", equalTo(V2023))
                .willReturn(ok(V2023, encryptionAtRest(KEY_ID, true))));
    }

    private int tokenRequests() {
        return atlas.findAll(postRequestedFor(urlPathEqualTo(TOKEN))).size();
    }

    private List<String> authorizationsSentTo(String path) {
        return atlas.findAll(getRequestedFor(urlPathEqualTo(path))).stream()
                .map(r -> r.getHeader("Authorization")).toList();
    }

    @Test
    void serviceAccount_manyCallsReuseOneToken() {
        stubTokens(TOKEN_1);
        stubEarFor(TOKEN_1);
        AtlasClient client = harness.client(atlas.baseUrl(), AtlasFixtures.serviceAccount());

        for (int i = 0; i < 5; i++) {
            assertThat(client.getEncryptionAtRest(GROUP).awsKms().customerMasterKeyID()).isEqualTo(KEY_ID);
        }

        assertThat(tokenRequests()).isEqualTo(1);
        assertThat(authorizationsSentTo(EAR)).hasSize(5).containsOnly("Bearer " + TOKEN_1);
    }

    @Test
    void serviceAccount_concurrentCallersTriggerExactlyOneTokenRequest() throws Exception {
        stubTokens(TOKEN_1);
        // The token answer is slowed down so that all callers are waiting for it at the same time.
        atlas.stubFor(post(urlPathEqualTo(TOKEN)).inScenario("tokens").whenScenarioStateIs(STARTED)
                .willReturn(tokenResponse(TOKEN_1, 3600).withFixedDelay(300)));
        stubEarFor(TOKEN_1);
        AtlasClient client = harness.client(atlas.baseUrl(), AtlasFixtures.serviceAccount());
        int callers = 8;
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<EncryptionAtRest>> results = new ArrayList<>();
            for (int i = 0; i < callers; i++) {
                results.add(pool.submit(() -> {
                    start.await();
                    return client.getEncryptionAtRest(GROUP);
                }));
            }
            start.countDown();
            for (Future<EncryptionAtRest> r : results) {
                assertThat(r.get(60, TimeUnit.SECONDS).awsKms().roleId()).isEqualTo(AtlasFixtures.ROLE_ID);
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(tokenRequests()).isEqualTo(1);
        assertThat(authorizationsSentTo(EAR)).hasSize(callers).containsOnly("Bearer " + TOKEN_1);
    }

    @Test
    void serviceAccount_fetchesANewTokenOnlyOnceTheOldOneNearsExpiry() {
        stubTokens(TOKEN_1, TOKEN_2);
        stubEarFor(TOKEN_1);
        stubEarFor(TOKEN_2);
        AtlasClient client = harness.client(atlas.baseUrl(), AtlasFixtures.serviceAccount());

        client.getEncryptionAtRest(GROUP);
        harness.clock.advance(Duration.ofSeconds(3600 - 60 - 1)); // 1 s before the 60 s safety margin
        client.getEncryptionAtRest(GROUP);
        assertThat(tokenRequests()).isEqualTo(1);

        harness.clock.advance(Duration.ofSeconds(2));
        client.getEncryptionAtRest(GROUP);
        client.getEncryptionAtRest(GROUP);

        assertThat(tokenRequests()).isEqualTo(2);
        assertThat(authorizationsSentTo(EAR))
                .containsExactly("Bearer " + TOKEN_1, "Bearer " + TOKEN_1, "Bearer " + TOKEN_2, "Bearer " + TOKEN_2);
    }

    @Test
    void serviceAccount_401DropsTheCachedTokenAndRetriesOnceWithAFreshOne() {
        stubTokens(TOKEN_1, TOKEN_2);
        atlas.stubFor(get(urlPathEqualTo(EAR)).withHeader("Authorization", equalTo("Bearer " + TOKEN_1))
                .willReturn(error(401, "Unauthorized", "NOT_AUTHORIZED", "Token revoked.")));
        stubEarFor(TOKEN_2);
        AtlasClient client = harness.client(atlas.baseUrl(), AtlasFixtures.serviceAccount());

        assertThat(client.getEncryptionAtRest(GROUP).awsKmsEnabled()).isTrue();
        client.getEncryptionAtRest(GROUP);

        assertThat(tokenRequests()).isEqualTo(2);
        assertThat(authorizationsSentTo(EAR))
                .containsExactly("Bearer " + TOKEN_1, "Bearer " + TOKEN_2, "Bearer " + TOKEN_2);
        assertThat(harness.sleeper.sleeps()).isEmpty();
    }

    @Test
    void serviceAccount_still401AfterRenewal_failsWithAuthenticationException() {
        stubTokens(TOKEN_1, TOKEN_2);
        atlas.stubFor(get(urlPathEqualTo(EAR))
                .willReturn(error(401, "Unauthorized", "NOT_AUTHORIZED", "Unauthorized.")));
        AtlasClient client = harness.client(atlas.baseUrl(), AtlasFixtures.serviceAccount());

        assertThatThrownBy(() -> client.getEncryptionAtRest(GROUP))
                .isInstanceOf(AtlasAuthenticationException.class)
                .hasMessageContaining("GET " + EAR).hasMessageContaining("401").hasMessageContaining("NOT_AUTHORIZED")
                .satisfies(e -> assertThat(((AtlasApiException) e).errorCode()).isEqualTo("NOT_AUTHORIZED"));
        assertThat(authorizationsSentTo(EAR)).hasSize(2);
        assertThat(tokenRequests()).isEqualTo(2);
    }

    @Test
    void serviceAccount_rejectedByTheTokenEndpoint_failsWithoutRetryOrSecret() {
        atlas.stubFor(post(urlPathEqualTo(TOKEN)).willReturn(com.github.tomakehurst.wiremock.client.WireMock.aResponse()
                .withStatus(401).withHeader("Content-Type", "application/json")
                .withBody("{\"error\":\"invalid_client\",\"error_description\":\"Invalid client credentials\"}")));
        AtlasClient client = harness.client(atlas.baseUrl(), AtlasFixtures.serviceAccount());

        assertThatThrownBy(() -> client.getEncryptionAtRest(GROUP))
                .isInstanceOf(AtlasAuthenticationException.class)
                .hasMessageContaining("POST /api/oauth/token").hasMessageContaining("invalid_client")
                .hasMessageContaining(CLIENT_ID)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(CLIENT_SECRET));
        assertThat(tokenRequests()).isEqualTo(1);
        assertThat(authorizationsSentTo(EAR)).isEmpty();
    }

    /** A secret read once, then (after a refusal) again: the second read finds what is stored by then. */
    private static final class RotatingSecret implements AtlasCredentialsProvider {
        private final AtlasCredentials first;
        private final AtlasCredentials stored;
        int rereads;

        RotatingSecret(AtlasCredentials first, AtlasCredentials stored) {
            this.first = first;
            this.stored = stored;
        }

        @Override
        public AtlasCredentials credentials() {
            return rereads == 0 ? first : stored;
        }

        @Override
        public AtlasCredentials reread() {
            rereads++;
            return stored;
        }
    }

    @Test
    void serviceAccount_whoseSecretWasRotated_readsItAgainOnce_andGoesOnWithTheNewCredentials() {
        String rotatedSecret = "mdb_sa_sk_rotated-" + "x".repeat(20);
        atlas.stubFor(post(urlPathEqualTo(TOKEN)).withHeader("Authorization", equalTo(basic(CLIENT_ID, CLIENT_SECRET)))
                .willReturn(com.github.tomakehurst.wiremock.client.WireMock.aResponse().withStatus(401)
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"error\":\"invalid_client\",\"error_description\":\"Invalid client credentials\"}")));
        atlas.stubFor(post(urlPathEqualTo(TOKEN)).withHeader("Authorization", equalTo(basic(CLIENT_ID, rotatedSecret)))
                .willReturn(tokenResponse(TOKEN_2, 3600)));
        stubEarFor(TOKEN_2);
        RotatingSecret secret = new RotatingSecret(AtlasFixtures.serviceAccount(),
                AtlasCredentials.serviceAccount(CLIENT_ID, rotatedSecret));
        AtlasClient client = new AtlasClient(harness.config(atlas.baseUrl()).build(), secret);

        assertThat(client.getEncryptionAtRest(GROUP).awsKms().customerMasterKeyID()).isEqualTo(KEY_ID);
        client.getEncryptionAtRest(GROUP);

        assertThat(secret.rereads).as("read again once, then kept").isEqualTo(1);
        assertThat(authorizationsSentTo(EAR)).containsOnly("Bearer " + TOKEN_2);
    }

    @Test
    void serviceAccount_refusedWhileTheSecretStillHoldsTheSameCredentials_failsAfterOneReread() {
        atlas.stubFor(post(urlPathEqualTo(TOKEN)).willReturn(com.github.tomakehurst.wiremock.client.WireMock.aResponse()
                .withStatus(401).withHeader("Content-Type", "application/json")
                .withBody("{\"error\":\"invalid_client\",\"error_description\":\"Invalid client credentials\"}")));
        RotatingSecret secret = new RotatingSecret(AtlasFixtures.serviceAccount(), AtlasFixtures.serviceAccount());
        AtlasClient client = new AtlasClient(harness.config(atlas.baseUrl()).build(), secret);

        assertThatThrownBy(() -> client.getEncryptionAtRest(GROUP)).isInstanceOf(AtlasAuthenticationException.class)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(CLIENT_SECRET));
        assertThat(secret.rereads).isEqualTo(1);
        assertThat(tokenRequests()).isEqualTo(1);
    }

    @Test
    void serviceAccount_tokenEndpointUnavailable_isRetriedLikeAnyCall() {
        atlas.stubFor(post(urlPathEqualTo(TOKEN)).inScenario("flaky").whenScenarioStateIs(STARTED)
                .willReturn(error(503, "Service Unavailable", "SERVICE_UNAVAILABLE", "Try again."))
                .willSetStateTo("up"));
        atlas.stubFor(post(urlPathEqualTo(TOKEN)).inScenario("flaky").whenScenarioStateIs("up")
                .willReturn(tokenResponse(TOKEN_1, 3600)));
        stubEarFor(TOKEN_1);
        AtlasClient client = harness.client(atlas.baseUrl(), AtlasFixtures.serviceAccount());

        assertThat(client.getEncryptionAtRest(GROUP).awsKmsEnabled()).isTrue();

        assertThat(tokenRequests()).isEqualTo(2);
        assertThat(harness.sleeper.sleeps()).containsExactly(Duration.ofSeconds(1));
    }

    // ------------------------------------------------------------------ API key (HTTP Digest)

    private void stubChallenge(String nonce) {
        atlas.stubFor(get(urlPathEqualTo(EAR)).withHeader("Authorization", absent()).atPriority(5)
                .willReturn(digestChallenge(nonce, false)));
    }

    private void stubDigestAccepted(String nonce) {
        atlas.stubFor(get(urlPathEqualTo(EAR)).andMatching(DigestMatcher.answering(nonce, PUBLIC_KEY, PRIVATE_KEY))
                .atPriority(1).willReturn(ok(V2023, encryptionAtRest(KEY_ID, true))));
    }

    private List<java.util.Map<String, String>> digestAnswers() {
        List<java.util.Map<String, String>> out = new ArrayList<>();
        for (LoggedRequest r : atlas.findAll(getRequestedFor(urlPathEqualTo(EAR)))) {
            String h = r.getHeader("Authorization");
            if (h != null) {
                out.add(DigestMatcher.params(h.substring("Digest ".length())));
            }
        }
        return out;
    }

    @Test
    void apiKey_answersAtlasDigestChallenge() {
        stubChallenge("nonce-1");
        stubDigestAccepted("nonce-1");
        AtlasClient client = harness.client(atlas.baseUrl(), AtlasFixtures.apiKey());

        EncryptionAtRest ear = client.getEncryptionAtRest(GROUP);

        assertThat(ear.awsKms().customerMasterKeyID()).isEqualTo(KEY_ID);
        assertThat(authorizationsSentTo(EAR)).hasSize(2);
        assertThat(authorizationsSentTo(EAR).get(0)).isNull();
        assertThat(digestAnswers()).singleElement().satisfies(p -> {
            assertThat(p).containsEntry("username", PUBLIC_KEY).containsEntry("nc", "00000001")
                    .containsEntry("uri", EAR).containsEntry("qop", "auth");
            assertThat(p.values()).doesNotContain(PRIVATE_KEY);
        });
    }

    @Test
    void apiKey_reusesTheNonceWithAnIncreasingNonceCount() {
        stubChallenge("nonce-1");
        stubDigestAccepted("nonce-1");
        AtlasClient client = harness.client(atlas.baseUrl(), AtlasFixtures.apiKey());

        for (int i = 0; i < 3; i++) {
            client.getEncryptionAtRest(GROUP);
        }

        assertThat(authorizationsSentTo(EAR)).hasSize(4);
        assertThat(digestAnswers()).extracting(p -> p.get("nc")).containsExactly("00000001", "00000002", "00000003");
        assertThat(digestAnswers()).extracting(p -> p.get("cnonce")).doesNotHaveDuplicates();
    }

    @Test
    void apiKey_answersANewChallengeWhenTheNonceWentStale() {
        stubChallenge("nonce-1");
        atlas.stubFor(get(urlPathEqualTo(EAR)).inScenario("nonces").whenScenarioStateIs(STARTED)
                .andMatching(DigestMatcher.answering("nonce-1", PUBLIC_KEY, PRIVATE_KEY)).atPriority(1)
                .willReturn(ok(V2023, encryptionAtRest(KEY_ID, true))).willSetStateTo("rotated"));
        atlas.stubFor(get(urlPathEqualTo(EAR)).inScenario("nonces").whenScenarioStateIs("rotated")
                .withHeader("Authorization", matching("Digest .*nonce=\"nonce-1\".*")).atPriority(2)
                .willReturn(digestChallenge("nonce-2", true)));
        atlas.stubFor(get(urlPathEqualTo(EAR)).inScenario("nonces").whenScenarioStateIs("rotated")
                .andMatching(DigestMatcher.answering("nonce-2", PUBLIC_KEY, PRIVATE_KEY)).atPriority(1)
                .willReturn(ok(V2023, encryptionAtRest(KEY_ID, true))));
        AtlasClient client = harness.client(atlas.baseUrl(), AtlasFixtures.apiKey());

        client.getEncryptionAtRest(GROUP);
        client.getEncryptionAtRest(GROUP);

        assertThat(digestAnswers()).extracting(p -> p.get("nonce") + "/" + p.get("nc"))
                .containsExactly("nonce-1/00000001", "nonce-1/00000002", "nonce-2/00000001");
        assertThat(harness.sleeper.sleeps()).isEmpty();
    }

    @Test
    void apiKey_wrongPrivateKey_failsWithAuthenticationExceptionAfterOneAnswer() {
        stubChallenge("nonce-1");
        atlas.stubFor(get(urlPathEqualTo(EAR)).withHeader("Authorization", matching("Digest .*")).atPriority(3)
                .willReturn(digestChallenge("nonce-2", false)));
        AtlasClient client = harness.client(atlas.baseUrl(), AtlasCredentials.apiKey(PUBLIC_KEY, "not-the-key"));

        assertThatThrownBy(() -> client.getEncryptionAtRest(GROUP))
                .isInstanceOf(AtlasAuthenticationException.class)
                .hasMessageContaining("401")
                .hasMessageContaining("API key");
        assertThat(authorizationsSentTo(EAR)).hasSize(2);
        assertThat(harness.sleeper.sleeps()).isEmpty();
    }
}
