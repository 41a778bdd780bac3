package io.atlascmk.sandbox.atlas;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import static io.atlascmk.sandbox.atlas.AtlasFixtures.API;
import static io.atlascmk.sandbox.atlas.AtlasFixtures.CLIENT_ID;
import static io.atlascmk.sandbox.atlas.AtlasFixtures.CLIENT_SECRET;
import static io.atlascmk.sandbox.atlas.AtlasFixtures.KEY_A;
import static io.atlascmk.sandbox.atlas.AtlasFixtures.PRIVATE_KEY;
import static io.atlascmk.sandbox.atlas.AtlasFixtures.PUBLIC_KEY;
import static org.assertj.core.api.Assertions.assertThat;

/** Both of Atlas's authentication schemes: HTTP Digest API keys and OAuth 2.0 service accounts. */
class AtlasAuthTest extends AtlasSimulatorFixture {

    AtlasAuthTest() {
        super(Login.BOTH_SIGNED_OUT);
    }

    @Test
    void digestResponse_matchesTheRfc7616Md5Example() {
        // RFC 7616 section 3.9.1
        String response = DigestAuthenticator.response("Mufasa", "http-auth@example.org", "Circle of Life", "GET", "/dir/index.html",
                "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", "00000001", "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ", "auth");

        assertThat(response).isEqualTo("8ca523f5e9506fed4657c9700eebdbec");
    }

    @Test
    void digestHeaderParser_readsQuotedValuesWithCommasAndEscapes() {
        Map<String, String> p = DigestAuthenticator.parse(
                " username=\"Mufasa\", realm=\"a, \\\"b\\\"\", uri=\"/x?a=1&b=2\", qop=auth, nc=00000001, response=\"abc\"");

        assertThat(p).containsEntry("username", "Mufasa").containsEntry("realm", "a, \"b\"").containsEntry("uri", "/x?a=1&b=2")
                .containsEntry("qop", "auth").containsEntry("nc", "00000001").containsEntry("response", "abc");
    }

    @Test
    void requestWithoutCredentials_getsAtlasDigestChallengeAnd401Envelope() {
        AtlasTestClient.Exchange e = client.withoutCredentials().call("GET", API + "/encryptionAtRest", null);

        assertThat(e.status()).isEqualTo(401);
        assertThat(e.header("WWW-Authenticate"))
                .matches("Digest realm=\"MMS Public API\", domain=\"\", nonce=\"[A-Za-z0-9+/=]+\", algorithm=MD5, qop=\"auth\", stale=false");
        assertThat(e.json().get("errorCode").asText()).isEqualTo("UNAUTHORIZED");
        assertThat(e.json().get("error").asInt()).isEqualTo(401);
        assertThat(e.json().get("reason").asText()).isEqualTo("Unauthorized");
    }

    @Test
    void digest_withTheRightKeyPair_isAccepted_reusingTheNonce() {
        client.withDigest(PUBLIC_KEY, PRIVATE_KEY);

        JsonNode ear = client.get(API + "/encryptionAtRest").json();
        client.get(API + "/clusters?itemsPerPage=10&pageNum=1");
        client.get(API + "/cloudProviderAccess");

        assertThat(ear.get("awsKms").get("customerMasterKeyID").asText()).isEqualTo(KEY_A);
        assertThat(client.digestChallenges()).isEqualTo(1);
    }

    @Test
    void digest_withAWrongPrivateKeyOrUnknownPublicKey_is401() {
        AtlasTestClient.Exchange wrongPassword = new AtlasTestClient(atlas, contract).withDigest(PUBLIC_KEY, "not-the-private-key")
                .call("GET", API + "/encryptionAtRest", null);
        AtlasTestClient.Exchange unknownUser = new AtlasTestClient(atlas, contract).withDigest("someoneelse", PRIVATE_KEY)
                .call("GET", API + "/encryptionAtRest", null);

        for (AtlasTestClient.Exchange e : new AtlasTestClient.Exchange[] {wrongPassword, unknownUser}) {
            assertThat(e.status()).isEqualTo(401);
            assertThat(e.json().get("errorCode").asText()).isEqualTo("UNAUTHORIZED");
            assertThat(e.header("WWW-Authenticate")).startsWith("Digest realm=\"MMS Public API\"");
        }
    }

    @Test
    void digest_withANonceTheServerNeverIssued_orForAnotherUri_is401() {
        String forged = "Digest username=\"" + PUBLIC_KEY + "\", realm=\"MMS Public API\", nonce=\"bm90LWlzc3VlZA==\", uri=\"" + API
                + "/encryptionAtRest\", algorithm=MD5, qop=auth, nc=00000001, cnonce=\"abc\", response=\""
                + DigestAuthenticator.response(PUBLIC_KEY, "MMS Public API", PRIVATE_KEY, "GET", API + "/encryptionAtRest",
                "bm90LWlzc3VlZA==", "00000001", "abc", "auth") + "\"";
        DigestAuthenticator server = new DigestAuthenticator();
        server.addApiKey(PUBLIC_KEY, PRIVATE_KEY);
        String nonce = server.challenge().replaceAll(".*nonce=\"([^\"]+)\".*", "$1");
        String otherUri = "Digest username=\"" + PUBLIC_KEY + "\", realm=\"MMS Public API\", nonce=\"" + nonce + "\", uri=\"/elsewhere\", "
                + "algorithm=MD5, qop=auth, nc=00000001, cnonce=\"abc\", response=\""
                + DigestAuthenticator.response(PUBLIC_KEY, "MMS Public API", PRIVATE_KEY, "GET", "/elsewhere", nonce, "00000001", "abc", "auth") + "\"";
        String good = otherUri.replace("/elsewhere", API + "/encryptionAtRest").replaceAll("response=\"[0-9a-f]+\"",
                "response=\"" + DigestAuthenticator.response(PUBLIC_KEY, "MMS Public API", PRIVATE_KEY, "GET", API + "/encryptionAtRest",
                        nonce, "00000001", "abc", "auth") + "\"");

        assertThat(statusOf(() -> server.verify(forged, "GET", API + "/encryptionAtRest"))).isEqualTo(401);
        assertThat(statusOf(() -> server.verify(otherUri, "GET", API + "/encryptionAtRest"))).isEqualTo(401);
        assertThat(server.verify(good, "GET", API + "/encryptionAtRest")).isEqualTo(PUBLIC_KEY);
    }

    @Test
    void tokenEndpoint_issuesA3600SecondBearerToken_forServiceAccountClientCredentials() {
        HttpResponse<String> r = client.postToken(CLIENT_ID, CLIENT_SECRET, "grant_type=client_credentials");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
        JsonNode token = AtlasTestClient.json(r.body());
        assertThat(token.get("access_token").asText()).isNotBlank();
        assertThat(token.get("expires_in").asInt()).isEqualTo(3600);
        assertThat(token.get("token_type").asText()).isEqualTo("Bearer");
        assertThat(atlas.tokenRequests()).isEqualTo(1);
    }

    @Test
    void bearerToken_works_untilItExpiresOnTheSandboxClock() {
        client.withServiceAccount(CLIENT_ID, CLIENT_SECRET);
        client.get(API + "/encryptionAtRest");
        client.get(API + "/clusters");

        clock.advance(Duration.ofSeconds(3599));
        client.get(API + "/encryptionAtRest");

        clock.advance(Duration.ofSeconds(1));
        AtlasTestClient.Exchange expired = client.call("GET", API + "/encryptionAtRest", null);
        assertThat(expired.status()).isEqualTo(401);
        assertThat(expired.json().get("detail").asText()).contains("expired");
        assertThat(expired.header("WWW-Authenticate")).isEqualTo("Bearer error=\"invalid_token\"");

        client.withServiceAccount(CLIENT_ID, CLIENT_SECRET);
        client.get(API + "/encryptionAtRest");
        assertThat(atlas.tokenRequests()).isEqualTo(2);
        assertThat(atlas.calls(AtlasOperation.GET_ENCRYPTION_AT_REST)).isEqualTo(4);
    }

    @Test
    void tokenEndpoint_refusesAWrongSecret_andOtherGrantTypes() {
        HttpResponse<String> wrongSecret = client.postToken(CLIENT_ID, "nope", "grant_type=client_credentials");
        HttpResponse<String> passwordGrant = client.postToken(CLIENT_ID, CLIENT_SECRET, "grant_type=password&username=a&password=b");

        assertThat(wrongSecret.statusCode()).isEqualTo(401);
        assertThat(AtlasTestClient.json(wrongSecret.body()).get("error").asText()).isEqualTo("invalid_client");
        assertThat(passwordGrant.statusCode()).isEqualTo(400);
        assertThat(AtlasTestClient.json(passwordGrant.body()).get("error").asText()).isEqualTo("unsupported_grant_type");
        assertThat(atlas.tokenRequests()).isEqualTo(2);
        assertThat(atlas.tokensIssued()).isZero();
    }

    @Test
    void unknownOrRevokedBearerToken_is401() {
        AtlasTestClient.Exchange unknown = client.withBearer("not-a-token").call("GET", API + "/encryptionAtRest", null);
        client.withServiceAccount(CLIENT_ID, CLIENT_SECRET);
        atlas.revokeAccessTokens();
        AtlasTestClient.Exchange revoked = client.call("GET", API + "/encryptionAtRest", null);

        assertThat(unknown.status()).isEqualTo(401);
        assertThat(revoked.status()).isEqualTo(401);
    }

    private static int statusOf(Runnable r) {
        try {
            r.run();
            return 200;
        } catch (AtlasApiError e) {
            return e.status();
        }
    }
}
