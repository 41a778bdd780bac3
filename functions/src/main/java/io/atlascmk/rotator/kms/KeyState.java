package io.atlascmk.rotator.kms;

import java.util.Arrays;
import java.util.Optional;

/** Lifecycle of a key in the ledger, stored in the {@link KeyTags#STATE} tag. */
public enum KeyState {
    /** Created by a rotation that has not finished. */
    PENDING("pending"),
    /** Atlas's current key. */
    ACTIVE("active"),
    /** Replaced; kept enabled until no snapshot or restore window needs it. */
    RETIRED("retired"),
    /** Deletion scheduled in KMS (still cancellable during the pending window). */
    DELETION_SCHEDULED("deletion-scheduled"),
    /** Created by a rotation that was rolled back or given up; retired through the same audit. */
    ABANDONED("abandoned");

    private final String tagValue;

    KeyState(String tagValue) {
        this.tagValue = tagValue;
    }

    public String tagValue() {
        return tagValue;
    }

    public static Optional<KeyState> fromTagValue(String value) {
        return Arrays.stream(values()).filter(s -> s.tagValue.equals(value)).findFirst();
    }
}
