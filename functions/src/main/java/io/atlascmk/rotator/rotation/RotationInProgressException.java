package io.atlascmk.rotator.rotation;

/** Another rotation of the same project is still running (design §4 rule 4); {@code force} does not override it. */
public class RotationInProgressException extends RotationRefusedException {

    private static final long serialVersionUID = 1L;

    private final String runningRotationId;

    public RotationInProgressException(String projectId, String runningRotationId, String pendingKeyId) {
        super("Project " + projectId + " is being rotated by " + runningRotationId + " (its new key " + pendingKeyId
                + " is still pending), and only one rotation per project may run at a time; nothing was changed. Wait for "
                + "that execution to finish, or stop it, then run again.");
        this.runningRotationId = runningRotationId;
    }

    public String runningRotationId() {
        return runningRotationId;
    }
}
