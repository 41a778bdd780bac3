package io.atlascmk.cli.bench;

import java.util.List;

/**
 * One independent measurement of {@code ./rotator bench}: it starts what it needs, measures, stops it, and returns its
 * rows. Add a measurement by writing one class and listing it in {@link BenchCommand#measurements}.
 */
public interface Measurement {

    /** A short name, shown while it runs. */
    String name();

    /** Measures and returns the rows; an exception becomes one FAILED row with its message. */
    List<BenchRow> run(BenchContext context) throws Exception;
}
