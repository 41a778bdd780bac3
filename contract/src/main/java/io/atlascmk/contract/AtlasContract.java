package io.atlascmk.contract;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.ApiOperation;
import com.atlassian.oai.validator.model.Body;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.Response;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.LevelResolver;
import com.atlassian.oai.validator.report.ValidationReport;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.responses.ApiResponse;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The project's contract with the Atlas Administration API ({@code contract/atlas-admin-api.yml}) as a
 * validator of requests and responses. The functions' tests check every request the Atlas client sends
 * and every answer a stub serves with it; the sandbox's tests check every answer of the Atlas simulator.
 *
 * <p>Loading takes a second or so: {@link #shared()} builds one per JVM.
 *
 * <p>Strict on purpose:
 * <ul>
 *   <li>every message the validator library reports is an ERROR, among them a query parameter the
 *       operation does not define ({@code validation.request.parameter.query.unexpected}, which the
 *       library ignores by default: Atlas ignores a misspelt {@code pagenum} too, and a client would
 *       silently read page one forever);</li>
 *   <li>the contract closes every object ({@code additionalProperties: false}), so the simulator cannot
 *       invent a field and the client cannot send one;</li>
 *   <li>the library reads {@code readOnly} / {@code writeOnly} only to relax {@code required}; this class
 *       adds both checks as ERRORs: {@value #READ_ONLY_IN_REQUEST} (a request never sends a field Atlas
 *       computes, such as {@code awsKms.valid}) and {@value #WRITE_ONLY_IN_RESPONSE}.</li>
 * </ul>
 */
public final class AtlasContract {

    /** Where the contract sits on the class path (copied there from {@code contract/atlas-admin-api.yml}). */
    public static final String RESOURCE = "/io/atlascmk/contract/atlas-admin-api.yml";
    public static final String READ_ONLY_IN_REQUEST = "atlas.request.body.readOnly";
    public static final String WRITE_ONLY_IN_RESPONSE = "atlas.response.body.writeOnly";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static volatile AtlasContract shared;

    private final OpenApiInteractionValidator validator;

    private AtlasContract(OpenApiInteractionValidator validator) {
        this.validator = validator;
    }

    /** The project's contract, built once per JVM. */
    public static AtlasContract shared() {
        AtlasContract c = shared;
        if (c == null) {
            synchronized (AtlasContract.class) {
                if (shared == null) {
                    shared = fromText(text());
                }
                c = shared;
            }
        }
        return c;
    }

    /** A validator for any OpenAPI document given as text (the tests of this class use small ones). */
    public static AtlasContract fromText(String openApi) {
        return new AtlasContract(OpenApiInteractionValidator.createForInlineApiSpecification(openApi)
                .withLevelResolver(LevelResolver.create()
                        .withDefaultLevel(ValidationReport.Level.ERROR)
                        .withLevel("validation.request.parameter.query.unexpected", ValidationReport.Level.ERROR)
                        .build())
                .withCustomRequestValidation(AtlasContract::readOnlyFieldsInRequest)
                .withCustomResponseValidation(AtlasContract::writeOnlyFieldsInResponse)
                .build());
    }

    /** The text of {@code atlas-admin-api.yml}. */
    public static String text() {
        try (InputStream in = AtlasContract.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("The Atlas contract " + RESOURCE + " is not on the class path;"
                        + " build the contract module (mvn -pl contract install) or run the build from the project root.");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read the Atlas contract " + RESOURCE, e);
        }
    }

    // ------------------------------------------------------------------ validation

    public ValidationReport validateRequest(Request request) {
        return validator.validateRequest(request);
    }

    public ValidationReport validateResponse(String path, Request.Method method, Response response) {
        return validator.validateResponse(path, method, response);
    }

    /** Validates one request; {@code pathAndQuery} is the raw request target. */
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

    /** The report's errors, one {@code key: message} line each. */
    public static List<String> errors(ValidationReport report) {
        List<String> out = new ArrayList<>();
        for (ValidationReport.Message m : report.getMessages()) {
            if (m.getLevel() == ValidationReport.Level.ERROR) {
                out.add(m.getKey() + ": " + m.getMessage()
                        + (m.getNestedMessages().isEmpty() ? "" : " " + m.getNestedMessages().stream()
                        .map(ValidationReport.Message::getMessage).toList()));
            }
        }
        return out;
    }

    /** {@code a=1&b=2&b=3} (URL-encoded) to an ordered multi-map. */
    public static Map<String, List<String>> query(String rawQuery) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return out;
        }
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            out.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
        }
        return out;
    }

    // ------------------------------------------------------------------ readOnly / writeOnly

    private static ValidationReport readOnlyFieldsInRequest(Request request, ApiOperation operation) {
        var body = operation.getOperation().getRequestBody();
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
        return report(WRITE_ONLY_IN_RESPONSE, "Response body carries write-only field ", hits);
    }

    /** Collects the JSON pointers of fields whose (resolved) schema matches {@code flagged}. */
    @SuppressWarnings("rawtypes")
    private static void walk(JsonNode value, Schema<?> schema, String pointer, Predicate<Schema> flagged,
                             List<String> hits, int depth) {
        if (value == null || schema == null || depth > 64) {
            return;
        }
        if (value.isObject() && schema.getProperties() != null) {
            Map<String, Schema> properties = schema.getProperties();
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
        } else if (value.isArray() && schema.getItems() != null) {
            for (int i = 0; i < value.size(); i++) {
                walk(value.get(i), schema.getItems(), pointer + "/" + i, flagged, hits, depth + 1);
            }
        }
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
            return JSON.readTree(json);
        } catch (IOException e) {
            return null; // the library reports unparseable bodies itself
        }
    }
}
