package io.atlascmk.rotator.atlas;

/** Atlas answered 400: the request was malformed or a value was rejected. */
public class AtlasInvalidRequestException extends AtlasApiException {

    private static final long serialVersionUID = 1L;

    public AtlasInvalidRequestException(String message, int httpStatus, String errorCode, Throwable cause) {
        super(message, httpStatus, errorCode, cause);
    }
}
