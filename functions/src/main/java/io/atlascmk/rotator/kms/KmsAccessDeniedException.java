package io.atlascmk.rotator.kms;

/**
 * KMS denied the call: the function's IAM role or the key policy does not allow the action, or the
 * credentials are not valid. Not transient; fix the permissions.
 */
public class KmsAccessDeniedException extends KmsOperationException {

    private static final long serialVersionUID = 1L;

    public KmsAccessDeniedException(String message, String operation, String keyReference, String awsErrorCode,
            Throwable cause) {
        super(message, operation, keyReference, awsErrorCode, cause);
    }
}
