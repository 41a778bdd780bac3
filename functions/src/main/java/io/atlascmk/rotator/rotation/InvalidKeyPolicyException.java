package io.atlascmk.rotator.rotation;

/** A key policy document cannot be read: not JSON, or without a {@code Statement}. */
public class InvalidKeyPolicyException extends RotationRefusedException {

    private static final long serialVersionUID = 1L;

    public InvalidKeyPolicyException(String detail, Throwable cause) {
        super("The key policy cannot be read: " + detail + ". Nothing was written. Check it with "
                + "'aws kms get-key-policy --policy-name default --key-id KEY', fix it, then run the rotation again.", cause);
    }
}
