package io.atlascmk.rotator.kms;

/**
 * KMS answered {@code LimitExceededException}: a resource quota (keys, aliases, tags per key) is
 * used up. Not transient; free resources or raise the quota.
 */
public class KmsLimitExceededException extends KmsOperationException {

    private static final long serialVersionUID = 1L;

    public KmsLimitExceededException(String message, String operation, String keyReference, String awsErrorCode,
            Throwable cause) {
        super(message, operation, keyReference, awsErrorCode, cause);
    }
}
