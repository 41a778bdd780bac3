package io.atlascmk.sandbox.atlas;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * How the simulator reads {@code customerMasterKeyID}: a key id, a multi-Region key id ({@code mrk-...})
 * or a key ARN. Snapshots record the bare key id ({@code masterKeyUUID}), so an ARN and its id name the
 * same key. (The sandbox does not depend on {@code functions/}; this is its own small copy of the rule.)
 */
final class KmsKeyRefs {

    private static final Pattern KEY_ID = Pattern.compile("(mrk-[0-9a-f]{32}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})");
    private static final Pattern KEY_ARN = Pattern.compile("arn:aws[a-z-]*:kms:([a-z0-9-]+):(\\d{12}):key/(.+)");

    private KmsKeyRefs() {
    }

    /** True for a key id, an mrk- id or a key ARN; false for aliases and anything else. */
    static boolean isKeyReference(String reference) {
        return keyIdOrNull(reference) != null;
    }

    /**
     * The lower-case key id inside the reference.
     *
     * @throws IllegalArgumentException when the reference is not a key id or key ARN
     */
    static String keyId(String reference) {
        String id = keyIdOrNull(reference);
        if (id == null) {
            throw new IllegalArgumentException("'" + reference + "' is not a KMS key id, multi-Region key id or key ARN.");
        }
        return id;
    }

    /** The AWS region of a key ARN ({@code us-east-1}), or null for a bare id. */
    static String arnRegion(String reference) {
        if (reference == null) {
            return null;
        }
        var m = KEY_ARN.matcher(reference.trim());
        return m.matches() ? m.group(1) : null;
    }

    /** {@code us-east-1} to Atlas's {@code US_EAST_1}. */
    static String atlasRegionName(String awsRegion) {
        return awsRegion.toUpperCase(Locale.ROOT).replace('-', '_');
    }

    static boolean sameKey(String a, String b) {
        String ia = keyIdOrNull(a);
        return ia != null && ia.equals(keyIdOrNull(b));
    }

    private static String keyIdOrNull(String reference) {
        if (reference == null) {
            return null;
        }
        String ref = reference.trim();
        var arn = KEY_ARN.matcher(ref);
        if (arn.matches()) {
            ref = arn.group(3);
        }
        String lower = ref.toLowerCase(Locale.ROOT);
        return KEY_ID.matcher(lower).matches() ? lower : null;
    }
}
