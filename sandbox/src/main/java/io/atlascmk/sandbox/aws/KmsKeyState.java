package io.atlascmk.sandbox.aws;

/** The key states the KMS stand-in models, with their wire names. */
public enum KmsKeyState {
    ENABLED("Enabled"),
    DISABLED("Disabled"),
    PENDING_DELETION("PendingDeletion"),
    /** A key with imported key material (Origin {@code EXTERNAL}) that has none: the sandbox imports none. */
    PENDING_IMPORT("PendingImport"),
    /**
     * A key in a custom key store that is disconnected, unless it is pending deletion. Reported, never
     * kept: underneath the key keeps its own state, which shows again once the key store is connected.
     */
    UNAVAILABLE("Unavailable");

    private final String wireName;

    KmsKeyState(String wireName) {
        this.wireName = wireName;
    }

    /**
     * The {@code KeyState} value KMS sends: {@code Enabled}, {@code Disabled}, {@code PendingDeletion},
     * {@code PendingImport}, {@code Unavailable}.
     */
    public String wireName() {
        return wireName;
    }
}
