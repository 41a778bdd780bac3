package io.atlascmk.sandbox.atlas;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * HTTP Digest authentication as Atlas does it for legacy programmatic API keys (RFC 7616 with
 * {@code algorithm=MD5}, {@code qop="auth"}): the public key is the username, the private key the
 * password, the realm {@code MMS Public API}.
 *
 * <p>The server only accepts nonces it issued. Nonces do not expire and nonce counts are not checked for
 * replay: the sandbox is a loopback test double, not a security boundary.
 */
final class DigestAuthenticator {

    static final String REALM = "MMS Public API";

    private final Map<String, String> privateKeysByPublicKey = new ConcurrentHashMap<>();
    private final Set<String> issuedNonces = ConcurrentHashMap.newKeySet();
    private final SecureRandom random = new SecureRandom();

    void addApiKey(String publicKey, String privateKey) {
        privateKeysByPublicKey.put(publicKey, privateKey);
    }

    /** A fresh challenge, as Atlas sends it in {@code WWW-Authenticate}. */
    String challenge() {
        byte[] bytes = new byte[24];
        random.nextBytes(bytes);
        String nonce = Base64.getEncoder().encodeToString(bytes);
        issuedNonces.add(nonce);
        return "Digest realm=\"" + REALM + "\", domain=\"\", nonce=\"" + nonce + "\", algorithm=MD5, qop=\"auth\", stale=false";
    }

    /**
     * Verifies an {@code Authorization: Digest ...} header.
     *
     * @param headerValue the whole header value, starting with {@code Digest}
     * @param method      the request method
     * @param requestUri  the request target as sent (path and query)
     * @return the public key (username) when the credentials are right
     * @throws AtlasApiError 401 when they are not
     */
    String verify(String headerValue, String method, String requestUri) {
        Map<String, String> p = parse(headerValue.substring("Digest".length()));
        String username = p.get("username");
        String privateKey = username == null ? null : privateKeysByPublicKey.get(username);
        if (privateKey == null) {
            throw unauthorized("Unknown API key.");
        }
        if (!REALM.equals(p.get("realm"))) {
            throw unauthorized("Wrong digest realm.");
        }
        String nonce = p.get("nonce");
        if (nonce == null || !issuedNonces.contains(nonce)) {
            throw unauthorized("Unknown digest nonce; ask for a new challenge.");
        }
        String algorithm = p.getOrDefault("algorithm", "MD5");
        if (!"MD5".equalsIgnoreCase(algorithm)) {
            throw unauthorized("Unsupported digest algorithm " + algorithm + ".");
        }
        if (!"auth".equals(p.get("qop")) || p.get("nc") == null || p.get("cnonce") == null) {
            throw unauthorized("Digest qop=auth with nc and cnonce is required.");
        }
        if (!requestUri.equals(p.get("uri"))) {
            throw unauthorized("Digest uri does not match the request.");
        }
        String expected = response(username, REALM, privateKey, method, requestUri, nonce, p.get("nc"), p.get("cnonce"), "auth");
        String given = p.getOrDefault("response", "").toLowerCase(Locale.ROOT);
        if (!MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII), given.getBytes(StandardCharsets.US_ASCII))) {
            throw unauthorized("Wrong digest response.");
        }
        return username;
    }

    /**
     * The RFC 7616 (MD5, qop=auth) request digest:
     * {@code MD5(MD5(user:realm:password):nonce:nc:cnonce:qop:MD5(method:uri))}, lower-case hex.
     */
    static String response(String username, String realm, String password, String method, String uri,
                           String nonce, String nc, String cnonce, String qop) {
        String ha1 = md5Hex(username + ":" + realm + ":" + password);
        String ha2 = md5Hex(method + ":" + uri);
        return md5Hex(ha1 + ":" + nonce + ":" + nc + ":" + cnonce + ":" + qop + ":" + ha2);
    }

    static String md5Hex(String s) {
        try {
            byte[] d = MessageDigest.getInstance("MD5").digest(s.getBytes(StandardCharsets.UTF_8));
            StringBuilder hex = new StringBuilder(32);
            for (byte b : d) {
                hex.append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
            }
            return hex.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is not available in this JDK.", e);
        }
    }

    /**
     * Parses the comma-separated {@code name=value} / {@code name="quoted value"} list of a Digest
     * header (quoted values may contain commas and backslash escapes). Names are lower-cased.
     */
    static Map<String, String> parse(String params) {
        Map<String, String> out = new LinkedHashMap<>();
        int i = 0;
        int n = params.length();
        while (i < n) {
            while (i < n && (params.charAt(i) == ',' || Character.isWhitespace(params.charAt(i)))) {
                i++;
            }
            int nameStart = i;
            while (i < n && params.charAt(i) != '=' && params.charAt(i) != ',') {
                i++;
            }
            String name = params.substring(nameStart, i).trim().toLowerCase(Locale.ROOT);
            if (i >= n || params.charAt(i) != '=') {
                if (!name.isEmpty()) {
                    out.put(name, "");
                }
                continue;
            }
            i++; // '='
            while (i < n && Character.isWhitespace(params.charAt(i))) {
                i++;
            }
            StringBuilder value = new StringBuilder();
            if (i < n && params.charAt(i) == '"') {
                i++;
                while (i < n && params.charAt(i) != '"') {
                    char c = params.charAt(i);
                    if (c == '\\' && i + 1 < n) {
                        i++;
                        c = params.charAt(i);
                    }
                    value.append(c);
                    i++;
                }
                i++; // closing quote
            } else {
                while (i < n && params.charAt(i) != ',') {
                    value.append(params.charAt(i));
                    i++;
                }
            }
            if (!name.isEmpty()) {
                out.put(name, value.toString().trim());
            }
        }
        return out;
    }

    private static AtlasApiError unauthorized(String why) {
        return new AtlasApiError(401, "UNAUTHORIZED", "You are not authorized for this resource. " + why);
    }
}
