package io.atlascmk.rotator.atlas;

import com.fasterxml.jackson.databind.JsonNode;
import io.atlascmk.rotator.json.Json;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.concurrent.locks.ReentrantLock;

/**
 * OAuth 2.0 client credentials for an Atlas service account: {@code POST /api/oauth/token} with HTTP
 * Basic of {@code clientId:clientSecret} and {@code grant_type=client_credentials}. The Bearer token
 * is cached and reused until {@code tokenRefreshMargin} before it expires. Fetching is single-flight:
 * callers that find no usable token queue on one lock, the first fetches, the rest reuse its token.
 */
final class OAuthAuthenticator implements Authenticator {

    static final String TOKEN_PATH = "/api/oauth/token";
    /** Atlas documents access tokens valid for one hour; used when the answer omits expires_in. */
    private static final long DEFAULT_EXPIRES_IN = 3600;
    private static final Logger LOG = LoggerFactory.getLogger(OAuthAuthenticator.class);

    private final HttpClient http;
    private final AtlasClientConfig config;
    private final AtlasCredentials credentials;
    private final URI tokenUri;
    private final ReentrantLock fetchLock = new ReentrantLock();
    private volatile AccessToken token;

    /** A Bearer token and when to stop using it. */
    private record AccessToken(String value, Instant refreshAt) {
        @Override
        public String toString() {
            return "AccessToken[****, refreshAt=" + refreshAt + "]";
        }
    }

    OAuthAuthenticator(HttpClient http, AtlasClientConfig config, AtlasCredentials credentials) {
        this.http = http;
        this.config = config;
        this.credentials = credentials;
        this.tokenUri = URI.create(config.baseUrl() + TOKEN_PATH);
    }

    @Override
    public String authorization(String method, URI uri) throws TransientFailure, InterruptedException {
        AccessToken t = token;
        if (t == null || !config.clock().instant().isBefore(t.refreshAt())) {
            fetchLock.lockInterruptibly();
            try {
                t = token;
                if (t == null || !config.clock().instant().isBefore(t.refreshAt())) {
                    t = fetch();
                    token = t;
                }
            } finally {
                fetchLock.unlock();
            }
        }
        return "Bearer " + t.value();
    }

    @Override
    public boolean renewAfterUnauthorized(HttpResponse<?> response, String usedAuthorization) {
        if (usedAuthorization == null) {
            return false;
        }
        fetchLock.lock();
        try {
            AccessToken t = token;
            // Drop only the token that was refused: another caller may already hold a fresh one.
            if (t != null && usedAuthorization.equals("Bearer " + t.value())) {
                token = null;
            }
        } finally {
            fetchLock.unlock();
        }
        LOG.info("Atlas refused the service account's access token (HTTP 401); fetching a new one and retrying once");
        return true;
    }

    @Override
    public String describe() {
        return "service account " + credentials.id() + " (OAuth 2.0)";
    }

    private AccessToken fetch() throws TransientFailure, InterruptedException {
        String basic = Base64.getEncoder().encodeToString(
                (credentials.id() + ":" + credentials.secret()).getBytes(StandardCharsets.UTF_8));
        HttpRequest request = HttpRequest.newBuilder(tokenUri)
                .timeout(config.requestTimeout())
                .header("Authorization", "Basic " + basic)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json")
                .header("User-Agent", AtlasClient.USER_AGENT)
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials"))
                .build();
        Instant requestedAt = config.clock().instant();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new TransientFailure(AtlasClient.describe(e), 0, null, null, e);
        }
        int status = response.statusCode();
        LOG.debug("Atlas POST {} -> HTTP {}", TOKEN_PATH, status);
        if (status == 429 || status >= 500) {
            throw AtlasErrors.transientFromResponse(status, response.headers(), response.body(), config.clock());
        }
        if (status != 200) {
            throw new AtlasAuthenticationException("Atlas POST " + TOKEN_PATH + " failed: HTTP " + status
                    + oauthError(response.body()) + ". Atlas did not issue an access token to " + describe()
                    + ": the client id or secret in the Atlas secret is wrong, or the service account or its secret"
                    + " was deleted or has expired; update the secret.", status, null, null);
        }
        return parseToken(response.body(), requestedAt);
    }

    private AccessToken parseToken(String body, Instant requestedAt) {
        JsonNode node;
        try {
            node = Json.MAPPER.readTree(body);
        } catch (IOException e) {
            // No cause and no body in the message: the body is the token.
            throw new AtlasApiException("Atlas POST " + TOKEN_PATH + " answered 200 with a body that is not JSON;"
                    + " expected {\"access_token\", \"expires_in\"}. Check ATLAS_BASE_URL.", 200, null, null);
        }
        JsonNode value = node == null ? null : node.get("access_token");
        if (value == null || !value.isTextual() || value.asText().isBlank()) {
            throw new AtlasApiException("Atlas POST " + TOKEN_PATH + " answered 200 without an access_token;"
                    + " check ATLAS_BASE_URL.", 200, null, null);
        }
        JsonNode expiresNode = node.get("expires_in");
        long expiresIn = expiresNode != null && expiresNode.canConvertToLong() && expiresNode.asLong() > 0
                ? expiresNode.asLong() : DEFAULT_EXPIRES_IN;
        Duration lifetime = Duration.ofSeconds(expiresIn);
        Duration usable = lifetime.minus(config.tokenRefreshMargin());
        if (usable.compareTo(lifetime.dividedBy(2)) < 0) {
            usable = lifetime.dividedBy(2); // short-lived tokens: still use them for half their life
        }
        Instant refreshAt = requestedAt.plus(usable);
        LOG.debug("Atlas issued an access token to {} valid for {} s; reusing it until {}", describe(), expiresIn,
                refreshAt);
        return new AccessToken(value.asText(), refreshAt);
    }

    /** {@code (error invalid_client: description)} from an OAuth error answer, or empty. */
    private static String oauthError(String body) {
        try {
            JsonNode node = Json.MAPPER.readTree(body == null ? "" : body);
            if (node != null && node.isObject()) {
                StringBuilder sb = new StringBuilder();
                for (String field : new String[] {"error", "errorCode", "error_description", "detail"}) {
                    JsonNode v = node.get(field);
                    if (v != null && v.isValueNode() && !v.asText().isBlank()) {
                        sb.append(sb.length() == 0 ? " (" : ", ").append(field).append(' ')
                                .append(AtlasErrors.shorten(v.asText()));
                    }
                }
                return sb.length() == 0 ? "" : sb.append(')').toString();
            }
        } catch (IOException ignored) {
            // not JSON: say nothing more than the status
        }
        return "";
    }
}
