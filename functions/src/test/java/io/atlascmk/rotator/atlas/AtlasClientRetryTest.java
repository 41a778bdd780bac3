package io.atlascmk.rotator.atlas;

import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.function.BooleanSupplier;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.patch;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static io.atlascmk.rotator.atlas.AtlasFixtures.API;
import static io.atlascmk.rotator.atlas.AtlasFixtures.GROUP;
import static io.atlascmk.rotator.atlas.AtlasFixtures.KEY_ID;
import static io.atlascmk.rotator.atlas.AtlasFixtures.NEW_KEY_ID;
import static io.atlascmk.rotator.atlas.AtlasFixtures.ROLE_ID;
import static io.atlascmk.rotator.atlas.AtlasFixtures.TOKEN_1;
import static io.atlascmk.rotator.atlas.AtlasFixtures.V2023;
import static io.atlascmk.rotator.atlas.AtlasFixtures.V2024;
import static io.atlascmk.rotator.atlas.AtlasFixtures.cluster;
import static io.atlascmk.rotator.atlas.AtlasFixtures.encryptionAtRest;
import static io.atlascmk.rotator.atlas.AtlasFixtures.error;
import static io.atlascmk.rotator.atlas.AtlasFixtures.ok;
import static io.atlascmk.rotator.atlas.AtlasFixtures.tokenResponse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Retries of 429, 5xx, I/O errors and timeouts; no retries of other 4xx; typed exceptions. */
class AtlasClientRetryTest {

    private static final AtlasExchanges CONTRACT = AtlasExchanges.shared();
    private static final String EAR = API + "/encryptionAtRest";
    private static final AwsKms NEW_KEY = new AwsKms(true, NEW_KEY_ID, "US_EAST_1", ROLE_ID, null, null);

    @RegisterExtension
    static WireMockExtension atlas = AtlasFixtures.wireMock();

    private final AtlasFixtures.Harness harness = new AtlasFixtures.Harness();

    @AfterEach
    void everyExchangeFollowsTheContract() {
        CONTRACT.assertSatisfiedBy(atlas.getAllServeEvents());
    }

    private AtlasClient client() {
        return client(harness.config(atlas.baseUrl()));
    }

    private AtlasClient client(AtlasClientConfig.Builder config) {
        atlas.stubFor(post(urlPathEqualTo("/api/oauth/token")).willReturn(tokenResponse(TOKEN_1, 3600)));
        return new AtlasClient(config.build(), AtlasCredentialsProvider.of(AtlasFixtures.serviceAccount()));
    }

    /** Stubs GET encryptionAtRest to answer {@code failures} in turn, then 200. */
    private void earFailsThenSucceeds(com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder... failures) {
        String state = STARTED;
        for (int i = 0; i < failures.length; i++) {
            String next = "after-" + (i + 1);
            atlas.stubFor(get(urlPathEqualTo(EAR)).inScenario("ear").whenScenarioStateIs(state)
                    .willReturn(failures[i]).willSetStateTo(next));
            state = next;
        }
        atlas.stubFor(get(urlPathEqualTo(EAR)).inScenario("ear").whenScenarioStateIs(state)
                .willReturn(ok(V2023, encryptionAtRest(KEY_ID, true))));
    }

    private int apiRequests() {
        return atlas.findAll(anyRequestedFor(urlPathMatching("/api/atlas/v2/.*"))).size();
    }

    private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder tooManyRequests() {
        return error(429, "Too Many Requests", "RATE_LIMITED", "Rate limit exceeded.");
    }

    private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder unavailable() {
        return error(503, "Service Unavailable", "SERVICE_UNAVAILABLE", "Atlas is temporarily unavailable.");
    }

    // ------------------------------------------------------------------ 429

    @Test
    void rateLimited_waitsAsLongAsRetryAfterSays() {
        earFailsThenSucceeds(tooManyRequests().withHeader("Retry-After", "7"));

        assertThat(client().getEncryptionAtRest(GROUP).awsKmsEnabled()).isTrue();

        assertThat(harness.sleeper.sleeps()).containsExactly(Duration.ofSeconds(7));
        assertThat(apiRequests()).isEqualTo(2);
    }

    @Test
    void rateLimited_capsAnExcessiveRetryAfter() {
        earFailsThenSucceeds(tooManyRequests().withHeader("Retry-After", "3600"));

        client().getEncryptionAtRest(GROUP);

        assertThat(harness.sleeper.sleeps()).containsExactly(Duration.ofSeconds(30));
    }

    @Test
    void rateLimited_withoutRetryAfter_backsOffExponentially() {
        earFailsThenSucceeds(tooManyRequests(), tooManyRequests(), tooManyRequests());

        client().getEncryptionAtRest(GROUP);

        // jitter pinned at its maximum: 1 s, 2 s, 4 s
        assertThat(harness.sleeper.sleeps())
                .containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4));
        assertThat(apiRequests()).isEqualTo(4);
    }

    @Test
    void backoff_isFullyJittered() {
        earFailsThenSucceeds(tooManyRequests(), tooManyRequests());

        client(harness.config(atlas.baseUrl()).jitter(() -> 0.25)).getEncryptionAtRest(GROUP);

        assertThat(harness.sleeper.sleeps()).containsExactly(Duration.ofMillis(250), Duration.ofMillis(500));
    }

    @Test
    void rateLimitedOnEveryAttempt_throwsAtlasRateLimitedException() {
        atlas.stubFor(get(urlPathEqualTo(EAR)).willReturn(tooManyRequests().withHeader("Retry-After", "2")));

        assertThatThrownBy(() -> client().getEncryptionAtRest(GROUP))
                .isInstanceOf(AtlasRateLimitedException.class)
                .hasMessageContaining("GET " + EAR).hasMessageContaining("4 attempts").hasMessageContaining("RATE_LIMITED")
                .satisfies(e -> {
                    assertThat(((AtlasApiException) e).httpStatus()).isEqualTo(429);
                    assertThat(((AtlasApiException) e).errorCode()).isEqualTo("RATE_LIMITED");
                });
        assertThat(apiRequests()).isEqualTo(4);
        assertThat(harness.sleeper.sleeps()).hasSize(3).containsOnly(Duration.ofSeconds(2));
    }

    // ------------------------------------------------------------------ 5xx, I/O errors, timeouts

    @Test
    void unavailableOnce_thenSucceeds() {
        earFailsThenSucceeds(unavailable());

        EncryptionAtRest ear = client().getEncryptionAtRest(GROUP);

        assertThat(ear.awsKms().customerMasterKeyID()).isEqualTo(KEY_ID);
        assertThat(harness.sleeper.sleeps()).containsExactly(Duration.ofSeconds(1));
    }

    @Test
    void serverErrorOnEveryAttempt_throwsAtlasUnavailableException() {
        atlas.stubFor(get(urlPathEqualTo(API + "/clusters/orders")).willReturn(
                error(500, "Internal Server Error", "UNEXPECTED_ERROR", "Unexpected error.")));

        assertThatThrownBy(() -> client().getCluster(GROUP, "orders"))
                .isInstanceOf(AtlasUnavailableException.class)
                .hasMessageContaining("GET " + API + "/clusters/orders").hasMessageContaining("HTTP 500")
                .hasMessageContaining("UNEXPECTED_ERROR").hasMessageContaining("retry later")
                .satisfies(e -> assertThat(((AtlasApiException) e).httpStatus()).isEqualTo(500));
        assertThat(apiRequests()).isEqualTo(4);
        assertThat(harness.sleeper.sleeps())
                .containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4));
    }

    @Test
    void retries_stopBeforeTheOverallDeadline() {
        atlas.stubFor(get(urlPathEqualTo(EAR)).willReturn(unavailable()));
        AtlasClientConfig.Builder config = harness.config(atlas.baseUrl()).retryPolicy(new RetryPolicy(
                10, Duration.ofSeconds(1), Duration.ofSeconds(60), Duration.ofSeconds(5), Duration.ofSeconds(30)));
        Instant start = harness.clock.instant();

        assertThatThrownBy(() -> client(config).getEncryptionAtRest(GROUP))
                .isInstanceOf(AtlasUnavailableException.class)
                .hasMessageContaining("deadline");

        // waits of 1 s and 2 s fit in 5 s; the next (4 s) would end after the deadline, so it is not taken
        assertThat(harness.sleeper.sleeps()).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2));
        assertThat(apiRequests()).isEqualTo(3);
        assertThat(Duration.between(start, harness.clock.instant())).isLessThanOrEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void retryAfterBeyondTheDeadline_failsAtOnceInsteadOfWaiting() {
        atlas.stubFor(get(urlPathEqualTo(EAR)).willReturn(tooManyRequests().withHeader("Retry-After", "20")));
        AtlasClientConfig.Builder config = harness.config(atlas.baseUrl()).retryPolicy(new RetryPolicy(
                5, Duration.ofSeconds(1), Duration.ofSeconds(8), Duration.ofSeconds(10), Duration.ofSeconds(60)));

        assertThatThrownBy(() -> client(config).getEncryptionAtRest(GROUP))
                .isInstanceOf(AtlasRateLimitedException.class).hasMessageContaining("deadline");
        assertThat(harness.sleeper.sleeps()).isEmpty();
        assertThat(apiRequests()).isEqualTo(1);
    }

    @Test
    void connectionReset_isRetried() {
        // A PATCH: the JDK client itself silently retries an idempotent GET once on a reset pooled
        // connection, which would hide this client's own retry. Re-sending the same whole awsKms is safe.
        atlas.stubFor(patch(urlPathEqualTo(EAR)).inScenario("reset").whenScenarioStateIs(STARTED)
                .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)).willSetStateTo("up"));
        atlas.stubFor(patch(urlPathEqualTo(EAR)).inScenario("reset").whenScenarioStateIs("up")
                .willReturn(ok(V2023, encryptionAtRest(NEW_KEY_ID, true))));

        assertThat(client().updateAwsKms(GROUP, NEW_KEY).awsKms().customerMasterKeyID()).isEqualTo(NEW_KEY_ID);

        assertThat(harness.sleeper.sleeps()).containsExactly(Duration.ofSeconds(1));
        assertThat(apiRequests()).isEqualTo(2);
    }

    @Test
    void responseSlowerThanTheRequestTimeout_isRetriedThenThrowsAtlasUnavailableException() {
        atlas.stubFor(get(urlPathEqualTo(EAR)).willReturn(ok(V2023, encryptionAtRest(KEY_ID, true)).withFixedDelay(3000)));
        AtlasClientConfig.Builder config = harness.config(atlas.baseUrl())
                .requestTimeout(Duration.ofMillis(200))
                .retryPolicy(new RetryPolicy(2, Duration.ofSeconds(1), Duration.ofSeconds(8), Duration.ofSeconds(60),
                        Duration.ofSeconds(30)));

        assertThatThrownBy(() -> client(config).getEncryptionAtRest(GROUP))
                .isInstanceOf(AtlasUnavailableException.class)
                .hasMessageContaining("timed out")
                .hasMessageContaining("2 attempts")
                .hasCauseInstanceOf(HttpTimeoutException.class)
                .satisfies(e -> assertThat(((AtlasApiException) e).httpStatus()).isZero());
        assertThat(harness.sleeper.sleeps()).containsExactly(Duration.ofSeconds(1));
        awaitTrue(() -> apiRequests() == 2, "WireMock saw both attempts");
    }

    // ------------------------------------------------------------------ other 4xx: never retried

    @Test
    void badRequest_isNotRetried_andMapsToInvalidRequest() {
        atlas.stubFor(patch(urlPathEqualTo(EAR)).willReturn(error(400, "Bad Request", "INVALID_AWS_KMS_KEY",
                "The customer master key is not valid.")));

        assertThatThrownBy(() -> client().updateAwsKms(GROUP, NEW_KEY))
                .isInstanceOf(AtlasInvalidRequestException.class)
                .hasMessageContaining("PATCH " + EAR).hasMessageContaining("HTTP 400")
                .hasMessageContaining("INVALID_AWS_KMS_KEY").hasMessageContaining("The customer master key is not valid")
                .satisfies(e -> assertThat(((AtlasApiException) e).errorCode()).isEqualTo("INVALID_AWS_KMS_KEY"));
        assertThat(apiRequests()).isEqualTo(1);
        assertThat(harness.sleeper.sleeps()).isEmpty();
    }

    @Test
    void forbidden_isNotRetried_andSaysWhichRoleAndAccessListAreNeeded() {
        atlas.stubFor(get(urlPathEqualTo(EAR)).willReturn(error(403, "Forbidden", "IP_ADDRESS_NOT_ON_ACCESS_LIST",
                "IP address 203.0.113.7 is not allowed to access this resource.")));

        assertThatThrownBy(() -> client().getEncryptionAtRest(GROUP))
                .isInstanceOf(AtlasForbiddenException.class)
                .hasMessageContaining("GET " + EAR).hasMessageContaining("HTTP 403")
                .hasMessageContaining("IP_ADDRESS_NOT_ON_ACCESS_LIST")
                .hasMessageContaining("Project Owner role on project " + GROUP)
                .hasMessageContaining("access list")
                .satisfies(e -> assertThat(((AtlasApiException) e).httpStatus()).isEqualTo(403));
        assertThat(apiRequests()).isEqualTo(1);
    }

    @Test
    void notFound_isNotRetried_andMapsToNotFound() {
        atlas.stubFor(get(urlPathEqualTo(API + "/clusters/gone")).willReturn(error(404, "Not Found",
                "CLUSTER_NOT_FOUND", "No cluster named gone exists in group " + GROUP + ".")));

        assertThatThrownBy(() -> client().getCluster(GROUP, "gone"))
                .isInstanceOf(AtlasNotFoundException.class)
                .hasMessageContaining("CLUSTER_NOT_FOUND").hasMessageContaining("No cluster named gone")
                .satisfies(e -> assertThat(((AtlasApiException) e).errorCode()).isEqualTo("CLUSTER_NOT_FOUND"));
        assertThat(apiRequests()).isEqualTo(1);
    }

    @Test
    void conflict_isNotRetried_andMapsToConflict() {
        atlas.stubFor(patch(urlPathEqualTo(EAR)).willReturn(error(409, "Conflict",
                "ENCRYPTION_AT_REST_UPDATE_IN_PROGRESS", "An encryption at rest update is already in progress.")));

        assertThatThrownBy(() -> client().updateAwsKms(GROUP, NEW_KEY))
                .isInstanceOf(AtlasConflictException.class)
                .hasMessageContaining("ENCRYPTION_AT_REST_UPDATE_IN_PROGRESS").hasMessageContaining("retry")
                .satisfies(e -> assertThat(((AtlasApiException) e).httpStatus()).isEqualTo(409));
        assertThat(apiRequests()).isEqualTo(1);
        assertThat(harness.sleeper.sleeps()).isEmpty();
    }

    @Test
    void listsRetryEachPageOnItsOwn() {
        String path = API + "/clusters";
        atlas.stubFor(get(urlPathEqualTo(path)).withQueryParam("pageNum",
                com.github.tomakehurst.wiremock.client.WireMock.equalTo("1")).willReturn(ok(V2024,
                AtlasFixtures.page(AtlasFixtures.clusters(0, 500), 501))));
        atlas.stubFor(get(urlPathEqualTo(path)).inScenario("p2").whenScenarioStateIs(STARTED)
                .withQueryParam("pageNum", com.github.tomakehurst.wiremock.client.WireMock.equalTo("2"))
                .willReturn(unavailable()).willSetStateTo("up"));
        atlas.stubFor(get(urlPathEqualTo(path)).inScenario("p2").whenScenarioStateIs("up")
                .withQueryParam("pageNum", com.github.tomakehurst.wiremock.client.WireMock.equalTo("2"))
                .willReturn(ok(V2024, AtlasFixtures.page(java.util.List.of(cluster("last", "SHARDED", "IDLE", true)), 501))));

        assertThat(client().listClusters(GROUP)).hasSize(501).last().extracting(Cluster::name).isEqualTo("last");
        assertThat(apiRequests()).isEqualTo(3);
    }

    /** Polls until the condition holds or 10 s pass (WireMock records delayed requests asynchronously). */
    private static void awaitTrue(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Timed out waiting until " + what);
            }
            Thread.onSpinWait();
        }
    }
}
