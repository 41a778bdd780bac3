package io.atlascmk.cli.history;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * What is known of one project's keys, from the three places that keep it: the ledger (the keys' KMS tags and
 * states), the registry (the project's schedule and settings) and the evidence bucket (each audit's whole result and
 * the archived events of every rotation). Serialized as is by {@code ./rotator status --format json}: the field names
 * are the stable interface for scripts.
 *
 * @param projectId    the Atlas project
 * @param region       the region whose KMS was read
 * @param readAt       when the sources were read ("now" of the timeline)
 * @param registration the project's registration; null when not registered or the registry was not read
 * @param keys         every key of the project, oldest first: those in the ledger, and those known only from the
 *                     evidence (gone from KMS)
 * @param rotations    the rotation events archived for the project, oldest first
 * @param audits       the audits stored for the project, oldest first
 * @param missing      each source that was not given or not read, said plainly (what is not shown because of it)
 * @param unreadable   each object or item that could not be read, by name: never skipped silently
 */
public record ProjectHistory(
        String projectId,
        String region,
        Instant readAt,
        Registration registration,
        List<KeyHistory> keys,
        List<RotationRecord> rotations,
        List<AuditRun> audits,
        List<String> missing,
        List<Unreadable> unreadable) {

    public ProjectHistory {
        keys = List.copyOf(keys);
        rotations = List.copyOf(rotations);
        audits = List.copyOf(audits);
        missing = List.copyOf(missing);
        unreadable = List.copyOf(unreadable);
    }

    /**
     * The project's registration in the registry.
     *
     * @param schedule          rate(...)/cron(...); null: rotated by alert or by hand only
     * @param scheduleTimeZone  the schedule's time zone; null: UTC
     * @param method            new-key or key-material; null: the default (new-key)
     * @param pendingWindowDays the KMS pending window of deletions; null: the deployment's default
     * @param minRetirementDays no deletion sooner after retirement; null: the deployment's default
     * @param source            config or cli
     * @param updatedAt         when the registration was last written
     */
    public record Registration(String schedule, String scheduleTimeZone, String method, Integer pendingWindowDays,
                               Integer minRetirementDays, String source, Instant updatedAt) {
    }

    /**
     * One rotation event as the {@code Record} function archived it ({@code events/<project>/...}).
     *
     * @param rotationId  the execution's name
     * @param detailType  the event's detail-type (Rotation Succeeded, Rotation Failed, ...)
     * @param outcome     succeeded, failed, rolled-back, material-rotated, audited, deletion-cancelled
     * @param at          the event's time
     * @param startedAt   when the execution started; null when the event does not carry it
     * @param trigger     schedule, manual, alert, fleet or unspecified; null when the event does not carry it
     * @param previousKey the key Atlas used before; null when not carried
     * @param newKey      the key the rotation created (or, for Key Material Rotated and Key Deletion Cancelled, the
     *                    key concerned); null when not carried
     * @param error       the error of a failed rotation; null otherwise
     * @param object      the bucket object it was read from
     */
    public record RotationRecord(String rotationId, String detailType, String outcome, Instant at, Instant startedAt,
                                 String trigger, String previousKey, String newKey, String error, String object) {

        /** One sentence: the rotation, how it ended, its trigger and keys. */
        public String text() {
            StringBuilder b = new StringBuilder("rotation ").append(rotationId).append(' ').append(outcome);
            if (trigger != null) {
                b.append(" (trigger ").append(trigger).append(')');
            }
            if (startedAt != null) {
                b.append(", started ").append(startedAt);
            }
            if (previousKey != null && newKey != null) {
                b.append(": ").append(previousKey).append(" -> ").append(newKey);
            } else if (newKey != null) {
                b.append(": key ").append(newKey);
            }
            if (error != null) {
                b.append(": ").append(error);
            }
            return b.toString();
        }
    }

    /**
     * One stored audit ({@code evidence/<project>/<rotation>/AuditAndRetire.json}).
     *
     * @param rotationId       the rotation (or sweep) that ran it
     * @param auditedAt        when it ran; null when neither the object nor an event dates it
     * @param auditedAtFrom    where that date comes from: {@code evidence} (the object's auditedAt), {@code event}
     *                         (the rotation's archived event) or {@code stored} (the object's LastModified)
     * @param snapshotsAudited snapshots read
     * @param clustersAudited  clusters read
     * @param keysAudited      keys judged
     * @param object           the bucket object
     */
    public record AuditRun(String rotationId, Instant auditedAt, String auditedAtFrom, int snapshotsAudited,
                           int clustersAudited, int keysAudited, String object) {
    }

    /** An object (or registry item) that could not be read, and why. */
    public record Unreadable(String source, String name, String reason) {
    }

    /** One line of a project's timeline: what happened, when, to which key (null: the project). */
    public record Event(Instant at, String keyId, String kind, String text) {
    }

    /** Every key's events and the rotations' events in one chronological list (undated ones last). */
    public List<Event> timeline() {
        List<Event> all = new ArrayList<>();
        keys.forEach(k -> all.addAll(k.timeline()));
        for (RotationRecord r : rotations) {
            if (!"audited".equals(r.outcome()) && !"deletion-cancelled".equals(r.outcome())) {
                all.add(new Event(r.at(), null, "rotation-" + r.outcome(), r.text()));
            }
        }
        all.sort(Comparator.comparing(Event::at, Comparator.nullsLast(Comparator.naturalOrder())));
        return all;
    }
}
