package io.atlascmk.rotator.atlas;

import com.fasterxml.jackson.databind.JsonNode;
import io.atlascmk.rotator.json.Json;

import java.io.IOException;
import java.util.Objects;

/**
 * Credentials for the Atlas Administration API, as kept in a Secrets Manager secret: either a service
 * account ({@code {"clientId": "...", "clientSecret": "..."}}, OAuth 2.0 client credentials) or a
 * legacy programmatic API key ({@code {"publicKey": "...", "privateKey": "..."}}, HTTP Digest).
 *
 * <p>{@link #toString()} shows the kind and the public identifier only; the secret half is never
 * part of any message this class produces.
 */
public final class AtlasCredentials {

    /** How the credentials authenticate. */
    public enum Kind {
        /** OAuth 2.0 client credentials: {@code clientId} and {@code clientSecret}. */
        SERVICE_ACCOUNT,
        /** HTTP Digest: {@code publicKey} (user name) and {@code privateKey} (password). */
        API_KEY
    }

    static final String EXPECTED_SHAPE = "a JSON object with either {\"clientId\", \"clientSecret\"} (service account)"
            + " or {\"publicKey\", \"privateKey\"} (API key), each a non-empty string";

    private final Kind kind;
    private final String id;
    private final String secret;

    private AtlasCredentials(Kind kind, String id, String secret) {
        this.kind = kind;
        this.id = id;
        this.secret = secret;
    }

    /** A service account; both values must be non-blank. */
    public static AtlasCredentials serviceAccount(String clientId, String clientSecret) {
        return new AtlasCredentials(Kind.SERVICE_ACCOUNT,
                requireText(clientId, "clientId"), requireText(clientSecret, "clientSecret"));
    }

    /** A programmatic API key; both values must be non-blank. */
    public static AtlasCredentials apiKey(String publicKey, String privateKey) {
        return new AtlasCredentials(Kind.API_KEY,
                requireText(publicKey, "publicKey"), requireText(privateKey, "privateKey"));
    }

    /**
     * Parses a secret string.
     *
     * @throws AtlasCredentialsException when the string is not JSON or not one of the two shapes; the
     *                                   message names the expected fields and never repeats the input
     */
    public static AtlasCredentials parse(String secretString) {
        if (secretString == null || secretString.isBlank()) {
            throw new AtlasCredentialsException("The Atlas credentials secret is empty; expected " + EXPECTED_SHAPE + ".");
        }
        JsonNode node;
        try {
            node = Json.MAPPER.readTree(secretString);
        } catch (IOException e) {
            // No cause: the parser's message quotes the input, which is the secret.
            throw new AtlasCredentialsException("The Atlas credentials secret is not valid JSON; expected "
                    + EXPECTED_SHAPE + ".");
        }
        if (node == null || !node.isObject()) {
            throw new AtlasCredentialsException("The Atlas credentials secret is not a JSON object; expected "
                    + EXPECTED_SHAPE + ".");
        }
        boolean serviceAccount = node.has("clientId") || node.has("clientSecret");
        boolean apiKey = node.has("publicKey") || node.has("privateKey");
        if (serviceAccount && apiKey) {
            throw new AtlasCredentialsException("The Atlas credentials secret holds fields of both a service account"
                    + " and an API key; keep one pair: " + EXPECTED_SHAPE + ".");
        }
        if (serviceAccount) {
            return serviceAccount(text(node, "clientId"), text(node, "clientSecret"));
        }
        if (apiKey) {
            return apiKey(text(node, "publicKey"), text(node, "privateKey"));
        }
        throw new AtlasCredentialsException("The Atlas credentials secret has neither a service account nor an API key;"
                + " expected " + EXPECTED_SHAPE + ".");
    }

    /** The same kind, id and secret (compared, never shown). */
    boolean sameAs(AtlasCredentials other) {
        return other != null && kind == other.kind && id.equals(other.id) && secret.equals(other.secret);
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual() || value.asText().isBlank()) {
            throw new AtlasCredentialsException("The Atlas credentials secret lacks a non-empty string \"" + field
                    + "\"; expected " + EXPECTED_SHAPE + ".");
        }
        return value.asText();
    }

    private static String requireText(String value, String field) {
        if (value == null || value.isBlank()) {
            throw new AtlasCredentialsException("Atlas credentials need a non-empty \"" + field + "\"; expected "
                    + EXPECTED_SHAPE + ".");
        }
        return value;
    }

    public Kind kind() {
        return kind;
    }

    /** The public half: the service account's client id or the API key's public key. */
    public String id() {
        return id;
    }

    /** The secret half (client secret or private key). Package-private: only the authenticators read it. */
    String secret() {
        return secret;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AtlasCredentials other && kind == other.kind && id.equals(other.id)
                && secret.equals(other.secret);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, id);
    }

    @Override
    public String toString() {
        return kind == Kind.SERVICE_ACCOUNT
                ? "AtlasCredentials[serviceAccount clientId=" + id + ", clientSecret=****]"
                : "AtlasCredentials[apiKey publicKey=" + id + ", privateKey=****]";
    }
}
