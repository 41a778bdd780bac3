package io.atlascmk.rotator.alert;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * The subset of EventBridge pattern matching the alert rule uses: nested objects and arrays of
 * exact values (a field matches when its value, or any element of its array value, equals one of
 * the listed values). Content filters ({@code prefix}, {@code anything-but}, ...) are refused rather
 * than guessed at.
 */
final class EventPatternMatcher {

    private EventPatternMatcher() {
    }

    static boolean matches(JsonNode pattern, JsonNode event) {
        if (!pattern.isObject()) {
            throw new IllegalArgumentException("a pattern is a JSON object");
        }
        for (Map.Entry<String, JsonNode> field : pattern.properties()) {
            JsonNode expected = field.getValue();
            JsonNode actual = event == null ? null : event.get(field.getKey());
            if (expected.isObject()) {
                if (actual == null || !actual.isObject() || !matches(expected, actual)) {
                    return false;
                }
            } else if (expected.isArray()) {
                if (actual == null || !anyEqual(expected, actual)) {
                    return false;
                }
            } else {
                throw new IllegalArgumentException("pattern field " + field.getKey() + " must be an object or an array of values");
            }
        }
        return true;
    }

    private static boolean anyEqual(JsonNode allowed, JsonNode actual) {
        for (JsonNode value : allowed) {
            if (!value.isValueNode()) {
                throw new IllegalArgumentException("only exact-value patterns are supported here, not " + value);
            }
            if (actual.isArray()) {
                for (JsonNode element : actual) {
                    if (element.equals(value)) {
                        return true;
                    }
                }
            } else if (actual.equals(value)) {
                return true;
            }
        }
        return false;
    }
}
