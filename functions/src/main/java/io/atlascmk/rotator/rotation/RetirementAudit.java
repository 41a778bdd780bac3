package io.atlascmk.rotator.rotation;

import io.atlascmk.rotator.atlas.AwsKms;
import io.atlascmk.rotator.kms.KeyService;
import io.atlascmk.rotator.kms.KeyState;
import io.atlascmk.rotator.kms.KeyTags;
import io.atlascmk.rotator.kms.ManagedKey;
import io.atlascmk.rotator.rotation.RetirementDecision.Verdict;
import io.atlascmk.rotator.trail.KeyUsageLog;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * The audit of one retired or abandoned key: the {@link RetirementPolicy} decision over a
 * {@link BackupSurvey}, and the ledger writes that carry it out. Shared by AuditAndRetire (which
 * applies it) and Preflight's dry-run plan (which only reports it).
 *
 * <p><b>Which keys.</b> Keys tagged {@code retired} or {@code abandoned}, and keys tagged
 * {@code deletion-scheduled} that KMS does not hold as {@code PendingDeletion} (a key already pending
 * deletion, whoever scheduled it, is left alone: KMS accepts no tag on it): the audit tags a key
 * {@code deletion-scheduled} <em>before</em> calling ScheduleKeyDeletion (KMS refuses tags on a key
 * pending deletion), so such a key is one whose audit was interrupted between the two; it is decided
 * again from scratch, as a retired key.
 *
 * <p><b>retired-at.</b> A key without a readable {@code retired-at} gets {@code retired-at} = now (a
 * later date than the true one, so every restore window is counted generously), so that the
 * continuous-backup deadline stops moving from one audit to the next.
 *
 * <p><b>Writes</b>, only when they differ from the tags: schedule-deletion: tag
 * {@code state=deletion-scheduled} (with {@code retired-at} when missing), then ScheduleKeyDeletion
 * with the pending window; defer: tag {@code safe-after} (with {@code retired-at} when missing, and
 * {@code state=retired} for an interrupted deletion); refuse: the same without {@code safe-after},
 * and a stale {@code safe-after} is removed. Keys are never disabled.
 */
final class RetirementAudit {

    private RetirementAudit() {
    }

    /** The decision for one key, before any write. */
    record KeyAudit(
            ManagedKey key,
            KeyState ledgerState,
            boolean interruptedDeletion,
            Instant retiredAtToStamp,
            Verdict verdict,
            Instant safeAfter,
            List<String> reasons,
            Map<String, Integer> evidence,
            String usage) {

        String decisionName() {
            return switch (verdict) {
                case SCHEDULE_DELETION -> AuditedKey.SCHEDULE_DELETION;
                case DEFER -> AuditedKey.DEFER;
                case REFUSE -> AuditedKey.REFUSE;
            };
        }
    }

    /** Whether the audit considers this key of the project. */
    static boolean isCandidate(ManagedKey key) {
        if ("PendingDeletion".equals(key.keyState())) {
            return false;
        }
        KeyState state = key.state();
        return state == KeyState.RETIRED || state == KeyState.ABANDONED || state == KeyState.DELETION_SCHEDULED;
    }

    /**
     * What the audits of one run share.
     *
     * @param projectKeys   every key of the project's ledger (any state): a snapshot naming one of them
     *                      needs that key, not the candidate
     * @param minRetirement how long a key stays retired before it may be deleted
     * @param settle        Atlas may still use a key this long after its retirement (re-wrapping)
     * @param usage         who used the key: asked only when nothing else keeps it
     * @param adoption      who else may need an adopted key: asked only when nothing else keeps it
     * @param willStamp     a missing retired-at will be written (not a dry run)
     */
    record Context(String projectId, AwsKms atlasKms, BackupSurvey survey, List<ManagedKey> projectKeys,
                   Duration minRetirement, Duration settle, KeyUsageLog usage,
                   Function<ManagedKey, AdoptionEvidence> adoption, Instant now, boolean willStamp) {
    }

    /**
     * When the key may have been active, as its decision will count it: from its creation to its
     * {@code retired-at} (or, without one, to {@code now} when the audit stamps it, else open). The backup
     * survey counts unknown-key snapshots inside these spans as it reads.
     */
    static SnapshotSummary.Span span(ManagedKey key, Instant now, boolean willStamp) {
        Instant retiredAt = RetirementInput.retiredAtTag(key);
        if (retiredAt == null && willStamp) {
            retiredAt = now;
        }
        return new SnapshotSummary.Span(key.createdAt(), retiredAt);
    }

    /** The spans of these candidates (see {@link #span}). */
    static List<SnapshotSummary.Span> spans(List<ManagedKey> candidates, Instant now, boolean willStamp) {
        return candidates.stream().map(k -> span(k, now, willStamp)).distinct().toList();
    }

    static KeyAudit evaluate(ManagedKey key, Context ctx) {
        String projectId = ctx.projectId();
        AwsKms atlasKms = ctx.atlasKms();
        BackupSurvey survey = ctx.survey();
        Instant now = ctx.now();
        boolean interrupted = key.state() == KeyState.DELETION_SCHEDULED;
        if (survey.incomplete() != null) {
            // Nothing is decided on a partial read: the key is kept, and nothing is asked or written for it.
            return new KeyAudit(key, key.state(), interrupted, null, Verdict.REFUSE, null,
                    List.of(survey.incomplete()), Map.of(), null);
        }
        ManagedKey view = key;
        if (interrupted) {
            Map<String, String> tags = new HashMap<>(key.tags());
            tags.put(KeyTags.STATE, KeyState.RETIRED.tagValue());
            view = new ManagedKey(key.keyId(), key.arn(), key.region(), key.keyState(), key.multiRegion(),
                    key.createdAt(), key.deletionDate(), tags);
        }
        Instant retiredAt = RetirementInput.retiredAtTag(view);
        Instant stamp = null;
        if (retiredAt == null && ctx.willStamp()) {
            stamp = now;
            retiredAt = now;
        }
        Set<String> known = new HashSet<>();
        for (ManagedKey k : ctx.projectKeys()) {
            known.add(k.keyId() != null ? k.keyId() : k.arn());
        }
        RetirementInput input = new RetirementInput(view, projectId, atlasKms, survey.clusters(), retiredAt, known,
                ctx.minRetirement(), null, null, now);
        RetirementDecision decision = RetirementPolicy.decide(input);
        if (decision.scheduleDeletion()) {
            // Nothing Atlas shows keeps the key: ask CloudTrail whether anything used it since, and decide again.
            input = input.withUsage(ctx.usage().usesSince(key.arn(), retiredAt.plus(ctx.settle())));
            decision = RetirementPolicy.decide(input);
        }
        if (decision.scheduleDeletion() && input.adopted()) {
            // A key the rotator adopted may be someone else's too: ask who else may need it, and decide again.
            decision = RetirementPolicy.decide(input.withAdoption(ctx.adoption().apply(view)));
        }

        List<String> reasons = new ArrayList<>();
        decision.reasons().forEach(r -> reasons.add(r.message()));
        Verdict verdict = decision.verdict();
        if (verdict == Verdict.SCHEDULE_DELETION && (!decision.usageChecked() || !decision.adoptedKeyChecked())) {
            throw new IllegalStateException("A deletion was decided without CloudTrail's evidence or, for an adopted"
                    + " key, without checking who else may need it: refusing to act on it.");
        }
        for (BackupSurvey.Unreadable cluster : survey.unreadableClusters()) {
            verdict = Verdict.REFUSE;
            reasons.add(cluster.reason());
        }
        Instant safeAfter = verdict == Verdict.DEFER ? decision.safeAfter() : null;

        Map<String, Integer> evidence = new LinkedHashMap<>();
        for (ClusterEvidence e : decision.evidence()) {
            int count = e.snapshotsHoldingKey() + e.snapshotsWithUnknownKey();
            if (count > 0) {
                evidence.put(e.clusterName(), count);
            }
        }
        String usageSummary = decision.usage() == null ? null : decision.usage().summary();
        return new KeyAudit(key, key.state(), interrupted, stamp, verdict, safeAfter, reasons, evidence, usageSummary);
    }

    /** Carries out the decision in the ledger and KMS; returns the key's report. */
    static AuditedKey apply(KeyAudit audit, KeyService keys, int pendingWindowDays) {
        ManagedKey key = audit.key();
        Map<String, String> tags = new LinkedHashMap<>();
        if (audit.retiredAtToStamp() != null) {
            tags.put(KeyTags.RETIRED_AT, audit.retiredAtToStamp().toString());
        }
        switch (audit.verdict()) {
            case SCHEDULE_DELETION -> {
                // Read the key once more right before deleting: a rescue (the tripwire) may have happened since this
                // audit read it, and a key something just needed is kept.
                ManagedKey fresh = keys.describe(key.arn());
                if (!Objects.equals(fresh.tag(KeyTags.RESCUED_AT), key.tag(KeyTags.RESCUED_AT))) {
                    return new AuditedKey(key.keyId(), fresh.tag(KeyTags.STATE), AuditedKey.REFUSE, null, null,
                            List.of("Key " + key.keyId() + " was rescued at " + fresh.tag(KeyTags.RESCUED_AT) + " (something"
                                    + " tried to use it) while this audit ran: kept; the next audit decides with that use."),
                            audit.evidence(), audit.usage(), AuditedKey.safeAfterTag(key.tag(KeyTags.SAFE_AFTER)));
                }
                if (audit.ledgerState() != KeyState.DELETION_SCHEDULED) {
                    tags.put(KeyTags.STATE, KeyState.DELETION_SCHEDULED.tagValue());
                }
                if (!tags.isEmpty()) {
                    keys.tag(key.arn(), tags);
                }
                Instant deletionDate = keys.scheduleDeletion(key.arn(), pendingWindowDays);
                return report(audit, KeyState.DELETION_SCHEDULED.tagValue(), deletionDate);
            }
            case DEFER -> {
                String safeAfter = audit.safeAfter().toString();
                if (!Objects.equals(key.tag(KeyTags.SAFE_AFTER), safeAfter)) {
                    tags.put(KeyTags.SAFE_AFTER, safeAfter);
                }
                String state = restoreInterrupted(audit, tags);
                if (!tags.isEmpty()) {
                    keys.tag(key.arn(), tags);
                }
                return report(audit, state, null);
            }
            default -> {
                String state = restoreInterrupted(audit, tags);
                if (!tags.isEmpty()) {
                    keys.tag(key.arn(), tags);
                }
                if (key.tag(KeyTags.SAFE_AFTER) != null) {
                    keys.untag(key.arn(), List.of(KeyTags.SAFE_AFTER));
                }
                return report(audit, state, null);
            }
        }
    }

    /** The report of a decision that is not carried out (dry run). */
    static AuditedKey report(KeyAudit audit) {
        return report(audit, audit.key().tag(KeyTags.STATE), null);
    }

    private static String restoreInterrupted(KeyAudit audit, Map<String, String> tags) {
        if (audit.interruptedDeletion()) {
            tags.put(KeyTags.STATE, KeyState.RETIRED.tagValue());
            return KeyState.RETIRED.tagValue();
        }
        return audit.key().tag(KeyTags.STATE);
    }

    private static AuditedKey report(KeyAudit audit, String state, Instant deletionDate) {
        return new AuditedKey(audit.key().keyId(), state, audit.decisionName(), audit.safeAfter(), deletionDate,
                audit.reasons(), audit.evidence(), audit.usage(),
                AuditedKey.safeAfterTag(audit.key().tag(KeyTags.SAFE_AFTER)));
    }
}
