package io.atlascmk.rotator.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.atlascmk.rotator.aws.AwsClients;
import io.atlascmk.rotator.fleet.FleetConcurrency;
import io.atlascmk.rotator.fleet.FleetPlanner;
import io.atlascmk.rotator.json.Json;
import io.atlascmk.rotator.registry.DynamoDbProjectRegistry;
import io.atlascmk.rotator.registry.ProjectRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;

/**
 * The fleet run's first state: reads the project registry and plans which projects to start ({@link FleetPlanner}).
 * Its output, {@code {"maxConcurrency": N, "concurrencySource", "concurrencyReason", "due": [{"projectId", "mode"}],
 * "notDue": N, "problems": [...]}}, feeds the fleet's Map state. N is the run's input {@code maxConcurrency} (1-40,
 * else 5), lowered when Atlas's rate limits would not hold that many rotations at once ({@link FleetConcurrency});
 * {@code concurrencySource} says which ({@code rateLimits}, {@code configured}, {@code default}) and
 * {@code concurrencyReason} why, also when the limits could not be read. Environment: {@code ROTATOR_LOCK_TABLE} (the
 * registry and key index), {@code ROTATOR_DEPLOYMENT}; {@code ATLAS_SECRET_ARN} (and {@code ATLAS_BASE_URL}) to read
 * the limits, without which the input's number stands.
 */
public final class FleetPlanHandler implements RequestStreamHandler {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(FleetPlanHandler.class);
    static final int DEFAULT_MAX_CONCURRENCY = FleetConcurrency.DEFAULT_MAX_CONCURRENCY;
    static final int MAX_CONCURRENCY = FleetConcurrency.MAX_CONCURRENCY;

    private final ProjectRegistry registry;
    private final FleetPlanner planner;
    private final FleetConcurrency concurrency;
    private final Clock clock;
    private final io.atlascmk.rotator.metrics.Metrics metrics;

    public FleetPlanHandler() {
        this(new DynamoDbProjectRegistry(AwsClients.dynamoDb(), AtlasWebhookHandler.required(System.getenv(),
                        ProductionDependencies.LOCK_TABLE, "the rotator's table")),
                new FleetPlanner(ProductionDependencies::keysFor), FleetConcurrency.fromEnvironment(System.getenv()),
                Clock.systemUTC(), ProductionDependencies.metrics());
        // maxConcurrency 0 is refused before the registry is read
        priming = Priming.register("FleetPlanHandler", Priming.plumbing(this, null, null, "{\"input\":{\"maxConcurrency\":0}}"),
                Priming::dynamoDb, Priming::kms, Priming::secretsManager);
    }

    /** Held for CRaC (weak references); null outside the Lambda constructor. */
    private Priming priming;

    /** For tests and the sandbox: its metrics are not written. */
    public FleetPlanHandler(ProjectRegistry registry, FleetPlanner planner, FleetConcurrency concurrency, Clock clock) {
        this(registry, planner, concurrency, clock, io.atlascmk.rotator.metrics.Metrics.discarding(clock));
    }

    /**
     * For tests and the sandbox: its metrics (each project's key age, the number of overdue keys, the Atlas client's
     * retries and 429s) written with {@code metrics}.
     */
    public FleetPlanHandler(ProjectRegistry registry, FleetPlanner planner, FleetConcurrency concurrency, Clock clock,
            io.atlascmk.rotator.metrics.Metrics metrics) {
        this.registry = registry;
        this.planner = planner;
        this.concurrency = concurrency;
        this.clock = clock;
        this.metrics = java.util.Objects.requireNonNull(metrics, "metrics");
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        com.fasterxml.jackson.databind.JsonNode request = Json.MAPPER.readTree(input);
        com.fasterxml.jackson.databind.JsonNode given = request.path("input").path("maxConcurrency");
        int width = given.asInt(DEFAULT_MAX_CONCURRENCY);
        if (width < 1 || width > MAX_CONCURRENCY) {
            throw new io.atlascmk.rotator.rotation.InvalidInputException("maxConcurrency", "is " + width + ": give 1 to "
                    + MAX_CONCURRENCY + " projects at once (default " + DEFAULT_MAX_CONCURRENCY + ").");
        }
        FleetPlanner.Plan plan = planner.plan(registry.list(), clock.instant());
        io.atlascmk.rotator.metrics.StepMetrics.fleet(plan).forEach(metrics::flush);
        // never fails: limits that cannot be read leave the input's number, and the reason says so
        concurrency.takeAtlasCalls();
        FleetConcurrency.Decision decision = concurrency.decide(width, !given.isMissingNode() && !given.isNull());
        metrics.flush(io.atlascmk.rotator.metrics.StepMetrics.atlas(null, concurrency.takeAtlasCalls()));
        LOG.info("Fleet: {} projects at once ({}): {}", decision.maxConcurrency(), decision.source(), decision.reason());
        ObjectNode out = Json.MAPPER.createObjectNode();
        out.put("maxConcurrency", decision.maxConcurrency());
        out.put("concurrencySource", decision.source());
        out.put("concurrencyReason", decision.reason());
        // the state carries ids and modes only (a fleet of a thousand stays far below 256 KB); the reasons are logged
        ArrayNode due = out.putArray("due");
        plan.due().forEach(d -> {
            due.addObject().put("projectId", d.projectId()).put("mode", d.mode());
            LOG.info("Fleet: {} {}: {}", d.mode(), d.projectId(), d.reason());
        });
        plan.notDue().forEach(n -> LOG.info("Fleet: not due {}: {}", n.projectId(), n.reason()));
        out.put("notDue", plan.notDue().size());
        ArrayNode problems = out.putArray("problems");
        plan.problems().forEach(p -> problems.addObject().put("projectId", p.projectId()).put("reason", p.reason()));
        output.write(Json.MAPPER.writeValueAsBytes(out));
    }
}
