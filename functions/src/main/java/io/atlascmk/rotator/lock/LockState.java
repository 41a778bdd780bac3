package io.atlascmk.rotator.lock;

import java.time.Instant;

/**
 * The stored lock of a project.
 *
 * @param projectId      the project
 * @param holder         who holds it; null when free
 * @param token          the latest fencing token issued (kept when released, so tokens only grow)
 * @param acquiredAt     when the current (or last) holder took it
 * @param leaseExpiresAt until when the holder holds it without a confirm; null when free
 */
public record LockState(String projectId, String holder, long token, Instant acquiredAt, Instant leaseExpiresAt) {

    public boolean held() {
        return holder != null;
    }
}
