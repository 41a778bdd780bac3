package io.atlascmk.rotator.atlas;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.ApiOperation;
import com.atlassian.oai.validator.model.Body;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.Response;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.LevelResolver;
import com.atlassian.oai.validator.report.ValidationReport;
import com.atlassian.oai.validator.whitelist.ValidationErrorsWhitelist;
import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.http.HttpHeader;
import com.github.tomakehurst.wiremock.http.HttpHeaders;
import com.github.tomakehurst.wiremock.http.LoggedResponse;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import io.atlascmk.rotator.json.Json;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.oas.models.parameters.RequestBody;
import io.swagger.v3.oas.models.responses.ApiResponse;

import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.fail;

/**
 * The Atlas Admin API contract ({@code shared/atlas-admin-api/atlas-admin-api-subset.yml}) as a test
 * helper: validates every request a client sent and every response a stub served (WireMock serve
 * events) against the OpenAPI subset. Reusable by any test that talks HTTP to an Atlas stand-in.
 *
 * <p>Loading the spec takes about 2 s, so one validator is built lazily and shared by every test class
 * in the JVM ({@link #shared()}).
 *
 * <p>Validator levels, chosen deliberately:
 * <ul>
 *   <li>What the library reports as ERROR by default stays an ERROR: an {@code Accept} or
 *       {@code Content-Type} media type the operation does not define, wrong types, enum values,
 *       patterns and ranges, missing required fields.</li>
 *   <li>{@code validation.request.parameter.query.unexpected} is raised from the library's default
 *       IGNORE to ERROR: a query parameter the operation does not define is a request that strays
 *       from the spec (Atlas silently ignores it, so a typo such as {@code pagenum} would page
 *       forever or return one page only).</li>
 *   <li>The library reads {@code readOnly}/{@code writeOnly} only to relax {@code required}; it does not
 *       reject such fields. This helper adds the two checks as custom validators, as ERRORs:
 *       {@value #READ_ONLY_IN_REQUEST} (a request must never send a read-only field: this keeps
 *       {@code awsKms.valid}, which Atlas computes, out of the PATCH) and {@value #WRITE_ONLY_IN_RESPONSE}
 *       (a response must not carry a write-only field such as {@code secretAccessKey}).</li>
 *   <li>One named exception to the second: {@code awsKms.roleId}. The spec marks it writeOnly, but Atlas
 *       echoes it in its encryptionAtRest answers, and the rotator relies on reading it back to send the
 *       whole {@code awsKms} object in the PATCH.</li>
 *   <li>A query parameter whose schema is a {@code oneOf} of string enums with no {@code type}
 *       ({@code eventType} of the events list) makes the library try to parse the value as JSON and
 *       report {@code validation.request.parameter.schema.invalidJson} for every value, valid or not.
 *       That one message is whitelisted for such parameters only, and {@value #ENUM_PARAMETER} checks
 *       instead, as an ERROR, that every value is one of the enums.</li>
 * </ul>
 *
 * <p>Not validated against the spec (it does not define them): simulated network faults (no
 * response exists), the OAuth token endpoint {@code /api/oauth/token} (checked by the auth tests
 * instead), and gateway answers 502/503/504, which Atlas's load balancers produce but the spec does
 * not list (only 500 is defined).
 */
public final class AtlasContract {

    /** The OAuth token endpoint: outside the spec, legitimately called (under any base URL). */
    private static final String TOKEN_PATH = "/api/oauth/token";
    private static final Set<Integer> GATEWAY_STATUSES = Set.of(502, 503, 504);
    static final String READ_ONLY_IN_REQUEST = "atlas.request.body.readOnly";
    static final String WRITE_ONLY_IN_RESPONSE = "atlas.response.body.writeOnly";
    static final String ENUM_PARAMETER = "atlas.request.parameter.enum";
    /** Write-only in the spec, returned by Atlas all the same (see the class comment). */
    private static final Set<String> ECHOED_WRITE_ONLY = Set.of("/awsKms/roleId");

    private static volatile AtlasContract shared;

    private final OpenApiInteractionValidator validator;

    private AtlasContract(OpenApiInteractionValidator validator) {
        this.validator = validator;
    }

    /** The validator for the shared spec, built once per JVM. */
    public static AtlasContract shared() {
        AtlasContract c = shared;
        if (c == null) {
            synchronized (AtlasContract.class) {
                if (shared == null) {
                    shared = load(specPath());
                }
                c = shared;
            }
        }
        return c;
    }

    /** Builds a validator for the spec at {@code spec} (a few seconds). */
    public static AtlasContract load(Path spec) {
        OpenApiInteractionValidator validator = OpenApiInteractionValidator
                .createForSpecificationUrl(spec.toAbsolutePath().toString())
                .withResolveCombinators(true)
                .withLevelResolver(LevelResolver.create()
                        .withLevel("validation.request.parameter.query.unexpected", ValidationReport.Level.ERROR)
                        .build())
                .withWhitelist(ValidationErrorsWhitelist.create().withRule(
                        "enum-union parameter, checked by " + ENUM_PARAMETER, AtlasContract::isEnumUnionParameterParse))
                .withCustomRequestValidation(AtlasContract::readOnlyFieldsInRequest)
                .withCustomRequestValidation(AtlasContract::enumUnionParameters)
                .withCustomResponseValidation(AtlasContract::writeOnlyFieldsInResponse)
                .build();
        return new AtlasContract(validator);
    }

    /**
     * The spec: system property {@code atlas.spec.path} (set by surefire), else
     * {@code ../../shared/atlas-admin-api/atlas-admin-api-subset.yml} relative to the module directory.
     */
    public static Path specPath() {
        String configured = System.getProperty("atlas.spec.path");
        Path path = configured != null && !configured.isBlank()
                ? Paths.get(configured)
                : Paths.get("..", "..", "shared", "atlas-admin-api", "atlas-admin-api-subset.yml");
        if (!Files.isRegularFile(path)) {
            throw new IllegalStateException("Atlas Admin API spec not found at " + path.toAbsolutePath()
                    + "; set -Datlas.spec.path or check out the project beside shared/");
        }
        return path.normalize();
    }

    // ------------------------------------------------------------------ single interactions

    /** Validates one request. {@code pathAndQuery} is the raw request-target. */
    public ValidationReport validateRequest(String method, String pathAndQuery, Map<String, List<String>> headers,
                                            String body) {
        URI uri = URI.create(pathAndQuery);
        SimpleRequest.Builder request = new SimpleRequest.Builder(method, uri.getRawPath());
        query(uri.getRawQuery()).forEach(request::withQueryParam);
        headers.forEach(request::withHeader);
        if (body != null && !body.isEmpty()) {
            request.withBody(body);
        }
        return validator.validateRequest(request.build());
    }

    /** Validates one response of the operation {@code method path}. */
    public ValidationReport validateResponse(String method, String path, int status, Map<String, List<String>> headers,
                                             String body) {
        SimpleResponse.Builder response = SimpleResponse.Builder.status(status);
        headers.forEach(response::withHeader);
        if (body != null && !body.isEmpty()) {
            response.withBody(body);
        }
        return validator.validateResponse(path, Request.Method.valueOf(method), response.build());
    }

    // ------------------------------------------------------------------ WireMock serve events

    /** Every contract violation among the exchanges, one line each; empty when all conform. */
    public List<String> violations(List<ServeEvent> events) {
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
            report(problems, label + " (request)",
                    validateRequest(method, target, headers(req.getHeaders()), req.getBodyAsString()));
            Served served = served(event);
            if (served == null || GATEWAY_STATUSES.contains(served.status)) {
                continue;
            }
            report(problems, label + " (response " + served.status + ")",
                    validateResponse(method, path, served.status, served.headers, served.body));
        }
        return problems;
    }

    /** Fails with every violation when any exchange strays from the contract. */
    public void assertSatisfiedBy(List<ServeEvent> events) {
        List<String> problems = violations(events);
        if (!problems.isEmpty()) {
            fail("Atlas exchanges that break the contract " + specPath().getFileName() + ":\n  - "
                    + String.join("\n  - ", problems));
        }
    }

    private static void report(List<String> problems, String label, ValidationReport report) {
        for (ValidationReport.Message m : report.getMessages()) {
            if (m.getLevel() == ValidationReport.Level.ERROR) {
                problems.add(label + ": [" + m.getKey() + "] " + m.getMessage()
                        + (m.getNestedMessages().isEmpty() ? "" : " " + m.getNestedMessages().stream()
                        .map(ValidationReport.Message::getMessage).toList()));
            }
        }
    }

    private record Served(int status, Map<String, List<String>> headers, String body) {
    }

    /**
     * What the stub served; falls back to the stubbed definition while a delayed answer is still
     * pending; null for a simulated network fault (no HTTP response at all).
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

    // ------------------------------------------------------------------ readOnly / writeOnly

    private static ValidationReport readOnlyFieldsInRequest(Request request, ApiOperation operation) {
        RequestBody body = operation.getOperation().getRequestBody();
        String json = text(request.getRequestBody().orElse(null));
        if (body == null || body.getContent() == null || json == null || json.isBlank()) {
            return ValidationReport.empty();
        }
        Schema<?> schema = schemaFor(body.getContent(), request.getContentType().orElse(null));
        List<String> hits = new ArrayList<>();
        walk(parse(json), schema, "", s -> Boolean.TRUE.equals(s.getReadOnly()), hits, 0);
        return report(READ_ONLY_IN_REQUEST, "Request body sends read-only field ", hits);
    }

    private static ValidationReport writeOnlyFieldsInResponse(Response response, ApiOperation operation) {
        ApiResponse definition = operation.getOperation().getResponses() == null ? null
                : operation.getOperation().getResponses().get(String.valueOf(response.getStatus()));
        String json = text(response.getResponseBody().orElse(null));
        if (definition == null || definition.getContent() == null || json == null || json.isBlank()) {
            return ValidationReport.empty();
        }
        Schema<?> schema = schemaFor(definition.getContent(), response.getContentType().orElse(null));
        List<String> hits = new ArrayList<>();
        walk(parse(json), schema, "", s -> Boolean.TRUE.equals(s.getWriteOnly()), hits, 0);
        hits.removeIf(ECHOED_WRITE_ONLY::contains);
        return report(WRITE_ONLY_IN_RESPONSE, "Response body carries write-only field ", hits);
    }

    private static boolean isEnumUnionParameterParse(ValidationReport.Message message, ApiOperation operation,
                                                     Request request, Response response) {
        return "validation.request.parameter.schema.invalidJson".equals(message.getKey())
                && message.getContext().flatMap(ValidationReport.MessageContext::getParameter)
                .map(p -> enumUnion(p.getSchema()) != null).orElse(false);
    }

    private static ValidationReport enumUnionParameters(Request request, ApiOperation operation) {
        List<String> problems = new ArrayList<>();
        if (operation.getOperation().getParameters() != null) {
            for (Parameter parameter : operation.getOperation().getParameters()) {
                Set<String> allowed = enumUnion(parameter.getSchema());
                if (allowed == null || !"query".equals(parameter.getIn())) {
                    continue;
                }
                for (String value : request.getQueryParameterValues(parameter.getName())) {
                    if (!allowed.contains(value)) {
                        problems.add(parameter.getName() + "=" + value);
                    }
                }
            }
        }
        return report(ENUM_PARAMETER, "Query parameter value is none of the values the spec allows: ", problems);
    }

    /** The allowed values of a typeless {@code oneOf} of string enums (or an array of them); null otherwise. */
    @SuppressWarnings("rawtypes")
    private static Set<String> enumUnion(Schema<?> schema) {
        if (schema == null) {
            return null;
        }
        Schema<?> target = schema.getItems() != null ? schema.getItems() : schema;
        if (target.getType() != null || target.getOneOf() == null) {
            return null;
        }
        Set<String> values = new HashSet<>();
        for (Schema alternative : target.getOneOf()) {
            if (alternative.getEnum() == null) {
                return null;
            }
            for (Object v : alternative.getEnum()) {
                values.add(String.valueOf(v));
            }
        }
        return values;
    }

    private static ValidationReport report(String key, String text, List<String> pointers) {
        ValidationReport report = ValidationReport.empty();
        for (String pointer : pointers) {
            report = report.merge(ValidationReport.singleton(
                    ValidationReport.Message.create(key, text + pointer).build()
                            .withLevel(ValidationReport.Level.ERROR)));
        }
        return report;
    }

    private static Schema<?> schemaFor(Content content, String contentType) {
        if (contentType != null) {
            String bare = contentType.split(";")[0].trim();
            if (content.get(bare) != null) {
                return content.get(bare).getSchema();
            }
        }
        return content.isEmpty() ? null : content.values().iterator().next().getSchema();
    }

    private static String text(Body body) {
        try {
            return body == null || !body.hasBody() ? null : body.toString(StandardCharsets.UTF_8);
        } catch (IOException e) {
            return null;
        }
    }

    private static JsonNode parse(String json) {
        try {
            return Json.MAPPER.readTree(json);
        } catch (IOException e) {
            return null; // the library reports unparseable bodies itself
        }
    }

    /** Collects the JSON pointers of fields whose (resolved) schema matches {@code flagged}. */
    @SuppressWarnings("rawtypes")
    private static void walk(JsonNode value, Schema<?> schema, String pointer, Predicate<Schema> flagged,
                             List<String> hits, int depth) {
        if (value == null || schema == null || depth > 64) {
            return;
        }
        if (value.isObject()) {
            Map<String, Schema> properties = new LinkedHashMap<>();
            collectProperties(schema, properties, 0);
            value.properties().forEach(field -> {
                Schema<?> property = properties.get(field.getKey());
                if (property != null) {
                    String child = pointer + "/" + field.getKey();
                    if (flagged.test(property)) {
                        hits.add(child);
                    }
                    walk(field.getValue(), property, child, flagged, hits, depth + 1);
                }
            });
        } else if (value.isArray()) {
            Schema<?> items = itemsOf(schema, 0);
            for (int i = 0; i < value.size(); i++) {
                walk(value.get(i), items, pointer + "/" + i, flagged, hits, depth + 1);
            }
        }
    }

    @SuppressWarnings({"rawtypes", "unchecked"})
    private static void collectProperties(Schema<?> schema, Map<String, Schema> into, int depth) {
        if (schema == null || depth > 16) {
            return;
        }
        if (schema.getProperties() != null) {
            schema.getProperties().forEach(into::putIfAbsent);
        }
        for (List<Schema> members : combinators(schema)) {
            for (Schema member : members) {
                collectProperties(member, into, depth + 1);
            }
        }
    }

    @SuppressWarnings({"rawtypes", "unchecked"})
    private static Schema<?> itemsOf(Schema<?> schema, int depth) {
        if (schema == null || depth > 16) {
            return null;
        }
        if (schema.getItems() != null) {
            return schema.getItems();
        }
        for (List<Schema> members : combinators(schema)) {
            for (Schema member : members) {
                Schema<?> items = itemsOf(member, depth + 1);
                if (items != null) {
                    return items;
                }
            }
        }
        return null;
    }

    @SuppressWarnings("rawtypes")
    private static List<List<Schema>> combinators(Schema<?> schema) {
        List<List<Schema>> out = new ArrayList<>();
        if (schema.getAllOf() != null) {
            out.add(schema.getAllOf());
        }
        if (schema.getOneOf() != null) {
            out.add(schema.getOneOf());
        }
        if (schema.getAnyOf() != null) {
            out.add(schema.getAnyOf());
        }
        return out;
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

    private static Map<String, List<String>> query(String rawQuery) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return out;
        }
        for (String pair : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            out.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
        }
        return out;
    }
}
