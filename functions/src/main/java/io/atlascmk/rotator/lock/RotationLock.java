package io.atlascmk.rotator.lock;

import java.util.Optional;

/**
 * One rotation per project at a time. Preflight {@linkplain #acquire takes} the project's lock for its
 * execution; every step that writes {@linkplain #confirm confirms} it still holds it right before it
 * writes; every end of the workflow {@linkplain #release releases} it. The lock carries a fencing token
 * that only grows, so a holder that lost the lock (taken over after its execution ended, or its lease
 * expired) finds out at its next confirm instead of writing on.
 */
public interface RotationLock {

    /**
     * Takes the project's lock for {@code holder} (an execution name, or {@code local-...} for a local run).
     * The holder's own lock is renewed (same token). A lock whose holder has ended, or, for a holder the
     * registry cannot see, whose lease has expired, is taken over with a new token, and the grant says
     * from whom.
     *
     * @throws LockHeldException while another holder runs
     */
    LockGrant acquire(String projectId, String holder);

    /**
     * Takes the project's lock for {@code holder} whoever holds it, with a new token: what the tripwire's Rescue
     * does before it cancels a deletion, because saving a key must never wait for a rotation, and a rotation
     * whose lock was seized finds out at its next confirm and writes nothing more. The grant names the holder it
     * took the lock from (null when it was free).
     */
    LockGrant seize(String projectId, String holder);

    /**
     * Proves that {@code grant} still holds the lock and renews its lease.
     *
     * @throws LockLostException when another holder (or a newer token) has it, or nobody does
     */
    void confirm(LockGrant grant);

    /** Gives the lock up; false when this grant no longer held it (released already, or taken over). */
    boolean release(LockGrant grant);

    /** The project's lock as stored (strongly consistent read); empty when the project never had one. */
    Optional<LockState> read(String projectId);

    /**
     * Frees a stuck lock by hand ({@code ./rotator unlock}) unless its holder still runs.
     *
     * @return the state it freed, or empty when nothing was held
     * @throws LockHeldException when the holder still runs (stop that execution first)
     */
    Optional<LockState> unlock(String projectId);
}
