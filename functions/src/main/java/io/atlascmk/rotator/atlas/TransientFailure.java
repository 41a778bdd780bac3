package io.atlascmk.rotator.atlas;

import java.time.Duration;

/**
 * A failure worth retrying (429, 5xx, I/O error, timeout), inside {@link AtlasClient}'s retry loop. It
 * becomes an {@link AtlasRateLimitedException} or {@link AtlasUnavailableException} when retries run out.
 */
final class TransientFailure extends Exception {

    private static final long serialVersionUID = 1L;

    private final int httpStatus;
    private final String errorCode;
    private final transient Duration retryAfter;

    /**
     * @param description what happened, e.g. {@code HTTP 503 (errorCode X): detail} or {@code timed out}
     * @param httpStatus  0 when no answer arrived
     * @param retryAfter  the server's Retry-After; null when it sent none
     */
    TransientFailure(String description, int httpStatus, String errorCode, Duration retryAfter, Throwable cause) {
        super(description, cause, false, false);
        this.httpStatus = httpStatus;
        this.errorCode = errorCode;
        this.retryAfter = retryAfter;
    }

    int httpStatus() {
        return httpStatus;
    }

    String errorCode() {
        return errorCode;
    }

    Duration retryAfter() {
        return retryAfter;
    }

    boolean rateLimited() {
        return httpStatus == 429;
    }
}
