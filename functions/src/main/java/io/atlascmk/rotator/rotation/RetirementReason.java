package io.atlascmk.rotator.rotation;

import java.time.Instant;
import java.util.List;

/**
 * One reason a retired key is not (yet) deleted. Reasons about snapshots are aggregated per cluster,
 * so a cluster with hundreds of snapshots gives one reason, not hundreds.
 *
 * @param code        what kind of reason
 * @param clusterName the cluster it is about, or null for reasons about the key or Atlas's config
 * @param snapshots   how many snapshots the reason is about (0 when it is not about snapshots)
 * @param until       for deferring reasons: the instant after which this reason no longer holds
 * @param snapshotIds up to {@value #MAX_SNAPSHOT_IDS} of the snapshots concerned, for the operator
 * @param message     what was found and what the operator can do
 */
public record RetirementReason(
        Code code,
        String clusterName,
        int snapshots,
        Instant until,
        List<String> snapshotIds,
        String message) {

    /** At most this many snapshot ids are carried in a reason. */
    public static final int MAX_SNAPSHOT_IDS = 10;

    public RetirementReason {
        snapshotIds = snapshotIds == null ? List.of() : List.copyOf(snapshotIds);
    }

    /** Whether the reason refuses deletion outright or defers it to a known date. */
    public RetirementDecision.Verdict effect() {
        return code.effect();
    }

    public enum Code {
        /** The key carries no project tag or another project's: this system did not create or adopt it. */
        KEY_NOT_IN_PROJECT(RetirementDecision.Verdict.REFUSE),
        /** The key's ledger state is not {@code retired} or {@code abandoned}. */
        KEY_STATE_NOT_RETIRABLE(RetirementDecision.Verdict.REFUSE),
        /** Atlas's {@code customerMasterKeyID} names this key (as an id, ARN or mrk- id). */
        ATLAS_NAMES_KEY(RetirementDecision.Verdict.REFUSE),
        /** Atlas's {@code customerMasterKeyID} is not a key id or ARN, so it may be this key. */
        ATLAS_KEY_UNREADABLE(RetirementDecision.Verdict.REFUSE),
        /** A snapshot encrypted with the key has no {@code expiresAt}: it may be kept forever. */
        SNAPSHOT_WITHOUT_EXPIRY(RetirementDecision.Verdict.REFUSE),
        /** A snapshot with an unknown key, taken while this key may have been active, has no {@code expiresAt}. */
        UNKNOWN_KEY_SNAPSHOT_WITHOUT_EXPIRY(RetirementDecision.Verdict.REFUSE),
        /** A continuous-backup cluster's schedule gives no restore window, so its reach is unknown. */
        RESTORE_WINDOW_UNKNOWN(RetirementDecision.Verdict.REFUSE),
        /** Atlas did not say whether a cluster has continuous backup ({@code pitEnabled} missing). */
        CONTINUOUS_BACKUP_UNKNOWN(RetirementDecision.Verdict.REFUSE),
        /** An AWS-encrypted cluster is paused (or may be): its data is re-wrapped only when it resumes. */
        CLUSTER_PAUSED(RetirementDecision.Verdict.REFUSE),
        /** A cluster's snapshots name too many different keys to be told apart, so what they need is unknown. */
        SNAPSHOT_KEYS_UNCOUNTABLE(RetirementDecision.Verdict.REFUSE),
        /** A snapshot that may hold the key has no {@code createdAt}, so when it was taken is unknown. */
        SNAPSHOT_TIME_UNKNOWN(RetirementDecision.Verdict.REFUSE),
        /** A snapshot names a key nobody knows, was taken while this key may have been active, and never expires. */
        FOREIGN_KEY_SNAPSHOT_WITHOUT_EXPIRY(RetirementDecision.Verdict.REFUSE),
        /** A snapshot names a key nobody knows and was taken while this key may have been active; it expires. */
        FOREIGN_KEY_SNAPSHOT(RetirementDecision.Verdict.DEFER),
        /** The key was retired less than the minimum retirement age ago (or when is unknown). */
        MIN_RETIREMENT_AGE(RetirementDecision.Verdict.DEFER),
        /** CloudTrail shows the key used since its retirement: it stays a minimum retirement past the last use. */
        KEY_USED_SINCE_RETIREMENT(RetirementDecision.Verdict.DEFER),
        /** CloudTrail could not be read, so whether anything still uses the key is unknown. */
        USAGE_UNKNOWN(RetirementDecision.Verdict.REFUSE),
        /** An adopted key, and the project keeps adopted keys ({@code adoptedKeys: keep}). */
        ADOPTED_KEY_KEPT(RetirementDecision.Verdict.REFUSE),
        /** An adopted key another project, a grant or the key policy may still need, or that could not be checked. */
        ADOPTED_KEY_SHARED(RetirementDecision.Verdict.REFUSE),
        /** Snapshots encrypted with the key exist; they expire at known dates. */
        SNAPSHOT_HOLDS_KEY(RetirementDecision.Verdict.DEFER),
        /** Snapshots with an unknown key were taken while this key may have been active; they expire at known dates. */
        UNKNOWN_KEY_SNAPSHOT(RetirementDecision.Verdict.DEFER),
        /** A continuous-backup cluster can still restore to a moment the key was active. */
        RESTORE_WINDOW_COVERS_KEY(RetirementDecision.Verdict.DEFER),
        /** The key's retired-at is unknown, so a continuous-backup window is counted from now. */
        RETIRED_AT_UNKNOWN(RetirementDecision.Verdict.DEFER);

        private final RetirementDecision.Verdict effect;

        Code(RetirementDecision.Verdict effect) {
            this.effect = effect;
        }

        public RetirementDecision.Verdict effect() {
            return effect;
        }
    }
}
