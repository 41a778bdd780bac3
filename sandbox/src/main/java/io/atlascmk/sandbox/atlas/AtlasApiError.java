package io.atlascmk.sandbox.atlas;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An Atlas error, rendered as Atlas's error envelope:
 * {@code {"detail", "error", "errorCode", "parameters", "reason"}}.
 *
 * <p>{@code parameters}: real Atlas puts the offending values there as strings, but the contract types
 * the items as objects ({@code ApiError.parameters.items.type: object}), so a string would fail the
 * contract check; the simulator sends an empty list and names the values in {@code detail}.
 */
public final class AtlasApiError extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final String errorCode;
    private final Map<String, String> headers = new LinkedHashMap<>();

    public AtlasApiError(int status, String errorCode, String detail) {
        super(detail);
        this.status = status;
        this.errorCode = errorCode;
    }

    public int status() {
        return status;
    }

    public String errorCode() {
        return errorCode;
    }

    public String detail() {
        return getMessage();
    }

    AtlasApiError withHeader(String name, String value) {
        headers.put(name, value);
        return this;
    }

    Map<String, String> headers() {
        return headers;
    }

    ObjectNode envelope() {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("detail", getMessage());
        n.put("error", status);
        n.put("errorCode", errorCode);
        n.putArray("parameters");
        n.put("reason", reason(status));
        return n;
    }

    static String reason(int status) {
        switch (status) {
            case 400: return "Bad Request";
            case 401: return "Unauthorized";
            case 402: return "Payment Required";
            case 403: return "Forbidden";
            case 404: return "Not Found";
            case 405: return "Method Not Allowed";
            case 406: return "Not Acceptable";
            case 409: return "Conflict";
            case 410: return "Gone";
            case 415: return "Unsupported Media Type";
            case 429: return "Too Many Requests";
            case 500: return "Internal Server Error";
            case 502: return "Bad Gateway";
            case 503: return "Service Unavailable";
            case 504: return "Gateway Timeout";
            default: return "Error";
        }
    }

    // Factories for the errors the simulator gives in more than one place.

    static AtlasApiError badRequest(String errorCode, String detail) {
        return new AtlasApiError(400, errorCode, detail);
    }

    static AtlasApiError notFound(String errorCode, String detail) {
        return new AtlasApiError(404, errorCode, detail);
    }

    static AtlasApiError invalidParameter(String name, String value, String rule) {
        return badRequest("INVALID_PARAMETER", "Invalid value '" + value + "' for query parameter " + name + ": " + rule + ".");
    }
}
