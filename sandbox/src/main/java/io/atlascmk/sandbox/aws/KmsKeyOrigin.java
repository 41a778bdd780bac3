package io.atlascmk.sandbox.aws;

/** Where a KMS key's material comes from: the {@code Origin} KMS reports, spelled as the constant's name. */
public enum KmsKeyOrigin {
    /** KMS made the key material. */
    AWS_KMS,
    /** Imported key material. The sandbox imports none, so such a key stays {@code PendingImport}. */
    EXTERNAL,
    /** KMS made the key material in the CloudHSM cluster of a custom key store. */
    AWS_CLOUDHSM
}
