package io.atlascmk.rotator.atlas;

/** Atlas answered 403: the credentials lack a role (e.g. Project Owner) or the caller's IP is not on the access list. */
public class AtlasForbiddenException extends AtlasApiException {

    private static final long serialVersionUID = 1L;

    public AtlasForbiddenException(String message, int httpStatus, String errorCode, Throwable cause) {
        super(message, httpStatus, errorCode, cause);
    }
}
