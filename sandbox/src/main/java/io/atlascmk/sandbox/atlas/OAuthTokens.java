package io.atlascmk.sandbox.atlas;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * OAuth 2.0 client credentials for Atlas service accounts: {@code POST /api/oauth/token} with HTTP Basic
 * {@code clientId:clientSecret} and {@code grant_type=client_credentials} issues an opaque Bearer token
 * valid for {@link #lifetime()} (3600 s by default) on the sandbox clock.
 */
final class OAuthTokens {

    record Token(String clientId, Instant expiresAt) {
    }

    private final Clock clock;
    private final Map<String, String> secretsByClientId = new ConcurrentHashMap<>();
    private final Map<String, Token> tokens = new ConcurrentHashMap<>();
    private final AtomicInteger tokenRequests = new AtomicInteger();
    private final AtomicInteger tokensIssued = new AtomicInteger();
    private final SecureRandom random = new SecureRandom();
    private volatile Duration lifetime = Duration.ofSeconds(3600);

    OAuthTokens(Clock clock) {
        this.clock = clock;
    }

    void addClient(String clientId, String clientSecret) {
        secretsByClientId.put(clientId, clientSecret);
    }

    Duration lifetime() {
        return lifetime;
    }

    void lifetime(Duration lifetime) {
        if (lifetime.isNegative() || lifetime.isZero() || lifetime.toSeconds() == 0) {
            throw new IllegalArgumentException("A token lifetime of at least one second is required; got " + lifetime + ".");
        }
        this.lifetime = lifetime;
    }

    int countRequest() {
        return tokenRequests.incrementAndGet();
    }

    int tokenRequests() {
        return tokenRequests.get();
    }

    int tokensIssued() {
        return tokensIssued.get();
    }

    /** The client id when the Basic credentials are right, else null. */
    String authenticateClient(String authorizationHeader) {
        if (authorizationHeader == null || !authorizationHeader.regionMatches(true, 0, "Basic ", 0, 6)) {
            return null;
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(authorizationHeader.substring(6).trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException notBase64) {
            return null;
        }
        int colon = decoded.indexOf(':');
        if (colon < 0) {
            return null;
        }
        String clientId = decoded.substring(0, colon);
        String expected = secretsByClientId.get(clientId);
        String given = decoded.substring(colon + 1);
        if (expected == null || !MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), given.getBytes(StandardCharsets.UTF_8))) {
            return null;
        }
        return clientId;
    }

    String issue(String clientId) {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        tokens.put(token, new Token(clientId, clock.instant().plus(lifetime)));
        tokensIssued.incrementAndGet();
        return token;
    }

    /**
     * @return the client id of a known, unexpired token
     * @throws AtlasApiError 401 otherwise
     */
    String verify(String token) {
        Token t = tokens.get(token);
        if (t == null) {
            throw new AtlasApiError(401, "UNAUTHORIZED", "You are not authorized for this resource. Unknown access token.");
        }
        if (!clock.instant().isBefore(t.expiresAt())) {
            throw new AtlasApiError(401, "UNAUTHORIZED", "You are not authorized for this resource. The access token expired at "
                    + t.expiresAt() + "; request a new one.");
        }
        return t.clientId();
    }

    /** Makes every issued token invalid (as if the service account secret had been rotated). */
    void revokeAll() {
        tokens.clear();
    }
}
