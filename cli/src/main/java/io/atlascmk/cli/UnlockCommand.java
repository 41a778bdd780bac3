package io.atlascmk.cli;

import io.atlascmk.rotator.aws.AwsClients;
import io.atlascmk.rotator.aws.StepFunctionsRotationRegistry;
import io.atlascmk.rotator.lock.DynamoDbRotationLock;
import io.atlascmk.rotator.lock.LockHeldException;
import io.atlascmk.rotator.lock.LockState;
import io.atlascmk.rotator.lock.RotationLock;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.function.Predicate;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code rotator unlock --project ID}: frees a project's rotation lock that nothing will release (its
 * holder ended without reaching an end state, or a local run crashed). Refuses while the holder's
 * execution still runs: stop that execution instead, and its end releases the lock.
 */
@Command(name = "unlock", mixinStandardHelpOptions = true,
        description = "Frees a project's stuck rotation lock; refuses while the execution holding it still runs.")
public final class UnlockCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--project", required = true, description = "Atlas project (group) id, 24 hex characters.")
    String projectId;

    @Option(names = "--lock-table", defaultValue = "${env:ROTATOR_LOCK_TABLE:-atlas-cmk-rotator-locks}",
            description = "The deployment's lock table (the stack's LockTableName output; default: $ROTATOR_LOCK_TABLE, else ${DEFAULT-VALUE}).")
    String lockTable;

    @Option(names = "--state-machine-arn", defaultValue = "${env:ROTATOR_STATE_MACHINE_ARN}",
            description = "The rotation state machine, asked whether the holder still runs (default: $ROTATOR_STATE_MACHINE_ARN).")
    String stateMachineArn;

    private final Function<UnlockCommand, RotationLock> locks;

    public UnlockCommand() {
        this(c -> new DynamoDbRotationLock(AwsClients.dynamoDb(), c.lockTable, Clock.systemUTC(), Duration.ofHours(2),
                c.executionRunning()));
    }

    /** @param locks the lock this command frees (tests give one on dynalite) */
    UnlockCommand(Function<UnlockCommand, RotationLock> locks) {
        this.locks = locks;
    }

    /** Step Functions' answer, or "cannot tell" (which keeps the lock) without the state machine's ARN. */
    Predicate<String> executionRunning() {
        if (stateMachineArn == null || stateMachineArn.isBlank()) {
            return name -> {
                throw new IllegalStateException("Cannot tell whether execution " + name + " still runs: give"
                        + " --state-machine-arn (the stack's StateMachineArn output). The lock was kept.");
            };
        }
        return new StepFunctionsRotationRegistry(software.amazon.awssdk.services.sfn.SfnClient.create(),
                stateMachineArn)::isRunning;
    }

    @Override
    public Integer call() {
        Arguments.requireProjectId(spec, projectId);
        RotationLock lock = locks.apply(this);
        try {
            Optional<LockState> freed = lock.unlock(projectId);
            if (freed.isEmpty()) {
                spec.commandLine().getOut().println("Project " + projectId + " is not locked; nothing to do.");
            } else {
                spec.commandLine().getOut().println("Unlocked project " + projectId + ": it was held by "
                        + freed.get().holder() + " since " + freed.get().acquiredAt() + " (token " + freed.get().token()
                        + "). Check the project with `./rotator status --project " + projectId + "` before starting"
                        + " a rotation: a pending key of that run is resumed or abandoned by the next one.");
            }
            return 0;
        } catch (LockHeldException held) {
            spec.commandLine().getErr().println("Not unlocked: " + held.getMessage());
            return 1;
        } catch (IllegalStateException unknown) {
            spec.commandLine().getErr().println("Not unlocked: " + unknown.getMessage());
            return 1;
        }
    }
}
