package io.atlascmk.rotator.atlas;

import java.security.SecureRandom;
import java.util.SplittableRandom;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;
import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;

/**
 * The retry jitter's random numbers, safe under Lambda SnapStart. A generator seeded during init is
 * frozen into the snapshot, so every environment restored from it would draw the same "random" delays
 * and retry in lockstep; this one is seeded again from {@link SecureRandom} after every restore (CRaC's
 * {@code afterRestore}, which SnapStart calls) and when it is built.
 *
 * <p>CRaC keeps only a weak reference to a registered resource: whoever uses the jitter holds it.
 */
final class Jitter implements DoubleSupplier, Resource {

    private final LongSupplier seeds;
    private volatile SplittableRandom random;

    /** Seeded from {@link SecureRandom}, registered for restores. */
    static Jitter registered() {
        Jitter jitter = new Jitter(new SecureRandom()::nextLong);
        Core.getGlobalContext().register(jitter);
        return jitter;
    }

    /** @param seeds where each (re)seed comes from */
    Jitter(LongSupplier seeds) {
        this.seeds = seeds;
        this.random = new SplittableRandom(seeds.getAsLong());
    }

    @Override
    public double getAsDouble() {
        SplittableRandom r = random;
        synchronized (r) {
            return r.nextDouble();
        }
    }

    @Override
    public void beforeCheckpoint(Context<? extends Resource> context) {
        // nothing to release
    }

    @Override
    public void afterRestore(Context<? extends Resource> context) {
        random = new SplittableRandom(seeds.getAsLong());
    }
}
