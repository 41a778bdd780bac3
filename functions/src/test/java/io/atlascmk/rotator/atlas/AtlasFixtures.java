package io.atlascmk.rotator.atlas;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.common.Slf4jNotifier;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

/** Shared test data, stubs and client wiring for the Atlas client tests. */
final class AtlasFixtures {

    static final String GROUP = "5f1a2b3c4d5e6f7a8b9c0d1e";
    static final String ROLE_ID = "6a1b2c3d4e5f6a7b8c9d0e1f";
    static final String KEY_ID = "1234abcd-12ab-34cd-56ef-1234567890ab";
    static final String NEW_KEY_ID = "0987dcba-09ba-87dc-65fe-0987654321ba";
    static final String API = "/api/atlas/v2/groups/" + GROUP;
    static final Instant START = Instant.parse("2025-03-01T10:00:00Z");

    static final String CLIENT_ID = "mdb_sa_id_6789abcdef0123456789abcd";
    static final String CLIENT_SECRET = "mdb_sa_sk_TopSecretClientSecretValue";
    static final String PUBLIC_KEY = "abcdefgh";
    static final String PRIVATE_KEY = "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0";
    static final String TOKEN_1 = "eyJ.first-access-token.sig";
    static final String TOKEN_2 = "eyJ.second-access-token.sig";

    static final String V2023 = "application/vnd.atlas.2023-01-01+json";
    static final String V2024 = "application/vnd.atlas.2024-08-05+json";

    private AtlasFixtures() {
    }

    /** WireMock on a dynamic loopback port, quiet (no request dumps in the logs). */
    static WireMockExtension wireMock() {
        return WireMockExtension.newInstance()
                .options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1").notifier(new Slf4jNotifier(false)))
                .build();
    }

    /** A fake clock, a recording sleeper and a client config against {@code baseUrl}. */
    static final class Harness {
        final MutableClock clock = new MutableClock(START);
        final RecordingSleeper sleeper = new RecordingSleeper(clock);

        /** 4 attempts, 1 s base, 8 s max, 60 s deadline, Retry-After capped at 30 s, jitter at its maximum. */
        AtlasClientConfig.Builder config(String baseUrl) {
            return AtlasClientConfig.builder()
                    .baseUrl(baseUrl)
                    .requestTimeout(Duration.ofSeconds(20))
                    .retryPolicy(new RetryPolicy(4, Duration.ofSeconds(1), Duration.ofSeconds(8),
                            Duration.ofSeconds(60), Duration.ofSeconds(30)))
                    .clock(clock)
                    .sleeper(sleeper)
                    .jitter(() -> 1.0);
        }

        AtlasClient client(String baseUrl, AtlasCredentials credentials) {
            return new AtlasClient(config(baseUrl).build(), AtlasCredentialsProvider.of(credentials));
        }
    }

    static AtlasCredentials serviceAccount() {
        return AtlasCredentials.serviceAccount(CLIENT_ID, CLIENT_SECRET);
    }

    static AtlasCredentials apiKey() {
        return AtlasCredentials.apiKey(PUBLIC_KEY, PRIVATE_KEY);
    }

    static String basic(String id, String secret) {
        return "Basic " + Base64.getEncoder().encodeToString((id + ":" + secret).getBytes(StandardCharsets.UTF_8));
    }

    // ------------------------------------------------------------------ responses

    static ResponseDefinitionBuilder ok(String mediaType, String body) {
        return aResponse().withStatus(200).withHeader("Content-Type", mediaType).withBody(body);
    }

    static ResponseDefinitionBuilder tokenResponse(String token, long expiresIn) {
        return aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                .withBody("{\"access_token\":\"" + token + "\",\"expires_in\":" + expiresIn + ",\"token_type\":\"Bearer\"}");
    }

    /** Atlas's error envelope. */
    static ResponseDefinitionBuilder error(int status, String reason, String errorCode, String detail) {
        return aResponse().withStatus(status).withHeader("Content-Type", "application/json")
                .withBody("{\"detail\":\"" + detail + "\",\"error\":" + status + ",\"errorCode\":\"" + errorCode
                        + "\",\"parameters\":[],\"reason\":\"" + reason + "\"}");
    }

    /** Atlas's Digest challenge, as it sends it. */
    static ResponseDefinitionBuilder digestChallenge(String nonce, boolean stale) {
        return error(401, "Unauthorized", "NOT_AUTHORIZED", "You are not authorized for this resource.")
                .withHeader("WWW-Authenticate", "Digest realm=\"MMS Public API\", domain=\"\", nonce=\"" + nonce
                        + "\", algorithm=MD5, qop=\"auth\", stale=" + stale);
    }

    // ------------------------------------------------------------------ bodies

    static String encryptionAtRest(String keyId, boolean valid) {
        return "{\"awsKms\":{\"enabled\":true,\"customerMasterKeyID\":\"" + keyId + "\",\"region\":\"US_EAST_1\","
                + "\"roleId\":\"" + ROLE_ID + "\",\"valid\":" + valid + "},"
                + "\"azureKeyVault\":{\"enabled\":false},\"googleCloudKms\":{\"enabled\":false}}";
    }

    static String cluster(String name, String type, String state, boolean pit) {
        return "{\"name\":\"" + name + "\",\"clusterType\":\"" + type + "\",\"stateName\":\"" + state + "\","
                + "\"encryptionAtRestProvider\":\"AWS\",\"backupEnabled\":true,\"pitEnabled\":" + pit + ",\"paused\":false,"
                + "\"groupId\":\"" + GROUP + "\",\"id\":\"" + hexId(name.hashCode()) + "\",\"mongoDBMajorVersion\":\"8.0\"}";
    }

    static String snapshot(int n, String keyUuid) {
        Instant created = START.minus(Duration.ofHours(n));
        return "{\"id\":\"" + hexId(n) + "\",\"masterKeyUUID\":\"" + keyUuid + "\",\"createdAt\":\"" + created
                + "\",\"expiresAt\":\"" + created.plus(Duration.ofDays(7)) + "\",\"status\":\"completed\","
                + "\"snapshotType\":\"scheduled\",\"frequencyType\":\"hourly\",\"type\":\"replicaSet\"}";
    }

    static String page(List<String> items, Integer totalCount) {
        return "{\"links\":[],\"results\":[" + String.join(",", items) + "]"
                + (totalCount == null ? "" : ",\"totalCount\":" + totalCount) + "}";
    }

    static List<String> snapshots(int from, int count, String keyUuid) {
        List<String> out = new ArrayList<>(count);
        for (int i = from; i < from + count; i++) {
            out.add(snapshot(i, keyUuid));
        }
        return out;
    }

    static List<String> clusters(int from, int count) {
        List<String> out = new ArrayList<>(count);
        for (int i = from; i < from + count; i++) {
            out.add(cluster("cluster-" + i, "REPLICASET", "IDLE", false));
        }
        return out;
    }

    /** A 24-hex-digit Atlas id derived from n. */
    static String hexId(int n) {
        return String.format(Locale.ROOT, "%024x", Integer.toUnsignedLong(n) + 0x6500000000L);
    }
}
