package io.atlascmk.rotator.rotation;

/**
 * A rotation rule refused to go on. Retrying the same step does not help: the operator has to change
 * something first, and the message says what. The state machine catches the concrete subclasses by
 * their fully qualified class names (the Lambda {@code errorType}), so those names are stable.
 */
public abstract class RotationRefusedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    protected RotationRefusedException(String message) {
        super(message);
    }

    protected RotationRefusedException(String message, Throwable cause) {
        super(message, cause);
    }
}
