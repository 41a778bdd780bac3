package io.atlascmk.rotator.fleet;

import io.atlascmk.rotator.kms.KeyService;
import io.atlascmk.rotator.kms.KeyState;
import io.atlascmk.rotator.kms.ManagedKey;
import io.atlascmk.rotator.registry.RegisteredProject;
import io.atlascmk.rotator.rotation.Inputs;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which registered projects a fleet run starts, and how. A project is due to <b>rotate</b> when it has a
 * {@code rate(...)} schedule and its active key (by the ledger) is at least that old, or when it has no active key
 * in the ledger yet (its first rotation adopts the key Atlas uses; Preflight's cooldown still applies); otherwise it
 * is due to <b>sweep</b> when the ledger holds a {@code retired} or {@code abandoned} key the audit has not
 * deleted yet. A {@code cron(...)} schedule is not the fleet's: such a project keeps its own EventBridge schedule
 * (the plan says so) and the fleet only sweeps it. A project of the {@code key-material} method is started only while
 * the ledger has no active key for it (its first run turns KMS's automatic rotation on); after that KMS rotates the
 * material itself. A project whose keys cannot be read is reported, not started.
 */
public final class FleetPlanner {

    private static final Pattern RATE = Pattern.compile("rate\\((\\d+) (minute|minutes|hour|hours|day|days)\\)");

    /** One project the fleet run starts. */
    public record Due(String projectId, String mode, String reason) {
        public static final String ROTATE = "rotate";
        public static final String SWEEP = "sweep";
    }

    /** One project it does not start, and why. */
    public record NotDue(String projectId, String reason) {
    }

    /**
     * How old a project's key is, for the {@code KeyAgeDays} and {@code KeysOverdue} metrics.
     *
     * @param projectId   the project
     * @param activeSince when its active key became active (the key's creation by the ledger; with {@code
     *                    key-material}, when KMS last rotated its material, if it has)
     * @param age         from then to the plan's time
     * @param interval    how often it should get a new key or material: the {@code rate(...)} schedule's period
     *                    ({@code key-material}: its rotation period); null when it has none (a {@code cron(...)}
     *                    schedule, or no schedule)
     * @param overdue     older than its interval and {@link #OVERDUE_GRACE}: the daily run that found it due had a
     *                    day to replace it and did not
     */
    public record KeyAge(String projectId, Instant activeSince, Duration age, Duration interval, boolean overdue) {
        /** A key due today is started today: it counts as overdue only a day later. */
        public static final Duration OVERDUE_GRACE = Duration.ofDays(1);
    }

    /** The plan, and the age of each project's key where it is known. */
    public record Plan(List<Due> due, List<NotDue> notDue, List<NotDue> problems, List<KeyAge> ages) {
        public Plan {
            due = List.copyOf(due);
            notDue = List.copyOf(notDue);
            problems = List.copyOf(problems);
            ages = List.copyOf(ages);
        }

        public Plan(List<Due> due, List<NotDue> notDue, List<NotDue> problems) {
            this(due, notDue, problems, List.of());
        }

        /** How many projects' keys are {@link KeyAge#overdue() overdue}. */
        public long overdue() {
            return ages.stream().filter(KeyAge::overdue).count();
        }
    }

    private final Function<io.atlascmk.rotator.aws.KeyPlace, KeyService> keys;

    public FleetPlanner(Function<io.atlascmk.rotator.aws.KeyPlace, KeyService> keys) {
        this.keys = keys;
    }

    public Plan plan(List<RegisteredProject> projects, Instant now) {
        List<Due> due = new ArrayList<>();
        List<NotDue> notDue = new ArrayList<>();
        List<NotDue> problems = new ArrayList<>();
        List<KeyAge> ages = new ArrayList<>();
        for (RegisteredProject p : projects) {
            List<ManagedKey> keys;
            try {
                keys = this.keys.apply(new io.atlascmk.rotator.aws.KeyPlace(p.awsRegion(), p.keyAccount())).findProjectKeys(p.projectId(), false);
            } catch (RuntimeException e) {
                problems.add(new NotDue(p.projectId(), "its keys in " + p.awsRegion() + " could not be read ("
                        + e.getClass().getSimpleName() + "); it was not started"));
                continue;
            }
            Optional<Duration> period = ratePeriod(p.schedule());
            Optional<ManagedKey> active = keys.stream().filter(k -> k.state() == KeyState.ACTIVE)
                    .max(Comparator.comparing(ManagedKey::createdAt, Comparator.nullsFirst(Comparator.naturalOrder())));
            boolean retiring = keys.stream().anyMatch(k -> k.state() == KeyState.RETIRED || k.state() == KeyState.ABANDONED);
            boolean material = Inputs.METHOD_KEY_MATERIAL.equals(p.settings().method());
            if (active.isPresent() && active.get().createdAt() != null) {
                keyAge(p, active.get(), material, period.orElse(null), now).ifPresent(ages::add);
            }
            if (material) {
                // KMS rotates the material at the project's period: the fleet only sets that up, once
                if (active.isEmpty()) {
                    due.add(new Due(p.projectId(), Due.ROTATE, "method key-material, no active key in the ledger yet:"
                            + " the first run adopts the key and turns KMS's automatic rotation on"));
                } else if (retiring) {
                    due.add(new Due(p.projectId(), Due.SWEEP, "the ledger holds retired or abandoned keys to audit"));
                } else {
                    notDue.add(new NotDue(p.projectId(), "method key-material: KMS rotates its key's material itself"));
                }
                continue;
            }
            if (period.isPresent()) {
                if (active.isEmpty() || active.get().createdAt() == null) {
                    due.add(new Due(p.projectId(), Due.ROTATE, "no active key in the ledger yet: the first rotation adopts"
                            + " the key Atlas uses"));
                    continue;
                }
                Duration age = Duration.between(active.get().createdAt(), now);
                if (age.compareTo(period.get()) >= 0) {
                    due.add(new Due(p.projectId(), Due.ROTATE, "its active key is " + age.toDays() + " days old; "
                            + p.schedule() + " asks for a new one"));
                    continue;
                }
            }
            if (retiring) {
                due.add(new Due(p.projectId(), Due.SWEEP, "the ledger holds retired or abandoned keys to audit"));
                continue;
            }
            notDue.add(new NotDue(p.projectId(), p.schedule() == null ? "no schedule and nothing to audit"
                    : period.isEmpty() ? "its schedule " + p.schedule() + " is its own EventBridge schedule's, not the fleet's"
                    : "its active key is " + Duration.between(active.get().createdAt(), now).toDays() + " days old; due at "
                    + active.get().createdAt().plus(period.get())));
        }
        return new Plan(due, notDue, problems, ages);
    }

    /**
     * The age of {@code project}'s active key: since its creation, or with {@code key-material} since KMS last rotated
     * its material (its rotations are read; when they cannot be, the age is unknown and left out).
     */
    private Optional<KeyAge> keyAge(RegisteredProject p, ManagedKey active, boolean material, Duration ratePeriod,
            Instant now) {
        Instant since = active.createdAt();
        Duration interval = ratePeriod;
        if (material) {
            Integer days = p.settings().rotationPeriodDays();
            interval = Duration.ofDays(days == null ? Inputs.DEFAULT_ROTATION_PERIOD_DAYS : days);
            try {
                Optional<Instant> rotated = keys.apply(new io.atlascmk.rotator.aws.KeyPlace(p.awsRegion(), p.keyAccount()))
                        .lastRotation(active.arn());
                if (rotated.isPresent() && rotated.get().isAfter(since)) {
                    since = rotated.get();
                }
            } catch (RuntimeException e) {
                LOG.warn("Fleet: the material rotations of {}'s key {} could not be read ({}): its key age is not"
                        + " reported", p.projectId(), active.keyId(), e.getClass().getSimpleName());
                return Optional.empty();
            }
        }
        Duration age = Duration.between(since, now);
        boolean overdue = interval != null && age.compareTo(interval.plus(KeyAge.OVERDUE_GRACE)) > 0;
        return Optional.of(new KeyAge(p.projectId(), since, age, interval, overdue));
    }

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(FleetPlanner.class);

    /** The period of a {@code rate(...)} schedule (at least a day: the fleet runs daily); empty for anything else. */
    static Optional<Duration> ratePeriod(String schedule) {
        if (schedule == null) {
            return Optional.empty();
        }
        Matcher m = RATE.matcher(schedule);
        if (!m.matches()) {
            return Optional.empty();
        }
        long n = Long.parseLong(m.group(1));
        Duration d = m.group(2).startsWith("day") ? Duration.ofDays(n)
                : m.group(2).startsWith("hour") ? Duration.ofHours(n) : Duration.ofMinutes(n);
        return Optional.of(d.compareTo(Duration.ofDays(1)) < 0 ? Duration.ofDays(1) : d);
    }
}
