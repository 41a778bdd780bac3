package io.atlascmk.rotator.rotation;

import io.atlascmk.rotator.kms.KmsAccessDeniedException;
import java.time.Instant;

/**
 * KMS refused a call on the key this rotation created minutes ago. Tag-based authorization can take
 * up to five minutes to see a new key's tags, so the workflow retries the step (bounded) until
 * {@code graceEnds}; after that the same refusal is a {@link KmsAccessDeniedException} and the run
 * rolls back.
 */
public class NewKeyNotYetAuthorizedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String keyArn;
    private final Instant graceEnds;

    public NewKeyNotYetAuthorizedException(String keyArn, String action, Instant keyCreatedAt, Instant graceEnds,
            KmsAccessDeniedException cause) {
        super("KMS refused to " + action + " key " + keyArn + ", created at " + keyCreatedAt + ": "
                + cause.getMessage() + " Tag-based authorization can take up to five minutes to see a new key's tags;"
                + " the workflow retries this step until " + graceEnds + ", then rolls back if KMS still refuses"
                + " (then check the function's IAM policy and the key's tags).", cause);
        this.keyArn = keyArn;
        this.graceEnds = graceEnds;
    }

    public String keyArn() {
        return keyArn;
    }

    public Instant graceEnds() {
        return graceEnds;
    }
}
