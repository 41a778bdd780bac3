package io.atlascmk.rotator.rotation;

/**
 * Output of Rollback, stored by the workflow at {@code $.rollback}.
 *
 * @param atlasKeyId     what Atlas names after the rollback (normally the old key)
 * @param abandonedKeyId the new key; tagged {@code abandoned} (the audit retires it) once {@code status} is done
 * @param switchedBack   true when this call sent the PATCH back to the old key
 * @param status         {@code done} (Atlas is back on a valid old key, every AWS-encrypted cluster is IDLE, the
 *                       new key is abandoned) or {@code waiting} (check again after {@code waitSeconds})
 * @param attempt        the attempt number the next check carries
 * @param waitSeconds    how long the workflow waits before the next check
 * @param message        one line on where the rollback stands
 */
public record RollbackResult(String atlasKeyId, String abandonedKeyId, boolean switchedBack, String status,
        int attempt, int waitSeconds, String message) {

    public static final String DONE = "done";
    public static final String WAITING = "waiting";

    /** The wait between two checks of a rollback. */
    public static final int WAIT_SECONDS = 60;
}
