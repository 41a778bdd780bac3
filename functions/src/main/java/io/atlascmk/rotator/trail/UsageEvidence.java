package io.atlascmk.rotator.trail;

import java.time.Instant;
import java.util.List;

/**
 * What CloudTrail says about a key's use over a period, or why it could not say.
 *
 * @param wantedFrom        the start of the period asked about (the key's retirement plus the settle time)
 * @param checkedFrom       the start of the period actually checked: later than {@code wantedFrom} when
 *                          CloudTrail's 90-day event history does not reach back that far; null when
 *                          unavailable
 * @param checkedTo         the end of the period checked; null when unavailable
 * @param uses              the uses found, newest first (at most {@value #MAX_USES}); empty when none
 * @param lookups           LookupEvents calls made
 * @param unavailableReason null when CloudTrail answered; otherwise why it could not be read
 */
public record UsageEvidence(Instant wantedFrom, Instant checkedFrom, Instant checkedTo, List<KeyUse> uses,
                            int lookups, String unavailableReason) {

    /** At most this many uses are kept for a report. */
    public static final int MAX_USES = 10;

    public UsageEvidence {
        uses = uses == null ? List.of() : List.copyOf(uses.subList(0, Math.min(uses.size(), MAX_USES)));
    }

    /** CloudTrail answered for the period. */
    public static UsageEvidence checked(Instant wantedFrom, Instant checkedFrom, Instant checkedTo, List<KeyUse> uses,
                                        int lookups) {
        return new UsageEvidence(wantedFrom, checkedFrom, checkedTo, uses, lookups, null);
    }

    /** CloudTrail could not be read; nothing can be concluded. */
    public static UsageEvidence unavailable(Instant wantedFrom, String reason, int lookups) {
        return new UsageEvidence(wantedFrom, null, null, List.of(), lookups, reason);
    }

    public boolean available() {
        return unavailableReason == null;
    }

    /** The period checked starts later than the period asked about (CloudTrail keeps 90 days). */
    public boolean periodShortened() {
        return available() && checkedFrom.isAfter(wantedFrom);
    }

    /** The newest use, or null when none was found. */
    public KeyUse lastUse() {
        return uses.isEmpty() ? null : uses.get(0);
    }

    /** One sentence for reports. */
    public String summary() {
        if (!available()) {
            return "CloudTrail could not be read (" + unavailableReason + ")";
        }
        String period = "CloudTrail checked from " + checkedFrom + " to " + checkedTo
                + (periodShortened() ? " (only the last 90 days are kept; the key was retired before " + wantedFrom + ")" : "");
        return period + ": " + (uses.isEmpty() ? "no use of the key" : uses.size() + " use(s), the last "
                + lastUse().describe());
    }
}
