package io.atlascmk.cli;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.atlascmk.rotator.json.Json;
import java.time.Clock;
import java.util.function.BiFunction;

/**
 * The fleet's child executions ({@code arn:aws:states:::states:startExecution.sync:2}) served on this machine: the
 * engine runs every Task through the local endpoint, so this runs the named rotation execution with the local
 * runner and answers as Step Functions' optimized integration does: the child's {@code Name}, {@code Status},
 * {@code Input} and its {@code Output} as JSON; a child that fails fails the Task with {@code States.TaskFailed},
 * its cause the child's error and cause.
 */
public final class ChildExecutionIntegration {

    /** The resource name of the fleet's RotateProject state. */
    public static final String RESOURCE = "arn:aws:states:::states:startExecution.sync:2";

    private ChildExecutionIntegration() {
    }

    /** @param run runs one rotation execution (its name and input) to its end */
    public static RequestStreamHandler handler(BiFunction<String, JsonNode, ExecutionResult> run, Clock clock) {
        return (in, out, context) -> {
            JsonNode request = Json.MAPPER.readTree(in);
            String name = request.path("Name").asText("");
            JsonNode input = request.path("Input");
            if (name.isEmpty() || !input.isObject()) {
                throw new IllegalArgumentException("startExecution.sync:2 needs a Name and an Input object; got " + request);
            }
            String started = clock.instant().toString();
            ExecutionResult result = run.apply(name, input);
            if (!result.succeeded()) {
                ObjectNode cause = Json.MAPPER.createObjectNode().put("Name", name).put("Status", "FAILED")
                        .put("Error", result.error()).put("Cause", result.cause());
                throw new ChildFailed(cause.toString());
            }
            ObjectNode answer = Json.MAPPER.createObjectNode();
            answer.put("ExecutionArn", request.path("StateMachineArn").asText().replace(":stateMachine:", ":execution:") + ":" + name);
            answer.put("StateMachineArn", request.path("StateMachineArn").asText());
            answer.put("Name", name);
            answer.put("Status", "SUCCEEDED");
            answer.put("StartDate", started);
            answer.put("StopDate", clock.instant().toString());
            answer.set("Input", input);
            answer.set("Output", result.output());
            out.write(Json.MAPPER.writeValueAsBytes(answer));
        };
    }

    /** A child execution that failed: the Task fails with {@code States.TaskFailed}. */
    static final class ChildFailed extends RuntimeException implements LocalLambdaEndpoint.NamedTaskError {
        private static final long serialVersionUID = 1L;

        ChildFailed(String cause) {
            super(cause);
        }

        @Override
        public String errorName() {
            return "States.TaskFailed";
        }
    }
}
