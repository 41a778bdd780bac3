package io.atlascmk.sandbox.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/**
 * Typed access to the members of an AWS JSON 1.1 request body, failing the way AWS fails: a missing
 * required member is a {@code ValidationException}, a member of the wrong JSON type a
 * {@code SerializationException}.
 */
final class Params {

    private final ObjectNode body;

    Params(ObjectNode body) {
        this.body = body;
    }

    ObjectNode body() {
        return body;
    }

    boolean has(String field) {
        JsonNode node = body.get(field);
        return node != null && !node.isNull();
    }

    String string(String field) {
        String value = optString(field);
        if (value == null) {
            throw AwsApiException.constraint(field, null, "Member must not be null");
        }
        return value;
    }

    String optString(String field) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            throw AwsApiException.serialization("Expected a string for " + field + ", got " + node.getNodeType() + ".");
        }
        return node.textValue();
    }

    Integer optInt(String field) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isIntegralNumber() || !node.canConvertToInt()) {
            throw AwsApiException.serialization("Expected an integer for " + field + ", got " + node + ".");
        }
        return node.intValue();
    }

    boolean optBoolean(String field, boolean defaultValue) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return defaultValue;
        }
        if (!node.isBoolean()) {
            throw AwsApiException.serialization("Expected a boolean for " + field + ", got " + node + ".");
        }
        return node.booleanValue();
    }

    /** A timestamp member: AWS JSON 1.1 sends epoch seconds as a JSON number (fraction allowed). */
    Instant optInstant(String field) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isNumber()) {
            throw AwsApiException.serialization("Expected a timestamp (epoch seconds) for " + field + ", got " + node + ".");
        }
        return AwsJson.instantFromEpochSeconds(node);
    }

    ArrayNode optArray(String field) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isArray()) {
            throw AwsApiException.serialization("Expected a list for " + field + ", got " + node.getNodeType() + ".");
        }
        return (ArrayNode) node;
    }

    ArrayNode array(String field) {
        ArrayNode array = optArray(field);
        if (array == null) {
            throw AwsApiException.constraint(field, null, "Member must not be null");
        }
        return array;
    }

    ObjectNode optObject(String field) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isObject()) {
            throw AwsApiException.serialization("Expected a structure for " + field + ", got " + node.getNodeType() + ".");
        }
        return (ObjectNode) node;
    }

    /** A member given as a paging limit: absent means {@code defaultValue}; outside min..max is rejected. */
    int limit(String field, int min, int max, int defaultValue) {
        Integer value = optInt(field);
        if (value == null) {
            return defaultValue;
        }
        if (value < min) {
            throw AwsApiException.constraint(field, value, "Member must have value greater than or equal to " + min);
        }
        if (value > max) {
            throw AwsApiException.constraint(field, value, "Member must have value less than or equal to " + max);
        }
        return value;
    }
}
