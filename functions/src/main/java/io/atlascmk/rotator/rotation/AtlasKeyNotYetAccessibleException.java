package io.atlascmk.rotator.rotation;

import io.atlascmk.rotator.atlas.AtlasApiException;
import java.time.Instant;

/**
 * Atlas refused to switch to the new key minutes after its policy granted Atlas's role access. A key
 * policy change can take up to five minutes to reach every KMS host, so the workflow retries
 * SwitchAtlasKey (bounded) until {@code graceEnds}; after that Atlas's refusal stands and the run
 * rolls back. Nothing was switched.
 */
public class AtlasKeyNotYetAccessibleException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final Instant graceEnds;

    public AtlasKeyNotYetAccessibleException(String projectId, String keyArn, Instant policyWrittenAt, Instant graceEnds,
            AtlasApiException cause) {
        super("Atlas refused key " + keyArn + " for project " + projectId + " (" + cause.getMessage() + "), "
                + "whose policy was written at " + policyWrittenAt + ". A key policy can take up to five minutes to"
                + " reach Atlas's role; the workflow retries until " + graceEnds + ", then rolls back if Atlas still"
                + " refuses. Atlas still uses the old key.", cause);
        this.graceEnds = graceEnds;
    }

    public Instant graceEnds() {
        return graceEnds;
    }
}
