package io.atlascmk.rotator.lock;

import java.time.Instant;

/**
 * A held lock, as the workflow carries it from Preflight to every step that writes ({@code $.run.lock}).
 *
 * @param projectId      the project locked
 * @param holder         the execution (or local run) holding it
 * @param token          the fencing token: grows with every new holder, never reused
 * @param leaseExpiresAt until when the lock is held without a confirm
 * @param takenOverFrom  the holder this grant took the lock from (its execution had ended or its lease
 *                       had expired); null when the lock was free or already this holder's
 */
public record LockGrant(String projectId, String holder, long token, Instant leaseExpiresAt, String takenOverFrom) {
}
