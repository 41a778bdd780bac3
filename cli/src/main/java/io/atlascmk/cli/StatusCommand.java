package io.atlascmk.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.atlascmk.cli.history.HistoryReader;
import io.atlascmk.cli.history.ProjectHistory;
import io.atlascmk.cli.history.TimelinePage;
import io.atlascmk.cli.history.TimelineText;
import io.atlascmk.rotator.aws.AwsClients;
import io.atlascmk.rotator.json.Json;
import io.atlascmk.rotator.registry.DynamoDbProjectRegistry;
import io.atlascmk.rotator.registry.ProjectRegistry;
import io.atlascmk.rotator.registry.RegisteredProject;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.ExecutionListItem;

/**
 * {@code rotator status}: a project's keys from their ledger tags, each key's history as a timeline (with the registry's
 * settings and the evidence bucket's audits and archived rotation events when given), and its last executions; as
 * text, as JSON for scripts, or as one self-contained HTML page.
 */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Shows a project's keys (state, dates, safe-after, deletion), their history as a timeline, and its last executions.")
public final class StatusCommand implements Callable<Integer> {

    static final String REGION_ENV = "AWS_REGION";
    static final String LOCK_TABLE_ENV = "ROTATOR_LOCK_TABLE";
    static final String EVIDENCE_BUCKET_ENV = "ROTATOR_EVIDENCE_BUCKET";
    /** ListExecutions answers at most this many executions a call. */
    static final int MAX_EXECUTIONS = 1000;

    @Spec
    CommandSpec spec;

    @Option(names = "--project", description = "Atlas project (group) id, 24 hex characters.")
    String projectId;

    @Option(names = "--all", description = "Every project of the registry, each in its own region (needs --lock-table).")
    boolean all;

    @Option(names = "--region", description = "Region of the project's KMS keys (default: the project's registered region, else $" + REGION_ENV + ").")
    String region;

    @Option(names = "--lock-table", paramLabel = "TABLE",
            description = "The deployment's table, for the registry's settings and --all (default: $" + LOCK_TABLE_ENV + "; none: not read).")
    String lockTable;

    @Option(names = "--evidence-bucket", paramLabel = "BUCKET",
            description = "The evidence bucket, for audits and archived rotation events (default: $" + EVIDENCE_BUCKET_ENV + "; none: not read).")
    String evidenceBucket;

    @Option(names = "--format", defaultValue = "text", description = "text (default) or json (the history model, for scripts).")
    String format;

    @Option(names = "--html", paramLabel = "FILE", description = "Also write the timeline as one self-contained HTML page.")
    Path html;

    @Option(names = "--state-machine-arn",
            description = "Also list the project's last executions of this state machine, in text (default: $" + StartCommand.STATE_MACHINE_ENV + ").")
    String stateMachineArn;

    @Option(names = "--executions", defaultValue = "10", description = "How many recent executions to read, 1-1000 (default ${DEFAULT-VALUE}).")
    int executions;

    private final Function<String, KmsClient> kmsClients;
    private final Supplier<SfnClient> sfnClients;
    private final Function<String, String> environment;
    private final Function<String, ProjectRegistry> registries;
    private final Supplier<S3Client> s3Clients;
    private final Clock clock;

    /** The command line's: the default credentials chain and endpoint ({@code AWS_ENDPOINT_URL} included). */
    public StatusCommand() {
        this(AwsClients::kms, SfnClient::create, System::getenv,
                table -> new DynamoDbProjectRegistry(AwsClients.dynamoDb(), table), AwsClients::s3, Clock.systemUTC());
    }

    /** Without a registry or a bucket (tests of the ledger and the executions). */
    StatusCommand(Function<String, KmsClient> kmsClients, Supplier<SfnClient> sfnClients, Function<String, String> environment) {
        this(kmsClients, sfnClients, environment, table -> {
            throw new IllegalStateException("no registry in this test");
        }, () -> {
            throw new IllegalStateException("no S3 in this test");
        }, Clock.systemUTC());
    }

    /**
     * @param kmsClients  the KMS client of a region (shared: the command does not close it)
     * @param sfnClients  builds the Step Functions client the command uses and closes
     * @param environment reads an environment variable ({@value #REGION_ENV}, {@value #LOCK_TABLE_ENV},
     *                    {@value #EVIDENCE_BUCKET_ENV}, {@value StartCommand#STATE_MACHINE_ENV})
     * @param registries  the registry in a table
     * @param s3Clients   the evidence bucket's S3 client (shared: not closed)
     * @param clock       "now" of the timeline
     */
    StatusCommand(Function<String, KmsClient> kmsClients, Supplier<SfnClient> sfnClients, Function<String, String> environment,
                  Function<String, ProjectRegistry> registries, Supplier<S3Client> s3Clients, Clock clock) {
        this.kmsClients = kmsClients;
        this.sfnClients = sfnClients;
        this.environment = environment;
        this.registries = registries;
        this.s3Clients = s3Clients;
        this.clock = clock;
    }

    @Override
    public Integer call() throws IOException {
        if (all && projectId != null) {
            throw Arguments.invalid(spec, "--project and --all together: pass --project ID for one project, or --all for every registered one.");
        }
        if (!all && projectId == null) {
            throw Arguments.invalid(spec, "No project: pass --project ID, or --all for every registered project (with --lock-table).");
        }
        if (!all) {
            Arguments.requireProjectId(spec, projectId);
        }
        if (!"text".equals(format) && !"json".equals(format)) {
            throw Arguments.invalid(spec, "--format '" + format + "': use text or json.");
        }
        if (executions < 1 || executions > MAX_EXECUTIONS) {
            throw Arguments.invalid(spec, "--executions is " + executions + ": read 1 to " + MAX_EXECUTIONS + " executions.");
        }
        String table = orEnv(lockTable, LOCK_TABLE_ENV);
        String bucket = orEnv(evidenceBucket, EVIDENCE_BUCKET_ENV);
        if (all && table == null) {
            throw Arguments.invalid(spec, "--all reads the registered projects from the registry: pass --lock-table TABLE (the stack's"
                    + " LockTableName output) or set " + LOCK_TABLE_ENV + ".");
        }
        String defaultRegion = orEnv(region, REGION_ENV);
        if (!all && table == null && defaultRegion == null) {
            throw Arguments.invalid(spec, "No region: pass --region (where the project's KMS keys are) or set " + REGION_ENV + ".");
        }
        HistoryReader reader = new HistoryReader(kmsClients, table == null ? null : registries.apply(table), table,
                bucket == null ? null : s3Clients.get(), bucket, clock);

        List<ProjectHistory> histories = new ArrayList<>();
        if (all) {
            for (RegisteredProject p : reader.registered()) {
                histories.add(reader.read(p.projectId(), region != null ? region : p.awsRegion()));
            }
        } else {
            String keyRegion = region;
            if (keyRegion == null) {
                keyRegion = reader.registration(projectId).map(RegisteredProject::awsRegion).orElse(defaultRegion);
            }
            if (keyRegion == null) {
                throw Arguments.invalid(spec, "No region: the project is not registered in " + table + "; pass --region (where the"
                        + " project's KMS keys are) or set " + REGION_ENV + ".");
            }
            histories.add(reader.read(projectId, keyRegion));
        }

        PrintWriter out = spec.commandLine().getOut();
        String machine = orEnv(stateMachineArn, StartCommand.STATE_MACHINE_ENV);
        if ("json".equals(format)) {
            ObjectNode doc = Json.MAPPER.createObjectNode();
            doc.set("projects", Json.MAPPER.valueToTree(histories));
            out.println(Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(doc));
        } else {
            if (all) {
                out.println(histories.size() + " registered project(s) in " + table + ".");
            }
            for (int i = 0; i < histories.size(); i++) {
                if (i > 0) {
                    out.println();
                }
                TimelineText.print(out, histories.get(i));
                if (machine != null) {
                    try (SfnClient sfn = sfnClients.get()) {
                        printExecutions(out, sfn, machine, histories.get(i).projectId());
                    }
                }
            }
        }
        if (html != null) {
            Path parent = html.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.writeString(html, TimelinePage.render(histories, clock.instant()), StandardCharsets.UTF_8);
            spec.commandLine().getErr().println("Timeline page written to " + html.toAbsolutePath() + ".");
        }
        out.flush();
        return 0;
    }

    private String orEnv(String given, String variable) {
        String value = given != null ? given : environment.apply(variable);
        return value == null || value.isBlank() ? null : value;
    }

    private void printExecutions(PrintWriter out, SfnClient sfn, String machine, String projectId) throws IOException {
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
}
