package io.atlascmk.sandbox.aws;

/**
 * An error the stand-in answers with, in the AWS JSON 1.1 shape
 * {@code {"__type": errorName, "message": message}} and the HTTP status real AWS uses.
 * Internal to the stand-in: callers of the SDK see the SDK's own exception classes.
 */
final class AwsApiException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String errorName;
    private final int httpStatus;

    AwsApiException(String errorName, int httpStatus, String message) {
        super(message, null, false, false);
        this.errorName = errorName;
        this.httpStatus = httpStatus;
    }

    /** A client error (HTTP 400), the status real AWS JSON services use for every modeled client fault. */
    static AwsApiException client(String errorName, String message) {
        return new AwsApiException(errorName, 400, message);
    }

    /** The generic request-validation error of AWS JSON services (model constraints). */
    static AwsApiException validation(String message) {
        return client("ValidationException", message);
    }

    /** Model-constraint violation, worded as AWS words it: {@code 1 validation error detected: ...}. */
    static AwsApiException constraint(String field, Object value, String constraint) {
        String shown = value == null ? "null" : "'" + value + "'";
        return validation("1 validation error detected: Value " + shown + " at '" + lowerCamel(field)
                + "' failed to satisfy constraint: " + constraint);
    }

    static AwsApiException serialization(String message) {
        return client("SerializationException", message);
    }

    String errorName() {
        return errorName;
    }

    int httpStatus() {
        return httpStatus;
    }

    static String lowerCamel(String field) {
        if (field.isEmpty()) {
            return field;
        }
        return Character.toLowerCase(field.charAt(0)) + field.substring(1);
    }
}
