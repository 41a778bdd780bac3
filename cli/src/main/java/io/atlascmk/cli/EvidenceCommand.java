package io.atlascmk.cli;

import io.atlascmk.cli.evidence.EvidenceBuilder;
import io.atlascmk.cli.evidence.EvidenceCsv;
import io.atlascmk.cli.evidence.EvidenceHtml;
import io.atlascmk.cli.evidence.EvidenceReport;
import io.atlascmk.cli.evidence.EvidenceReport.Period;
import io.atlascmk.cli.evidence.EvidenceReport.ProjectEvidence;
import io.atlascmk.cli.history.HistoryReader;
import io.atlascmk.cli.history.ProjectHistory;
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
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * {@code rotator evidence}: for auditors, every rotation of a period per project, with its trigger, outcome, keys,
 * each audit's decisions and evidence, deletion dates, and the longest time a key stayed active beside the project's
 * policy; every record that is missing is said in the output. Reads the ledger (KMS), the registry and the evidence
 * bucket through {@link HistoryReader}.
 */
@Command(name = "evidence", mixinStandardHelpOptions = true,
        description = "For auditors: every rotation in a period (trigger, outcome, keys, audit decisions and evidence,"
                + " deletion dates) and the longest active key beside the policy, as csv, json or html; missing records are listed.")
public final class EvidenceCommand implements Callable<Integer> {

    static final String LOCK_TABLE_ENV = "ROTATOR_LOCK_TABLE";
    static final String BUCKET_ENV = "ROTATOR_EVIDENCE_BUCKET";
    static final List<String> FORMATS = List.of("csv", "json", "html");
    static final String WHEN_FORMAT = "an ISO date (2026-01-01, meaning midnight UTC) or an instant"
            + " (2026-01-01T00:00:00Z, or with an offset such as 2026-01-01T00:00:00+02:00)";

    @Spec
    CommandSpec spec;

    @Option(names = "--since", required = true, paramLabel = "DATE",
            description = "Start of the period, inclusive: " + WHEN_FORMAT + ".")
    String since;

    @Option(names = "--until", paramLabel = "DATE",
            description = "End of the period, exclusive (default: now): " + WHEN_FORMAT + ".")
    String until;

    @Option(names = "--project", description = "Only this Atlas project (default: every project of the registry).")
    String projectId;

    @Option(names = "--region", description = "Region of the project's KMS keys, for --project (default: its registration's, else $"
            + StatusCommand.REGION_ENV + ").")
    String region;

    @Option(names = "--lock-table", description = "The deployment's table, holding the registry (the stack's LockTableName"
            + " output; default: $" + LOCK_TABLE_ENV + ").")
    String lockTable;

    @Option(names = "--evidence-bucket", description = "The evidence bucket (the stack's EvidenceBucketName output;"
            + " default: $" + BUCKET_ENV + ").")
    String evidenceBucket;

    @Option(names = "--format", required = true, paramLabel = "csv|json|html", description = "csv, json or html.")
    String format;

    @Option(names = "--output", paramLabel = "FILE", description = "Write the report to FILE (default: standard output).")
    Path output;

    private final Function<String, KmsClient> kmsClients;
    private final Function<String, ProjectRegistry> registries;
    private final Supplier<S3Client> s3Clients;
    private final Function<String, String> environment;
    private final Clock clock;

    /** The command line's: the default credentials chain and endpoint ({@code AWS_ENDPOINT_URL} included). */
    public EvidenceCommand() {
        this(AwsClients::kms, table -> new DynamoDbProjectRegistry(AwsClients.dynamoDb(), table), AwsClients::s3,
                System::getenv, Clock.systemUTC());
    }

    /**
     * @param kmsClients  the KMS client of a region (shared: not closed)
     * @param registries  the registry in a table
     * @param s3Clients   the S3 client of the evidence bucket (shared: not closed)
     * @param environment reads an environment variable
     * @param clock       now: the default end of the period and the report's date
     */
    EvidenceCommand(Function<String, KmsClient> kmsClients, Function<String, ProjectRegistry> registries,
                    Supplier<S3Client> s3Clients, Function<String, String> environment, Clock clock) {
        this.kmsClients = kmsClients;
        this.registries = registries;
        this.s3Clients = s3Clients;
        this.environment = environment;
        this.clock = clock;
    }

    @Override
    public Integer call() throws IOException {
        String fmt = format.toLowerCase(java.util.Locale.ROOT);
        if (!FORMATS.contains(fmt)) {
            throw Arguments.invalid(spec, "--format '" + format + "' is not one of csv, json, html.");
        }
        Instant now = clock.instant();
        Instant from = when("--since", since);
        Instant to = until == null ? now : when("--until", until);
        if (!to.isAfter(from)) {
            throw Arguments.invalid(spec, "--until (" + to + ") must be after --since (" + from + "): the period is from"
                    + " --since (inclusive) to --until (exclusive).");
        }
        if (projectId != null) {
            Arguments.requireProjectId(spec, projectId);
        }
        String table = orEnv(lockTable, LOCK_TABLE_ENV);
        String bucket = orEnv(evidenceBucket, BUCKET_ENV);
        if (projectId == null && table == null) {
            throw Arguments.invalid(spec, "No project to report on: pass --lock-table TABLE (or set " + LOCK_TABLE_ENV
                    + ") to report every registered project, or --project ID with --region REGION.");
        }
        ProjectRegistry registry = table == null ? null : registries.apply(table);
        HistoryReader reader = new HistoryReader(kmsClients, registry, table, bucket == null ? null : s3Clients.get(),
                bucket, Clock.fixed(now, ZoneOffset.UTC));

        List<String[]> targets = new ArrayList<>(); // project id, region
        if (projectId != null) {
            String keyRegion = region;
            Optional<RegisteredProject> registered = reader.registration(projectId);
            if (keyRegion == null) {
                keyRegion = registered.map(RegisteredProject::awsRegion).orElse(null);
            }
            if (keyRegion == null && registry != null) {
                throw Arguments.invalid(spec, "Unknown project " + projectId + ": it is not registered in " + table
                        + ". Check the id (./rotator projects list --lock-table " + table + "), or pass --region REGION"
                        + " (where its KMS keys are) to report on a project this deployment does not register.");
            }
            if (keyRegion == null) {
                keyRegion = orEnv(null, StatusCommand.REGION_ENV);
            }
            if (keyRegion == null) {
                throw Arguments.invalid(spec, "No region for project " + projectId + ": pass --region (where its KMS keys"
                        + " are), register it, or set " + StatusCommand.REGION_ENV + ".");
            }
            targets.add(new String[] {projectId, keyRegion});
        } else {
            reader.registered().stream().sorted(Comparator.comparing(RegisteredProject::projectId))
                    .forEach(p -> targets.add(new String[] {p.projectId(), p.awsRegion()}));
        }

        Period period = Period.of(from, to);
        List<ProjectEvidence> projects = new ArrayList<>();
        for (String[] t : targets) {
            ProjectHistory history = reader.read(t[0], t[1]);
            if (projectId != null && nothingKnown(history)) {
                throw Arguments.invalid(spec, "Unknown project " + projectId + ": no source knows it: "
                        + (registry == null ? "no registry was given" : "it is not registered in " + table)
                        + ", no key in " + t[1] + " is tagged for it, and "
                        + (bucket == null ? "no evidence bucket was given." : "the evidence bucket " + bucket
                        + " holds no record of it.") + " Check the id and the region (--region, where its KMS keys are).");
            }
            projects.add(EvidenceBuilder.project(history, period, bucket));
        }
        EvidenceReport report = EvidenceBuilder.report(now, period, projects);
        String text = switch (fmt) {
            case "csv" -> EvidenceCsv.write(report);
            case "html" -> EvidenceHtml.write(report);
            default -> Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(report) + "\n";
        };
        PrintWriter out = spec.commandLine().getOut();
        if (output == null) {
            out.print(text);
        } else {
            Files.writeString(output, text, StandardCharsets.UTF_8);
            out.println("Wrote the evidence of " + projects.size() + " project(s), " + report.summary().rotations()
                    + " rotation(s) and " + report.summary().gaps() + " gap(s) to " + output + " (" + fmt + ").");
        }
        out.flush();
        return 0;
    }

    /**
     * No source knows the project: not registered, no key in the ledger, nothing in the archive, and nothing that could
     * not be read (an unreadable source may know it: then the report says what could not be read).
     */
    private static boolean nothingKnown(ProjectHistory history) {
        return history.registration() == null && history.keys().isEmpty() && history.rotations().isEmpty()
                && history.audits().isEmpty() && history.unreadable().isEmpty()
                && history.missing().stream().noneMatch(m -> m.contains("could not be listed"));
    }

    private String orEnv(String value, String variable) {
        String v = value != null ? value : environment.apply(variable);
        return v == null || v.isBlank() ? null : v;
    }

    /** An ISO date (midnight UTC) or an instant (Z or an offset), or a usage error saying the format. */
    private Instant when(String option, String value) {
        try {
            return LocalDate.parse(value).atStartOfDay(ZoneOffset.UTC).toInstant();
        } catch (DateTimeParseException notADate) {
            try {
                return OffsetDateTime.parse(value).toInstant();
            } catch (DateTimeParseException notAnInstant) {
                throw Arguments.invalid(spec, option + " '" + value + "' is not a date: give " + WHEN_FORMAT + ".");
            }
        }
    }
}
