package io.atlascmk.rotator.atlas;

import java.net.URI;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * HTTP Digest for an Atlas programmatic API key. The first request goes out without credentials and
 * Atlas answers 401 with a challenge; later requests reuse that nonce with an incrementing nonce
 * count, and a new challenge (a stale or expired nonce) is answered once per request.
 */
final class DigestAuthenticator implements Authenticator {

    private final AtlasCredentials credentials;
    private final SecureRandom random = new SecureRandom();
    private HttpDigest.Challenge challenge;
    private long nonceCount;

    DigestAuthenticator(AtlasCredentials credentials) {
        this.credentials = credentials;
    }

    @Override
    public synchronized String authorization(String method, URI uri) {
        if (challenge == null) {
            return null;
        }
        nonceCount++;
        byte[] cnonce = new byte[16];
        random.nextBytes(cnonce);
        try {
            return HttpDigest.authorization(challenge, credentials.id(), credentials.secret(), method,
                    requestTarget(uri), HexFormat.of().formatHex(cnonce), nonceCount);
        } catch (IllegalStateException unsupported) {
            throw new AtlasAuthenticationException("Cannot answer Atlas's HTTP Digest challenge for " + describe()
                    + ": " + unsupported.getMessage() + ". Use a service account instead.", 401, null, null);
        }
    }

    @Override
    public synchronized boolean renewAfterUnauthorized(HttpResponse<?> response, String usedAuthorization) {
        HttpDigest.Challenge next = HttpDigest.Challenge.fromHeaders(response.headers().allValues("WWW-Authenticate"));
        if (next == null) {
            return false;
        }
        challenge = next;
        nonceCount = 0;
        return true;
    }

    @Override
    public String describe() {
        return "API key " + credentials.id() + " (HTTP Digest)";
    }

    /** The request-target as the HTTP client sends it: raw path and query. */
    static String requestTarget(URI uri) {
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        return uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery();
    }
}
