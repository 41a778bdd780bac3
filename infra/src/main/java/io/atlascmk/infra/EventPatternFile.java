package io.atlascmk.infra;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.services.events.EventPattern;

/**
 * An EventBridge event pattern kept as a JSON file in {@code events/}, so the deployed rule and the local
 * sandbox match events with the same pattern. Reads every top-level field EventBridge patterns have; a field
 * this class cannot carry into the rule is an error, never silently dropped.
 */
public final class EventPatternFile {

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private EventPatternFile() {
    }

    /** The pattern in {@code file}. */
    public static EventPattern read(Path file) {
        return read(file, Map.of());
    }

    /**
     * The pattern in {@code file}, with {@code detail} fields added (or narrowed) by {@code detailFields}:
     * e.g. the alert rule adds {@code projectId} = the configured projects.
     */
    public static EventPattern read(Path file, Map<String, List<String>> detailFields) {
        Map<String, Object> pattern;
        try {
            pattern = JSON.readValue(file.toFile(), new TypeReference<Map<String, Object>>() { });
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the event pattern " + file + ": " + e.getMessage(), e);
        }
        EventPattern.Builder builder = EventPattern.builder();
        for (Map.Entry<String, Object> field : pattern.entrySet()) {
            String name = field.getKey();
            Object value = field.getValue();
            switch (name) {
                case "source" -> builder.source(strings(file, name, value));
                case "detail-type" -> builder.detailType(strings(file, name, value));
                case "account" -> builder.account(strings(file, name, value));
                case "region" -> builder.region(strings(file, name, value));
                case "resources" -> builder.resources(strings(file, name, value));
                case "id" -> builder.id(strings(file, name, value));
                case "time" -> builder.time(strings(file, name, value));
                case "version" -> builder.version(strings(file, name, value));
                case "detail" -> {
                    Map<String, Object> detail = new java.util.LinkedHashMap<>(object(file, name, value));
                    detail.putAll(detailFields);
                    builder.detail(detail);
                }
                default -> throw new IllegalArgumentException("The event pattern " + file + " has the field \""
                        + name + "\", which an EventBridge rule pattern cannot have at the top level");
            }
        }
        return builder.build();
    }

    @SuppressWarnings("unchecked")
    private static List<String> strings(Path file, String name, Object value) {
        if (value instanceof List<?> list && list.stream().allMatch(String.class::isInstance)) {
            return (List<String>) list;
        }
        throw new IllegalArgumentException("The event pattern " + file + " has \"" + name + "\": " + value
                + "; this rule reads it as a list of strings, e.g. [\"value\"]");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(Path file, String name, Object value) {
        if (value instanceof Map<?, ?> map) {
            return (Map<String, Object>) map;
        }
        throw new IllegalArgumentException("The event pattern " + file + " has \"" + name + "\": " + value
                + "; it must be a JSON object");
    }
}
