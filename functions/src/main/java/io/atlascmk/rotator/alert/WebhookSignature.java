package io.atlascmk.rotator.alert;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Atlas's webhook signature: when the webhook integration has a secret, every delivery carries
 * {@code X-MMS-Signature: base64(HMAC-SHA1(secret, raw request body bytes))}.
 *
 * <p>Pure functions, no state. Verification decodes the header and compares the decoded MAC with
 * {@link MessageDigest#isEqual}, whose running time does not depend on where the bytes differ.
 */
public final class WebhookSignature {

    /** Header that carries the signature. Header names are case-insensitive. */
    public static final String HEADER = "X-MMS-Signature";

    private static final String ALGORITHM = "HmacSHA1";

    /** Outcome of checking a signature header against a body. */
    public enum Verdict {
        /** The header is the HMAC of the body under the secret. */
        VALID,
        /** The header is not standard base64 (RFC 4648), so it cannot be a signature. */
        MALFORMED,
        /** The header is base64 but not the HMAC of this body under this secret. */
        MISMATCH
    }

    private WebhookSignature() {
    }

    /** HMAC-SHA1 of {@code message} under {@code key}. {@code key} must not be empty. */
    public static byte[] hmacSha1(byte[] key, byte[] message) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(new SecretKeySpec(key, ALGORITHM));
            return mac.doFinal(message);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            // HmacSHA1 is a mandatory JCA algorithm; an unusable key is a programming error.
            throw new IllegalStateException("HMAC-SHA1 is not usable in this JVM: " + e.getClass().getSimpleName());
        }
    }

    /** The {@code X-MMS-Signature} value Atlas sends for {@code body} under {@code secret} (UTF-8 key). */
    public static String sign(String secret, byte[] body) {
        return Base64.getEncoder().encodeToString(hmacSha1(secret.getBytes(StandardCharsets.UTF_8), body));
    }

    /** Checks {@code signatureHeader} against {@code body}; never throws for a bad header. */
    public static Verdict verify(String secret, byte[] body, String signatureHeader) {
        byte[] presented;
        try {
            presented = Base64.getDecoder().decode(signatureHeader.strip());
        } catch (IllegalArgumentException e) {
            return Verdict.MALFORMED;
        }
        if (presented.length == 0) {
            return Verdict.MALFORMED;
        }
        byte[] expected = hmacSha1(secret.getBytes(StandardCharsets.UTF_8), body);
        return MessageDigest.isEqual(expected, presented) ? Verdict.VALID : Verdict.MISMATCH;
    }
}
