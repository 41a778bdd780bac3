package io.atlascmk.rotator.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.atlascmk.rotator.json.Json;
import io.atlascmk.rotator.lock.LockGrant;
import io.atlascmk.rotator.lock.RotationLock;
import io.atlascmk.rotator.rotation.InvalidInputException;
import io.atlascmk.rotator.metrics.MetricLine;
import io.atlascmk.rotator.metrics.Metrics;
import io.atlascmk.rotator.metrics.StepMetrics;
import java.io.ByteArrayInputStream;
import java.time.Instant;
import org.slf4j.MDC;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Objects;
import java.util.function.Function;

/**
 * The plumbing every step handler shares, and nothing else: read the request strictly
 * ({@link StepJson#read}), call one step, write its result. Exceptions leave unchanged, with their
 * class, because the workflow's Retry and Catch match the fully qualified class name (transient
 * ones: {@code io.atlascmk.rotator.atlas.AtlasRateLimitedException},
 * {@code io.atlascmk.rotator.atlas.AtlasUnavailableException},
 * {@code io.atlascmk.rotator.kms.KmsUnavailableException}).
 *
 * @param <I> the step's request record
 * @param <O> the step's result record
 */
abstract class StepHandler<I, O> implements RequestStreamHandler {

    private final Class<I> requestType;
    private final Function<I, O> step;
    private final RotationLock lock;
    private final io.atlascmk.rotator.atlas.AtlasApi atlas;
    private final Metrics metrics;

    /**
     * A step. When {@code lock} is given (a step that writes) and its input carries the execution's {@code lock}
     * (Preflight's grant, passed by the workflow), the grant is confirmed (and its lease renewed) before the step
     * runs; a run that lost the lock stops with {@link io.atlascmk.rotator.lock.LockLostException} and writes nothing.
     * Null: a step that writes nothing, no lock to confirm.
     *
     * <p>Each invocation that called Atlas ends with its metrics line ({@link #measure} and the {@code atlas}
     * client's retries and 429s, {@link StepMetrics#atlas}), written with {@code metrics}, also when the step failed.
     */
    StepHandler(Class<I> requestType, Function<I, O> step, RotationLock lock, io.atlascmk.rotator.atlas.AtlasApi atlas,
            Metrics metrics) {
        this.requestType = Objects.requireNonNull(requestType, "requestType");
        this.step = Objects.requireNonNull(step, "step");
        this.lock = lock;
        this.atlas = Objects.requireNonNull(atlas, "atlas");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
    }

    /** What the step measures of a call that succeeded (see {@link StepMetrics}); none by default. */
    MetricLine measure(I request, O result, Instant now) {
        return null;
    }

    @Override
    public final void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        byte[] bytes = input.readAllBytes();
        JsonNode tree = readable(bytes);
        // Every log line of this call names the rotation and the project it concerns.
        putLogContext(tree);
        // what the client did before this invocation is not this invocation's
        atlas.takeCalls();
        MetricLine measured = null;
        try {
            if (lock != null && tree instanceof ObjectNode object && object.has(LOCK_FIELD)) {
                confirmLock(object.remove(LOCK_FIELD));
                bytes = Json.MAPPER.writeValueAsBytes(object);
            }
            I request = StepJson.read(new ByteArrayInputStream(bytes), requestType);
            O result = step.apply(request);
            measured = measure(request, result, metrics.now());
            StepJson.write(output, result);
        } finally {
            flushMetrics(tree, measured);
            MDC.remove(ROTATION_ID);
            MDC.remove(PROJECT_ID);
        }
    }

    /** The call's metrics line; a metric that cannot be written never fails the step (it is logged). */
    private void flushMetrics(JsonNode tree, MetricLine measured) {
        try {
            String projectId = measured != null ? measured.projectId() : projectOf(tree);
            MetricLine line = StepMetrics.atlas(projectId, atlas.takeCalls());
            metrics.flush(measured == null ? line : measured.and(line));
        } catch (RuntimeException e) {
            LOG.warn("The call's metrics could not be written ({})", e.toString());
        }
    }

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(StepHandler.class);

    /** The input's project (Preflight's in input.projectId) when it is text; null otherwise. */
    private static String projectOf(JsonNode tree) {
        if (tree == null) {
            return null;
        }
        JsonNode project = tree.path(PROJECT_ID).isTextual() ? tree.path(PROJECT_ID) : tree.path("input").path(PROJECT_ID);
        return project.isTextual() ? project.textValue() : null;
    }

    /** Held for CRaC, which keeps only a weak reference; null outside the Lambda constructors. */
    private Priming priming;

    /**
     * Registers this handler's SnapStart priming (its Lambda constructor calls it): the plumbing on {@code {}} (which
     * every step's request refuses before any call), KMS, DynamoDB, Secrets Manager and the Atlas client of
     * {@code deps}, and {@code more}.
     */
    final void primeForSnapStart(io.atlascmk.rotator.rotation.StepDependencies deps, Runnable... more) {
        java.lang.reflect.Type result = ((java.lang.reflect.ParameterizedType) getClass().getGenericSuperclass())
                .getActualTypeArguments()[1];
        java.util.List<Runnable> primers = new java.util.ArrayList<>(java.util.List.of(
                Priming.plumbing(this, requestType, result, "{}"), Priming::kms, Priming::dynamoDb,
                Priming::secretsManager, Priming.atlas(deps.atlas())));
        primers.addAll(java.util.List.of(more));
        priming = Priming.register(getClass().getSimpleName(), primers.toArray(Runnable[]::new));
    }

    static final String ROTATION_ID = "rotationId";
    static final String PROJECT_ID = "projectId";

    /** The input as a tree, or null when it is not JSON (StepJson then says what is wrong). */
    private static JsonNode readable(byte[] bytes) {
        try {
            return Json.MAPPER.readTree(bytes);
        } catch (IOException notJson) {
            return null;
        }
    }

    /** The input's rotationId and projectId (Preflight's projectId is in input.projectId), when they are text. */
    private static void putLogContext(JsonNode tree) {
        if (tree == null) {
            return;
        }
        JsonNode rotation = tree.path(ROTATION_ID);
        JsonNode project = tree.path(PROJECT_ID).isTextual() ? tree.path(PROJECT_ID) : tree.path("input").path(PROJECT_ID);
        if (rotation.isTextual()) {
            MDC.put(ROTATION_ID, rotation.textValue());
        }
        if (project.isTextual()) {
            MDC.put(PROJECT_ID, project.textValue());
        }
    }

    /** Confirms the execution's grant (null: the run holds no lock, e.g. a dry run). */
    private void confirmLock(JsonNode grant) {
        if (grant.isNull()) {
            return;
        }
        LockGrant parsed;
        try {
            parsed = Json.MAPPER.treeToValue(grant, LockGrant.class);
        } catch (IOException e) {
            throw new InvalidInputException(LOCK_FIELD, "is not a lock grant as Preflight returns it ($.run.lock).");
        }
        if (parsed.projectId() == null || parsed.holder() == null) {
            throw new InvalidInputException(LOCK_FIELD, "needs projectId and holder, as Preflight returns them ($.run.lock).");
        }
        lock.confirm(parsed);
    }

    /** The input field carrying Preflight's lock grant. */
    static final String LOCK_FIELD = "lock";
}
