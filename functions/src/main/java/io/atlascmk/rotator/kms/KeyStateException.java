package io.atlascmk.rotator.kms;

/**
 * KMS refused the operation because of the key's state ({@code KMSInvalidStateException},
 * {@code DisabledException}): for example tagging or aliasing a key that is pending deletion.
 */
public class KeyStateException extends KmsOperationException {

    private static final long serialVersionUID = 1L;

    public KeyStateException(String message, String operation, String keyReference, String awsErrorCode,
            Throwable cause) {
        super(message, operation, keyReference, awsErrorCode, cause);
    }
}
