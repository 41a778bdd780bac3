package io.atlascmk.rotator.alert;

/**
 * An accepted alert could not be published (EventBridge refused the entry or could not be reached).
 * The webhook answers 500 so that Atlas delivers the alert again.
 */
public class AlertPublishException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public AlertPublishException(String message) {
        super(message);
    }

    public AlertPublishException(String message, Throwable cause) {
        super(message, cause);
    }
}
