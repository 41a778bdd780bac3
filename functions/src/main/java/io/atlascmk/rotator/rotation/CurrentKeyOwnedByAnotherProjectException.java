package io.atlascmk.rotator.rotation;

/**
 * The key Atlas uses belongs to another project's ledger. Adopting it would take it away from that
 * project, and retiring it later could delete a key the other project still uses.
 */
public class CurrentKeyOwnedByAnotherProjectException extends RotationRefusedException {

    private static final long serialVersionUID = 1L;

    public CurrentKeyOwnedByAnotherProjectException(String projectId, String keyId, String ownerProjectId) {
        super("Project " + projectId + " uses key " + keyId + ", which is tagged as project " + ownerProjectId
                + "'s key; nothing was changed. A key shared between projects cannot be rotated by one of them: give project "
                + projectId + " its own key in Atlas first, then run again.");
    }
}
