package io.atlascmk.rotator.rotation;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What the audit decided for one retired or abandoned key.
 *
 * @param keyId        the key
 * @param state        its ledger state after the audit ({@code deletion-scheduled}, {@code retired},
 *                     {@code abandoned}); in a dry run, unchanged
 * @param decision     {@code schedule-deletion}: nothing needs it; {@code defer}: needed until
 *                     {@code safeAfter}; {@code refuse}: needed with no date in sight (see reasons)
 * @param safeAfter    for {@code defer}: the instant after which nothing known needs the key (written
 *                     to its {@code safe-after} tag); else null
 * @param deletionDate when KMS will delete the key (deletion scheduled); else null
 * @param reasons      why the key is kept, one sentence each; empty for {@code schedule-deletion}
 * @param evidence     per cluster, how many snapshots hold (or may hold) the key; clusters without
 *                     any are left out
 * @param usage        what CloudTrail said about the key's use since its retirement (the period checked
 *                     and the uses found), checked before any deletion; null when nothing else let the
 *                     key go, so its use was not asked
 * @param previousSafeAfter the {@code safe-after} date the key carried before this audit (what an earlier audit or
 *                     its retirement promised); null when it had none. Kept past it, the key is past its safe-after
 *                     date (the {@code RetiredKeysPastSafeAfter} metric)
 */
public record AuditedKey(
        String keyId,
        String state,
        String decision,
        Instant safeAfter,
        Instant deletionDate,
        List<String> reasons,
        Map<String, Integer> evidence,
        String usage,
        Instant previousSafeAfter) {

    public static final String SCHEDULE_DELETION = "schedule-deletion";
    public static final String DEFER = "defer";
    public static final String REFUSE = "refuse";

    /** The {@code safe-after} tag's date; null when absent or not a date (an unreadable promise is no promise). */
    public static Instant safeAfterTag(String tag) {
        if (tag == null) {
            return null;
        }
        try {
            return Instant.parse(tag);
        } catch (java.time.format.DateTimeParseException e) {
            return null;
        }
    }

    public AuditedKey {
        reasons = List.copyOf(reasons);
        evidence = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(evidence));
    }
}
