package io.atlascmk.rotator.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.atlascmk.rotator.aws.AwsClients;
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
 * Its output, {@code {"maxConcurrency": N, "due": [{"projectId", "mode"}], "notDue": N, "problems": [...]}}, feeds the
 * fleet's Map state (N: the run's input {@code maxConcurrency}, 1-40, else 5). Environment: {@code ROTATOR_LOCK_TABLE} (the registry and key index), {@code ROTATOR_DEPLOYMENT}.
 */
public final class FleetPlanHandler implements RequestStreamHandler {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(FleetPlanHandler.class);
    static final int DEFAULT_MAX_CONCURRENCY = 5;
    static final int MAX_CONCURRENCY = 40;

    private final ProjectRegistry registry;
    private final FleetPlanner planner;
    private final Clock clock;

    public FleetPlanHandler() {
        this(new DynamoDbProjectRegistry(AwsClients.dynamoDb(), AtlasWebhookHandler.required(System.getenv(),
                        ProductionDependencies.LOCK_TABLE, "the rotator's table")),
                new FleetPlanner(ProductionDependencies::keysFor), Clock.systemUTC());
    }

    /** For tests and the sandbox. */
    public FleetPlanHandler(ProjectRegistry registry, FleetPlanner planner, Clock clock) {
        this.registry = registry;
        this.planner = planner;
        this.clock = clock;
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        com.fasterxml.jackson.databind.JsonNode request = Json.MAPPER.readTree(input);
        int width = request.path("input").path("maxConcurrency").asInt(DEFAULT_MAX_CONCURRENCY);
        if (width < 1 || width > MAX_CONCURRENCY) {
            throw new io.atlascmk.rotator.rotation.InvalidInputException("maxConcurrency", "is " + width + ": give 1 to "
                    + MAX_CONCURRENCY + " projects at once (default " + DEFAULT_MAX_CONCURRENCY + ").");
        }
        FleetPlanner.Plan plan = planner.plan(registry.list(), clock.instant());
        ObjectNode out = Json.MAPPER.createObjectNode();
        out.put("maxConcurrency", width);
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
