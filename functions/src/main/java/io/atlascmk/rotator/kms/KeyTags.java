package io.atlascmk.rotator.kms;

/**
 * The tag names that make the KMS keys themselves the rotation ledger. Anyone can read a key's
 * history with {@code aws kms list-resource-tags}.
 */
public final class KeyTags {

    public static final String PREFIX = "atlas-cmk-rotator:";
    /** The Atlas project (group) id the key belongs to. */
    public static final String PROJECT = PREFIX + "project";
    /**
     * The deployment (the stack's name, {@code ROTATOR_DEPLOYMENT}) whose key this is. Every IAM condition of the
     * functions' roles names it, so the functions may change only keys their own deployment created or adopted,
     * whatever the number of projects; a key without it (tagged before it existed) is no deployment's until an
     * operator claims it ({@code ./rotator claim-keys}) or Preflight adopts it as the key Atlas uses.
     */
    public static final String DEPLOYMENT = PREFIX + "deployment";
    /**
     * The rotation (execution name) that created the key. Exactly one key carries a given rotation
     * id, so CreateKey can find its own key again after a crash. A key adopted rather than created
     * carries {@link #ADOPTED_BY} instead.
     */
    public static final String ROTATION = PREFIX + "rotation";
    /** One of {@link KeyState}'s tag values. */
    public static final String STATE = PREFIX + "state";
    /** ISO-8601 instant at which the key stopped being Atlas's key. */
    public static final String RETIRED_AT = PREFIX + "retired-at";
    /** ISO-8601 instant after which no snapshot or restore window needs the key any more. */
    public static final String SAFE_AFTER = PREFIX + "safe-after";

    /**
     * The rotation that adopted a key this system did not create (the key Atlas used before the
     * project's first rotation). Kept apart from {@link #ROTATION} so that the first rotation's
     * adopted key is never mistaken for the key that rotation created.
     */
    public static final String ADOPTED_BY = PREFIX + "adopted-by";

    /** When the tripwire cancelled the key's scheduled deletion because something tried to use it. */
    public static final String RESCUED_AT = PREFIX + "rescued-at";

    /** Who tried to use the key pending deletion (the caller's ARN as CloudTrail recorded it). */
    public static final String RESCUED_FOR = PREFIX + "rescued-for";

    private KeyTags() {
    }
}
