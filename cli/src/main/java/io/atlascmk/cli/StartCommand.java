package io.atlascmk.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.atlascmk.rotator.json.Json;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;
import software.amazon.awssdk.services.sfn.model.StartExecutionResponse;

/** {@code rotator start}: starts an execution of the deployed state machine and optionally follows it. */
@Command(name = "start", mixinStandardHelpOptions = true,
        description = "Starts a rotation of the deployed workflow (StartExecution) and follows its progress.")
public final class StartCommand implements Callable<Integer> {

    @Option(names = "--project", required = true, description = "Atlas project (group) id, 24 hex characters.")
    String projectId;

    @Option(names = "--state-machine-arn", defaultValue = "${env:ROTATOR_STATE_MACHINE_ARN}",
            description = "The rotator's state machine (stack output StateMachineArn; default: $ROTATOR_STATE_MACHINE_ARN).")
    String stateMachineArn;

    @Option(names = "--dry-run", description = "Plan only: change nothing; the plan is the execution output.")
    boolean dryRun;

    @Option(names = "--force", description = "Rotate even inside the cooldown (never skips the lock).")
    boolean force;

    @Option(names = "--follow", description = "Follow the execution until it ends, printing each step.")
    boolean follow;

    @Option(names = "--poll-seconds", defaultValue = "5", description = "How often --follow polls (default ${DEFAULT-VALUE}).")
    int pollSeconds;

    @Override
    public Integer call() throws InterruptedException {
        if (stateMachineArn == null || stateMachineArn.isBlank()) {
            throw new IllegalArgumentException("No state machine: pass --state-machine-arn (the stack output StateMachineArn) or set ROTATOR_STATE_MACHINE_ARN.");
        }
        if (!projectId.matches("[0-9a-f]{24}")) {
            throw new IllegalArgumentException("--project '" + projectId + "' is not an Atlas project id (24 lower-case hex characters).");
        }
        ObjectNode input = Json.MAPPER.createObjectNode().put("projectId", projectId).put("trigger", "manual");
        if (dryRun) {
            input.put("dryRun", true);
        }
        if (force) {
            input.put("force", true);
        }
        String name = (dryRun ? "manual-dry-run-" : "manual-") + Instant.now().toString().replace(":", "-").replace(".", "-");
        try (SfnClient sfn = SfnClient.create()) {
            StartExecutionResponse started = sfn.startExecution(b -> b.stateMachineArn(stateMachineArn).name(name).input(input.toString()));
            System.out.println("Started " + started.executionArn());
            if (!follow) {
                return 0;
            }
            return followExecution(sfn, started.executionArn());
        }
    }

    int followExecution(SfnClient sfn, String executionArn) throws InterruptedException {
        long seen = 0;
        while (true) {
            for (HistoryEvent e : sfn.getExecutionHistoryPaginator(b -> b.executionArn(executionArn)).events()) {
                if (e.id() > seen) {
                    seen = e.id();
                    String line = HistoryLines.describe(e);
                    if (line != null) {
                        System.out.println(line);
                    }
                }
            }
            DescribeExecutionResponse d = sfn.describeExecution(b -> b.executionArn(executionArn));
            if (d.status() != ExecutionStatus.RUNNING) {
                System.out.println("Execution " + d.statusAsString()
                        + (d.output() != null ? "\n" + pretty(d.output()) : "")
                        + (d.error() != null ? "\n" + d.error() + ": " + d.cause() : ""));
                return d.status() == ExecutionStatus.SUCCEEDED ? 0 : 1;
            }
            Thread.sleep(pollSeconds * 1000L);
        }
    }

    private static String pretty(String json) {
        try {
            return Json.MAPPER.readTree(json).toPrettyString();
        } catch (java.io.IOException notJson) {
            return json;
        }
    }
}
