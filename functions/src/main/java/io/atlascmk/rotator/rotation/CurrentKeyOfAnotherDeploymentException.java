package io.atlascmk.rotator.rotation;

/**
 * The key Atlas uses carries another deployment's tag: another stack of the rotator rotates this project (or once
 * did). Two deployments rotating one project would each retire and delete the other's keys, and this deployment's
 * IAM may not change that key anyway.
 */
public class CurrentKeyOfAnotherDeploymentException extends RotationRefusedException {

    private static final long serialVersionUID = 1L;

    public CurrentKeyOfAnotherDeploymentException(String projectId, String keyId, String owner, String deployment) {
        super("Project " + projectId + " uses key " + keyId + ", which deployment " + owner + " manages (its "
                + "atlas-cmk-rotator:deployment tag); this is deployment " + deployment + ", so nothing was changed."
                + " Rotate the project from " + owner + ", or, if that deployment is gone, hand its keys to this one with"
                + " './rotator claim-keys --deployment " + deployment + " --from " + owner + " --project " + projectId
                + "' and run again.");
    }
}
