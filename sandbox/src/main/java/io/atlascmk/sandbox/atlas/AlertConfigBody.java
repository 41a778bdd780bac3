package io.atlascmk.sandbox.atlas;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The body of {@code POST /alertConfigs} and {@code PUT /alertConfigs/{id}}, checked as Atlas checks it: a JSON object
 * with {@code eventTypeName} and 1 to 25 {@code notifications}; a WEBHOOK notification needs {@code webhookUrl} (an
 * absolute http(s) URL) and {@code webhookSecret}, and {@code intervalMin} of at least 5; the key-needs-rotation events
 * take a threshold {@code GREATER_THAN n DAYS}, n at least 1; read-only fields ({@code id}, {@code created},
 * {@code updated}, {@code groupId}) are refused. Errors are Atlas's 400 envelope: {@code INVALID_JSON},
 * {@code MISSING_ATTRIBUTE}, {@code INVALID_ATTRIBUTE}, {@code ATTRIBUTE_READ_ONLY}, {@code INVALID_EVENT_TYPE_FOR_ALERT}.
 * No detail ever quotes the webhook secret.
 *
 * <p>The simulator holds WEBHOOK notifications only: another type is refused as {@code INVALID_ATTRIBUTE} (a limit of the
 * simulator, not of Atlas).
 */
final class AlertConfigBody {

    /** Event types whose alert has a days threshold (Atlas's encryption key events). */
    static final Set<String> KEY_EVENTS = Set.of("AWS_ENCRYPTION_KEY_NEEDS_ROTATION", "AZURE_ENCRYPTION_KEY_NEEDS_ROTATION",
            "GCP_ENCRYPTION_KEY_NEEDS_ROTATION");
    /** Other event types the simulator knows (no threshold). */
    static final Set<String> OTHER_EVENTS = Set.of("AWS_ENCRYPTION_KEY_INVALID", "AZURE_ENCRYPTION_KEY_INVALID",
            "GCP_ENCRYPTION_KEY_INVALID", "CLUSTER_MONGOS_IS_MISSING", "NO_PRIMARY", "PRIMARY_ELECTED", "JOINED_GROUP");
    private static final Set<String> FIELDS = Set.of("enabled", "eventTypeName", "threshold", "notifications", "matchers",
            "severityOverride");
    private static final Set<String> READ_ONLY = Set.of("id", "created", "updated", "groupId", "links");
    private static final Set<String> NOTIFICATION_FIELDS = Set.of("typeName", "intervalMin", "delayMin", "webhookUrl",
            "webhookSecret", "notifierId");

    private AlertConfigBody() {
    }

    /** The configuration the body describes (id and dates null: the caller sets them). */
    static AlertConfigRecord parse(ObjectMapper mapper, String body) {
        JsonNode root = AtlasJson.objectBody(mapper, body);
        for (var it = root.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (READ_ONLY.contains(f)) {
                throw AtlasApiError.badRequest("ATTRIBUTE_READ_ONLY", "The attribute " + f + " is read-only and cannot be changed by the user.");
            }
            if (!FIELDS.contains(f)) {
                throw AtlasApiError.badRequest("INVALID_JSON_ATTRIBUTE", "Received JSON does not match expected format: unknown attribute " + f + ".");
            }
        }
        JsonNode type = root.get("eventTypeName");
        if (type == null || type.isNull()) {
            throw AtlasApiError.badRequest("MISSING_ATTRIBUTE", "The required attribute eventTypeName was not specified.");
        }
        if (!type.isTextual() || !(KEY_EVENTS.contains(type.asText()) || OTHER_EVENTS.contains(type.asText()))) {
            throw AtlasApiError.badRequest("INVALID_EVENT_TYPE_FOR_ALERT", "No alert event type " + type + " exists.");
        }
        String eventType = type.asText();
        boolean enabled = false;
        JsonNode en = root.get("enabled");
        if (en != null && !en.isNull()) {
            if (!en.isBoolean()) {
                throw AtlasApiError.badRequest("INVALID_ATTRIBUTE", "Invalid attribute enabled specified: expected true or false.");
            }
            enabled = en.asBoolean();
        }
        AlertConfigRecord.Threshold threshold = threshold(root.get("threshold"), eventType);
        JsonNode ns = root.get("notifications");
        if (ns == null || ns.isNull()) {
            throw AtlasApiError.badRequest("MISSING_ATTRIBUTE", "The required attribute notifications was not specified.");
        }
        if (!ns.isArray() || ns.isEmpty() || ns.size() > 25) {
            throw AtlasApiError.badRequest("INVALID_ATTRIBUTE", "Invalid attribute notifications specified: give 1 to 25 notifications.");
        }
        List<AlertConfigRecord.Notification> notifications = new ArrayList<>();
        for (int i = 0; i < ns.size(); i++) {
            notifications.add(notification(ns.get(i), "notifications." + i));
        }
        return new AlertConfigRecord(null, eventType, enabled, threshold, notifications, null, null);
    }

    private static AlertConfigRecord.Threshold threshold(JsonNode t, String eventType) {
        if (!KEY_EVENTS.contains(eventType)) {
            if (t != null && !t.isNull()) {
                throw AtlasApiError.badRequest("INVALID_ATTRIBUTE", "Invalid attribute threshold specified: event type "
                        + eventType + " takes no threshold.");
            }
            return null;
        }
        if (t == null || t.isNull()) {
            throw AtlasApiError.badRequest("MISSING_ATTRIBUTE", "The required attribute threshold was not specified.");
        }
        if (!t.isObject()) {
            throw AtlasApiError.badRequest("INVALID_ATTRIBUTE", "Invalid attribute threshold specified: expected an object.");
        }
        for (var it = t.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!Set.of("operator", "threshold", "units").contains(f)) {
                throw AtlasApiError.badRequest("INVALID_JSON_ATTRIBUTE", "Received JSON does not match expected format: unknown attribute threshold." + f + ".");
            }
        }
        if (!"GREATER_THAN".equals(t.path("operator").asText(null))) {
            throw AtlasApiError.badRequest("INVALID_ATTRIBUTE", "Invalid attribute threshold.operator specified: "
                    + eventType + " takes GREATER_THAN.");
        }
        if (!"DAYS".equals(t.path("units").asText(null))) {
            throw AtlasApiError.badRequest("INVALID_ATTRIBUTE", "Invalid attribute threshold.units specified: "
                    + eventType + " takes DAYS.");
        }
        JsonNode n = t.get("threshold");
        if (n == null || !n.isInt() || n.asInt() < 1) {
            throw AtlasApiError.badRequest("INVALID_ATTRIBUTE", "Invalid attribute threshold.threshold specified: a whole number of days, 1 or more.");
        }
        return new AlertConfigRecord.Threshold("GREATER_THAN", n.asInt(), "DAYS");
    }

    private static AlertConfigRecord.Notification notification(JsonNode n, String where) {
        if (!n.isObject()) {
            throw AtlasApiError.badRequest("INVALID_ATTRIBUTE", "Invalid attribute " + where + " specified: expected an object.");
        }
        for (var it = n.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!NOTIFICATION_FIELDS.contains(f)) {
                throw AtlasApiError.badRequest("INVALID_JSON_ATTRIBUTE", "Received JSON does not match expected format: unknown attribute " + where + "." + f + ".");
            }
        }
        String typeName = n.path("typeName").asText(null);
        if (typeName == null) {
            throw AtlasApiError.badRequest("MISSING_ATTRIBUTE", "The required attribute " + where + ".typeName was not specified.");
        }
        if (!"WEBHOOK".equals(typeName)) {
            throw AtlasApiError.badRequest("INVALID_ATTRIBUTE", "Invalid attribute " + where + ".typeName specified: the simulator holds WEBHOOK notifications only.");
        }
        JsonNode interval = n.get("intervalMin");
        int intervalMin = 60; // Atlas's default
        if (interval != null && !interval.isNull()) {
            if (!interval.isInt() || interval.asInt() < 5) {
                throw AtlasApiError.badRequest("INVALID_ATTRIBUTE", "Invalid attribute " + where + ".intervalMin specified: at least 5 minutes.");
            }
            intervalMin = interval.asInt();
        }
        JsonNode delay = n.get("delayMin");
        Integer delayMin = null;
        if (delay != null && !delay.isNull()) {
            if (!delay.isInt() || delay.asInt() < 0) {
                throw AtlasApiError.badRequest("INVALID_ATTRIBUTE", "Invalid attribute " + where + ".delayMin specified: 0 or more minutes.");
            }
            delayMin = delay.asInt();
        }
        String url = n.path("webhookUrl").isTextual() ? n.get("webhookUrl").asText() : null;
        if (url == null || url.isBlank()) {
            throw AtlasApiError.badRequest("MISSING_ATTRIBUTE", "The required attribute " + where + ".webhookUrl was not specified.");
        }
        if (url.contains("*") || !absoluteHttp(url)) {
            throw AtlasApiError.badRequest("INVALID_ATTRIBUTE", "Invalid attribute " + where + ".webhookUrl specified: an absolute http(s) URL.");
        }
        String secret = n.path("webhookSecret").isTextual() ? n.get("webhookSecret").asText() : null;
        if (secret == null || secret.isBlank()) {
            throw AtlasApiError.badRequest("MISSING_ATTRIBUTE", "The required attribute " + where + ".webhookSecret was not specified.");
        }
        if (secret.chars().allMatch(c -> c == '*')) {
            // the redacted value Atlas answers, sent back: it would replace the real secret with asterisks
            throw AtlasApiError.badRequest("INVALID_ATTRIBUTE", "Invalid attribute " + where + ".webhookSecret specified: a redacted value.");
        }
        return new AlertConfigRecord.Notification("WEBHOOK", intervalMin, delayMin, url, secret, null);
    }

    private static boolean absoluteHttp(String url) {
        try {
            URI u = URI.create(url);
            return ("https".equals(u.getScheme()) || "http".equals(u.getScheme())) && u.getHost() != null;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
