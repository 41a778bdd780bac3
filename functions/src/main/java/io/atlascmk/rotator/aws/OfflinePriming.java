package io.atlascmk.rotator.aws;

import java.util.function.Supplier;

/**
 * Marks the current thread as priming for a SnapStart snapshot: while it is, no AWS or Atlas call leaves the process.
 * The SDK clients' HTTP client ({@link PrimableHttpClient}) answers every request itself with an empty success, so
 * the marshallers, signers and unmarshallers run and load their classes; the Atlas client refuses to send. Priming
 * runs before the snapshot, so nothing it could read would still hold after a restore anyway.
 */
public final class OfflinePriming {

    private static final ThreadLocal<Boolean> ACTIVE = ThreadLocal.withInitial(() -> Boolean.FALSE);

    private OfflinePriming() {
    }

    /** True while the current thread primes: no request may leave. */
    public static boolean active() {
        return ACTIVE.get();
    }

    /** Runs {@code work} with this thread priming, and returns its result. */
    public static <T> T run(Supplier<T> work) {
        boolean was = ACTIVE.get();
        ACTIVE.set(Boolean.TRUE);
        try {
            return work.get();
        } finally {
            ACTIVE.set(was);
        }
    }
}
