package io.atlascmk.rotator.atlas;

import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.matching.MatchResult;
import com.github.tomakehurst.wiremock.matching.ValueMatcher;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A WireMock request matcher that plays Atlas's side of HTTP Digest: it matches only when the
 * {@code Authorization} header answers the given nonce correctly for the given key pair, computing the
 * expected MD5 response independently of the client's code.
 */
final class DigestMatcher implements ValueMatcher<Request> {

    private static final Pattern PARAM = Pattern.compile("(\\w+)=(?:\"((?:[^\"\\\\]|\\\\.)*)\"|([^,\\s]*))");

    private final String username;
    private final String password;
    private final String nonce;

    private DigestMatcher(String username, String password, String nonce) {
        this.username = username;
        this.password = password;
        this.nonce = nonce;
    }

    /** Matches a correct Digest answer to {@code nonce} from {@code publicKey}/{@code privateKey}. */
    static DigestMatcher answering(String nonce, String publicKey, String privateKey) {
        return new DigestMatcher(publicKey, privateKey, nonce);
    }

    @Override
    public MatchResult match(Request request) {
        String header = request.getHeader("Authorization");
        if (header == null || !header.startsWith("Digest ")) {
            return MatchResult.noMatch();
        }
        Map<String, String> p = params(header.substring("Digest ".length()));
        String nc = p.getOrDefault("nc", "");
        String cnonce = p.getOrDefault("cnonce", "");
        String ha1 = md5(username + ":MMS Public API:" + password);
        String ha2 = md5(request.getMethod().getName() + ":" + request.getUrl());
        String expected = md5(ha1 + ":" + nonce + ":" + nc + ":" + cnonce + ":auth:" + ha2);
        boolean ok = username.equals(p.get("username"))
                && "MMS Public API".equals(p.get("realm"))
                && nonce.equals(p.get("nonce"))
                && request.getUrl().equals(p.get("uri"))
                && "MD5".equals(p.get("algorithm"))
                && "auth".equals(p.get("qop"))
                && nc.matches("[0-9a-f]{8}")
                && cnonce.length() >= 8
                && expected.equals(p.get("response"));
        return MatchResult.of(ok);
    }

    /** The directives of a Digest {@code Authorization} header. */
    static Map<String, String> params(String directives) {
        Map<String, String> out = new LinkedHashMap<>();
        Matcher m = PARAM.matcher(directives);
        while (m.find()) {
            out.put(m.group(1), m.group(2) != null ? m.group(2).replaceAll("\\\\(.)", "$1") : m.group(3));
        }
        return out;
    }

    private static String md5(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
