package io.atlascmk.cli.evidence;

import io.atlascmk.cli.evidence.EvidenceReport.Audit;
import io.atlascmk.cli.evidence.EvidenceReport.Gap;
import io.atlascmk.cli.evidence.EvidenceReport.KeyDecision;
import io.atlascmk.cli.evidence.EvidenceReport.KeySpan;
import io.atlascmk.cli.evidence.EvidenceReport.LongestActive;
import io.atlascmk.cli.evidence.EvidenceReport.Period;
import io.atlascmk.cli.evidence.EvidenceReport.Policy;
import io.atlascmk.cli.evidence.EvidenceReport.ProjectEvidence;
import io.atlascmk.cli.evidence.EvidenceReport.Rotation;
import io.atlascmk.cli.evidence.EvidenceReport.Summary;
import io.atlascmk.cli.history.KeyHistory;
import io.atlascmk.cli.history.KeyHistory.KeyAudit;
import io.atlascmk.cli.history.ProjectHistory;
import io.atlascmk.cli.history.ProjectHistory.AuditRun;
import io.atlascmk.cli.history.ProjectHistory.Registration;
import io.atlascmk.cli.history.ProjectHistory.RotationRecord;
import io.atlascmk.cli.history.ProjectHistory.Unreadable;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Builds the {@link EvidenceReport} of a period from the projects' {@link ProjectHistory}. */
public final class EvidenceBuilder {

    private static final Pattern RATE = Pattern.compile("rate\\(([1-9]\\d*) (minute|minutes|hour|hours|day|days)\\)");
    private static final Set<String> ROTATION_OUTCOMES = Set.of("succeeded", "failed", "rolled-back", "material-rotated");
    /** Executions whose end runs AuditAndRetire: a stored audit is expected for them. */
    private static final Set<String> AUDITED_OUTCOMES = Set.of("succeeded", "audited");
    static final String YES = "yes";
    static final String NO = "no";
    static final String UNKNOWN = "unknown";

    private EvidenceBuilder() {
    }

    /** The report of {@code projects} over {@code period}, generated at {@code generatedAt}. */
    public static EvidenceReport report(Instant generatedAt, Period period, List<ProjectEvidence> projects) {
        int rotations = 0;
        int within = 0;
        int notWithin = 0;
        int gaps = 0;
        for (ProjectEvidence p : projects) {
            rotations += (int) p.rotations().stream().filter(r -> "rotation".equals(r.kind())).count();
            if (YES.equals(p.policy().withinPolicy())) {
                within++;
            } else if (NO.equals(p.policy().withinPolicy())) {
                notWithin++;
            }
            gaps += p.gaps().size();
        }
        return new EvidenceReport(generatedAt, period, new Summary(projects.size(), rotations, within, notWithin,
                projects.size() - within - notWithin, gaps), projects);
    }

    /** One project's evidence over {@code period}; {@code bucket} the evidence bucket read (null: none). */
    public static ProjectEvidence project(ProjectHistory history, Period period, String bucket) {
        List<Gap> gaps = new ArrayList<>();
        boolean bucketRead = true;
        for (String missing : history.missing()) {
            Gap gap = missingGap(missing);
            if ("bucket-not-given".equals(gap.kind()) || "unlistable".equals(gap.kind())) {
                bucketRead = false;
            }
            gaps.add(gap);
        }
        for (Unreadable u : history.unreadable()) {
            gaps.add(new Gap("unreadable", u.name(), u.source() + " " + u.name() + " could not be read: " + u.reason(),
                    "read it with the AWS CLI (aws s3api get-object, or the console) with the auditor's credentials; if"
                            + " it is damaged or was deleted, restore it from the bucket's versions or replica"));
        }

        List<Rotation> rotations = new ArrayList<>();
        for (RotationRecord r : history.rotations()) {
            Instant at = r.startedAt() != null ? r.startedAt() : r.at();
            if (!period.contains(at)) {
                continue;
            }
            String kind = ROTATION_OUTCOMES.contains(r.outcome()) ? "rotation"
                    : "audited".equals(r.outcome()) ? "sweep" : "rescue";
            List<String> notes = new ArrayList<>();
            AuditRun run = "rescue".equals(kind) ? null : history.audits().stream()
                    .filter(a -> a.rotationId() != null && a.rotationId().equals(r.rotationId())).findFirst().orElse(null);
            if (run == null && AUDITED_OUTCOMES.contains(r.outcome()) && bucketRead) {
                String expected = "s3://" + bucket + "/evidence/" + history.projectId() + "/" + r.rotationId()
                        + "/AuditAndRetire.json";
                boolean unreadable = history.unreadable().stream().anyMatch(u -> expected.equals(u.name()));
                String why = unreadable ? expected + " could not be read" : expected + " is not in the bucket";
                notes.add("no audit evidence: " + why);
                gaps.add(new Gap("no-audit-evidence", r.rotationId(), kind + " " + r.rotationId() + " ("
                        + r.outcome() + " at " + r.at() + ") has no readable audit evidence: " + why,
                        "look for the audit in the execution's history (Step Functions keeps 90 days: its"
                                + " AuditAndRetire step's output) or the bucket's versions; restore the object there"));
            }
            if ("rotation".equals(kind) || "sweep".equals(kind)) {
                List<String> unrecorded = new ArrayList<>();
                if (r.startedAt() == null) {
                    unrecorded.add("start");
                }
                if (r.trigger() == null) {
                    unrecorded.add("trigger");
                }
                if (!unrecorded.isEmpty()) {
                    String what = String.join(" and ", unrecorded);
                    notes.add(what + " not recorded in the archived event");
                    gaps.add(new Gap("not-recorded", r.rotationId(), kind + " " + r.rotationId() + ": its archived"
                            + " event does not record its " + what + (r.startedAt() == null
                            ? " (dated here by the event's time, its end)" : ""),
                            "the execution's start and input (its trigger) are in Step Functions' history for 90 days;"
                                    + " events archived before the workflow recorded them carry neither"));
                }
            }
            rotations.add(new Rotation(r.rotationId(), kind, r.outcome(), r.detailType(), r.startedAt(), r.at(),
                    r.trigger(), r.previousKey(), r.newKey(), r.error(), r.object(),
                    run == null ? null : audit(history, run), notes));
        }
        // audits stored with no archived event of their execution
        for (AuditRun run : history.audits()) {
            boolean hasEvent = history.rotations().stream().anyMatch(r -> run.rotationId().equals(r.rotationId())
                    && !"deletion-cancelled".equals(r.outcome()));
            if (hasEvent || !period.contains(run.auditedAt())) {
                continue;
            }
            gaps.add(new Gap("no-archived-event", run.rotationId(), "the audit of " + run.rotationId() + " (" + run.object()
                    + ") has no archived event: its trigger, outcome and keys are not known from the archive",
                    "find the execution in Step Functions' history (90 days) or CloudWatch Logs of the Record function;"
                            + " check that the Record rule is enabled and may write events/* in the bucket"));
            rotations.add(new Rotation(run.rotationId(), "audit-only", UNKNOWN, null, null, null, null, null, null, null,
                    null, audit(history, run), List.of("no archived event: outcome, trigger and keys not known")));
        }
        rotations.sort(Comparator.comparing(Rotation::at, Comparator.nullsLast(Comparator.naturalOrder())));

        List<KeySpan> keys = new ArrayList<>();
        for (KeyHistory k : history.keys()) {
            Instant end = k.destroyedAt();
            boolean alive = (k.createdAt() == null || k.createdAt().isBefore(period.to()))
                    && (end == null || !end.isBefore(period.from()));
            if (!alive) {
                continue;
            }
            keys.add(new KeySpan(k.keyId(), k.lifecycle(), k.createdBy(), k.adoptedBy(), k.createdAt(), k.activeSince(),
                    k.retiredAt(), k.deletionScheduledOn(), k.deletionDate(), k.rescuedAt()));
            if (k.ledgerState() == null && !(k.kmsState() == null && history.unreadable().stream()
                    .anyMatch(u -> k.keyId().equals(u.name())))) {
                gaps.add(noLedgerRecord(history, k));
            }
            if (bucketRead && k.createdBy() != null && (k.createdAt() == null || period.contains(k.createdAt()))
                    && history.rotations().stream().noneMatch(r -> k.createdBy().equals(r.rotationId()))) {
                gaps.add(new Gap("no-rotation-record", k.keyId(), "key " + k.keyId() + " was created by rotation "
                        + k.createdBy() + (k.createdAt() == null ? "" : " on " + k.createdAt())
                        + ", and the archive holds no event of that rotation",
                        "find the execution " + k.createdBy() + " in Step Functions' history (90 days); check the"
                                + " Record rule and its function's errors for that time; the key's tags (./rotator status)"
                                + " still say its state"));
            }
        }

        Policy policy = policy(history, period, gaps);
        List<String> notes = new ArrayList<>();
        if (rotations.isEmpty()) {
            notes.add(bucketRead ? "No rotation, sweep, rescue or audit of this project in the period."
                    : "No rotation shown: the archive of rotations was not read (see gaps), so none can be listed.");
        }
        return new ProjectEvidence(history.projectId(), history.region(), policy, rotations, keys, notes, gaps);
    }

    /**
     * A key the archive or an audit names whose state the project's ledger (its KMS tags) does not record: KMS no
     * longer has it (its tags went with it), or has it without the project's state tag.
     */
    private static Gap noLedgerRecord(ProjectHistory history, KeyHistory k) {
        List<String> namedBy = new ArrayList<>();
        for (RotationRecord r : history.rotations()) {
            if (k.keyId().equals(r.newKey())) {
                namedBy.add(r.rotationId() + " (new key)");
            } else if (k.keyId().equals(r.previousKey())) {
                namedBy.add(r.rotationId() + " (old key)");
            }
        }
        for (KeyAudit a : k.audits()) {
            namedBy.add("the audit " + a.object());
        }
        String named = namedBy.isEmpty() ? "" : ", named by " + String.join(", ", namedBy.stream().distinct().toList());
        if (KeyHistory.KMS_GONE.equals(k.kmsState())) {
            return new Gap("no-ledger-record", k.keyId(), "key " + k.keyId() + named + ", has no ledger record: KMS has"
                    + " no such key any more, and its tags (state, retired-at, rotation) went with it; what is shown of it"
                    + " comes from the archive and the audits only",
                    "expected for a key KMS deleted after its pending window (an audit above should have scheduled it);"
                            + " otherwise look for ScheduleKeyDeletion of it in CloudTrail (90 days) or the trail's bucket");
        }
        return new Gap("no-ledger-record", k.keyId(), "key " + k.keyId() + named + ", has no ledger record: KMS has it"
                + (k.kmsState() == null ? "" : " (" + k.kmsState() + ")") + " but without the project's "
                + "atlas-cmk-rotator:project and :state tags, so its state, retirement and deletion are not recorded there",
                "read its tags (aws kms list-resource-tags --key-id " + k.keyId() + ") and CloudTrail's UntagResource"
                        + " on it: someone removed or changed them; ./rotator claim-keys can tag a key back");
    }

    private static Audit audit(ProjectHistory history, AuditRun run) {
        List<KeyDecision> decisions = new ArrayList<>();
        for (KeyHistory k : history.keys()) {
            for (KeyAudit a : k.audits()) {
                if (run.object().equals(a.object())) {
                    boolean scheduled = "schedule-deletion".equals(a.decision());
                    decisions.add(new KeyDecision(k.keyId(), a.decision(), a.stateAfter(), a.reasons(), a.safeAfter(),
                            a.snapshotsByCluster(), a.snapshotsHoldingKey(), a.usage(),
                            scheduled ? a.auditedAt() : null, scheduled ? a.deletionDate() : null));
                }
            }
        }
        return new Audit(run.auditedAt(), run.auditedAtFrom(), run.object(), run.snapshotsAudited(),
                run.clustersAudited(), decisions);
    }

    // ------------------------------------------------------------------------------------------
    // Policy
    // ------------------------------------------------------------------------------------------

    private static Policy policy(ProjectHistory history, Period period, List<Gap> gaps) {
        Registration reg = history.registration();
        LongestActive longest = longestActive(history, period, gaps);
        if (reg == null) {
            return new Policy(null, null, null, null, "not known: the project's registration was not read", longest,
                    UNKNOWN, "The policy is the project's registered schedule; without its registration it cannot be judged.");
        }
        String schedule = reg.schedule();
        if ("key-material".equals(reg.method())) {
            return new Policy(schedule, reg.scheduleTimeZone(), reg.method(), null,
                    "not derived: method key-material (KMS rotates the key's material automatically, with no archived event)",
                    longest, UNKNOWN, "The key id stays while its material rotates; the material's rotations are in KMS"
                            + " (aws kms list-key-rotations --key-id KEY), not in this archive.");
        }
        if (schedule == null) {
            return new Policy(null, reg.scheduleTimeZone(), reg.method(), null,
                    "none: no schedule (rotated by Atlas's alert or by hand only)", longest, UNKNOWN,
                    "Without a schedule there is no interval to compare with.");
        }
        Optional<Duration> interval = interval(schedule);
        if (interval.isEmpty()) {
            return new Policy(schedule, reg.scheduleTimeZone(), reg.method(), null,
                    "cannot be derived from the cron schedule " + schedule + " (compare the longest active time with it by hand)",
                    longest, UNKNOWN, "A cron schedule names times, not an interval.");
        }
        double intervalDays = days(interval.get());
        String intervalText = format(intervalDays) + " days (" + schedule + ")";
        if (longest == null) {
            return new Policy(schedule, reg.scheduleTimeZone(), reg.method(), intervalDays, intervalText, null, UNKNOWN,
                    "No key is known to have been active in the period (see gaps).");
        }
        boolean within = Duration.between(longest.from(), longest.to()).compareTo(interval.get()) <= 0;
        List<String> startUnknown = gaps.stream().filter(g -> "active-since-unknown".equals(g.kind()))
                .map(Gap::subject).toList();
        if (within && !startUnknown.isEmpty()) {
            return new Policy(schedule, reg.scheduleTimeZone(), reg.method(), intervalDays, intervalText, longest, UNKNOWN,
                    "Of the keys whose start is known, " + longest.keyId() + " stayed active longest, "
                            + format(longest.days()) + " days, within the policy's " + format(intervalDays) + " days; but"
                            + " when " + String.join(", ", startUnknown) + " became active is not known (see gaps), so"
                            + " the period cannot be judged within the policy.");
        }
        return new Policy(schedule, reg.scheduleTimeZone(), reg.method(), intervalDays, intervalText, longest,
                within ? YES : NO, "Key " + longest.keyId() + " stayed active " + format(longest.days()) + " days"
                + (within ? ", within " : ", longer than ") + "the policy's " + format(intervalDays) + " days.");
    }

    /** The interval a {@code rate(N unit)} schedule stands for; empty for cron(...) and anything else. */
    static Optional<Duration> interval(String schedule) {
        Matcher m = RATE.matcher(schedule.trim());
        if (!m.matches()) {
            return Optional.empty();
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2);
        return Optional.of(unit.startsWith("day") ? Duration.ofDays(n)
                : unit.startsWith("hour") ? Duration.ofHours(n) : Duration.ofMinutes(n));
    }

    private static LongestActive longestActive(ProjectHistory history, Period period, List<Gap> gaps) {
        Instant periodEnd = history.readAt().isBefore(period.to()) ? history.readAt() : period.to();
        LongestActive longest = null;
        for (KeyHistory k : history.keys()) {
            if (k.abandoned()) {
                continue;
            }
            Instant end = k.retiredAt() != null ? k.retiredAt() : replacedAt(history, k).orElse(k.destroyedAt());
            if (k.activeSince() == null) {
                boolean wasActive = KeyHistory.ACTIVE.equals(k.lifecycle()) || k.retiredAt() != null
                        || replacedAt(history, k).isPresent();
                boolean inPeriod = (k.createdAt() == null || k.createdAt().isBefore(period.to()))
                        && (end == null || !end.isBefore(period.from()));
                if (wasActive && inPeriod) {
                    gaps.add(new Gap("active-since-unknown", k.keyId(), "key " + k.keyId() + " was active in the period,"
                            + " but when it became active is not known: it is not counted in the longest active time",
                            k.createdAt() == null ? "neither the ledger nor KMS knows the key any more (see its"
                                    + " no-ledger-record gap): find its creation and the rotation that made it Atlas's key"
                                    + " in CloudTrail (CreateKey) or Atlas's project activity"
                                    : "the rotation that made it active is missing from the archive (see the other gaps); its"
                                    + " creation date (" + k.createdAt() + ") is the earliest it can have been"));
                }
                continue;
            }
            if (!k.activeSince().isBefore(period.to()) || (end != null && end.isBefore(period.from()))) {
                continue;
            }
            Instant to;
            String until;
            if (end != null && !end.isAfter(periodEnd)) {
                to = end;
                until = k.retiredAt() != null || !end.equals(k.destroyedAt()) ? "retired" : "destroyed";
            } else {
                to = periodEnd;
                until = periodEnd.equals(history.readAt()) ? "still active" : "end of period";
            }
            if (to.isBefore(k.activeSince())) {
                continue;
            }
            double days = Math.round(days(Duration.between(k.activeSince(), to)) * 10) / 10.0;
            LongestActive candidate = new LongestActive(k.keyId(), k.activeSince(), to, until, days);
            if (longest == null || Duration.between(candidate.from(), candidate.to())
                    .compareTo(Duration.between(longest.from(), longest.to())) > 0) {
                longest = candidate;
            }
        }
        return longest;
    }

    /**
     * When a rotation replaced the key as Atlas's (its archived success naming it the old key): its retirement when the
     * ledger no longer says it (a key KMS deleted takes its retired-at tag with it).
     */
    private static Optional<Instant> replacedAt(ProjectHistory history, KeyHistory k) {
        return history.rotations().stream().filter(r -> "succeeded".equals(r.outcome()) && k.keyId().equals(r.previousKey()))
                .map(RotationRecord::at).filter(t -> t != null).min(Comparator.naturalOrder());
    }

    private static double days(Duration d) {
        return d.getSeconds() / 86_400.0;
    }

    /** Days with at most one decimal: 90, 30.5. */
    static String format(double days) {
        double rounded = Math.round(days * 10) / 10.0;
        return rounded == Math.rint(rounded) ? String.valueOf((long) rounded) : String.valueOf(rounded);
    }

    /** A source the history reader says was not given or not read, as a gap with what to do. */
    static Gap missingGap(String missing) {
        if (missing.startsWith("evidence bucket not given")) {
            return new Gap("bucket-not-given", "evidence bucket", missing,
                    "pass --evidence-bucket (the stack's EvidenceBucketName output) or set ROTATOR_EVIDENCE_BUCKET");
        }
        if (missing.startsWith("registry not given")) {
            return new Gap("registry-not-given", "registry", missing,
                    "pass --lock-table (the stack's LockTableName output) or set ROTATOR_LOCK_TABLE");
        }
        if (missing.startsWith("project not registered")) {
            return new Gap("not-registered", "registry", missing,
                    "register it (./rotator projects add) or pass the table of the deployment that rotates it");
        }
        if (missing.startsWith("the project's keys are in account")) {
            return new Gap("other-account", "ledger", missing,
                    "run the command with credentials of that account (its member role) to read the keys' tags");
        }
        if (missing.contains("could not be listed")) {
            return new Gap("unlistable", "evidence bucket", missing,
                    "the auditor's credentials need s3:ListBucket and s3:GetObject on the evidence bucket");
        }
        return new Gap("missing", "source", missing, "see the text");
    }
}
