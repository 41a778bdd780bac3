package io.atlascmk.rotator.lock;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * The rotation lock in a DynamoDB table: one item per project, keyed by {@code projectId}, holding
 * {@code holder}, {@code token} (the fencing token, only ever incremented), {@code acquiredAt},
 * {@code leaseExpiresAt} (epoch seconds) and {@code previousHolder}. Every change is a conditional
 * {@code UpdateItem}, every read strongly consistent: two Preflights racing for one project cannot both
 * win, whatever the timing, and no KMS listing (eventually consistent) takes part.
 *
 * <p>Taking over: a holder that is a workflow execution is taken over once Step Functions says it has
 * ended, never while it runs, whatever its lease says (its next confirm would fail, but it may be
 * between a write and its report). A local run ({@code local-...}, as `./rotator run` names them) or the tripwire's
 * Rescue ({@code rescue-...}), which Step Functions cannot see, is taken over once its lease has expired; every
 * confirm renews the lease.
 */
public final class DynamoDbRotationLock implements RotationLock {

    /** Holders that are local runs ({@code ./rotator run}), not workflow executions. */
    public static final String LOCAL_PREFIX = "local-";
    /** Holders that are the tripwire's Rescue function ({@link #seize}), not workflow executions. */
    public static final String RESCUE_PREFIX = "rescue-";

    private static final Map<String, String> NAMES = Map.of("#holder", "holder", "#token", "token",
            "#lease", "leaseExpiresAt", "#acquired", "acquiredAt", "#previous", "previousHolder");

    private final DynamoDbClient dynamo;
    private final String table;
    private final Clock clock;
    private final Duration lease;
    private final Predicate<String> executionRunning;

    /**
     * @param executionRunning whether a workflow execution (by name) still runs; must throw when it cannot tell
     */
    public DynamoDbRotationLock(DynamoDbClient dynamo, String table, Clock clock, Duration lease,
            Predicate<String> executionRunning) {
        this.dynamo = Objects.requireNonNull(dynamo, "dynamo");
        this.table = Objects.requireNonNull(table, "table");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.lease = Objects.requireNonNull(lease, "lease");
        this.executionRunning = Objects.requireNonNull(executionRunning, "executionRunning");
        if (lease.isNegative() || lease.isZero()) {
            throw new IllegalArgumentException("lease must be positive");
        }
    }

    @Override
    public LockGrant acquire(String projectId, String holder) {
        Instant now = clock.instant();
        Map<String, AttributeValue> free = update(projectId,
                "SET #holder = :me, #lease = :lease, #acquired = :now ADD #token :one REMOVE #previous",
                "attribute_not_exists(#holder)", Map.of(":me", s(holder), ":lease", n(leaseEnd(now)),
                        ":now", s(now.toString()), ":one", n(1)));
        if (free != null) {
            return grant(free, null);
        }
        LockState current = read(projectId).orElseThrow(() -> new LockUnavailableException("The lock of project "
                + projectId + " was held a moment ago and is gone now; run again.", null));
        if (holder.equals(current.holder())) {
            Map<String, AttributeValue> renewed = update(projectId, "SET #lease = :lease",
                    "#holder = :me AND #token = :t", Map.of(":me", s(holder), ":t", n(current.token()),
                            ":lease", n(leaseEnd(now))));
            if (renewed != null) {
                return grant(renewed, null);
            }
            throw new LockHeldException(read(projectId).orElse(current), "it changed hands while this rotation renewed it.");
        }
        if (!mayTakeOver(current, now)) {
            throw new LockHeldException(current, "that rotation is still running, so this one changes nothing.");
        }
        Map<String, AttributeValue> taken = update(projectId,
                "SET #holder = :me, #lease = :lease, #acquired = :now, #previous = :old ADD #token :one",
                "#holder = :old AND #token = :t", Map.of(":me", s(holder), ":old", s(current.holder()),
                        ":t", n(current.token()), ":lease", n(leaseEnd(now)), ":now", s(now.toString()), ":one", n(1)));
        if (taken == null) {
            LockState now2 = read(projectId).orElse(current);
            throw new LockHeldException(now2, "another rotation took it over first.");
        }
        return grant(taken, current.holder());
    }

    @Override
    public LockGrant seize(String projectId, String holder) {
        Instant now = clock.instant();
        UpdateItemRequest request = UpdateItemRequest.builder().tableName(table).key(key(projectId))
                .updateExpression("SET #holder = :me, #lease = :lease, #acquired = :now ADD #token :one REMOVE #previous")
                .expressionAttributeNames(Map.of("#holder", "holder", "#lease", "leaseExpiresAt", "#acquired", "acquiredAt",
                        "#token", "token", "#previous", "previousHolder"))
                .expressionAttributeValues(Map.of(":me", s(holder), ":lease", n(leaseEnd(now)), ":now", s(now.toString()),
                        ":one", n(1)))
                .returnValues(ReturnValue.ALL_OLD).build();
        Map<String, AttributeValue> old;
        try {
            old = dynamo.updateItem(request).attributes();
        } catch (SdkException e) {
            throw unavailable("seize", projectId, e);
        }
        long oldToken = old == null || old.get("token") == null ? 0 : Long.parseLong(old.get("token").n());
        String from = old == null || old.get("holder") == null ? null : old.get("holder").s();
        return new LockGrant(projectId, holder, oldToken + 1, Instant.ofEpochSecond(leaseEnd(now)), from);
    }

    @Override
    public void confirm(LockGrant grant) {
        Map<String, AttributeValue> renewed = update(grant.projectId(), "SET #lease = :lease",
                "#holder = :me AND #token = :t", Map.of(":me", s(grant.holder()), ":t", n(grant.token()),
                        ":lease", n(leaseEnd(clock.instant()))));
        if (renewed == null) {
            throw new LockLostException(grant, read(grant.projectId()).orElse(null));
        }
    }

    /** The release as the workflow's ReleaseLock state sends it (an UpdateItem service integration). */
    public static final String RELEASE_UPDATE = "REMOVE #holder, #lease";
    public static final String RELEASE_CONDITION = "#holder = :me AND #token = :t";

    @Override
    public boolean release(LockGrant grant) {
        return update(grant.projectId(), RELEASE_UPDATE, RELEASE_CONDITION,
                Map.of(":me", s(grant.holder()), ":t", n(grant.token()))) != null;
    }

    @Override
    public Optional<LockState> read(String projectId) {
        Map<String, AttributeValue> item;
        try {
            item = dynamo.getItem(b -> b.tableName(table).key(key(projectId)).consistentRead(true)).item();
        } catch (SdkException e) {
            throw unavailable("read", projectId, e);
        }
        if (item == null || item.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(state(projectId, item));
    }

    @Override
    public Optional<LockState> unlock(String projectId) {
        Optional<LockState> current = read(projectId);
        if (current.isEmpty() || !current.get().held()) {
            return Optional.empty();
        }
        LockState held = current.get();
        if (!held.holder().startsWith(LOCAL_PREFIX) && !held.holder().startsWith(RESCUE_PREFIX)
                && executionRunning.test(held.holder())) {
            throw new LockHeldException(held, "its execution is still running: stop it (aws stepfunctions"
                    + " stop-execution) or let it finish; the lock is released when it ends.");
        }
        if (!release(new LockGrant(projectId, held.holder(), held.token(), held.leaseExpiresAt(), null))) {
            throw new LockHeldException(read(projectId).orElse(held), "it changed hands while it was being unlocked; look again.");
        }
        return Optional.of(held);
    }

    private boolean mayTakeOver(LockState state, Instant now) {
        if (state.holder().startsWith(LOCAL_PREFIX) || state.holder().startsWith(RESCUE_PREFIX)) {
            return state.leaseExpiresAt() == null || !now.isBefore(state.leaseExpiresAt());
        }
        return !executionRunning.test(state.holder());
    }

    /** A conditional update; its new item, or null when the condition did not hold. */
    private Map<String, AttributeValue> update(String projectId, String expression, String condition,
            Map<String, AttributeValue> values) {
        Map<String, String> names = new HashMap<>();
        NAMES.forEach((placeholder, name) -> {
            if (expression.contains(placeholder) || condition.contains(placeholder)) {
                names.put(placeholder, name);
            }
        });
        UpdateItemRequest request = UpdateItemRequest.builder().tableName(table).key(key(projectId))
                .updateExpression(expression).conditionExpression(condition)
                .expressionAttributeNames(names).expressionAttributeValues(values)
                .returnValues(ReturnValue.ALL_NEW).build();
        try {
            return dynamo.updateItem(request).attributes();
        } catch (ConditionalCheckFailedException e) {
            return null;
        } catch (SdkException e) {
            throw unavailable("write", projectId, e);
        }
    }

    private LockUnavailableException unavailable(String what, String projectId, SdkException e) {
        String hint = e instanceof ResourceNotFoundException
                ? " The table " + table + " does not exist here: check ROTATOR_LOCK_TABLE and the region."
                : " Nothing was changed; the workflow retries.";
        return new LockUnavailableException("Could not " + what + " the rotation lock of project " + projectId
                + " in table " + table + ": " + e.getClass().getSimpleName() + "." + hint, e);
    }

    private long leaseEnd(Instant now) {
        return now.plus(lease).getEpochSecond();
    }

    private static Map<String, AttributeValue> key(String projectId) {
        return Map.of("projectId", s(projectId));
    }

    private static LockGrant grant(Map<String, AttributeValue> item, String takenOverFrom) {
        return new LockGrant(item.get("projectId").s(), item.get("holder").s(), Long.parseLong(item.get("token").n()),
                Instant.ofEpochSecond(Long.parseLong(item.get("leaseExpiresAt").n())), takenOverFrom);
    }

    private static LockState state(String projectId, Map<String, AttributeValue> item) {
        AttributeValue holder = item.get("holder");
        AttributeValue token = item.get("token");
        AttributeValue acquired = item.get("acquiredAt");
        AttributeValue lease = item.get("leaseExpiresAt");
        return new LockState(projectId, holder == null ? null : holder.s(), token == null ? 0 : Long.parseLong(token.n()),
                acquired == null ? null : Instant.parse(acquired.s()),
                lease == null ? null : Instant.ofEpochSecond(Long.parseLong(lease.n())));
    }

    private static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    private static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }
}
