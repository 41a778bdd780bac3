package io.atlascmk.rotator.kms;

/**
 * The project's keys are registered in another AWS account, and STS would not let the function assume that account's
 * member role (wrong role, wrong external id, a trust policy that does not name this deployment's function, or a
 * member stack not deployed). Nothing was read or changed in that account. Not transient; fix the registration or the
 * member stack.
 */
public class KeyAccountUnreachableException extends KmsOperationException {

    private static final long serialVersionUID = 1L;

    public KeyAccountUnreachableException(String message, String operation, String keyReference, String awsErrorCode,
            Throwable cause) {
        super(message, operation, keyReference, awsErrorCode, cause);
    }
}
