package io.atlascmk.rotator.rotation;

import io.atlascmk.rotator.trail.UsageEvidence;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The outcome of {@link RetirementPolicy#decide}: whether to schedule a key's deletion, and why.
 *
 * @param verdict   what to do with the key
 * @param keyId     the candidate's normalised key id
 * @param safeAfter for {@link Verdict#DEFER} only: the instant after which, as far as is known now,
 *                  nothing needs the key any more (to be written to its {@code safe-after} tag);
 *                  null otherwise
 * @param reasons   every reason that keeps the key; empty for {@link Verdict#SCHEDULE_DELETION}
 * @param evidence  per cluster, the snapshots that hold (or may hold) the key, whatever the verdict
 * @param anomalies snapshots naming a key that neither the project's ledger nor Atlas's configuration
 *                  knows (at most {@value #MAX_ANOMALIES})
 * @param usage     CloudTrail's evidence the decision used; null when it was not asked
 * @param adoptedKeyChecked for a key this system adopted: whether who else may need it was checked
 */
public record RetirementDecision(
        Verdict verdict,
        String keyId,
        Instant safeAfter,
        List<RetirementReason> reasons,
        List<ClusterEvidence> evidence,
        List<Anomaly> anomalies,
        UsageEvidence usage,
        boolean adoptedKeyChecked) {

    /** At most this many anomalies are carried in a decision. */
    public static final int MAX_ANOMALIES = 20;

    /** A snapshot that names a key nobody knows. */
    public record Anomaly(String snapshotId, String clusterName, String unknownKeyId) {
    }

    public enum Verdict {
        /** Nothing needs the key: schedule its deletion (the KMS pending window still allows a cancel). */
        SCHEDULE_DELETION,
        /** Something needs the key until a known instant ({@code safeAfter}); keep it enabled until then. */
        DEFER,
        /** The key must not be deleted and no date can be promised; keep it enabled. */
        REFUSE
    }

    public RetirementDecision {
        reasons = List.copyOf(reasons);
        evidence = List.copyOf(evidence);
        anomalies = anomalies == null ? List.of() : List.copyOf(anomalies);
        if ((verdict == Verdict.DEFER) != (safeAfter != null)) {
            throw new IllegalArgumentException("safeAfter is given exactly when the verdict is DEFER (verdict " + verdict + ").");
        }
        if ((verdict == Verdict.SCHEDULE_DELETION) != reasons.isEmpty()) {
            throw new IllegalArgumentException("A key is scheduled for deletion exactly when nothing keeps it.");
        }
    }

    public boolean scheduleDeletion() {
        return verdict == Verdict.SCHEDULE_DELETION;
    }

    /** CloudTrail was read for the key's use since its retirement. A deletion is scheduled only then. */
    public boolean usageChecked() {
        return usage != null && usage.available();
    }

    /** Snapshots, over every cluster, whose {@code masterKeyUUID} names the key. */
    public int snapshotsHoldingKey() {
        return evidence.stream().mapToInt(ClusterEvidence::snapshotsHoldingKey).sum();
    }

    /** Whether one of the reasons has this code. */
    public boolean hasReason(RetirementReason.Code code) {
        return reasons.stream().anyMatch(r -> r.code() == code);
    }

    /** One line for logs and notifications. */
    public String summary() {
        return switch (verdict) {
            case SCHEDULE_DELETION -> "Key " + keyId + ": no snapshot, restore window or Atlas configuration needs it; scheduling deletion.";
            case DEFER -> "Key " + keyId + ": kept enabled until after " + safeAfter + ": "
                    + reasons.stream().map(RetirementReason::message).collect(Collectors.joining(" "));
            case REFUSE -> "Key " + keyId + ": never deleted while this holds: "
                    + reasons.stream().map(RetirementReason::message).collect(Collectors.joining(" "));
        };
    }
}
