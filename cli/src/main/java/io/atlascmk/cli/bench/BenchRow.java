package io.atlascmk.cli.bench;

import java.util.Objects;

/**
 * One line of the benchmark's table: what is measured, the figure, the baseline it stands beside (measured in the same
 * run, or {@code —} when there is none and the row says why), the goal, and the verdict.
 *
 * @param verdict {@link #MET}, {@link #SHORT} (the goal is not met), {@link #INFO} (no goal: reported only) or
 *                {@link #FAILED} (the measurement could not be taken; the figure says why)
 */
public record BenchRow(String measure, String figure, String baseline, String goal, String verdict) {

    public static final String MET = "met";
    public static final String SHORT = "SHORT";
    public static final String INFO = "info";
    public static final String FAILED = "FAILED";
    public static final String NONE = "—";

    public BenchRow {
        Objects.requireNonNull(measure, "measure");
        figure = Objects.requireNonNullElse(figure, NONE);
        baseline = Objects.requireNonNullElse(baseline, NONE);
        goal = Objects.requireNonNullElse(goal, NONE);
        Objects.requireNonNull(verdict, "verdict");
    }

    /** A row without a goal. */
    public static BenchRow info(String measure, String figure, String baseline) {
        return new BenchRow(measure, figure, baseline, NONE, INFO);
    }

    /** A row whose goal is met when {@code met}. */
    public static BenchRow judged(String measure, String figure, String baseline, String goal, boolean met) {
        return new BenchRow(measure, figure, baseline, goal, met ? MET : SHORT);
    }

    /** A measurement that could not be taken. */
    public static BenchRow failed(String measure, String why) {
        return new BenchRow(measure, why, NONE, NONE, FAILED);
    }
}
