package io.atlascmk.rotator.alert;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * One HTTP delivery as this function sees it, independent of Lambda's types.
 *
 * @param method the HTTP method, e.g. {@code POST}
 * @param headers request headers; looked up case-insensitively (function URLs lower-case them)
 * @param body the body as received; {@code null} when there is none
 * @param base64Encoded whether {@code body} is base64 of the raw bytes (function URLs do this for
 *     bodies they do not treat as text)
 */
public record WebhookRequest(String method, Map<String, String> headers, String body, boolean base64Encoded) {

    public WebhookRequest {
        TreeMap<String, String> caseInsensitive = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        if (headers != null) {
            headers.forEach((name, value) -> {
                if (name != null && value != null) {
                    caseInsensitive.put(name, value);
                }
            });
        }
        headers = Collections.unmodifiableMap(caseInsensitive);
    }

    /** The value of header {@code name}, any case; {@code null} when absent. */
    public String header(String name) {
        return headers.get(name);
    }

    /**
     * Reads a Lambda function URL event (payload format 2.0): {@code requestContext.http.method},
     * {@code headers}, {@code body}, {@code isBase64Encoded}.
     *
     * @throws IllegalArgumentException when {@code event} is not such an event
     */
    public static WebhookRequest fromFunctionUrlEvent(JsonNode event) {
        if (event == null || !event.isObject()) {
            throw new IllegalArgumentException("the event is not a JSON object");
        }
        JsonNode method = event.path("requestContext").path("http").path("method");
        if (!method.isTextual() || method.textValue().isBlank()) {
            throw new IllegalArgumentException("the event has no requestContext.http.method");
        }
        TreeMap<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        JsonNode headerNode = event.path("headers");
        if (headerNode.isObject()) {
            for (Map.Entry<String, JsonNode> field : headerNode.properties()) {
                if (field.getValue().isValueNode() && !field.getValue().isNull()) {
                    headers.put(field.getKey(), field.getValue().asText());
                }
            }
        } else if (!headerNode.isMissingNode() && !headerNode.isNull()) {
            throw new IllegalArgumentException("the event's headers are not an object");
        }
        JsonNode body = event.path("body");
        if (!body.isMissingNode() && !body.isNull() && !body.isTextual()) {
            throw new IllegalArgumentException("the event's body is not a string");
        }
        JsonNode base64 = event.path("isBase64Encoded");
        if (!base64.isMissingNode() && !base64.isNull() && !base64.isBoolean()) {
            throw new IllegalArgumentException("the event's isBase64Encoded is not a boolean");
        }
        return new WebhookRequest(method.textValue(), headers, body.isTextual() ? body.textValue() : null, base64.asBoolean(false));
    }
}
