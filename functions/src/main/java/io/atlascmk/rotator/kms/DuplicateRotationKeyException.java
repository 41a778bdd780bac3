package io.atlascmk.rotator.kms;

import java.util.List;

/**
 * More than one key of a project carries the same rotation id. A rotation creates exactly one key,
 * so the ledger was edited by hand or by another tool; the rotator will not guess which key is the
 * real one. A human must re-tag or abandon the extra keys.
 */
public class DuplicateRotationKeyException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    private final List<String> keyArns;

    public DuplicateRotationKeyException(String message, List<String> keyArns) {
        super(message);
        this.keyArns = List.copyOf(keyArns);
    }

    /** The ARNs of every key that claims the rotation. */
    public List<String> keyArns() {
        return keyArns;
    }
}
