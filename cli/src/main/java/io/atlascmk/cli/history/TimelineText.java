package io.atlascmk.cli.history;

import io.atlascmk.cli.history.ProjectHistory.Event;
import io.atlascmk.cli.history.ProjectHistory.Registration;
import io.atlascmk.cli.history.ProjectHistory.Unreadable;
import java.io.PrintWriter;
import java.time.Instant;

/** A {@link ProjectHistory} as lines for a terminal: its keys, its sources, and its timeline, oldest first. */
public final class TimelineText {

    /** The date column's text for an event whose date no source gives. */
    static final String NO_DATE = "(date unknown)      ";

    private TimelineText() {
    }

    public static void print(PrintWriter out, ProjectHistory h) {
        out.println("Keys of project " + h.projectId() + " (oldest first):");
        if (h.keys().isEmpty()) {
            out.println("  none: the project has not been rotated (or adopted) yet, or these credentials cannot read its keys' tags.");
        }
        for (KeyHistory k : h.keys()) {
            boolean inKms = !KeyHistory.KMS_GONE.equals(k.kmsState());
            out.printf("  %s  %-18s KMS %-15s created %s%s%s%s%s%s%s%n", k.keyId(),
                    k.ledgerState() != null ? k.ledgerState() : k.destroyed() ? "destroyed" : "(not in ledger)", k.kmsState(),
                    k.createdAt() == null ? "(date unknown)" : k.createdAt(),
                    k.deployment() == null ? (k.ledgerState() != null ? " (no deployment tag: ./rotator claim-keys)" : "")
                            : " deployment " + k.deployment(),
                    suffix(" rotation ", k.createdBy()), suffix(" adopted-by ", k.adoptedBy()),
                    suffix(" retired-at ", k.retiredAt()), suffix(" safe-after ", k.safeAfter()),
                    deletion(k, inKms));
        }
        Registration r = h.registration();
        if (r != null) {
            out.println("Registered: " + (r.schedule() == null ? "alert/manual only" : "schedule " + r.schedule()
                    + (r.scheduleTimeZone() == null ? "" : " " + r.scheduleTimeZone()))
                    + ", method " + (r.method() == null ? "new-key (default)" : r.method())
                    + ", pending window " + days(r.pendingWindowDays()) + ", min retirement " + days(r.minRetirementDays())
                    + " (source " + r.source() + ")");
        }
        for (String m : h.missing()) {
            out.println("Note: " + m);
        }
        for (Unreadable u : h.unreadable()) {
            out.println("Unreadable (" + u.source() + "): " + u.name() + ": " + u.reason());
        }
        out.println("Timeline of project " + h.projectId() + " (region " + h.region() + ", read at " + h.readAt() + "):");
        var events = h.timeline();
        if (events.isEmpty()) {
            out.println("  nothing yet");
        }
        for (Event e : events) {
            out.println("  " + date(e.at()) + "  " + (e.keyId() == null ? "project" : e.keyId()) + "  " + e.text());
        }
    }

    /** The key's deletion date while KMS still has it; once the tripwire cancelled it, when that was. */
    private static String deletion(KeyHistory k, boolean inKms) {
        if (k.deletionDate() == null || !inKms) {
            return "";
        }
        boolean pending = "PendingDeletion".equals(k.kmsState());
        if (k.rescuedAt() != null && !pending) {
            return " deletion (was on " + k.deletionDate() + ") cancelled " + k.rescuedAt() + " by the tripwire";
        }
        return " deletion on " + k.deletionDate();
    }

    static String date(Instant at) {
        return at == null ? NO_DATE : at.toString();
    }

    private static String days(Integer days) {
        return days == null ? "default" : days + " days";
    }

    private static String suffix(String label, Object value) {
        return value == null ? "" : label + value;
    }
}
