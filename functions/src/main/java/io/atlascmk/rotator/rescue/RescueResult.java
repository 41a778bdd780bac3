package io.atlascmk.rotator.rescue;

import java.time.Instant;

/**
 * What the tripwire did for one refused call.
 *
 * @param outcome     {@link #RESCUED}, {@link #NOT_PENDING} (already cancelled: nothing to do),
 *                    {@link #NOT_OURS} (a key this system does not manage: left alone) or {@link #NEEDS_OPERATOR} (a
 *                    key of a project scheduled before keys carried a deployment tag: announced urgently, for an
 *                    operator to cancel)
 * @param keyArn      the key
 * @param projectId   the Atlas project whose ledger holds the key; null when it is not ours
 * @param caller      who tried to use the key
 * @param operation   what they tried
 * @param attemptedAt when
 * @param rescuedAt   when the deletion was cancelled; null unless rescued
 * @param lockTakenFrom the rotation whose project lock the rescue seized (that rotation writes nothing more and
 *                    ends failed, saying so); null when the project was not being rotated
 * @param lockNote    why the rescue went ahead without the project's lock (the lock table could not be reached);
 *                    null when it held the lock
 */
public record RescueResult(String outcome, String keyArn, String projectId, String caller, String operation,
                           Instant attemptedAt, Instant rescuedAt, String lockTakenFrom, String lockNote) {

    public static final String RESCUED = "rescued";
    public static final String NOT_PENDING = "not-pending";
    public static final String NOT_OURS = "not-ours";
    /** A key something needs, pending deletion, that this deployment may not rescue: an operator must cancel it. */
    public static final String NEEDS_OPERATOR = "needs-operator";
}
