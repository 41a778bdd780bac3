package io.atlascmk.sandbox.atlas;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;

/**
 * Fault switches of the Atlas simulator, for reliability tests. Every switch counts calls from the
 * moment it is armed and applies to one operation or, when the operation is null, to every operation
 * (the token endpoint included). Faults act after authentication, so a request with bad credentials
 * gets its 401 and does not use one up. Thread-safe.
 *
 * <ul>
 *   <li>{@link #throttleNext}: 429 {@code RATE_LIMITED} with {@code Retry-After}</li>
 *   <li>{@link #failNext}: a 5xx ({@code 500 UNEXPECTED_ERROR}, {@code 502}, {@code 503}, {@code 504})</li>
 *   <li>{@link #throttleAfter}, {@link #failAfter}: the same once some calls have succeeded (mid-list)</li>
 *   <li>{@link #rejectNext}: any 4xx with an error code of your choice (403, 404, a refused PATCH...)</li>
 *   <li>{@link #delayNext}: the response is held back for a wall-clock delay (for client timeouts)</li>
 *   <li>{@link #crashAfter}: the Nth call is carried out (a PATCH is applied) and then its response is
 *       lost: a 500, or the connection is closed without a response</li>
 * </ul>
 *
 * When several switches are due on the same call, delays add up and the earliest armed of the others
 * wins; the rest stay armed.
 */
public final class AtlasFaults {

    /** How a crashed call ends for the client. */
    public enum CrashMode {
        /** The write is applied, then the client gets 500 UNEXPECTED_ERROR. */
        SERVER_ERROR,
        /** The write is applied, then the connection is closed without any response. */
        DROP_CONNECTION
    }

    enum Kind { THROTTLE, FAIL, REJECT, CRASH, DELAY }

    /** What to do with one call. */
    record Decision(Duration delay, Rule action) {
        static final Decision NONE = new Decision(Duration.ZERO, null);
    }

    static final class Rule {
        final Kind kind;
        final AtlasOperation operation;
        int skip;
        int remaining;
        final int status;
        final String errorCode;
        final String detail;
        final int retryAfterSeconds;
        final Duration delay;
        final CrashMode crashMode;

        Rule(Kind kind, AtlasOperation operation, int skip, int remaining, int status, String errorCode, String detail,
             int retryAfterSeconds, Duration delay, CrashMode crashMode) {
            this.kind = kind;
            this.operation = operation;
            this.skip = skip;
            this.remaining = remaining;
            this.status = status;
            this.errorCode = errorCode;
            this.detail = detail;
            this.retryAfterSeconds = retryAfterSeconds;
            this.delay = delay;
            this.crashMode = crashMode;
        }

        boolean appliesTo(AtlasOperation op) {
            return operation == null || operation == op;
        }
    }

    private final List<Rule> rules = new ArrayList<>();

    /** The next {@code calls} calls of any operation get 429 with {@code Retry-After: retryAfterSeconds}. */
    public AtlasFaults throttleNext(int calls, int retryAfterSeconds) {
        return throttleNext(null, calls, retryAfterSeconds);
    }

    /** The next {@code calls} calls of {@code operation} (null: any) get 429 with {@code Retry-After}. */
    public AtlasFaults throttleNext(AtlasOperation operation, int calls, int retryAfterSeconds) {
        positive(calls, "calls");
        if (retryAfterSeconds < 0) {
            throw new IllegalArgumentException("Retry-After must be zero or more seconds; got " + retryAfterSeconds + ".");
        }
        return add(new Rule(Kind.THROTTLE, operation, 0, calls, 429, "RATE_LIMITED", null, retryAfterSeconds, null, null));
    }

    /**
     * After the next {@code succeeding} calls of {@code operation} (null: any), the {@code calls} calls that
     * follow get 429 with {@code Retry-After}: a throttle in the middle of a long list.
     */
    public AtlasFaults throttleAfter(AtlasOperation operation, int succeeding, int calls, int retryAfterSeconds) {
        positive(calls, "calls");
        notNegative(succeeding, "succeeding");
        if (retryAfterSeconds < 0) {
            throw new IllegalArgumentException("Retry-After must be zero or more seconds; got " + retryAfterSeconds + ".");
        }
        return add(new Rule(Kind.THROTTLE, operation, succeeding, calls, 429, "RATE_LIMITED", null, retryAfterSeconds, null, null));
    }

    /**
     * After the next {@code succeeding} calls of {@code operation} (null: any), the {@code calls} calls that
     * follow fail with a 5xx {@code status}: an outage in the middle of a long list.
     */
    public AtlasFaults failAfter(AtlasOperation operation, int succeeding, int calls, int status) {
        positive(calls, "calls");
        notNegative(succeeding, "succeeding");
        return add(new Rule(Kind.FAIL, operation, succeeding, calls, status, serverErrorCode(status), null, 0, null, null));
    }

    /** The next {@code calls} calls of any operation fail with {@code status} (500, 502, 503 or 504). */
    public AtlasFaults failNext(int calls, int status) {
        return failNext(null, calls, status);
    }

    /** The next {@code calls} calls of {@code operation} (null: any) fail with a 5xx {@code status}. */
    public AtlasFaults failNext(AtlasOperation operation, int calls, int status) {
        positive(calls, "calls");
        return add(new Rule(Kind.FAIL, operation, 0, calls, status, serverErrorCode(status), null, 0, null, null));
    }

    private static String serverErrorCode(int status) {
        switch (status) {
            case 500: return "UNEXPECTED_ERROR";
            case 502: return "BAD_GATEWAY";
            case 503: return "SERVICE_UNAVAILABLE";
            case 504: return "GATEWAY_TIMEOUT";
            default: throw new IllegalArgumentException("A 5xx fault takes 500, 502, 503 or 504; got " + status + ". Use rejectNext for 4xx.");
        }
    }

    /**
     * The next {@code calls} calls of {@code operation} (null: any) are refused with a 4xx, e.g.
     * {@code rejectNext(UPDATE_ENCRYPTION_AT_REST, 1, 403, "USER_UNAUTHORIZED", "...")}. Nothing is changed.
     */
    public AtlasFaults rejectNext(AtlasOperation operation, int calls, int status, String errorCode, String detail) {
        positive(calls, "calls");
        if (status < 400 || status > 499 || status == 401 || status == 429) {
            throw new IllegalArgumentException("rejectNext takes a 4xx other than 401 (use wrong credentials) and 429 (use throttleNext); got " + status + ".");
        }
        Objects.requireNonNull(errorCode, "errorCode");
        return add(new Rule(Kind.REJECT, operation, 0, calls, status, errorCode,
                detail == null ? "Injected failure " + errorCode + "." : detail, 0, null, null));
    }

    /** The next {@code calls} calls of {@code operation} (null: any) are answered after a wall-clock {@code delay}. */
    public AtlasFaults delayNext(AtlasOperation operation, int calls, Duration delay) {
        positive(calls, "calls");
        if (delay.isNegative()) {
            throw new IllegalArgumentException("A delay cannot be negative; got " + delay + ".");
        }
        return add(new Rule(Kind.DELAY, operation, 0, calls, 0, null, null, 0, delay, null));
    }

    /**
     * The {@code nthCall}-th call of {@code operation} from now (1 = the next one) is carried out, writes
     * included, and then its response is lost as {@code mode} says. The calls before it succeed.
     */
    public AtlasFaults crashAfter(AtlasOperation operation, int nthCall, CrashMode mode) {
        Objects.requireNonNull(operation, "operation");
        Objects.requireNonNull(mode, "mode");
        positive(nthCall, "nthCall");
        return add(new Rule(Kind.CRASH, operation, nthCall - 1, 1, 500, "UNEXPECTED_ERROR", null, 0, null, mode));
    }

    /** Disarms every switch. */
    public synchronized void clear() {
        rules.clear();
    }

    /** Switches still armed (a switch is gone once it has fired its last time). */
    public synchronized int armed() {
        return rules.size();
    }

    private synchronized AtlasFaults add(Rule rule) {
        rules.add(rule);
        return this;
    }

    /** Decides what happens to one call of {@code op}; consumes what fires. */
    synchronized Decision decide(AtlasOperation op) {
        Duration delay = Duration.ZERO;
        Rule action = null;
        for (Iterator<Rule> it = rules.iterator(); it.hasNext(); ) {
            Rule r = it.next();
            if (!r.appliesTo(op)) {
                continue;
            }
            if (r.skip > 0) {
                r.skip--;
                continue;
            }
            if (r.kind == Kind.DELAY) {
                delay = delay.plus(r.delay);
            } else if (action == null) {
                action = r;
            } else {
                continue;
            }
            if (--r.remaining == 0) {
                it.remove();
            }
        }
        return delay.isZero() && action == null ? Decision.NONE : new Decision(delay, action);
    }

    private static void notNegative(int n, String what) {
        if (n < 0) {
            throw new IllegalArgumentException(what + " must be 0 or more; got " + n + ".");
        }
    }

    private static void positive(int n, String what) {
        if (n < 1) {
            throw new IllegalArgumentException(what + " must be 1 or more; got " + n + ".");
        }
    }
}
