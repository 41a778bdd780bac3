package io.atlascmk.cli.history;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One key of a project: what the ledger, KMS and the evidence say happened to it.
 *
 * @param keyId               the key id
 * @param arn                 its ARN; null when KMS no longer knows the key
 * @param ledgerState         its ledger tag (pending, active, retired, deletion-scheduled, abandoned); null when KMS no
 *                            longer knows the key or it carries none
 * @param kmsState            KMS's state (Enabled, PendingDeletion, ...); {@code Gone} when KMS says it has no such key
 * @param lifecycle           the state now, for people and colours: pending, active, retired, deletion-scheduled,
 *                            destroyed, abandoned
 * @param deployment          the deployment tag; null when none
 * @param createdBy           the rotation that created it (rotation tag); null when adopted or unknown
 * @param adoptedBy           the rotation that adopted it; null when created by a rotation
 * @param createdAt           KMS's creation date; null when KMS no longer knows the key
 * @param activeSince         when Atlas started using it (its rotation's success, else the retirement of the key it
 *                            replaced); null when never active or unknown
 * @param retiredAt           the retired-at tag
 * @param safeAfter           the safe-after tag (else the last audit's)
 * @param deletionScheduledOn when its deletion was scheduled (the audit that scheduled it); null when unknown or never
 * @param deletionDate        when KMS deletes (or deleted) it
 * @param rescuedAt           when the tripwire cancelled its deletion
 * @param rescuedFor          who tried to use it then (the caller CloudTrail recorded)
 * @param destroyedAt         when KMS deleted it (its deletion date, passed); null when not destroyed or unknown
 * @param destroyed           KMS says it is gone, or its deletion date has passed
 * @param abandoned           left by a rotation that was rolled back or given up
 * @param phases              its states over time, for the timeline's bars, oldest first
 * @param audits              each audit that judged it, oldest first
 * @param timeline            what happened to it, oldest first
 */
public record KeyHistory(
        String keyId,
        String arn,
        String ledgerState,
        String kmsState,
        String lifecycle,
        String deployment,
        String createdBy,
        String adoptedBy,
        Instant createdAt,
        Instant activeSince,
        Instant retiredAt,
        Instant safeAfter,
        Instant deletionScheduledOn,
        Instant deletionDate,
        Instant rescuedAt,
        String rescuedFor,
        Instant destroyedAt,
        boolean destroyed,
        boolean abandoned,
        List<Phase> phases,
        List<KeyAudit> audits,
        List<ProjectHistory.Event> timeline) {

    public static final String PENDING = "pending";
    public static final String ACTIVE = "active";
    public static final String RETIRED = "retired";
    public static final String DELETION_SCHEDULED = "deletion-scheduled";
    public static final String DESTROYED = "destroyed";
    public static final String ABANDONED = "abandoned";
    /** A phase no source can name: a key KMS no longer has, whose tags went with it, before it was destroyed. */
    public static final String UNKNOWN = "unknown";
    /** KMS's answer for a key it does not know (any more). */
    public static final String KMS_GONE = "Gone";

    public KeyHistory {
        phases = List.copyOf(phases);
        audits = List.copyOf(audits);
        timeline = List.copyOf(timeline);
    }

    /**
     * One state of the key over a period.
     *
     * @param state one of the lifecycle states
     * @param from  start; null when unknown
     * @param to    end; null while it lasts
     */
    public record Phase(String state, Instant from, Instant to) {
    }

    /**
     * What one audit decided for the key and the evidence it used.
     *
     * @param rotationId          the rotation (or sweep) whose audit it was
     * @param auditedAt           when (see {@link ProjectHistory.AuditRun#auditedAt()})
     * @param decision            schedule-deletion, defer or refuse
     * @param stateAfter          the key's ledger state after the audit
     * @param safeAfter           for defer: until when it is needed
     * @param deletionDate        for schedule-deletion: when KMS deletes it
     * @param reasons             why it was kept
     * @param snapshotsByCluster  per cluster, the snapshots that held (or may have held) it
     * @param snapshotsHoldingKey their sum
     * @param usage               what CloudTrail said of its use; null when not asked
     * @param object              the bucket object
     */
    public record KeyAudit(String rotationId, Instant auditedAt, String decision, String stateAfter, Instant safeAfter,
                           Instant deletionDate, List<String> reasons, Map<String, Integer> snapshotsByCluster,
                           int snapshotsHoldingKey, String usage, String object) {

        public KeyAudit {
            reasons = List.copyOf(reasons);
            snapshotsByCluster = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(snapshotsByCluster));
        }
    }
}
