package io.atlascmk.rotator.lock;

/**
 * A step's execution no longer holds its project's lock (another holder took it over, or it was
 * unlocked by hand): the step wrote nothing. Another rotation may now be changing the project; check
 * it before starting a new one.
 */
public class LockLostException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public LockLostException(LockGrant grant, LockState now) {
        super("Rotation " + grant.holder() + " no longer holds the lock of project " + grant.projectId() + " (token "
                + grant.token() + "): " + (now == null || !now.held() ? "nobody holds it now"
                : "it is held by " + now.holder() + " with token " + now.token() + " since " + now.acquiredAt())
                + ". Nothing was written by this step; the rotation stops here. See the project's state with"
                + " `./rotator status` before starting again.");
    }
}
