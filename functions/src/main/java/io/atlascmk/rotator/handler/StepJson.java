package io.atlascmk.rotator.handler;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import io.atlascmk.rotator.json.Json;
import io.atlascmk.rotator.rotation.InvalidInputException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Collection;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The JSON in and out of every step handler: the input is read with {@link Json#STRICT} into the
 * step's request record (whose constructor validates the values), the result written with
 * {@link Json#MAPPER}. Every way an input can be wrong becomes an {@link InvalidInputException} that
 * names the field by its path and says what is expected, without echoing the input.
 */
public final class StepJson {

    private StepJson() {
    }

    /**
     * Reads and validates a request.
     *
     * @throws InvalidInputException when the input is not valid JSON, not an object, has an unknown
     *                               field, a field of the wrong type, or a value the request refuses
     */
    public static <T> T read(InputStream input, Class<T> type) throws IOException {
        byte[] bytes = input.readAllBytes();
        T value;
        try {
            value = Json.STRICT.readValue(bytes, type);
        } catch (ValueInstantiationException e) {
            throw refused(e);
        } catch (UnrecognizedPropertyException e) {
            throw new InvalidInputException(path(e), "is not a known field. Known fields here: "
                    + known(e.getKnownPropertyIds()) + ".");
        } catch (InvalidFormatException e) {
            throw new InvalidInputException(path(e), "has a value that is not a valid " + typeName(e.getTargetType()) + ".");
        } catch (MismatchedInputException e) {
            if (e.getPath().isEmpty()) {
                throw new InvalidInputException("(input)", bytes.length == 0 || isBlank(bytes)
                        ? "is empty: a JSON object is expected." : "must be a JSON object.");
            }
            throw new InvalidInputException(path(e), "has the wrong type: expected " + typeName(e.getTargetType()) + ".");
        } catch (JsonMappingException e) {
            throw new InvalidInputException(e.getPath().isEmpty() ? "(input)" : path(e),
                    "cannot be read: " + e.getOriginalMessage());
        } catch (JsonProcessingException e) {
            throw new InvalidInputException("(input)", "is not valid JSON (" + e.getOriginalMessage() + ").");
        }
        if (value == null) {
            throw new InvalidInputException("(input)", "must be a JSON object, not null.");
        }
        return value;
    }

    /** Writes a result. */
    public static void write(OutputStream output, Object result) throws IOException {
        Json.MAPPER.writeValue(output, result);
    }

    private static InvalidInputException refused(ValueInstantiationException e) {
        Throwable cause = e.getCause();
        String at = e.getPath().isEmpty() ? "" : path(e);
        if (cause instanceof InvalidInputException invalid) {
            return invalid.under(at);
        }
        return new InvalidInputException(at.isEmpty() ? "(input)" : at,
                "cannot be read: " + (cause == null ? e.getOriginalMessage() : cause.getMessage()));
    }

    /** {@code input.settings.extraClusterNames[2]}. */
    static String path(JacksonException e) {
        List<JsonMappingException.Reference> refs = e instanceof JsonMappingException m ? m.getPath() : List.of();
        StringBuilder out = new StringBuilder();
        for (JsonMappingException.Reference ref : refs) {
            if (ref.getFieldName() != null) {
                if (out.length() > 0) {
                    out.append('.');
                }
                out.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                out.append('[').append(ref.getIndex()).append(']');
            }
        }
        return out.length() == 0 ? "(input)" : out.toString();
    }

    private static String known(Collection<Object> ids) {
        return ids == null ? "[]" : ids.stream().map(String::valueOf).sorted().collect(Collectors.joining(", ", "[", "]"));
    }

    private static String typeName(Class<?> type) {
        if (type == null) {
            return "value";
        }
        if (type == String.class) {
            return "string";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "boolean (true or false)";
        }
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
            return "whole number";
        }
        if (type == java.time.Instant.class) {
            return "ISO-8601 instant (e.g. 2026-11-30T10:02:00Z)";
        }
        if (List.class.isAssignableFrom(type) || type.isArray()) {
            return "array";
        }
        if (type.isRecord()) {
            return "JSON object";
        }
        return type.getSimpleName();
    }

    private static boolean isBlank(byte[] bytes) {
        for (byte b : bytes) {
            if (!Character.isWhitespace(b)) {
                return false;
            }
        }
        return true;
    }
}
