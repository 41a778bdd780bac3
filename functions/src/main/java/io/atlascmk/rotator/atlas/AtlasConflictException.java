package io.atlascmk.rotator.atlas;

/** Atlas answered 409: the change conflicts with the project's state (e.g. another change in progress). */
public class AtlasConflictException extends AtlasApiException {

    private static final long serialVersionUID = 1L;

    public AtlasConflictException(String message, int httpStatus, String errorCode, Throwable cause) {
        super(message, httpStatus, errorCode, cause);
    }
}
