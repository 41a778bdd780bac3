package io.atlascmk.rotator.kms;

/** What {@link KeyService#pointAlias(String, String)} had to do. */
public enum AliasChange {
    /** The alias did not exist; it was created pointing at the key. */
    CREATED,
    /** The alias pointed at another key; it was moved (UpdateAlias). */
    MOVED,
    /** The alias already pointed at the key; nothing was written. */
    UNCHANGED
}
