package io.atlascmk.rotator.metrics;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.atlascmk.rotator.json.Json;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The functions' CloudWatch metrics, written as Embedded Metric Format: one JSON object per line on standard output,
 * which CloudWatch Logs turns into metrics of namespace {@value #NAMESPACE}. No EMF library: it would add jars and an
 * asynchronous flush to every cold start, for what is one line of JSON:
 *
 * <pre>{"_aws":{"Timestamp":1780000000000,"CloudWatchMetrics":[{"Namespace":"AtlasCmkRotator",
 *   "Dimensions":[["Deployment","ProjectId"],["Deployment"]],"Metrics":[{"Name":"RotationsStarted","Unit":"Count"}]}]},
 *  "Deployment":"AtlasCmkRotator","ProjectId":"5f1e...","RotationsStarted":1}</pre>
 *
 * Every metric carries the dimension {@code Deployment} ({@code ROTATOR_DEPLOYMENT}, the stack's name); a line has one
 * directive per group of dimension sets ({@link MetricLine.Sets}), its values and dimension values as top-level
 * members. The timestamp is the given clock's (the step's). Each line goes out whole, in one write under the stream's
 * lock, as the log lines of {@code io.atlascmk.logging} do, so a metric line never interleaves with a log line.
 */
public final class Metrics {

    public static final String NAMESPACE = "AtlasCmkRotator";
    public static final String DEPLOYMENT = "Deployment";
    public static final String PROJECT_ID = "ProjectId";
    /** The environment variable naming the deployment (the stack's name). */
    public static final String DEPLOYMENT_VARIABLE = "ROTATOR_DEPLOYMENT";

    public static final String ROTATIONS_STARTED = "RotationsStarted";
    public static final String ROTATIONS_SUCCEEDED = "RotationsSucceeded";
    public static final String ROTATIONS_FAILED = "RotationsFailed";
    public static final String ROTATIONS_ROLLED_BACK = "RotationsRolledBack";
    public static final String KEY_AGE_DAYS = "KeyAgeDays";
    public static final String KEYS_OVERDUE = "KeysOverdue";
    public static final String RETIRED_KEYS_WAITING = "RetiredKeysWaiting";
    public static final String EARLIEST_SAFE_AFTER_DAYS = "EarliestSafeAfterDays";
    public static final String RETIRED_KEYS_PAST_SAFE_AFTER = "RetiredKeysPastSafeAfter";
    public static final String DELETIONS_SCHEDULED = "DeletionsScheduled";
    public static final String DELETIONS_CANCELLED = "DeletionsCancelled";
    public static final String DELETIONS_NOT_CANCELLED = "DeletionsNotCancelled";
    public static final String ATLAS_RETRIES = "AtlasRetries";
    public static final String ATLAS_RATE_LIMITED = "AtlasRateLimited";
    public static final String DEPLOYMENT_WAIT_SECONDS = "DeploymentWaitSeconds";

    private final String deployment;
    private final Clock clock;
    private final Consumer<String> sink;

    /**
     * @param deployment the {@code Deployment} dimension's value
     * @param clock      the time of each line
     * @param sink       takes each line (without its line break)
     */
    public Metrics(String deployment, Clock clock, Consumer<String> sink) {
        if (deployment == null || deployment.isBlank()) {
            throw new IllegalArgumentException("The deployment's name is required: it is every metric's dimension.");
        }
        this.deployment = deployment.trim();
        this.clock = Objects.requireNonNull(clock, "clock");
        this.sink = Objects.requireNonNull(sink, "sink");
    }

    /** A deployed function's: lines to standard output, the deployment from {@code ROTATOR_DEPLOYMENT}, the system clock. */
    public static Metrics fromEnvironment(Map<String, String> env) {
        String deployment = env.get(DEPLOYMENT_VARIABLE);
        if (deployment == null || deployment.isBlank()) {
            throw new IllegalStateException(DEPLOYMENT_VARIABLE + " is not set: the functions' metrics carry the"
                    + " deployment (the stack's name) as a dimension. Deploy with the stack, which sets it.");
        }
        return new Metrics(deployment, Clock.systemUTC(), Metrics::toStandardOutput);
    }

    /** Writes nothing (tests and local runs that do not look at metrics). */
    public static Metrics discarding(Clock clock) {
        return new Metrics("none", clock, line -> { });
    }

    public String deployment() {
        return deployment;
    }

    /** The time lines are stamped with. */
    public Instant now() {
        return clock.instant();
    }

    /** Writes {@code line} as one EMF line; nothing when it holds no value. */
    public void flush(MetricLine line) {
        if (line == null || line.isEmpty()) {
            return;
        }
        sink.accept(render(line, deployment, clock.instant()));
    }

    /** The EMF JSON of {@code line}, without a line break. */
    static String render(MetricLine line, String deployment, Instant at) {
        ObjectNode root = Json.MAPPER.createObjectNode();
        ObjectNode aws = root.putObject("_aws");
        aws.put("Timestamp", at.toEpochMilli());
        ArrayNode directives = aws.putArray("CloudWatchMetrics");
        Map<MetricLine.Sets, ArrayNode> bySets = new EnumMap<>(MetricLine.Sets.class);
        for (MetricLine.Value value : line.values()) {
            ArrayNode metrics = bySets.computeIfAbsent(value.sets(), sets -> {
                ObjectNode directive = directives.addObject();
                directive.put("Namespace", NAMESPACE);
                ArrayNode dimensions = directive.putArray("Dimensions");
                for (List<String> set : dimensionSets(sets)) {
                    ArrayNode names = dimensions.addArray();
                    set.forEach(names::add);
                }
                return directive.putArray("Metrics");
            });
            metrics.addObject().put("Name", value.name()).put("Unit", value.unit().cloudWatchName());
        }
        root.put(DEPLOYMENT, deployment);
        if (line.projectId() != null) {
            root.put(PROJECT_ID, line.projectId());
        }
        for (MetricLine.Value value : line.values()) {
            double v = value.value();
            if (v == Math.rint(v) && Math.abs(v) < 1e15) {
                root.put(value.name(), (long) v);
            } else {
                root.put(value.name(), v);
            }
        }
        try {
            return Json.MAPPER.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Could not write a metric line", e);
        }
    }

    private static List<List<String>> dimensionSets(MetricLine.Sets sets) {
        return switch (sets) {
            case PROJECT_AND_AGGREGATE -> List.of(List.of(DEPLOYMENT, PROJECT_ID), List.of(DEPLOYMENT));
            case PROJECT -> List.of(List.of(DEPLOYMENT, PROJECT_ID));
            case AGGREGATE -> List.of(List.of(DEPLOYMENT));
        };
    }

    /** One line to the current standard output, whole, under the stream's lock (as the JSON log lines are written). */
    private static void toStandardOutput(String line) {
        PrintStream out = System.out;
        byte[] bytes = (line + "\n").getBytes(StandardCharsets.UTF_8);
        synchronized (out) {
            out.write(bytes, 0, bytes.length);
            out.flush();
        }
    }
}
