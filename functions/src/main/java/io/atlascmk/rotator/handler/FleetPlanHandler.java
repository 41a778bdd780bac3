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
 * Its output, {@code {"due": [{"projectId", "mode", "reason"}], "notDue": N, "problems": [...]}}, feeds the fleet's
 * Map state. Environment: {@code ROTATOR_LOCK_TABLE} (the registry and key index), {@code ROTATOR_DEPLOYMENT}.
 */
public final class FleetPlanHandler implements RequestStreamHandler {

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
        input.readAllBytes(); // the schedule's input carries nothing the plan needs
        FleetPlanner.Plan plan = planner.plan(registry.list(), clock.instant());
        ObjectNode out = Json.MAPPER.createObjectNode();
        ArrayNode due = out.putArray("due");
        plan.due().forEach(d -> due.addObject().put("projectId", d.projectId()).put("mode", d.mode()).put("reason", d.reason()));
        out.put("notDue", plan.notDue().size());
        ArrayNode problems = out.putArray("problems");
        plan.problems().forEach(p -> problems.addObject().put("projectId", p.projectId()).put("reason", p.reason()));
        output.write(Json.MAPPER.writeValueAsBytes(out));
    }
}
