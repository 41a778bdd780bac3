package io.atlascmk.sandbox.aws;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Faults to inject per service and operation, for reliability tests, and the count of calls each
 * operation received. Operation names are the wire names ({@code CreateKey}, {@code GetSecretValue},
 * {@code PutEvents}); {@link #ANY_OPERATION} arms a switch for every operation of a service (a switch
 * armed for the exact operation is used first).
 *
 * <p>Every HTTP request that reaches a service counts as one call, whatever happens to it: a client
 * that retries shows up as several calls. Switches are applied in this order: throttle, fail, delay,
 * then the operation runs, then a crash (if armed) replaces its answer. Thread-safe.
 */
public final class FaultSwitches {

    /** Arms a switch for every operation of the service. */
    public static final String ANY_OPERATION = "*";

    /** How a call that crashes after being applied looks to the client. */
    public enum CrashMode {
        /** The connection is closed without any response: the client sees an I/O error. */
        DROP_CONNECTION,
        /** An HTTP 500 with the service's internal error, as if the service failed after the write. */
        SERVER_ERROR
    }

    /** What the server does with a call before running the operation. */
    enum Action { PROCEED, THROTTLE, FAIL }

    record Plan(Action action, Duration delay) {
    }

    private static final class Switch {
        int throttleRemaining;
        int failRemaining;
        Duration delay = Duration.ZERO;
        int crashCountdown;
        CrashMode crashMode;
    }

    private record Key(AwsService service, String operation) {
    }

    private final Map<Key, Switch> switches = new LinkedHashMap<>();
    private final Map<Key, Integer> calls = new LinkedHashMap<>();

    /** The next {@code times} calls are answered {@code ThrottlingException} (HTTP 400) without running. */
    public synchronized void throttleNext(AwsService service, String operation, int times) {
        requireNonNegative(times);
        switchFor(service, operation).throttleRemaining = times;
    }

    /**
     * The next {@code times} calls are answered HTTP 500 with the service's internal error
     * ({@code KMSInternalException}, {@code InternalServiceError}, {@code InternalException}) without running.
     */
    public synchronized void failNext(AwsService service, String operation, int times) {
        requireNonNegative(times);
        switchFor(service, operation).failRemaining = times;
    }

    /** Every later call waits this long before it runs, until set to {@link Duration#ZERO}. */
    public synchronized void delay(AwsService service, String operation, Duration delay) {
        Objects.requireNonNull(delay, "delay");
        if (delay.isNegative()) {
            throw new IllegalArgumentException("A delay cannot be negative; got " + delay + ".");
        }
        switchFor(service, operation).delay = delay;
    }

    /**
     * The {@code nth} call from now that runs the operation (1 = the next one; throttled or failed
     * calls do not count) is applied, and then crashes: its write has happened, but the client sees a
     * dropped connection or an HTTP 500. One-shot.
     */
    public synchronized void crashAfterApplying(AwsService service, String operation, int nth, CrashMode mode) {
        if (nth < 1) {
            throw new IllegalArgumentException("nth counts from 1 (the next call); got " + nth + ".");
        }
        Switch s = switchFor(service, operation);
        s.crashCountdown = nth;
        s.crashMode = Objects.requireNonNull(mode, "mode");
    }

    /** How many calls the operation received (every HTTP request, including faulted ones and retries). */
    public synchronized int calls(AwsService service, String operation) {
        return calls.getOrDefault(new Key(service, operation), 0);
    }

    /** Every call count, keyed {@code TrentService.CreateKey} (the {@code X-Amz-Target}), sorted. */
    public synchronized Map<String, Integer> callCounts() {
        Map<String, Integer> out = new TreeMap<>();
        calls.forEach((k, v) -> out.put(k.service().targetPrefix() + "." + k.operation(), v));
        return out;
    }

    /** Disarms every switch; call counts stay. */
    public synchronized void clear() {
        switches.clear();
    }

    /** Sets every call count back to zero; switches stay. */
    public synchronized void resetCounts() {
        calls.clear();
    }

    synchronized Plan onCall(AwsService service, String operation) {
        calls.merge(new Key(service, operation), 1, Integer::sum);
        Switch exact = switches.get(new Key(service, operation));
        Switch any = switches.get(new Key(service, ANY_OPERATION));
        for (Switch s : new Switch[] {exact, any}) {
            if (s != null && s.throttleRemaining > 0) {
                s.throttleRemaining--;
                return new Plan(Action.THROTTLE, Duration.ZERO);
            }
        }
        for (Switch s : new Switch[] {exact, any}) {
            if (s != null && s.failRemaining > 0) {
                s.failRemaining--;
                return new Plan(Action.FAIL, Duration.ZERO);
            }
        }
        Duration delay = Duration.ZERO;
        if (exact != null && !exact.delay.isZero()) {
            delay = exact.delay;
        } else if (any != null) {
            delay = any.delay;
        }
        return new Plan(Action.PROCEED, delay);
    }

    /** Called once the operation ran; returns the crash to perform, or null. */
    synchronized CrashMode afterApplied(AwsService service, String operation) {
        for (Switch s : new Switch[] {switches.get(new Key(service, operation)), switches.get(new Key(service, ANY_OPERATION))}) {
            if (s != null && s.crashCountdown > 0) {
                s.crashCountdown--;
                if (s.crashCountdown == 0) {
                    CrashMode mode = s.crashMode;
                    s.crashMode = null;
                    return mode;
                }
                return null;
            }
        }
        return null;
    }

    private Switch switchFor(AwsService service, String operation) {
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(operation, "operation");
        return switches.computeIfAbsent(new Key(service, operation), k -> new Switch());
    }

    private static void requireNonNegative(int times) {
        if (times < 0) {
            throw new IllegalArgumentException("times cannot be negative; got " + times + ".");
        }
    }
}
