package io.atlascmk.rotator.kms;

/**
 * A KMS call made by {@link KeyService} failed. Subclasses name what went wrong, so the state
 * machine's Retry and Catch can match on the class name; the message says what happened and what to
 * do. The AWS SDK exception is kept as the cause.
 */
public class KmsOperationException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String operation;
    private final String keyReference;
    private final String awsErrorCode;

    public KmsOperationException(String message, String operation, String keyReference, String awsErrorCode,
            Throwable cause) {
        super(message, cause);
        this.operation = operation;
        this.keyReference = keyReference;
        this.awsErrorCode = awsErrorCode;
    }

    /** The KMS API operation, e.g. {@code ScheduleKeyDeletion}. */
    public String operation() {
        return operation;
    }

    /** The key (id, ARN or alias) the call was about; null for calls about no single key (ListKeys). */
    public String keyReference() {
        return keyReference;
    }

    /** KMS's error code (e.g. {@code KMSInvalidStateException}); null when no answer arrived. */
    public String awsErrorCode() {
        return awsErrorCode;
    }
}
