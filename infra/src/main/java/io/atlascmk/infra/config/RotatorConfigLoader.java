package io.atlascmk.infra.config;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads {@code rotator.config.json} strictly (unknown fields, wrong types and trailing garbage are errors,
 * with the field's path) and validates it with {@link RotatorConfigValidator}.
 */
public final class RotatorConfigLoader {

    private static final ObjectMapper STRICT = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .build();

    private RotatorConfigLoader() {
    }

    /**
     * The configuration in {@code file}.
     *
     * @throws InvalidRotatorConfigException when the file is missing, is not JSON of the right shape, or
     *                                       breaks a rule; the message names every field to fix
     */
    public static RotatorConfig load(Path file) {
        String json;
        try {
            json = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new InvalidRotatorConfigException(file, List.of("the file does not exist: copy "
                    + "infra/rotator.config.json from the repository and edit it, or pass -c config=PATH"));
        } catch (IOException e) {
            throw new InvalidRotatorConfigException(file, List.of("the file cannot be read: " + e.getMessage()));
        }
        return parse(file, json);
    }

    /** The configuration in {@code json}; {@code source} only names it in errors. */
    public static RotatorConfig parse(Path source, String json) {
        RotatorConfig config;
        try {
            config = STRICT.readValue(json, RotatorConfig.class);
        } catch (UnrecognizedPropertyException e) {
            throw new InvalidRotatorConfigException(source, List.of(path(e) + " is not a known field: remove "
                    + "it or check its spelling (known here: " + e.getKnownPropertyIds() + ")"));
        } catch (MismatchedInputException e) {
            throw new InvalidRotatorConfigException(source, List.of(path(e) + " has the wrong type: expected "
                    + expected(e.getTargetType()) + " (numbers unquoted, lists in [...], objects in {...})"));
        } catch (JacksonException e) {
            throw new InvalidRotatorConfigException(source, List.of("the file is not valid JSON: "
                    + e.getOriginalMessage() + locationOf(e)));
        }
        List<String> problems = RotatorConfigValidator.validate(config);
        if (!problems.isEmpty()) {
            throw new InvalidRotatorConfigException(source, problems);
        }
        return config;
    }

    private static String path(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                if (!path.isEmpty()) {
                    path.append('.');
                }
                path.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        return path.isEmpty() ? "the top level" : path.toString();
    }

    private static String expected(Class<?> type) {
        if (type == null) {
            return "another type";
        }
        if (type == Integer.class || type == int.class) {
            return "a whole number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type == String.class) {
            return "a string in quotes";
        }
        if (List.class.isAssignableFrom(type)) {
            return "a list";
        }
        return "an object";
    }

    private static String locationOf(JacksonException e) {
        var location = e.getLocation();
        return location == null ? "" : " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
    }
}
