package io.atlascmk.cli;

import io.atlascmk.rotator.aws.AwsClients;
import io.atlascmk.rotator.json.Json;
import io.atlascmk.rotator.kms.KeyService;
import io.atlascmk.rotator.kms.KeyTags;
import io.atlascmk.rotator.kms.ManagedKey;
import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.ExecutionListItem;

/** {@code rotator status}: a project's keys from their ledger tags, and its last executions. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Shows a project's keys (state, dates, safe-after, deletion) and its last executions.")
public final class StatusCommand implements Callable<Integer> {

    @Option(names = "--project", required = true, description = "Atlas project (group) id, 24 hex characters.")
    String projectId;

    @Option(names = "--region", defaultValue = "${env:AWS_REGION}", description = "Region of the project's KMS keys (default: $AWS_REGION).")
    String region;

    @Option(names = "--state-machine-arn", defaultValue = "${env:ROTATOR_STATE_MACHINE_ARN}",
            description = "Also list the project's last executions of this state machine (default: $ROTATOR_STATE_MACHINE_ARN).")
    String stateMachineArn;

    @Option(names = "--executions", defaultValue = "10", description = "How many recent executions to read (default ${DEFAULT-VALUE}).")
    int executions;

    @Override
    public Integer call() throws java.io.IOException {
        if (region == null || region.isBlank()) {
            throw new IllegalArgumentException("No region: pass --region (where the project's KMS keys are) or set AWS_REGION.");
        }
        PrintStream out = System.out;
        printKeys(out, new KeyService(AwsClients.kms(region)).findProjectKeys(projectId));
        if (stateMachineArn != null && !stateMachineArn.isBlank()) {
            try (SfnClient sfn = SfnClient.create()) {
                printExecutions(out, sfn);
            }
        }
        return 0;
    }

    void printKeys(PrintStream out, List<ManagedKey> keys) {
        out.println("Keys of project " + projectId + " (oldest first):");
        if (keys.isEmpty()) {
            out.println("  none: the project has not been rotated (or adopted) yet, or these credentials cannot read its keys' tags.");
        }
        for (ManagedKey k : keys) {
            out.printf("  %s  %-18s KMS %-15s created %s%s%s%s%s%n", k.keyId(), k.tag(KeyTags.STATE), k.keyState(), k.createdAt(),
                    suffix(" rotation ", k.tag(KeyTags.ROTATION)), suffix(" retired-at ", k.tag(KeyTags.RETIRED_AT)),
                    suffix(" safe-after ", k.tag(KeyTags.SAFE_AFTER)),
                    k.deletionDate() == null ? "" : " deletion on " + k.deletionDate());
        }
    }

    private void printExecutions(PrintStream out, SfnClient sfn) throws java.io.IOException {
        out.println("Last executions for this project:");
        List<ExecutionListItem> recent = sfn.listExecutions(b -> b.stateMachineArn(stateMachineArn).maxResults(Math.max(1, executions)))
                .executions();
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
