package io.atlascmk.rotator.rotation;

import io.atlascmk.rotator.kms.KeyIds;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Validation of step inputs, shared by the request records' constructors so that no request can
 * exist with a bad value. Every failure is an {@link InvalidInputException} naming the field.
 */
public final class Inputs {

    /** An Atlas project (group) id: 24 lower-case hexadecimal digits. */
    public static final Pattern PROJECT_ID = Pattern.compile("[0-9a-f]{24}");

    /**
     * A rotation id is the Step Functions execution name. It becomes a KMS tag value and part of an
     * execution ARN, so it is limited to characters valid in both: letters, digits and
     * {@code _ . = + @ -}, 1 to 80 of them.
     */
    public static final Pattern ROTATION_ID = Pattern.compile("[A-Za-z0-9_.=+@-]{1,80}");

    /** An IAM role ARN, as Atlas's cloud provider access reports it. */
    public static final Pattern IAM_ROLE_ARN = Pattern.compile("arn:aws[a-zA-Z-]*:iam::\\d{12}:role/[\\w+=,.@/-]{1,512}");

    /** Atlas cluster names: letters, digits and hyphens, starting with a letter or digit. */
    public static final Pattern CLUSTER_NAME = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9-]{0,63}");

    /**
     * The longest deployment deadline (24 h). The state machine's timeout is sized from it (infra's
     * {@code WorkflowDefaults.MAX_DEPLOYMENT_DEADLINE_SECONDS}, same value): a longer deadline given in an
     * execution input would let the execution time out silently after the key switch.
     */
    public static final int MAX_DEPLOYMENT_DEADLINE_SECONDS = 86_400;

    /** The longest settle time (1 h); see {@link #MAX_DEPLOYMENT_DEADLINE_SECONDS}. */
    public static final int MAX_SETTLE_SECONDS = 3_600;
    /** The minimum retirement age of a key when neither the project nor the input sets one, in days. */
    public static final int DEFAULT_MIN_RETIREMENT_DAYS = 30;
    /** The shortest minimum retirement age a project may set, in days. */
    public static final int MIN_RETIREMENT_DAYS_FLOOR = 7;
    /** {@code adoptedKeys}: an adopted key is deleted once nothing needs it (the default). */
    public static final String ADOPTED_DELETE_WHEN_UNUSED = "delete-when-unused";
    /** {@code adoptedKeys}: an adopted key is never deleted by the rotator. */
    public static final String ADOPTED_KEEP = "keep";

    /** The longest minimum retirement age accepted (ten years), in days. */
    public static final int MAX_RETIREMENT_DAYS = 3_650;

    private Inputs() {
    }

    /**
     * {@code copyTags}: tag keys (1 to 128 characters, no {@code aws:} prefix, not the rotator's own
     * {@code atlas-cmk-rotator:} tags), at most 40; null or empty gives an empty list.
     */
    public static List<String> copyTags(String field, List<String> keys) {
        if (keys == null) {
            return List.of();
        }
        if (keys.size() > 40) {
            throw new InvalidInputException(field, "names " + keys.size() + " tag keys; KMS keys carry at most 50 tags,"
                    + " so give at most 40.");
        }
        for (int i = 0; i < keys.size(); i++) {
            String k = keys.get(i);
            if (k == null || k.isBlank() || k.length() > 128 || k.toLowerCase(java.util.Locale.ROOT).startsWith("aws:")
                    || k.startsWith("atlas-cmk-rotator:")) {
                throw new InvalidInputException(field + "[" + i + "]", "is " + (k == null ? "null" : "\"" + k + "\"")
                        + ": give a tag key of 1 to 128 characters that is neither an aws: tag nor one of the rotator's"
                        + " own atlas-cmk-rotator: tags.");
            }
        }
        return List.copyOf(new java.util.LinkedHashSet<>(keys));
    }

    /** {@code method}: a new key per rotation, Atlas switched to it, the old one retired (the default). */
    public static final String METHOD_NEW_KEY = "new-key";
    /** {@code method}: KMS rotates the key's material; the key id, and Atlas, never change; nothing is deleted. */
    public static final String METHOD_KEY_MATERIAL = "key-material";
    /** KMS's bounds of an automatic rotation period, in days, and its default. */
    public static final int MIN_ROTATION_PERIOD_DAYS = 90;
    public static final int MAX_ROTATION_PERIOD_DAYS = 2_560;
    public static final int DEFAULT_ROTATION_PERIOD_DAYS = 365;

    /** {@code method}: null, {@value #METHOD_NEW_KEY} or {@value #METHOD_KEY_MATERIAL}. */
    public static String method(String field, String value) {
        if (value != null && !value.equals(METHOD_NEW_KEY) && !value.equals(METHOD_KEY_MATERIAL)) {
            throw new InvalidInputException(field, "is \"" + value + "\": give \"" + METHOD_NEW_KEY + "\" (a new key per"
                    + " rotation, the default) or \"" + METHOD_KEY_MATERIAL + "\" (KMS rotates the key's material; the key"
                    + " id never changes).");
        }
        return value;
    }

    /** {@code adoptedKeys}: null, {@value #ADOPTED_KEEP} or {@value #ADOPTED_DELETE_WHEN_UNUSED}. */
    public static String adoptedKeys(String field, String value) {
        if (value != null && !value.equals(ADOPTED_KEEP) && !value.equals(ADOPTED_DELETE_WHEN_UNUSED)) {
            throw new InvalidInputException(field, "is \"" + value + "\": give \"" + ADOPTED_KEEP + "\" (adopted keys are never"
                    + " deleted) or \"" + ADOPTED_DELETE_WHEN_UNUSED + "\" (deleted once nothing needs them, the default).");
        }
        return value;
    }

    public static String projectId(String field, String value) {
        if (value == null) {
            throw new InvalidInputException(field, "is required: the Atlas project id, 24 lower-case hex digits"
                    + " (e.g. 5f1e2d3c4b5a69788796a5b4).");
        }
        if (!PROJECT_ID.matcher(value).matches()) {
            throw new InvalidInputException(field, "must be an Atlas project id of 24 lower-case hex digits"
                    + " (e.g. 5f1e2d3c4b5a69788796a5b4); got a " + value.length() + "-character value that is not.");
        }
        return value;
    }

    public static String rotationId(String field, String value) {
        if (value == null) {
            throw new InvalidInputException(field, "is required: the rotation id (the execution name, $$.Execution.Name).");
        }
        if (!ROTATION_ID.matcher(value).matches()) {
            throw new InvalidInputException(field, "must be 1 to 80 letters, digits or _ . = + @ - (it becomes a KMS tag"
                    + " value and part of the execution ARN).");
        }
        return value;
    }

    /** A KMS key id, {@code mrk-} id or key ARN (not an alias). */
    public static String keyRef(String field, String value) {
        if (value == null) {
            throw new InvalidInputException(field, "is required: a KMS key id or key ARN.");
        }
        try {
            KeyIds.keyId(value);
        } catch (IllegalArgumentException notAKey) {
            throw new InvalidInputException(field, "must be a KMS key id, mrk- id or key ARN (not an alias).");
        }
        return value.trim();
    }

    /** A KMS key ARN. */
    public static String keyArn(String field, String value) {
        keyRef(field, value);
        if (!KeyIds.isArn(value) || KeyIds.regionOf(value) == null) {
            throw new InvalidInputException(field, "must be a KMS key ARN (arn:aws:kms:REGION:ACCOUNT:key/KEY_ID).");
        }
        return value.trim();
    }

    public static String iamRoleArn(String field, String value) {
        if (value == null) {
            throw new InvalidInputException(field, "is required: the IAM role ARN Atlas assumes.");
        }
        if (!IAM_ROLE_ARN.matcher(value).matches()) {
            throw new InvalidInputException(field, "must be an IAM role ARN (arn:aws:iam::ACCOUNT:role/NAME).");
        }
        return value;
    }

    public static String required(String field, String value) {
        if (value == null || value.isBlank()) {
            throw new InvalidInputException(field, "is required and must not be blank.");
        }
        return value;
    }

    public static String oneOf(String field, String value, String fallback, Set<String> allowed) {
        if (value == null) {
            return fallback;
        }
        if (!allowed.contains(value)) {
            throw new InvalidInputException(field, "must be one of " + new java.util.TreeSet<>(allowed)
                    + ", not '" + shorten(value) + "'.");
        }
        return value;
    }

    public static int required(String field, Integer value, int min, int max, String unit) {
        if (value == null) {
            throw new InvalidInputException(field, "is required: " + range(min, max, unit) + ".");
        }
        return inRange(field, value, min, max, unit);
    }

    public static int inRange(String field, int value, int min, int max, String unit) {
        if (value < min || value > max) {
            throw new InvalidInputException(field, "must be " + range(min, max, unit) + ", not " + value + ".");
        }
        return value;
    }

    public static boolean flag(Boolean value) {
        return Boolean.TRUE.equals(value);
    }

    /** A list of cluster names: no nulls, no blanks, valid Atlas names, duplicates dropped. */
    public static List<String> clusterNames(String field, List<String> names) {
        if (names == null) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i);
            if (name == null || !CLUSTER_NAME.matcher(name).matches()) {
                throw new InvalidInputException(field + "[" + i + "]", "must be an Atlas cluster name (letters, digits"
                        + " and hyphens, starting with a letter or digit, at most 64 characters).");
            }
            if (!out.contains(name)) {
                out.add(name);
            }
        }
        return List.copyOf(out);
    }

    private static String range(int min, int max, String unit) {
        if (max == Integer.MAX_VALUE) {
            return "a whole number of " + unit + " >= " + min;
        }
        return "a whole number of " + unit + " from " + min + " to " + max;
    }

    private static String shorten(String value) {
        return value.length() <= 40 ? value : value.substring(0, 40) + "...";
    }
}
