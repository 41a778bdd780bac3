package io.atlascmk.rotator.evidence;

/** The evidence bucket could not be written (throttled, unreachable, or misconfigured); the workflow retries. */
public class EvidenceUnavailableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public EvidenceUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
