package io.atlascmk.sandbox.atlas;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * One item of a cluster's Cloud Backup policy: how often a snapshot is taken and how long it is kept,
 * in Atlas's terms ({@code frequencyType}, {@code frequencyInterval}, {@code retentionUnit},
 * {@code retentionValue}).
 *
 * <p>In the simulator every item ticks from the cluster's backup anchor: hourly items every
 * {@code frequencyInterval} hours, daily items every {@code frequencyInterval} days, weekly items every 7
 * days, monthly items every calendar month, yearly items every year. (Atlas pins weekly and monthly
 * snapshots to a day of the week or month; the simulator keeps them on the anchor's rhythm so that ticks
 * of different items coincide, as Atlas's do.) Ticks of several items at one instant make one snapshot,
 * kept as long as the longest of them.
 */
public record BackupPolicyItem(Frequency frequency, int frequencyInterval, RetentionUnit retentionUnit, int retentionValue) {

    public enum Frequency {
        HOURLY, DAILY, WEEKLY, MONTHLY, YEARLY;

        /** As Atlas spells it in schedules and snapshots: {@code hourly}, {@code daily}, ... */
        public String atlasName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public enum RetentionUnit {
        DAYS, WEEKS, MONTHS, YEARS;

        public String atlasName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private static final List<Integer> HOURLY_INTERVALS = List.of(1, 2, 4, 6, 8, 12);

    public BackupPolicyItem {
        Objects.requireNonNull(frequency, "frequency");
        Objects.requireNonNull(retentionUnit, "retentionUnit");
        if (frequency == Frequency.HOURLY && !HOURLY_INTERVALS.contains(frequencyInterval)) {
            throw new IllegalArgumentException("Hourly snapshots are taken every 1, 2, 4, 6, 8 or 12 hours; got " + frequencyInterval + ".");
        }
        if (frequencyInterval < 1) {
            throw new IllegalArgumentException("frequencyInterval must be 1 or more; got " + frequencyInterval + ".");
        }
        if (retentionValue < 1) {
            throw new IllegalArgumentException("retentionValue must be 1 or more; got " + retentionValue + ".");
        }
    }

    public static BackupPolicyItem hourly(int everyHours, int retentionDays) {
        return new BackupPolicyItem(Frequency.HOURLY, everyHours, RetentionUnit.DAYS, retentionDays);
    }

    public static BackupPolicyItem daily(int retentionDays) {
        return new BackupPolicyItem(Frequency.DAILY, 1, RetentionUnit.DAYS, retentionDays);
    }

    public static BackupPolicyItem weekly(int retentionWeeks) {
        return new BackupPolicyItem(Frequency.WEEKLY, 6, RetentionUnit.WEEKS, retentionWeeks);
    }

    public static BackupPolicyItem monthly(int retentionMonths) {
        return new BackupPolicyItem(Frequency.MONTHLY, 40, RetentionUnit.MONTHS, retentionMonths);
    }

    public static BackupPolicyItem yearly(int retentionYears) {
        return new BackupPolicyItem(Frequency.YEARLY, 12, RetentionUnit.YEARS, retentionYears);
    }

    /** Atlas's default policy: every 6 hours kept 2 days, daily kept 7 days, weekly kept 4 weeks, monthly kept 12 months. */
    public static List<BackupPolicyItem> atlasDefault() {
        return List.of(hourly(6, 2), daily(7), weekly(4), monthly(12));
    }

    /** The k-th tick (k >= 1) after the anchor. */
    Instant tick(Instant anchor, long k) {
        switch (frequency) {
            case HOURLY: return anchor.plus(Duration.ofHours((long) frequencyInterval * k));
            case DAILY: return anchor.plus(Duration.ofDays((long) frequencyInterval * k));
            case WEEKLY: return anchor.plus(Duration.ofDays(7L * k));
            case MONTHLY: return anchor.atOffset(ZoneOffset.UTC).plusMonths(k).toInstant();
            default: return anchor.atOffset(ZoneOffset.UTC).plusYears(k).toInstant();
        }
    }

    /** Fixed period, or null for calendar periods (monthly, yearly). */
    Duration fixedPeriod() {
        switch (frequency) {
            case HOURLY: return Duration.ofHours(frequencyInterval);
            case DAILY: return Duration.ofDays(frequencyInterval);
            case WEEKLY: return Duration.ofDays(7);
            default: return null;
        }
    }

    /** When a snapshot this item took at {@code createdAt} expires. */
    Instant expiry(Instant createdAt) {
        switch (retentionUnit) {
            case DAYS: return createdAt.plus(Duration.ofDays(retentionValue));
            case WEEKS: return createdAt.plus(Duration.ofDays(7L * retentionValue));
            case MONTHS: return createdAt.atOffset(ZoneOffset.UTC).plusMonths(retentionValue).toInstant();
            default: return createdAt.atOffset(ZoneOffset.UTC).plusYears(retentionValue).toInstant();
        }
    }

    /** An upper bound of the retention, for skipping ticks whose snapshots have expired anyway. */
    Duration maxRetention() {
        switch (retentionUnit) {
            case DAYS: return Duration.ofDays(retentionValue);
            case WEEKS: return Duration.ofDays(7L * retentionValue);
            case MONTHS: return Duration.ofDays(31L * retentionValue);
            default: return Duration.ofDays(366L * retentionValue);
        }
    }
}
