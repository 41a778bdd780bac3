package io.atlascmk.rotator.alert;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class WebhookSignatureTest {

    private static final HexFormat HEX = HexFormat.of();

    private static byte[] repeated(int value, int count) {
        byte[] bytes = new byte[count];
        Arrays.fill(bytes, (byte) value);
        return bytes;
    }

    // RFC 2202 section 3, HMAC-SHA1 test cases 1 to 3.

    @Test
    void hmacSha1_matchesRfc2202TestCase1() {
        byte[] mac = WebhookSignature.hmacSha1(repeated(0x0b, 20), "Hi There".getBytes(StandardCharsets.US_ASCII));
        assertThat(HEX.formatHex(mac)).isEqualTo("b617318655057264e28bc0b6fb378c8ef146be00");
    }

    @Test
    void hmacSha1_matchesRfc2202TestCase2() {
        byte[] mac = WebhookSignature.hmacSha1("Jefe".getBytes(StandardCharsets.US_ASCII),
                "what do ya want for nothing?".getBytes(StandardCharsets.US_ASCII));
        assertThat(HEX.formatHex(mac)).isEqualTo("effcdf6ae5eb2fa2d27416d5f184df9c259a7c79");
    }

    @Test
    void hmacSha1_matchesRfc2202TestCase3() {
        byte[] mac = WebhookSignature.hmacSha1(repeated(0xaa, 20), repeated(0xdd, 50));
        assertThat(HEX.formatHex(mac)).isEqualTo("125d7342b9ac11cd91a39af48aa17b4f63f175d3");
    }

    // Atlas-style triples; the expected values were computed outside Java with
    // `printf '%s' BODY | openssl dgst -sha1 -hmac sandbox-webhook-secret -binary | base64`.

    @Test
    void sign_reproducesARecordedAtlasStyleSignature() {
        byte[] body = "{\"eventTypeName\":\"AWS_ENCRYPTION_KEY_NEEDS_ROTATION\"}".getBytes(StandardCharsets.UTF_8);
        assertThat(WebhookSignature.sign(WebhookFixtures.SECRET, body)).isEqualTo("4HSD8jJmeAtbxN5v+Kh28HH2LWE=");
        assertThat(WebhookSignature.verify(WebhookFixtures.SECRET, body, "4HSD8jJmeAtbxN5v+Kh28HH2LWE="))
                .isEqualTo(WebhookSignature.Verdict.VALID);
    }

    @Test
    void sign_coversTheUtf8BytesOfNonAsciiBodies() {
        byte[] body = "{\"humanReadable\":\"Projet: données-prod\"}".getBytes(StandardCharsets.UTF_8);
        assertThat(WebhookSignature.sign(WebhookFixtures.SECRET, body)).isEqualTo("Zx2qzdlKwauH6XLGqJN5IM/81Lo=");
    }

    @Test
    void verify_acceptsTheSignatureRecordedInTheExampleFunctionUrlEvent() {
        JsonNode event = WebhookFixtures.validEvent();
        byte[] body = event.get("body").textValue().getBytes(StandardCharsets.UTF_8);
        assertThat(event.get("headers").get("x-mms-signature").textValue()).isEqualTo(WebhookFixtures.RECORDED_SIGNATURE);
        assertThat(WebhookSignature.verify(WebhookFixtures.SECRET, body, WebhookFixtures.RECORDED_SIGNATURE))
                .isEqualTo(WebhookSignature.Verdict.VALID);
    }

    @Test
    void verify_reportsMismatch_whenTheSecretDiffers() {
        byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
        String signature = WebhookSignature.sign("another-secret", body);
        assertThat(WebhookSignature.verify(WebhookFixtures.SECRET, body, signature)).isEqualTo(WebhookSignature.Verdict.MISMATCH);
    }

    @Test
    void verify_reportsMismatch_whenOneBodyByteChanged() {
        byte[] body = "{\"status\":\"OPEN\"}".getBytes(StandardCharsets.UTF_8);
        String signature = WebhookSignature.sign(WebhookFixtures.SECRET, body);
        byte[] tampered = body.clone();
        tampered[tampered.length - 3] = 'M';
        assertThat(WebhookSignature.verify(WebhookFixtures.SECRET, tampered, signature)).isEqualTo(WebhookSignature.Verdict.MISMATCH);
    }

    @Test
    void verify_reportsMismatch_forATruncatedSignature() {
        byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
        byte[] mac = Base64.getDecoder().decode(WebhookSignature.sign(WebhookFixtures.SECRET, body));
        String truncated = Base64.getEncoder().encodeToString(Arrays.copyOf(mac, 10));
        assertThat(WebhookSignature.verify(WebhookFixtures.SECRET, body, truncated)).isEqualTo(WebhookSignature.Verdict.MISMATCH);
    }

    @Test
    void verify_reportsMalformed_forHeadersThatAreNotBase64() {
        byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
        assertThat(WebhookSignature.verify(WebhookFixtures.SECRET, body, "not base64!")).isEqualTo(WebhookSignature.Verdict.MALFORMED);
        assertThat(WebhookSignature.verify(WebhookFixtures.SECRET, body, "sha1=abc")).isEqualTo(WebhookSignature.Verdict.MALFORMED);
        assertThat(WebhookSignature.verify(WebhookFixtures.SECRET, body, "")).isEqualTo(WebhookSignature.Verdict.MALFORMED);
    }
}
