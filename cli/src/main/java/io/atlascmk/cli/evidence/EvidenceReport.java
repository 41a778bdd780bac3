package io.atlascmk.cli.evidence;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What {@code ./rotator evidence} reports for a period: per project, every rotation (and sweep, rescue, audit) in the
 * period with its audit's decisions and evidence, the project's keys, the longest time a key stayed active beside the
 * project's policy, and every record that is missing. Serialized as is by {@code --format json}: the field names are
 * the stable interface for auditors' scripts, and every field is written, null included.
 *
 * @param generatedAt when the sources were read
 * @param period      the period reported
 * @param summary     the counts at the top of the report
 * @param projects    one entry per project, by project id
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
@JsonPropertyOrder({"generatedAt", "period", "summary", "projects"})
public record EvidenceReport(Instant generatedAt, Period period, Summary summary, List<ProjectEvidence> projects) {

    public EvidenceReport {
        projects = List.copyOf(projects);
    }

    /**
     * The period: {@code from} inclusive, {@code to} exclusive.
     *
     * @param from          the first instant reported (inclusive)
     * @param fromInclusive always true
     * @param to            the first instant not reported (exclusive)
     * @param toInclusive   always false
     * @param text          the boundaries in words
     */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    @JsonPropertyOrder({"from", "fromInclusive", "to", "toInclusive", "text"})
    public record Period(Instant from, boolean fromInclusive, Instant to, boolean toInclusive, String text) {

        public static Period of(Instant from, Instant to) {
            return new Period(from, true, to, false, "from " + from + " (inclusive) to " + to + " (exclusive), UTC;"
                    + " a rotation belongs to the period by its start (else, when its start is not recorded, by its"
                    + " archived event's time), an audit by when it ran");
        }

        public boolean contains(Instant t) {
            return t != null && !t.isBefore(from) && t.isBefore(to);
        }
    }

    /**
     * @param projects         projects reported
     * @param rotations        rotations in the period (sweeps, rescues and audits without an event not counted)
     * @param withinPolicy     projects whose longest active key is within the policy interval
     * @param notWithinPolicy  projects whose longest active key exceeded it
     * @param policyUnknown    projects whose policy or longest active time cannot be judged
     * @param gaps             missing or unreadable records, all projects together
     */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Summary(int projects, int rotations, int withinPolicy, int notWithinPolicy, int policyUnknown, int gaps) {
    }

    /**
     * One project.
     *
     * @param projectId the Atlas project
     * @param region    where its ledger (KMS) was read
     * @param policy    its schedule, the interval it stands for, and the longest active key beside it
     * @param rotations every rotation, sweep, rescue and stored audit in the period, oldest first
     * @param keys      every key of the project alive at some time in the period, oldest first
     * @param notes     plain statements that are not gaps (e.g. no rotation in the period)
     * @param gaps      every record missing or unreadable (never silently omitted)
     */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    @JsonPropertyOrder({"projectId", "region", "policy", "rotations", "keys", "notes", "gaps"})
    public record ProjectEvidence(String projectId, String region, Policy policy, List<Rotation> rotations,
                                  List<KeySpan> keys, List<String> notes, List<Gap> gaps) {

        public ProjectEvidence {
            rotations = List.copyOf(rotations);
            keys = List.copyOf(keys);
            notes = List.copyOf(notes);
            gaps = List.copyOf(gaps);
        }
    }

    /**
     * The project's rotation policy and how the period measured up to it.
     *
     * @param schedule           the registered schedule (rate(...) or cron(...)); null when none or not known
     * @param scheduleTimeZone   its time zone; null: UTC
     * @param method             new-key or key-material; null: new-key (the default) or not known
     * @param intervalDays       the interval a rate(...) schedule stands for, in days; null when it cannot be derived
     * @param interval           the interval in words, or why it cannot be derived
     * @param longestActive      the key that stayed active longest in the period; null when none is known
     * @param withinPolicy       yes, no, or unknown
     * @param explanation        one sentence on the verdict
     */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    @JsonPropertyOrder({"schedule", "scheduleTimeZone", "method", "intervalDays", "interval", "longestActive",
            "withinPolicy", "explanation"})
    public record Policy(String schedule, String scheduleTimeZone, String method, Double intervalDays, String interval,
                         LongestActive longestActive, String withinPolicy, String explanation) {
    }

    /**
     * How long a key stayed active: from when Atlas started using it (even before the period: its age counts) to its
     * retirement, or the end of the period, or now, whichever came first.
     *
     * @param keyId the key
     * @param from  when it became active
     * @param to    until when it is counted
     * @param until why it ends there: retired, end of period, still active
     * @param days  the time in days (one decimal)
     */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record LongestActive(String keyId, Instant from, Instant to, String until, double days) {
    }

    /**
     * One execution (or stored audit) of the project in the period.
     *
     * @param rotationId   the execution's name
     * @param kind         rotation, sweep, rescue, or audit-only (an audit stored with no archived event)
     * @param outcome      succeeded, failed, rolled-back, material-rotated, audited, deletion-cancelled; unknown
     *                     when no event was archived
     * @param detailType   the archived event's detail-type; null when none
     * @param startedAt    when the execution started; null when its event does not record it
     * @param endedAt      the archived event's time (the execution's end); null when none
     * @param trigger      schedule, manual, alert, fleet, unspecified; null when not recorded
     * @param previousKey  the key Atlas used before (the old key)
     * @param newKey       the key the rotation created (for a rescue: the key saved)
     * @param error        the error of a failed rotation, or who used a rescued key
     * @param event        the archived event object; null when none
     * @param audit        the audit it ran, with every key's decision and evidence; null when none is stored
     * @param notes        what is missing about this one
     */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    @JsonPropertyOrder({"rotationId", "kind", "outcome", "detailType", "startedAt", "endedAt", "trigger", "previousKey",
            "newKey", "error", "event", "audit", "notes"})
    public record Rotation(String rotationId, String kind, String outcome, String detailType, Instant startedAt,
                           Instant endedAt, String trigger, String previousKey, String newKey, String error,
                           String event, Audit audit, List<String> notes) {

        public Rotation {
            notes = List.copyOf(notes);
        }

        /** When it belongs to a period: its start, else its event's time, else its audit's. */
        public Instant at() {
            return startedAt != null ? startedAt : endedAt != null ? endedAt : audit == null ? null : audit.auditedAt();
        }
    }

    /**
     * One stored audit.
     *
     * @param auditedAt        when it ran
     * @param auditedAtFrom    where that date comes from: evidence, event or stored (the object's LastModified)
     * @param object           the evidence object
     * @param snapshotsAudited snapshots read
     * @param clustersAudited  clusters read
     * @param keys             each key it judged
     */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Audit(Instant auditedAt, String auditedAtFrom, String object, int snapshotsAudited,
                        int clustersAudited, List<KeyDecision> keys) {

        public Audit {
            keys = List.copyOf(keys);
        }
    }

    /**
     * What an audit decided for one key, and its evidence.
     *
     * @param keyId               the key
     * @param decision            schedule-deletion, defer or refuse
     * @param stateAfter          its ledger state after the audit
     * @param reasons             why it was kept (or anything the audit noted)
     * @param safeAfter           for defer: until when something may need it
     * @param snapshotsByCluster  per cluster, the snapshots that held (or may have held) it
     * @param snapshotsHoldingKey their sum
     * @param usage               what CloudTrail said of its use; null when not asked
     * @param deletionScheduledOn for schedule-deletion: when (the audit's time)
     * @param deletionDate        for schedule-deletion: when KMS deletes it
     */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    @JsonPropertyOrder({"keyId", "decision", "stateAfter", "reasons", "safeAfter", "snapshotsByCluster",
            "snapshotsHoldingKey", "usage", "deletionScheduledOn", "deletionDate"})
    public record KeyDecision(String keyId, String decision, String stateAfter, List<String> reasons, Instant safeAfter,
                              Map<String, Integer> snapshotsByCluster, int snapshotsHoldingKey, String usage,
                              Instant deletionScheduledOn, Instant deletionDate) {
    }

    /**
     * One key of the project over its life.
     *
     * @param keyId               the key
     * @param lifecycle           its state now: pending, active, retired, deletion-scheduled, destroyed, abandoned
     * @param createdBy           the rotation that created it; null when adopted or unknown
     * @param adoptedBy           the rotation that adopted it (a key created outside the rotator)
     * @param createdAt           KMS's creation date; null when KMS no longer knows it
     * @param activeSince         when Atlas started using it; null when never or not known
     * @param retiredAt           when it was replaced
     * @param deletionScheduledOn when its deletion was scheduled
     * @param deletionDate        when KMS deletes (or deleted) it
     * @param rescuedAt           when the tripwire cancelled its deletion
     */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record KeySpan(String keyId, String lifecycle, String createdBy, String adoptedBy, Instant createdAt,
                          Instant activeSince, Instant retiredAt, Instant deletionScheduledOn, Instant deletionDate,
                          Instant rescuedAt) {
    }

    /**
     * A record that is missing or could not be read.
     *
     * @param kind    what is missing (see README, "Evidence for auditors"): bucket-not-given, registry-not-given,
     *                not-registered, other-account, unlistable, unreadable, no-rotation-record, no-audit-evidence,
     *                no-ledger-record, no-archived-event, not-recorded, active-since-unknown
     * @param subject what it concerns: a key, a rotation, an object, a source
     * @param text    what is missing, in words
     * @param action  what to do about it
     */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Gap(String kind, String subject, String text, String action) {
    }
}
