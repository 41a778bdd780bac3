package io.atlascmk.rotator.lock;

/** The project's lock is held by another rotation that still runs; nothing was changed. */
public class LockHeldException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient LockState state;

    public LockHeldException(LockState state, String what) {
        super("Project " + state.projectId() + " is locked by " + state.holder() + " (since " + state.acquiredAt()
                + ", lease until " + state.leaseExpiresAt() + "): " + what);
        this.state = state;
    }

    public LockState state() {
        return state;
    }
}
