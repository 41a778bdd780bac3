package io.atlascmk.rotator.atlas;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP Digest access authentication (RFC 7616) as the Atlas Administration API uses it for
 * programmatic API keys: the public key is the user name, the private key the password. Atlas
 * challenges with {@code algorithm=MD5, qop="auth"}; MD5, SHA-256 and SHA-512-256 and their
 * {@code -sess} variants are supported, with {@code qop=auth} (or no qop, RFC 2069 style).
 * {@code auth-int} and {@code userhash=true} are not.
 *
 * <p>Pure functions: the caller keeps the challenge and the nonce count.
 */
final class HttpDigest {

    private HttpDigest() {
    }

    /**
     * A {@code WWW-Authenticate: Digest ...} challenge.
     *
     * @param realm     protection space, e.g. {@code MMS Public API}
     * @param nonce     server nonce
     * @param opaque    echoed back unchanged; null when absent
     * @param algorithm as the server spelled it; {@code MD5} when absent
     * @param qop       offered quality-of-protection values, lower case; empty for RFC 2069 servers
     * @param stale     the previous request's nonce was stale, not its credentials wrong
     */
    record Challenge(String realm, String nonce, String opaque, String algorithm, List<String> qop, boolean stale) {

        Challenge {
            qop = List.copyOf(qop);
        }

        /** The first Digest challenge among the given {@code WWW-Authenticate} header values, or null. */
        static Challenge fromHeaders(List<String> wwwAuthenticateValues) {
            for (String value : wwwAuthenticateValues) {
                Challenge c = parse(value);
                if (c != null) {
                    return c;
                }
            }
            return null;
        }

        /** Parses one header value (which may hold several challenges); null when it has no Digest challenge. */
        static Challenge parse(String headerValue) {
            if (headerValue == null) {
                return null;
            }
            Map<String, String> params = digestParams(headerValue);
            if (params == null || !params.containsKey("nonce")) {
                return null;
            }
            List<String> qop = new ArrayList<>();
            String qopValue = params.get("qop");
            if (qopValue != null) {
                for (String q : qopValue.split(",")) {
                    if (!q.isBlank()) {
                        qop.add(q.trim().toLowerCase(Locale.ROOT));
                    }
                }
            }
            String algorithm = params.getOrDefault("algorithm", "MD5");
            return new Challenge(params.getOrDefault("realm", ""), params.get("nonce"), params.get("opaque"),
                    algorithm, qop, "true".equalsIgnoreCase(params.get("stale")));
        }

        @Override
        public String toString() {
            // The nonce is not a secret, but it is a live credential fragment; keep it out of logs.
            return "Challenge[realm=" + realm + ", algorithm=" + algorithm + ", qop=" + qop + ", stale=" + stale + "]";
        }
    }

    /**
     * The {@code Authorization} header value answering {@code challenge}.
     *
     * @param uri the request-target exactly as sent (path and query)
     * @param nc  nonce count, 1 for the first request with this nonce
     */
    static String authorization(Challenge challenge, String username, String password, String method, String uri,
                                String cnonce, long nc) {
        String qop = chooseQop(challenge);
        String ncValue = String.format(Locale.ROOT, "%08x", nc);
        String response = response(challenge, username, password, method, uri, cnonce, ncValue);
        StringBuilder sb = new StringBuilder("Digest ");
        sb.append("username=").append(quote(username));
        sb.append(", realm=").append(quote(challenge.realm()));
        sb.append(", nonce=").append(quote(challenge.nonce()));
        sb.append(", uri=").append(quote(uri));
        sb.append(", algorithm=").append(challenge.algorithm());
        if (qop != null) {
            sb.append(", qop=").append(qop);
            sb.append(", nc=").append(ncValue);
            sb.append(", cnonce=").append(quote(cnonce));
        }
        sb.append(", response=").append(quote(response));
        if (challenge.opaque() != null) {
            sb.append(", opaque=").append(quote(challenge.opaque()));
        }
        return sb.toString();
    }

    /**
     * The {@code response} directive (RFC 7616 section 3.4.1): lower-case hex of
     * {@code H(HA1:nonce:nc:cnonce:qop:HA2)}, or {@code H(HA1:nonce:HA2)} when the server offers no qop.
     *
     * @param nc the nonce count as sent, eight hex digits
     */
    static String response(Challenge challenge, String username, String password, String method, String uri,
                           String cnonce, String nc) {
        String algorithm = challenge.algorithm().toUpperCase(Locale.ROOT);
        boolean session = algorithm.endsWith("-SESS");
        MessageDigest digest = digest(session ? algorithm.substring(0, algorithm.length() - 5) : algorithm);
        String ha1 = hex(digest, username + ":" + challenge.realm() + ":" + password);
        if (session) {
            ha1 = hex(digest, ha1 + ":" + challenge.nonce() + ":" + cnonce);
        }
        String ha2 = hex(digest, method + ":" + uri);
        String qop = chooseQop(challenge);
        if (qop == null) {
            return hex(digest, ha1 + ":" + challenge.nonce() + ":" + ha2);
        }
        return hex(digest, ha1 + ":" + challenge.nonce() + ":" + nc + ":" + cnonce + ":" + qop + ":" + ha2);
    }

    /** {@code auth} when offered; null when the server offers no qop at all. */
    private static String chooseQop(Challenge challenge) {
        if (challenge.qop().isEmpty()) {
            return null;
        }
        if (challenge.qop().contains("auth")) {
            return "auth";
        }
        throw new IllegalStateException("Atlas offered Digest qop " + challenge.qop()
                + "; only \"auth\" is supported");
    }

    private static MessageDigest digest(String algorithm) {
        String jca = switch (algorithm) {
            case "MD5" -> "MD5";
            case "SHA-256" -> "SHA-256";
            case "SHA-512-256" -> "SHA-512/256";
            default -> throw new IllegalStateException("Atlas asked for Digest algorithm " + algorithm
                    + "; supported: MD5, SHA-256, SHA-512-256 (and -sess variants)");
        };
        try {
            return MessageDigest.getInstance(jca);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("This JVM lacks " + jca, e);
        }
    }

    private static String hex(MessageDigest digest, String value) {
        digest.reset();
        return HexFormat.of().formatHex(digest.digest(value.getBytes(StandardCharsets.UTF_8)));
    }

    private static String quote(String value) {
        return '"' + value.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }

    /**
     * The auth-params of the Digest challenge in a header value, keys lower case; null when the value
     * holds no Digest challenge. Handles several challenges in one value
     * ({@code Basic realm="a", Digest realm="b", nonce="c"}) and quoted strings with escapes.
     */
    private static Map<String, String> digestParams(String header) {
        Lexer lx = new Lexer(header);
        while (lx.skipSeparators()) {
            String scheme = lx.token();
            if (scheme.isEmpty()) {
                lx.pos++; // a stray '=' or '"' (e.g. the tail of a token68); skip it
                continue;
            }
            Map<String, String> params = new LinkedHashMap<>();
            // auth-params follow until the next token that is not followed by '=' (a new scheme)
            while (lx.skipSeparators()) {
                int mark = lx.pos;
                String name = lx.token();
                lx.skipSpaces();
                if (name.isEmpty() || !lx.consume('=')) {
                    lx.pos = mark;
                    break;
                }
                lx.skipSpaces();
                params.put(name.toLowerCase(Locale.ROOT), lx.peek() == '"' ? lx.quoted() : lx.token());
            }
            if ("digest".equalsIgnoreCase(scheme)) {
                return params;
            }
        }
        return null;
    }

    private static final class Lexer {
        private final String s;
        private int pos;

        Lexer(String s) {
            this.s = s;
        }

        /** Skips spaces and commas; false at the end. */
        boolean skipSeparators() {
            while (pos < s.length() && (s.charAt(pos) == ',' || Character.isWhitespace(s.charAt(pos)))) {
                pos++;
            }
            return pos < s.length();
        }

        void skipSpaces() {
            while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) {
                pos++;
            }
        }

        char peek() {
            return pos < s.length() ? s.charAt(pos) : 0;
        }

        boolean consume(char c) {
            if (peek() == c) {
                pos++;
                return true;
            }
            return false;
        }

        String token() {
            int start = pos;
            while (pos < s.length()) {
                char c = s.charAt(pos);
                if (c == ',' || c == '=' || c == '"' || Character.isWhitespace(c)) {
                    break;
                }
                pos++;
            }
            return s.substring(start, pos);
        }

        String quoted() {
            StringBuilder sb = new StringBuilder();
            pos++; // opening quote
            while (pos < s.length()) {
                char c = s.charAt(pos++);
                if (c == '\\' && pos < s.length()) {
                    sb.append(s.charAt(pos++));
                } else if (c == '"') {
                    break;
                } else {
                    sb.append(c);
                }
            }
            return sb.toString();
        }
    }
}
