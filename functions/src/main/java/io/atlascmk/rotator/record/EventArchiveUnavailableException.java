package io.atlascmk.rotator.record;

/**
 * The Record function could not store an event in the evidence bucket (throttled, unreachable, denied or
 * misconfigured). The invocation fails, so EventBridge's asynchronous delivery tries it again (and, once its retries
 * are spent, the event goes to the rule target's dead-letter queue when one is set).
 */
public class EventArchiveUnavailableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public EventArchiveUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
