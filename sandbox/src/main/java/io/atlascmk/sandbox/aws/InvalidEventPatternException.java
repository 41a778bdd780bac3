package io.atlascmk.sandbox.aws;

/** An EventBridge event pattern that EventBridge would reject, with the reason. */
public final class InvalidEventPatternException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    public InvalidEventPatternException(String reason) {
        super("Event pattern is not valid. Reason: " + reason);
    }
}
