package io.atlascmk.rotator.kms;

/**
 * KMS rejected the request as invalid: a malformed key policy or one that would lock the account
 * out, an invalid tag or alias, an alias that already exists. Not transient; fix the request.
 */
public class KmsRequestRejectedException extends KmsOperationException {

    private static final long serialVersionUID = 1L;

    public KmsRequestRejectedException(String message, String operation, String keyReference, String awsErrorCode,
            Throwable cause) {
        super(message, operation, keyReference, awsErrorCode, cause);
    }
}
