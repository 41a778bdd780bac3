package io.atlascmk.rotator.atlas;

/** Atlas answered 429 Too Many Requests after every retry: transient, retry later. */
public class AtlasRateLimitedException extends AtlasApiException {

    private static final long serialVersionUID = 1L;

    public AtlasRateLimitedException(String message, int httpStatus, String errorCode, Throwable cause) {
        super(message, httpStatus, errorCode, cause);
    }
}
