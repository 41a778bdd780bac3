package io.atlascmk.rotator.rotation;

/**
 * Atlas cannot use the key it names now (or names none). Rotating away from it would leave no key to
 * roll back to, so nothing is changed until it is fixed.
 */
public class CurrentKeyInvalidException extends RotationRefusedException {

    private static final long serialVersionUID = 1L;

    public CurrentKeyInvalidException(String projectId, String detail) {
        super("Project " + projectId + ": " + detail + ". A rotation needs a working current key to roll back to, so "
                + "nothing was changed. Fix access to the current key (key enabled, not pending deletion, its policy grants "
                + "the Atlas role kms:Encrypt, kms:Decrypt and kms:DescribeKey) until Atlas reports it valid, then run again.");
    }
}
