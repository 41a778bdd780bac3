package io.atlascmk.rotator.kms;

/**
 * What a key's compliance may depend on besides its tags: where its material comes from, where it lives,
 * whether KMS rotates it, and its description.
 *
 * @param origin                {@code AWS_KMS}, {@code EXTERNAL} (imported material), {@code AWS_CLOUDHSM}
 *                              or {@code EXTERNAL_KEY_STORE}
 * @param customKeyStoreId      the custom key store holding the key, or null
 * @param rotationEnabled       KMS rotates the key's material automatically
 * @param rotationPeriodInDays  how often, when it does; null otherwise
 * @param description           the key's description (may be empty)
 */
public record KeyMaterial(String origin, String customKeyStoreId, boolean rotationEnabled, Integer rotationPeriodInDays,
                          String description) {

    public static final String AWS_KMS = "AWS_KMS";
    public static final String EXTERNAL = "EXTERNAL";
    public static final String AWS_CLOUDHSM = "AWS_CLOUDHSM";
    public static final String EXTERNAL_KEY_STORE = "EXTERNAL_KEY_STORE";

    /** A key KMS made itself, in its own store, not rotated: what the rotator creates by default. */
    public static KeyMaterial standard(String description) {
        return new KeyMaterial(AWS_KMS, null, false, null, description);
    }
}
