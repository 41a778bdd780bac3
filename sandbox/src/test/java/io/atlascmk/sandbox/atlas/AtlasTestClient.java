package io.atlascmk.sandbox.atlas;

import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.ValidationReport;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.atlascmk.contract.AtlasContract;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Talks to the simulator over real HTTP (java.net.http) and checks every request it sends and every
 * response it gets against the contract. {@link #get} and {@link #patch} assert both are clean;
 * {@link #send} leaves the verdict to the test (for requests that are wrong on purpose and for statuses
 * the contract does not list), and every test that uses it asserts on the reports.
 *
 * <p>Authentication: a Bearer token from the simulator's token endpoint, or HTTP Digest computed here
 * (independently of the simulator's code) from the challenge, reusing the nonce with a growing nonce
 * count as a real client does.
 */
final class AtlasTestClient {

    static final String V2023 = "application/vnd.atlas.2023-01-01+json";
    static final String V2024 = "application/vnd.atlas.2024-08-05+json";
    static final String V2025 = "application/vnd.atlas.2025-03-12+json";

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Pattern NONCE = Pattern.compile("nonce=\"([^\"]+)\"");

    private final AtlasSimulator sim;
    private final AtlasContract contract;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private String bearer;
    private String digestUser;
    private String digestPassword;
    private String nonce;
    private int nonceCount;
    private int digestChallenges;
    private Duration requestTimeout;

    AtlasTestClient(AtlasSimulator sim, AtlasContract contract) {
        this.sim = sim;
        this.contract = contract;
    }

    /** Gets a token with the service account's client credentials and sends it from now on. */
    AtlasTestClient withServiceAccount(String clientId, String clientSecret) {
        HttpResponse<String> r = postToken(clientId, clientSecret, "grant_type=client_credentials");
        assertThat(r.statusCode()).as("token endpoint: %s", r.body()).isEqualTo(200);
        this.bearer = json(r.body()).get("access_token").asText();
        this.digestUser = null;
        return this;
    }

    AtlasTestClient withBearer(String token) {
        this.bearer = token;
        this.digestUser = null;
        return this;
    }

    AtlasTestClient withDigest(String publicKey, String privateKey) {
        this.digestUser = publicKey;
        this.digestPassword = privateKey;
        this.bearer = null;
        this.nonce = null;
        return this;
    }

    AtlasTestClient withoutCredentials() {
        this.bearer = null;
        this.digestUser = null;
        return this;
    }

    AtlasTestClient withRequestTimeout(Duration timeout) {
        this.requestTimeout = timeout;
        return this;
    }

    /** How many 401 Digest challenges this client had to answer. */
    int digestChallenges() {
        return digestChallenges;
    }

    /** {@code POST /api/oauth/token} with HTTP Basic credentials and a form body. Not in the contract. */
    HttpResponse<String> postToken(String clientId, String clientSecret, String form) {
        String basic = Base64.getEncoder().encodeToString((clientId + ":" + clientSecret).getBytes(StandardCharsets.UTF_8));
        HttpRequest req = HttpRequest.newBuilder(URI.create(sim.baseUrl() + "/api/oauth/token"))
                .header("Authorization", "Basic " + basic)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(form))
                .build();
        try {
            return http.send(req, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * The Accept header the rotator sends for a path: clusters and the backup schedule 2024-08-05, the rate limits
     * 2025-03-12, everything else 2023-01-01.
     */
    static String acceptFor(String pathAndQuery) {
        String path = pathAndQuery.split("\\?")[0];
        if (path.equals("/api/atlas/v2/rateLimits")) {
            return V2025;
        }
        return path.matches(".*/clusters(/[^/]+)?") || path.endsWith("/backup/schedule") ? V2024 : V2023;
    }

    /** GET; asserts 200 and that the request and the response conform to the contract. */
    Exchange get(String pathAndQuery) {
        return call("GET", pathAndQuery, null).assertStatus(200);
    }

    /** PATCH with a JSON body; asserts 200 and that the request and the response conform to the contract. */
    Exchange patch(String path, String body) {
        return call("PATCH", path, body).assertStatus(200);
    }

    /** Any status; asserts the request and the response conform to the contract. */
    Exchange call(String method, String pathAndQuery, String body) {
        return send(method, pathAndQuery, acceptFor(pathAndQuery), body).assertConforms();
    }

    /** Sends as asked and validates; the caller asserts on {@link Exchange#requestReport()} / {@link Exchange#responseReport()}. */
    Exchange send(String method, String pathAndQuery, String accept, String body) {
        Exchange e = sendOnce(method, pathAndQuery, accept, body);
        if (digestUser != null && e.status() == 401 && e.header("WWW-Authenticate") != null
                && e.header("WWW-Authenticate").startsWith("Digest ")) {
            // The challenge is a response like any other: it must conform too (the request is judged on the retry).
            e.assertResponseConforms();
            Matcher m = NONCE.matcher(e.header("WWW-Authenticate"));
            assertThat(m.find()).as("nonce in %s", e.header("WWW-Authenticate")).isTrue();
            nonce = m.group(1);
            nonceCount = 0;
            digestChallenges++;
            e = sendOnce(method, pathAndQuery, accept, body);
        }
        return e;
    }

    private Exchange sendOnce(String method, String pathAndQuery, String accept, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(sim.baseUrl() + pathAndQuery));
        if (requestTimeout != null) {
            b.timeout(requestTimeout);
        }
        Map<String, String> headers = new LinkedHashMap<>();
        if (accept != null) {
            headers.put("Accept", accept);
        }
        if (body != null) {
            headers.put("Content-Type", V2023);
        }
        String authorization = authorization(method, pathAndQuery);
        if (authorization != null) {
            headers.put("Authorization", authorization);
        }
        headers.forEach(b::header);
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        HttpResponse<String> r;
        try {
            r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        Request request = contractRequest(method, pathAndQuery, headers, body);
        SimpleResponse.Builder rb = SimpleResponse.Builder.status(r.statusCode()).withBody(r.body());
        r.headers().map().forEach(rb::withHeader);
        r.headers().firstValue("Content-Type").ifPresent(rb::withContentType);
        SimpleResponse response = rb.build();
        String path = pathAndQuery.split("\\?")[0];
        return new Exchange(method, pathAndQuery, r.statusCode(), r.headers().map(), r.body(),
                contract.validateRequest(request), contract.validateResponse(path, request.getMethod(), response), contract);
    }

    private String authorization(String method, String pathAndQuery) {
        if (bearer != null) {
            return "Bearer " + bearer;
        }
        if (digestUser != null && nonce != null) {
            String nc = String.format("%08x", ++nonceCount);
            String cnonce = Long.toHexString(Double.doubleToLongBits(Math.random()));
            String ha1 = md5(digestUser + ":MMS Public API:" + digestPassword);
            String ha2 = md5(method + ":" + pathAndQuery);
            String response = md5(ha1 + ":" + nonce + ":" + nc + ":" + cnonce + ":auth:" + ha2);
            return "Digest username=\"" + digestUser + "\", realm=\"MMS Public API\", nonce=\"" + nonce + "\", uri=\""
                    + pathAndQuery + "\", algorithm=MD5, qop=auth, nc=" + nc + ", cnonce=\"" + cnonce + "\", response=\"" + response + "\"";
        }
        return null;
    }

    static String md5(String s) {
        try {
            StringBuilder hex = new StringBuilder();
            for (byte b : MessageDigest.getInstance("MD5").digest(s.getBytes(StandardCharsets.UTF_8))) {
                hex.append(String.format("%02x", b));
            }
            return hex.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The request as the contract sees it. */
    private static Request contractRequest(String method, String pathAndQuery, Map<String, String> headers, String body) {
        String[] pq = pathAndQuery.split("\\?", 2);
        SimpleRequest.Builder b = new SimpleRequest.Builder(method, pq[0]);
        if (pq.length == 2) {
            AtlasContract.query(pq[1]).forEach(b::withQueryParam);
        }
        headers.forEach((k, v) -> b.withHeader(k, v));
        if (headers.containsKey("Accept")) {
            b.withAccept(headers.get("Accept"));
        }
        if (body != null) {
            b.withContentType(headers.get("Content-Type")).withBody(body);
        }
        return b.build();
    }

    static JsonNode json(String body) {
        try {
            return MAPPER.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One request and response with the contract's verdict on both. */
    record Exchange(String method, String pathAndQuery, int status, Map<String, List<String>> headers, String body,
                    ValidationReport requestReport, ValidationReport responseReport, AtlasContract contract) {

        JsonNode json() {
            return AtlasTestClient.json(body);
        }

        String header(String name) {
            for (Map.Entry<String, List<String>> e : headers.entrySet()) {
                if (e.getKey().equalsIgnoreCase(name) && !e.getValue().isEmpty()) {
                    return e.getValue().get(0);
                }
            }
            return null;
        }

        Exchange assertStatus(int expected) {
            assertThat(status).as("status of %s %s: %s", method, pathAndQuery, body).isEqualTo(expected);
            return this;
        }

        Exchange assertConforms() {
            assertRequestConforms();
            assertThat(responseReport.getMessages()).as("contract violations in the response to %s %s (%d): %s",
                    method, pathAndQuery, status, body).isEmpty();
            return this;
        }

        Exchange assertRequestConforms() {
            assertThat(requestReport.getMessages()).as("contract violations in the request %s %s", method, pathAndQuery).isEmpty();
            return this;
        }

        /**
         * Requests that break the contract on purpose (a bad roleId pattern, an unknown enum value...):
         * the contract must reject the request too, with a message of this key.
         */
        Exchange assertRequestRejectedByContract(String messageKey) {
            assertThat(requestReport.getMessages()).as("the contract should reject %s %s", method, pathAndQuery)
                    .anySatisfy(m -> assertThat(m.getKey()).isEqualTo(messageKey));
            return this;
        }

        Exchange assertResponseConforms() {
            assertThat(responseReport.getMessages()).as("contract violations in the response to %s %s (%d): %s",
                    method, pathAndQuery, status, body).isEmpty();
            return this;
        }

        /**
         * For statuses Atlas sends that the contract does not list for the operation (406, 410, 503,
         * 405...): the only complaint allowed is the unknown status, and the body must still be a valid
         * error envelope, checked by validating the same response as the operation's 500, which is
         * {@code ApiError} in the contract.
         */
        Exchange assertOutsideContractStatusWithEnvelope() {
            assertThat(responseReport.getMessages()).as("only the status should be outside the contract: %s", body)
                    .isNotEmpty()
                    .allSatisfy(m -> assertThat(m.getKey()).isEqualTo("validation.response.status.unknown"));
            SimpleResponse as500 = SimpleResponse.Builder.status(500).withContentType(header("Content-Type")).withBody(body).build();
            String path = pathAndQuery.split("\\?")[0];
            assertThat(contract.validateResponse(path, Request.Method.valueOf(method), as500).getMessages())
                    .as("the body of a %d should be Atlas's error envelope: %s", status, body).isEmpty();
            return this;
        }
    }
}
