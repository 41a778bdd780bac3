package io.atlascmk.rotator.rotation;

/**
 * A key policy would leave nobody but the Atlas role able to change it (design §4 rule 7). KMS's own
 * lockout check would refuse it, and forcing it would make the key unmanageable for good.
 */
public class KeyPolicyLockoutException extends RotationRefusedException {

    private static final long serialVersionUID = 1L;

    private final String atlasRoleArn;

    public KeyPolicyLockoutException(String atlasRoleArn, String detail) {
        super("The key policy would leave no principal other than the Atlas role " + atlasRoleArn
                + " able to change it (kms:PutKeyPolicy): " + detail + ". Nothing was written. Give the account root "
                + "(arn:aws:iam::ACCOUNT:root) or a key administrator role an unconditional Allow of kms:* or "
                + "kms:PutKeyPolicy in the current key's policy (or configure key administrators), then run the rotation again.");
        this.atlasRoleArn = atlasRoleArn;
    }

    public String atlasRoleArn() {
        return atlasRoleArn;
    }
}
