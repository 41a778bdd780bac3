package io.atlascmk.rotator.lock;

/**
 * The lock table could not be read or written (throttled, unreachable, missing). Nothing was changed;
 * the workflow retries. A rotation never goes on without the lock.
 */
public class LockUnavailableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public LockUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
