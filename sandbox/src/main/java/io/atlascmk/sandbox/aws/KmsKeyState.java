package io.atlascmk.sandbox.aws;

/** The key states the KMS stand-in models, with their wire names. */
public enum KmsKeyState {
    ENABLED("Enabled"),
    DISABLED("Disabled"),
    PENDING_DELETION("PendingDeletion"),
    /** A key with imported key material (Origin {@code EXTERNAL}) that has none: the sandbox imports none. */
    PENDING_IMPORT("PendingImport");

    private final String wireName;

    KmsKeyState(String wireName) {
        this.wireName = wireName;
    }

    /**
     * The {@code KeyState} value KMS sends: {@code Enabled}, {@code Disabled}, {@code PendingDeletion},
     * {@code PendingImport}.
     */
    public String wireName() {
        return wireName;
    }
}
