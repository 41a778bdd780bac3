package io.atlascmk.rotator.atlas;

/**
 * Atlas refused a request or could not be reached. Subclasses name what went wrong, so the state
 * machine's Retry and Catch can match on the class name. Messages never carry credentials.
 *
 * <p>This base class itself is thrown for answers no subclass fits: an unexpected status (e.g. 402), a
 * 2xx answer whose body is not the expected JSON, a list that never ends or comes back incomplete (the
 * last two with {@code httpStatus} 200).
 */
public class AtlasApiException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int httpStatus;
    private final String errorCode;

    public AtlasApiException(String message, int httpStatus, String errorCode, Throwable cause) {
        super(message, cause);
        this.httpStatus = httpStatus;
        this.errorCode = errorCode;
    }

    /** HTTP status Atlas answered with; 0 when no answer arrived (I/O error, timeout). */
    public int httpStatus() {
        return httpStatus;
    }

    /** Atlas's {@code errorCode} (e.g. {@code RESOURCE_NOT_FOUND}); null when Atlas sent none. */
    public String errorCode() {
        return errorCode;
    }
}
