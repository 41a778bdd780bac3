package io.atlascmk.rotator.atlas;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueResponse;

import java.net.URI;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.atlascmk.rotator.atlas.AtlasFixtures.API;
import static io.atlascmk.rotator.atlas.AtlasFixtures.GROUP;
import static io.atlascmk.rotator.atlas.AtlasFixtures.PRIVATE_KEY;
import static io.atlascmk.rotator.atlas.AtlasFixtures.PUBLIC_KEY;
import static io.atlascmk.rotator.atlas.AtlasFixtures.V2024;
import static io.atlascmk.rotator.atlas.AtlasFixtures.cluster;
import static io.atlascmk.rotator.atlas.AtlasFixtures.digestChallenge;
import static io.atlascmk.rotator.atlas.AtlasFixtures.ok;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link AtlasClient#fromEnvironment(Map, software.amazon.awssdk.services.secretsmanager.SecretsManagerClient)}. */
class AtlasClientFactoryTest {

    private static final AtlasExchanges CONTRACT = AtlasExchanges.shared();
    private static final String SECRET_ARN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:atlas-api-key-Ab12Cd";

    @RegisterExtension
    static WireMockExtension atlas = AtlasFixtures.wireMock();

    private final AtlasCredentialsTest.FakeSecretsManager secretsManager = new AtlasCredentialsTest.FakeSecretsManager(
            () -> GetSecretValueResponse.builder()
                    .secretString("{\"publicKey\":\"" + PUBLIC_KEY + "\",\"privateKey\":\"" + PRIVATE_KEY + "\"}").build());

    @AfterEach
    void everyExchangeFollowsTheContract() {
        CONTRACT.assertSatisfiedBy(atlas.getAllServeEvents());
    }

    @Test
    void fromEnvironment_readsTheSecretLazilyOnceAndTalksToTheConfiguredAtlas() {
        String path = API + "/clusters/orders";
        atlas.stubFor(get(urlPathEqualTo(path)).withHeader("Authorization", absent()).atPriority(5)
                .willReturn(digestChallenge("n-1", false)));
        atlas.stubFor(get(urlPathEqualTo(path)).andMatching(DigestMatcher.answering("n-1", PUBLIC_KEY, PRIVATE_KEY))
                .atPriority(1).willReturn(ok(V2024, cluster("orders", "REPLICASET", "IDLE", false))));

        AtlasClient client = AtlasClient.fromEnvironment(
                Map.of("ATLAS_BASE_URL", atlas.baseUrl() + "/", "ATLAS_SECRET_ARN", SECRET_ARN), secretsManager);
        assertThat(secretsManager.requests).as("nothing is read while the client is built").isEmpty();

        assertThat(client.getCluster(GROUP, "orders").name()).isEqualTo("orders");
        assertThat(client.getCluster(GROUP, "orders").isIdle()).isTrue();

        assertThat(secretsManager.requests).hasSize(1);
        assertThat(secretsManager.requests.get(0).secretId()).isEqualTo(SECRET_ARN);
        assertThat(client.config().baseUrl()).isEqualTo(URI.create(atlas.baseUrl()));
    }

    @Test
    void fromEnvironment_defaultsToMongoDbCloudWithSafeTimeoutsAndRetries() {
        AtlasClient client = AtlasClient.fromEnvironment(Map.of("ATLAS_SECRET_ARN", SECRET_ARN), secretsManager);

        AtlasClientConfig config = client.config();
        assertThat(config.baseUrl()).isEqualTo(URI.create("https://cloud.mongodb.com"));
        assertThat(config.connectTimeout()).isEqualTo(java.time.Duration.ofSeconds(10));
        assertThat(config.requestTimeout()).isEqualTo(java.time.Duration.ofSeconds(30));
        assertThat(config.retryPolicy()).isEqualTo(RetryPolicy.DEFAULT);
        assertThat(secretsManager.requests).isEmpty();
    }

    @Test
    void fromEnvironment_withoutTheSecretArn_saysWhichVariableToSet() {
        assertThatThrownBy(() -> AtlasClient.fromEnvironment(Map.of("ATLAS_BASE_URL", "https://cloud.mongodb.com"),
                secretsManager))
                .isInstanceOf(AtlasCredentialsException.class)
                .hasMessageContaining("ATLAS_SECRET_ARN")
                .hasMessageContaining("clientId");
    }

    @Test
    void fromEnvironment_withABadBaseUrl_saysWhichVariableIsWrong() {
        for (String bad : new String[] {"cloud.mongodb.com", "ftp://cloud.mongodb.com", "https://cloud mongodb.com"}) {
            assertThatThrownBy(() -> AtlasClient.fromEnvironment(
                    Map.of("ATLAS_BASE_URL", bad, "ATLAS_SECRET_ARN", SECRET_ARN), secretsManager))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("ATLAS_BASE_URL");
        }
    }
}
