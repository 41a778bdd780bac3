package io.atlascmk.rotator.kms;

import java.util.Locale;

/**
 * Normalises the ways a KMS key is named so that they compare correctly: a key ARN
 * ({@code arn:aws:kms:us-east-1:111122223333:key/1234abcd-...}), a bare key id, and a multi-Region
 * key id ({@code mrk-...}) or ARN. Aliases are not key ids and are rejected.
 */
public final class KeyIds {

    private KeyIds() {
    }

    /**
     * The key id inside any key reference: the part after {@code key/} of an ARN, else the
     * reference itself, lower-cased (KMS key ids are lower-case hex).
     *
     * @throws IllegalArgumentException for null, blank, or alias references
     */
    public static String keyId(String reference) {
        if (reference == null || reference.isBlank()) {
            throw new IllegalArgumentException("A KMS key reference is required: pass a key id, a key ARN or an mrk- id.");
        }
        String ref = reference.trim();
        if (ref.startsWith("alias/") || ref.contains(":alias/")) {
            throw new IllegalArgumentException("'" + ref + "' is an alias, not a key: pass the key id or key ARN it points to.");
        }
        if (ref.startsWith("arn:")) {
            int slash = ref.indexOf(":key/");
            if (slash < 0) {
                throw new IllegalArgumentException("'" + ref + "' is not a KMS key ARN (expected arn:aws:kms:REGION:ACCOUNT:key/KEY_ID).");
            }
            ref = ref.substring(slash + ":key/".length());
        }
        if (ref.isEmpty() || ref.contains("/") || ref.contains(":")) {
            throw new IllegalArgumentException("'" + reference.trim() + "' is not a KMS key id or key ARN.");
        }
        return ref.toLowerCase(Locale.ROOT);
    }

    /** True when both references name the same key; false when either is null or not a key reference. */
    public static boolean sameKey(String a, String b) {
        if (a == null || b == null) {
            return false;
        }
        try {
            return keyId(a).equals(keyId(b));
        } catch (IllegalArgumentException notAKey) {
            return false;
        }
    }

    /** True when the reference is a full key ARN. */
    public static boolean isArn(String reference) {
        return reference != null && reference.trim().startsWith("arn:");
    }

    /** True for a multi-Region key id or ARN ({@code mrk-} prefix). */
    public static boolean isMultiRegion(String reference) {
        return reference != null && keyId(reference).startsWith("mrk-");
    }

    /** The account inside an ARN (of a key, a role, anything), or null when {@code arn} is none. */
    public static String accountOf(String arn) {
        if (!isArn(arn)) {
            return null;
        }
        String[] parts = arn.trim().split(":", 6);
        return parts.length >= 6 && !parts[4].isEmpty() ? parts[4] : null;
    }

    /** The region inside a key ARN, or null for a bare id. */
    public static String regionOf(String reference) {
        if (!isArn(reference)) {
            return null;
        }
        String[] parts = reference.trim().split(":", 6);
        return parts.length >= 6 && !parts[3].isEmpty() ? parts[3] : null;
    }
}
