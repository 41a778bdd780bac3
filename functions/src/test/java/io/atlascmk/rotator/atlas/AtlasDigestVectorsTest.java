package io.atlascmk.rotator.atlas;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** HTTP Digest against recorded RFC vectors, and parsing of the challenge Atlas sends. */
class AtlasDigestVectorsTest {

    /** RFC 7616 section 3.9.1: the same challenge offered with SHA-256 and with MD5. */
    private static final String RFC7616_REALM = "http-auth@example.org";
    private static final String RFC7616_NONCE = "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v";
    private static final String RFC7616_OPAQUE = "FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS";
    private static final String RFC7616_CNONCE = "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ";

    private static HttpDigest.Challenge rfc7616(String algorithm) {
        return HttpDigest.Challenge.parse("Digest realm=\"" + RFC7616_REALM + "\", qop=\"auth, auth-int\", algorithm="
                + algorithm + ", nonce=\"" + RFC7616_NONCE + "\", opaque=\"" + RFC7616_OPAQUE + "\"");
    }

    @Test
    void rfc7616Sha256Vector_computesTheRfcResponse() {
        String response = HttpDigest.response(rfc7616("SHA-256"), "Mufasa", "Circle of Life", "GET",
                "/dir/index.html", RFC7616_CNONCE, "00000001");

        assertThat(response).isEqualTo("753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1");
    }

    @Test
    void rfc7616Md5Vector_computesTheRfcResponse() {
        String response = HttpDigest.response(rfc7616("MD5"), "Mufasa", "Circle of Life", "GET",
                "/dir/index.html", RFC7616_CNONCE, "00000001");

        assertThat(response).isEqualTo("8ca523f5e9506fed4657c9700eebdbec");
    }

    @Test
    void rfc2617Vector_computesTheRfcResponse() {
        HttpDigest.Challenge challenge = HttpDigest.Challenge.parse("Digest realm=\"testrealm@host.com\","
                + " qop=\"auth,auth-int\", nonce=\"dcd98b7102dd2f0e8b11d0f600bfb0c093\","
                + " opaque=\"5ccc069c403ebaf9f0171e9517f40e41\"");

        assertThat(HttpDigest.response(challenge, "Mufasa", "Circle Of Life", "GET", "/dir/index.html", "0a4f113b",
                "00000001")).isEqualTo("6629fae49393a05397450978507c4ef1");
    }

    @Test
    void rfc7616Sha256Vector_authorizationHeaderCarriesEveryDirective() {
        String header = HttpDigest.authorization(rfc7616("SHA-256"), "Mufasa", "Circle of Life", "GET",
                "/dir/index.html", RFC7616_CNONCE, 1);

        assertThat(header).startsWith("Digest ")
                .contains("username=\"Mufasa\"")
                .contains("realm=\"" + RFC7616_REALM + "\"")
                .contains("uri=\"/dir/index.html\"")
                .contains("algorithm=SHA-256")
                .contains("nonce=\"" + RFC7616_NONCE + "\"")
                .contains("nc=00000001")
                .contains("cnonce=\"" + RFC7616_CNONCE + "\"")
                .contains("qop=auth,")
                .contains("response=\"753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1\"")
                .contains("opaque=\"" + RFC7616_OPAQUE + "\"")
                .doesNotContain("Circle of Life");
    }

    @Test
    void atlasChallenge_isParsedAsAtlasSendsIt() {
        HttpDigest.Challenge c = HttpDigest.Challenge.parse("Digest realm=\"MMS Public API\", domain=\"\","
                + " nonce=\"pSJZ8dgHc2PGJgGxsN/ZIkUpmWhqeR+f\", algorithm=MD5, qop=\"auth\", stale=false");

        assertThat(c.realm()).isEqualTo("MMS Public API");
        assertThat(c.nonce()).isEqualTo("pSJZ8dgHc2PGJgGxsN/ZIkUpmWhqeR+f");
        assertThat(c.algorithm()).isEqualTo("MD5");
        assertThat(c.qop()).containsExactly("auth");
        assertThat(c.stale()).isFalse();
        assertThat(c.opaque()).isNull();
        assertThat(c.toString()).doesNotContain(c.nonce());
    }

    @Test
    void challengeParsing_findsDigestAmongOtherSchemesAndHandlesEscapes() {
        HttpDigest.Challenge c = HttpDigest.Challenge.fromHeaders(List.of(
                "Bearer realm=\"x\", error=\"invalid_token\"",
                "Basic realm=\"b\", Digest realm=\"a \\\"quoted\\\" realm\", nonce=\"n1\", stale=TRUE"));

        assertThat(c.realm()).isEqualTo("a \"quoted\" realm");
        assertThat(c.nonce()).isEqualTo("n1");
        assertThat(c.stale()).isTrue();
        assertThat(c.algorithm()).isEqualTo("MD5");
        assertThat(HttpDigest.Challenge.fromHeaders(List.of("Basic realm=\"b\""))).isNull();
    }

    @Test
    void sessionVariantAndLegacyNoQop_followRfc7616AndRfc2069() throws Exception {
        HttpDigest.Challenge sess = HttpDigest.Challenge.parse("Digest realm=\"r\", nonce=\"n\", qop=\"auth\","
                + " algorithm=SHA-256-sess");
        HttpDigest.Challenge legacy = HttpDigest.Challenge.parse("Digest realm=\"r\", nonce=\"n\"");

        String ha1 = sha256(sha256("u:r:p") + ":n:c");
        assertThat(HttpDigest.response(sess, "u", "p", "GET", "/x", "c", "00000001"))
                .isEqualTo(sha256(ha1 + ":n:00000001:c:auth:" + sha256("GET:/x")));
        assertThat(HttpDigest.authorization(legacy, "u", "p", "GET", "/x", "c", 1))
                .doesNotContain("qop=").doesNotContain("nc=")
                .contains("response=\"" + md5(md5("u:r:p") + ":n:" + md5("GET:/x")) + "\"");
    }

    @Test
    void unsupportedQopOrAlgorithm_isRefusedWithAClearMessage() {
        HttpDigest.Challenge authInt = HttpDigest.Challenge.parse("Digest realm=\"r\", nonce=\"n\", qop=\"auth-int\"");
        HttpDigest.Challenge sha1 = HttpDigest.Challenge.parse("Digest realm=\"r\", nonce=\"n\", algorithm=SHA-1");

        assertThatThrownBy(() -> HttpDigest.response(authInt, "u", "p", "GET", "/", "c", "00000001"))
                .hasMessageContaining("auth-int");
        assertThatThrownBy(() -> HttpDigest.response(sha1, "u", "p", "GET", "/", "c", "00000001"))
                .hasMessageContaining("SHA-1");
    }

    @Test
    void digestAuthenticator_sendsNothingBeforeTheFirstChallenge_andSignsTheRawRequestTarget() {
        DigestAuthenticator auth = new DigestAuthenticator(AtlasCredentials.apiKey("pub", "priv"));
        URI uri = URI.create("https://cloud.mongodb.com/api/atlas/v2/groups/g/clusters?itemsPerPage=500&pageNum=2");

        assertThat(auth.authorization("GET", uri)).isNull();
        assertThat(DigestAuthenticator.requestTarget(uri)).isEqualTo("/api/atlas/v2/groups/g/clusters?itemsPerPage=500&pageNum=2");
    }

    private static String md5(String s) throws Exception {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("MD5")
                .digest(s.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    private static String sha256(String s) throws Exception {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                .digest(s.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }
}
