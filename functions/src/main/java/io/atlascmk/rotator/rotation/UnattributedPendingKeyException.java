package io.atlascmk.rotator.rotation;

/**
 * A key of the project is tagged {@code pending} but names no rotation, so nobody can tell whether a
 * running rotation owns it. The rotator always tags both at once, so something else made it.
 */
public class UnattributedPendingKeyException extends RotationRefusedException {

    private static final long serialVersionUID = 1L;

    public UnattributedPendingKeyException(String projectId, String keyId) {
        super("Key " + keyId + " of project " + projectId + " is tagged pending but has no atlas-cmk-rotator:rotation tag, "
                + "so it may belong to a rotation still in progress; nothing was changed. If no rotation is running, tag it "
                + "atlas-cmk-rotator:state=abandoned (the audit then retires it safely), then run again.");
    }
}
