package io.atlascmk.rotator.alert;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.atlascmk.rotator.json.Json;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The answer to one delivery. The body is a small JSON object: {@code outcome} (accepted, ignored,
 * rejected, failed), {@code reason} in words, and for accepted alerts the project, alert and event
 * ids. It never holds the secret, the signature or anything of the request body beyond those ids.
 *
 * @param statusCode HTTP status
 * @param headers extra response headers (besides {@code content-type})
 * @param body fields of the JSON body, in order
 */
public record WebhookResponse(int statusCode, Map<String, String> headers, Map<String, String> body) {

    public WebhookResponse {
        headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
        body = Collections.unmodifiableMap(new LinkedHashMap<>(body));
    }

    static WebhookResponse accepted(RotationAlert alert, String eventId, String reason) {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("outcome", "accepted");
        body.put("reason", reason);
        body.put("projectId", alert.projectId());
        body.put("alertId", alert.alertId());
        body.put("eventId", eventId);
        return new WebhookResponse(202, Map.of(), body);
    }

    static WebhookResponse ignored(String reason) {
        return of(200, "ignored", reason, Map.of());
    }

    static WebhookResponse rejected(int statusCode, String reason) {
        return of(statusCode, "rejected", reason, Map.of());
    }

    static WebhookResponse rejected(int statusCode, String reason, Map<String, String> headers) {
        return of(statusCode, "rejected", reason, headers);
    }

    static WebhookResponse failed(String reason) {
        return of(500, "failed", reason, Map.of());
    }

    private static WebhookResponse of(int statusCode, String outcome, String reason, Map<String, String> headers) {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("outcome", outcome);
        body.put("reason", reason);
        return new WebhookResponse(statusCode, headers, body);
    }

    /** {@code accepted}, {@code ignored}, {@code rejected} or {@code failed}. */
    public String outcome() {
        return body.get("outcome");
    }

    /** Why, in words. */
    public String reason() {
        return body.get("reason");
    }

    /** The body as the JSON string sent to the caller. */
    public String bodyJson() {
        try {
            return Json.MAPPER.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Could not serialise the webhook response", e);
        }
    }

    /** The Lambda function URL response: {@code {"statusCode", "headers", "body"}}. */
    public ObjectNode toFunctionUrlResponse() {
        ObjectNode response = Json.MAPPER.createObjectNode();
        response.put("statusCode", statusCode);
        ObjectNode headerNode = response.putObject("headers");
        headerNode.put("content-type", "application/json");
        headers.forEach(headerNode::put);
        response.put("body", bodyJson());
        return response;
    }
}
