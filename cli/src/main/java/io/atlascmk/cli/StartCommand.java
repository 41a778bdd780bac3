package io.atlascmk.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.atlascmk.rotator.json.Json;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;
import software.amazon.awssdk.services.sfn.model.StartExecutionResponse;

/** {@code rotator start}: starts an execution of the deployed state machine and optionally follows it. */
@Command(name = "start", mixinStandardHelpOptions = true,
        description = "Starts a rotation of the deployed workflow (StartExecution) and follows its progress.")
public final class StartCommand implements Callable<Integer> {

    static final String STATE_MACHINE_ENV = "ROTATOR_STATE_MACHINE_ARN";

    /** Waits between two looks at a followed execution. */
    @FunctionalInterface
    interface Pause {
        void pause(Duration duration) throws InterruptedException;
    }

    @Spec
    CommandSpec spec;

    @Mixin
    RotationRequest request = new RotationRequest();

    @Option(names = "--state-machine-arn",
            description = "The rotator's state machine (stack output StateMachineArn; default: $" + STATE_MACHINE_ENV + ").")
    String stateMachineArn;

    @Option(names = "--follow", description = "Follow the execution until it ends, printing each step.")
    boolean follow;

    @Option(names = "--poll-seconds", defaultValue = "5", description = "How often --follow polls (default ${DEFAULT-VALUE}).")
    int pollSeconds;

    private final Supplier<SfnClient> sfnClients;
    private final Function<String, String> environment;
    private final Pause pause;

    /** The command line's: the default credentials chain, region and endpoint ({@code AWS_ENDPOINT_URL} included). */
    public StartCommand() {
        this(SfnClient::create, System::getenv, d -> Thread.sleep(d.toMillis()));
    }

    /**
     * @param sfnClients  builds the Step Functions client the command uses and closes
     * @param environment reads an environment variable ({@value #STATE_MACHINE_ENV})
     * @param pause       waits between two polls of {@code --follow}
     */
    StartCommand(Supplier<SfnClient> sfnClients, Function<String, String> environment, Pause pause) {
        this.sfnClients = sfnClients;
        this.environment = environment;
        this.pause = pause;
    }

    @Override
    public Integer call() throws InterruptedException {
        String machine = stateMachineArn != null ? stateMachineArn : environment.apply(STATE_MACHINE_ENV);
        if (machine == null || machine.isBlank()) {
            throw Arguments.invalid(spec, "No state machine: pass --state-machine-arn (the stack output StateMachineArn) or set "
                    + STATE_MACHINE_ENV + ".");
        }
        Arguments.requireProjectId(spec, request.projectId);
        if (pollSeconds < 1) {
            throw Arguments.invalid(spec, "--poll-seconds is " + pollSeconds + ": poll at most once a second.");
        }
        ObjectNode input = request.executionInput();
        String name = request.executionName("manual");
        PrintWriter out = spec.commandLine().getOut();
        try (SfnClient sfn = sfnClients.get()) {
            StartExecutionResponse started = sfn.startExecution(b -> b.stateMachineArn(machine).name(name).input(input.toString()));
            out.println("Started " + started.executionArn());
            if (!follow) {
                return 0;
            }
            return followExecution(sfn, started.executionArn(), out);
        }
    }

    /** Prints each new step until the execution ends; 0 when it succeeded, 1 otherwise. */
    int followExecution(SfnClient sfn, String executionArn, PrintWriter out) throws InterruptedException {
        long seen = 0;
        while (true) {
            seen = printNewEvents(sfn, executionArn, seen, out);
            DescribeExecutionResponse d = sfn.describeExecution(b -> b.executionArn(executionArn));
            if (d.status() != ExecutionStatus.RUNNING) {
                // It may have moved on between the history read and this one: print its last steps too.
                printNewEvents(sfn, executionArn, seen, out);
                out.println("Execution " + d.statusAsString()
                        + (d.output() != null ? "\n" + pretty(d.output()) : "")
                        + (d.error() != null ? "\n" + d.error() + ": " + d.cause() : ""));
                return d.status() == ExecutionStatus.SUCCEEDED ? 0 : 1;
            }
            pause.pause(Duration.ofSeconds(pollSeconds));
        }
    }

    private static long printNewEvents(SfnClient sfn, String executionArn, long seen, PrintWriter out) {
        long last = seen;
        for (HistoryEvent e : sfn.getExecutionHistoryPaginator(b -> b.executionArn(executionArn)).events()) {
            if (e.id() > last) {
                last = e.id();
                String line = HistoryLines.describe(e);
                if (line != null) {
                    out.println(line);
                }
            }
        }
        out.flush();
        return last;
    }

    private static String pretty(String json) {
        try {
            return Json.MAPPER.readTree(json).toPrettyString();
        } catch (java.io.IOException notJson) {
            return json;
        }
    }
}
