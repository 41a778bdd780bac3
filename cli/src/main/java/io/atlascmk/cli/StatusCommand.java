package io.atlascmk.cli;

import io.atlascmk.rotator.aws.AwsClients;
import io.atlascmk.rotator.json.Json;
import io.atlascmk.rotator.kms.KeyService;
import io.atlascmk.rotator.kms.KeyTags;
import io.atlascmk.rotator.kms.ManagedKey;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.ExecutionListItem;

/** {@code rotator status}: a project's keys from their ledger tags, and its last executions. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Shows a project's keys (state, dates, safe-after, deletion) and its last executions.")
public final class StatusCommand implements Callable<Integer> {

    static final String REGION_ENV = "AWS_REGION";
    /** ListExecutions answers at most this many executions a call. */
    static final int MAX_EXECUTIONS = 1000;

    @Spec
    CommandSpec spec;

    @Option(names = "--project", required = true, description = "Atlas project (group) id, 24 hex characters.")
    String projectId;

    @Option(names = "--region", description = "Region of the project's KMS keys (default: $" + REGION_ENV + ").")
    String region;

    @Option(names = "--state-machine-arn",
            description = "Also list the project's last executions of this state machine (default: $" + StartCommand.STATE_MACHINE_ENV + ").")
    String stateMachineArn;

    @Option(names = "--executions", defaultValue = "10", description = "How many recent executions to read, 1-1000 (default ${DEFAULT-VALUE}).")
    int executions;

    private final Function<String, KmsClient> kmsClients;
    private final Supplier<SfnClient> sfnClients;
    private final Function<String, String> environment;

    /** The command line's: the default credentials chain and endpoint ({@code AWS_ENDPOINT_URL} included). */
    public StatusCommand() {
        this(AwsClients::kms, SfnClient::create, System::getenv);
    }

    /**
     * @param kmsClients  the KMS client of a region (shared: the command does not close it)
     * @param sfnClients  builds the Step Functions client the command uses and closes
     * @param environment reads an environment variable ({@value #REGION_ENV}, {@value StartCommand#STATE_MACHINE_ENV})
     */
    StatusCommand(Function<String, KmsClient> kmsClients, Supplier<SfnClient> sfnClients, Function<String, String> environment) {
        this.kmsClients = kmsClients;
        this.sfnClients = sfnClients;
        this.environment = environment;
    }

    @Override
    public Integer call() throws java.io.IOException {
        Arguments.requireProjectId(spec, projectId);
        String keyRegion = region != null ? region : environment.apply(REGION_ENV);
        if (keyRegion == null || keyRegion.isBlank()) {
            throw Arguments.invalid(spec, "No region: pass --region (where the project's KMS keys are) or set " + REGION_ENV + ".");
        }
        if (executions < 1 || executions > MAX_EXECUTIONS) {
            throw Arguments.invalid(spec, "--executions is " + executions + ": read 1 to " + MAX_EXECUTIONS + " executions.");
        }
        String machine = stateMachineArn != null ? stateMachineArn : environment.apply(StartCommand.STATE_MACHINE_ENV);
        PrintWriter out = spec.commandLine().getOut();
        // every deployment's keys of the project: status shows what is there, whoever manages it
        printKeys(out, KeyService.reader(kmsClients.apply(keyRegion)).findProjectKeysOfEveryDeployment(projectId));
        if (machine != null && !machine.isBlank()) {
            try (SfnClient sfn = sfnClients.get()) {
                printExecutions(out, sfn, machine);
            }
        }
        out.flush();
        return 0;
    }

    void printKeys(PrintWriter out, List<ManagedKey> keys) {
        out.println("Keys of project " + projectId + " (oldest first):");
        if (keys.isEmpty()) {
            out.println("  none: the project has not been rotated (or adopted) yet, or these credentials cannot read its keys' tags.");
        }
        for (ManagedKey k : keys) {
            out.printf("  %s  %-18s KMS %-15s created %s%s%s%s%s%s%s%n", k.keyId(), k.tag(KeyTags.STATE), k.keyState(), k.createdAt(),
                    k.tag(KeyTags.DEPLOYMENT) == null ? " (no deployment tag: ./rotator claim-keys)" : " deployment " + k.tag(KeyTags.DEPLOYMENT),
                    suffix(" rotation ", k.tag(KeyTags.ROTATION)), suffix(" adopted-by ", k.tag(KeyTags.ADOPTED_BY)),
                    suffix(" retired-at ", k.tag(KeyTags.RETIRED_AT)), suffix(" safe-after ", k.tag(KeyTags.SAFE_AFTER)),
                    k.deletionDate() == null ? "" : " deletion on " + k.deletionDate());
        }
    }

    private void printExecutions(PrintWriter out, SfnClient sfn, String machine) throws java.io.IOException {
        out.println("Last executions for this project:");
        List<ExecutionListItem> recent = sfn.listExecutions(b -> b.stateMachineArn(machine).maxResults(executions)).executions();
        int shown = 0;
        for (ExecutionListItem item : recent) {
            var d = sfn.describeExecution(b -> b.executionArn(item.executionArn()));
            String project = d.input() == null ? "" : Json.MAPPER.readTree(d.input()).path("projectId").asText("");
            if (projectId.equals(project)) {
                out.printf("  %s  %-9s started %s%s%n", item.name(), item.statusAsString(), item.startDate(),
                        item.stopDate() == null ? "" : " stopped " + item.stopDate());
                shown++;
            }
        }
        if (shown == 0) {
            out.println("  none among the last " + recent.size() + " executions.");
        }
    }

    private static String suffix(String label, String value) {
        return value == null ? "" : label + value;
    }
}
