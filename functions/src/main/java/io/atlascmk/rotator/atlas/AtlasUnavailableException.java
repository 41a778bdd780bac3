package io.atlascmk.rotator.atlas;

/** Atlas answered 5xx, or the request failed with an I/O error or timed out, after every retry: transient. */
public class AtlasUnavailableException extends AtlasApiException {

    private static final long serialVersionUID = 1L;

    public AtlasUnavailableException(String message, int httpStatus, String errorCode, Throwable cause) {
        super(message, httpStatus, errorCode, cause);
    }
}
