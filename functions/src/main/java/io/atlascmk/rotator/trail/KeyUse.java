package io.atlascmk.rotator.trail;

import java.time.Instant;

/**
 * One call that used (or tried to use) a KMS key, as CloudTrail recorded it.
 *
 * @param eventName  the KMS operation, e.g. {@code Decrypt}
 * @param principal  who called: the IAM principal's ARN, else CloudTrail's user name
 * @param at         when
 * @param errorCode  null when KMS served the call; the error when it refused it (a refused use still
 *                   shows that something needs the key)
 */
public record KeyUse(String eventName, String principal, Instant at, String errorCode) {

    /** One line for reports: {@code Decrypt by arn:... at 2026-...}. */
    public String describe() {
        return eventName + " by " + principal + " at " + at + (errorCode == null ? "" : " (refused: " + errorCode + ")");
    }
}
