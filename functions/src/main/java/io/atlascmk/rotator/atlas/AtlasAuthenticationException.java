package io.atlascmk.rotator.atlas;

/** Atlas answered 401: the credentials in the secret are wrong, expired or revoked. */
public class AtlasAuthenticationException extends AtlasApiException {

    private static final long serialVersionUID = 1L;

    public AtlasAuthenticationException(String message, int httpStatus, String errorCode, Throwable cause) {
        super(message, httpStatus, errorCode, cause);
    }
}
