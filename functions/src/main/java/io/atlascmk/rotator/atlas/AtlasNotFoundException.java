package io.atlascmk.rotator.atlas;

/** Atlas answered 404: the project, cluster or resource does not exist (or the credentials cannot see it). */
public class AtlasNotFoundException extends AtlasApiException {

    private static final long serialVersionUID = 1L;

    public AtlasNotFoundException(String message, int httpStatus, String errorCode, Throwable cause) {
        super(message, httpStatus, errorCode, cause);
    }
}
