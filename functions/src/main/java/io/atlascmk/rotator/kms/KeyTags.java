package io.atlascmk.rotator.kms;

/**
 * The tag names that make the KMS keys themselves the rotation ledger. Anyone can read a key's
 * history with {@code aws kms list-resource-tags}.
 */
public final class KeyTags {

    public static final String PREFIX = "atlas-cmk-rotator:";
    /** The Atlas project (group) id the key belongs to. */
    public static final String PROJECT = PREFIX + "project";
    /** The rotation (execution name) that created or adopted the key. */
    public static final String ROTATION = PREFIX + "rotation";
    /** One of {@link KeyState}'s tag values. */
    public static final String STATE = PREFIX + "state";
    /** ISO-8601 instant at which the key stopped being Atlas's key. */
    public static final String RETIRED_AT = PREFIX + "retired-at";
    /** ISO-8601 instant after which no snapshot or restore window needs the key any more. */
    public static final String SAFE_AFTER = PREFIX + "safe-after";

    private KeyTags() {
    }
}
