package io.atlascmk.rotator.atlas;

/**
 * The Atlas credentials secret is missing, unreadable or of the wrong shape. The message names the
 * expected fields, never a value.
 */
public class AtlasCredentialsException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public AtlasCredentialsException(String message) {
        super(message);
    }

    public AtlasCredentialsException(String message, Throwable cause) {
        super(message, cause);
    }
}
