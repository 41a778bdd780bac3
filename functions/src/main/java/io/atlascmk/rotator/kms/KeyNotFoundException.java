package io.atlascmk.rotator.kms;

/** KMS answered {@code NotFoundException}: the key or alias does not exist in this account and region. */
public class KeyNotFoundException extends KmsOperationException {

    private static final long serialVersionUID = 1L;

    public KeyNotFoundException(String message, String operation, String keyReference, String awsErrorCode,
            Throwable cause) {
        super(message, operation, keyReference, awsErrorCode, cause);
    }
}
