package io.atlascmk.rotator.atlas;

import com.atlassian.oai.validator.report.ValidationReport;
import com.github.tomakehurst.wiremock.http.HttpHeader;
import com.github.tomakehurst.wiremock.http.HttpHeaders;
import com.github.tomakehurst.wiremock.http.LoggedResponse;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.atlascmk.contract.AtlasContract;

import java.net.URI;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.fail;

/**
 * Holds what a WireMock stand-in of Atlas saw (its serve events) against the project's contract
 * ({@code contract/atlas-admin-api.yml}, through {@link AtlasContract}): every request the client sent
 * and every answer a stub served.
 *
 * <p>Not validated, because the contract does not define them: simulated network faults (no response
 * exists), the OAuth token endpoint {@code /api/oauth/token} (the auth tests check it), and the gateway
 * answers 502/503/504 that Atlas's load balancers produce.
 */
final class AtlasExchanges {

    private static final String TOKEN_PATH = "/api/oauth/token";
    private static final Set<Integer> GATEWAY_STATUSES = Set.of(502, 503, 504);
    private static final AtlasExchanges SHARED = new AtlasExchanges(AtlasContract.shared());

    private final AtlasContract contract;

    private AtlasExchanges(AtlasContract contract) {
        this.contract = contract;
    }

    static AtlasExchanges shared() {
        return SHARED;
    }

    /** Every contract violation among the exchanges, one line each; empty when all conform. */
    List<String> violations(List<ServeEvent> events) {
        List<ServeEvent> ordered = new ArrayList<>(events);
        ordered.sort(Comparator.comparing(e -> e.getRequest().getLoggedDate()));
        List<String> problems = new ArrayList<>();
        for (ServeEvent event : ordered) {
            LoggedRequest req = event.getRequest();
            String method = req.getMethod().getName();
            String target = req.getUrl();
            String path = URI.create(target).getRawPath();
            String label = method + " " + target;
            if (!event.getWasMatched()) {
                problems.add(label + ": no stub matched this request");
                continue;
            }
            if (path.endsWith(TOKEN_PATH)) {
                continue;
            }
            add(problems, label + " (request)",
                    contract.validateRequest(method, target, headers(req.getHeaders()), req.getBodyAsString()));
            Served served = served(event);
            if (served == null || GATEWAY_STATUSES.contains(served.status)) {
                continue;
            }
            add(problems, label + " (response " + served.status + ")",
                    contract.validateResponse(method, path, served.status, served.headers, served.body));
        }
        return problems;
    }

    /** Fails with every violation when any exchange strays from the contract. */
    void assertSatisfiedBy(List<ServeEvent> events) {
        List<String> problems = violations(events);
        if (!problems.isEmpty()) {
            fail("Atlas exchanges that break the contract (contract/atlas-admin-api.yml):\n  - "
                    + String.join("\n  - ", problems));
        }
    }

    private static void add(List<String> problems, String label, ValidationReport report) {
        AtlasContract.errors(report).forEach(e -> problems.add(label + ": " + e));
    }

    private record Served(int status, Map<String, List<String>> headers, String body) {
    }

    /**
     * What the stub served; the stubbed definition while a delayed answer is still pending; null for a
     * simulated network fault (no HTTP response at all).
     */
    private static Served served(ServeEvent event) {
        ResponseDefinition def = event.getResponseDefinition();
        LoggedResponse response = event.getResponse();
        if ((response != null && response.getFault() != null) || (def != null && def.getFault() != null)) {
            return null;
        }
        if (response != null && response.getStatus() > 0) {
            return new Served(response.getStatus(), headers(response.getHeaders()), response.getBodyAsString());
        }
        return new Served(def.getStatus(), headers(def.getHeaders()), def.getTextBody());
    }

    private static Map<String, List<String>> headers(HttpHeaders headers) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        if (headers != null) {
            for (HttpHeader h : headers.all()) {
                out.put(h.key(), h.values());
            }
        }
        return out;
    }
}
