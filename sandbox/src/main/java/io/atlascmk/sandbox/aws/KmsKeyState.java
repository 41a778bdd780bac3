package io.atlascmk.sandbox.aws;

/** The key states the KMS stand-in models, with their wire names. */
public enum KmsKeyState {
    ENABLED("Enabled"),
    DISABLED("Disabled"),
    PENDING_DELETION("PendingDeletion");

    private final String wireName;

    KmsKeyState(String wireName) {
        this.wireName = wireName;
    }

    /** The {@code KeyState} value KMS sends: {@code Enabled}, {@code Disabled}, {@code PendingDeletion}. */
    public String wireName() {
        return wireName;
    }
}
