package io.atlascmk.rotator.kms;

/**
 * KMS throttled the call, answered 5xx, timed out or could not be reached, after the SDK's own
 * retries: transient, the step can be retried later.
 */
public class KmsUnavailableException extends KmsOperationException {

    private static final long serialVersionUID = 1L;

    public KmsUnavailableException(String message, String operation, String keyReference, String awsErrorCode,
            Throwable cause) {
        super(message, operation, keyReference, awsErrorCode, cause);
    }
}
