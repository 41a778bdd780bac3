package io.atlascmk.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.atlascmk.rotator.kms.KeyTags;
import io.atlascmk.sandbox.SandboxClock;
import io.atlascmk.sandbox.aws.AwsStandIn;
import io.atlascmk.sandbox.aws.KmsKeyView;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;

/**
 * {@code rotator status}: the keys read over the wire from the sandbox's KMS stand-in (ledger tags,
 * as the rotation leaves them) and the executions from a loopback Step Functions, through the real
 * SDK clients.
 */
class StatusCommandTest {

    private static final String PROJECT = "5f1e2d3c4b5a69788796a5b4";
    private static final String OTHER_PROJECT = "65a1b2c3d4e5f60718293a4b";
    private static final String REGION = "us-east-1";
    private static final Instant T0 = Instant.parse("2025-01-06T10:00:00Z");

    private final SandboxClock clock = new SandboxClock(T0);
    private AwsStandIn aws;
    private StepFunctionsFake sfn;
    private final List<KmsClient> kmsClients = new CopyOnWriteArrayList<>();
    private final List<String> kmsRegionsAsked = new CopyOnWriteArrayList<>();
    private final AtomicInteger sfnClientsBuilt = new AtomicInteger();
    private Map<String, String> environment = Map.of();

    @BeforeEach
    void startStandIns() {
        aws = new AwsStandIn(clock).start();
        sfn = new StepFunctionsFake();
    }

    @AfterEach
    void stopStandIns() {
        kmsClients.forEach(KmsClient::close);
        sfn.close();
        aws.close();
    }

    private KmsClient kms(String region) {
        KmsClient client = KmsClient.builder()
                .endpointOverride(aws.endpoint())
                .region(Region.of(region))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDTESTSTATUS", "test-secret")))
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .build();
        kmsClients.add(client);
        return client;
    }

    private CliRun status(String... args) {
        StatusCommand command = new StatusCommand(region -> {
            kmsRegionsAsked.add(region);
            return kms(region);
        }, () -> {
            sfnClientsBuilt.incrementAndGet();
            return sfn.newClient();
        }, environment::get, table -> {
            throw new IllegalStateException("no registry in these tests");
        }, () -> {
            throw new IllegalStateException("no evidence bucket in these tests");
        }, java.time.Clock.fixed(clock.instant(), java.time.ZoneOffset.UTC));
        return CliRun.of(command, args);
    }

    /** Three keys of the project as three rotations leave them, 40 days apart, and two keys that are not its. */
    private record Ledger(KmsKeyView deleted, KmsKeyView retired, KmsKeyView active, KmsKeyView others, KmsKeyView untagged) {
    }

    private Ledger seedLedger() {
        KmsKeyView first = aws.kms().createKey(REGION, "Atlas project " + PROJECT, Map.of(
                KeyTags.PROJECT, PROJECT, KeyTags.STATE, "deletion-scheduled", KeyTags.ADOPTED_BY, "manual-2025-01-06T10-00-00Z",
                KeyTags.RETIRED_AT, "2025-02-15T10:00:00Z", KeyTags.SAFE_AFTER, "2025-03-10T00:00:00Z"));
        clock.advance(Duration.ofDays(40));
        KmsKeyView others = aws.kms().createKey(REGION, "Atlas project " + OTHER_PROJECT, Map.of(
                KeyTags.PROJECT, OTHER_PROJECT, KeyTags.STATE, "active", KeyTags.ROTATION, "scheduled-other"));
        KmsKeyView second = aws.kms().createKey(REGION, "Atlas project " + PROJECT, Map.of(
                KeyTags.PROJECT, PROJECT, KeyTags.STATE, "retired", KeyTags.ROTATION, "manual-2025-02-15T10-00-00Z",
                KeyTags.RETIRED_AT, "2025-03-27T10:00:00Z", KeyTags.SAFE_AFTER, "2025-04-30T00:00:00Z"));
        KmsKeyView untagged = aws.kms().createKey(REGION, "someone else's key", Map.of("team", "payments"));
        clock.advance(Duration.ofDays(40));
        KmsKeyView third = aws.kms().createKey(REGION, "Atlas project " + PROJECT, Map.of(
                KeyTags.PROJECT, PROJECT, KeyTags.STATE, "active", KeyTags.ROTATION, "manual-2025-03-27T10-00-00Z"));
        clock.advance(Duration.ofDays(1));
        kms(REGION).scheduleKeyDeletion(b -> b.keyId(first.keyId()).pendingWindowInDays(7));
        return new Ledger(aws.kms().key(first.keyId()).orElseThrow(), second, third, others, untagged);
    }

    private static List<String> linesWithAnyOf(CliRun run, KmsKeyView... keys) {
        return run.outLines().stream().filter(line -> {
            for (KmsKeyView k : keys) {
                if (line.startsWith("  " + k.keyId() + "  ")) { // the key lines (the timeline's lines start with a date)
                    return true;
                }
            }
            return false;
        }).toList();
    }

    @Test
    void showsExactlyTheProjectsKeys_oldestFirst_withTheirLedgerStateDatesAndDeletion() {
        Ledger ledger = seedLedger();

        CliRun run = status("status", "--project", PROJECT, "--region", REGION);

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.outLines().get(0)).isEqualTo("Keys of project " + PROJECT + " (oldest first):");
        List<String> keyLines = linesWithAnyOf(run, ledger.deleted(), ledger.retired(), ledger.active(), ledger.others(), ledger.untagged());
        assertThat(keyLines).hasSize(3);
        assertThat(keyLines.get(0)).startsWith("  " + ledger.deleted().keyId() + "  deletion-scheduled ")
                .contains(" KMS PendingDeletion ", " created 2025-01-06T10:00:00Z", " adopted-by manual-2025-01-06T10-00-00Z",
                        " retired-at 2025-02-15T10:00:00Z", " safe-after 2025-03-10T00:00:00Z")
                .endsWith(" deletion on " + ledger.deleted().deletionDate());
        assertThat(ledger.deleted().deletionDate()).isEqualTo(T0.plus(Duration.ofDays(81 + 7)));
        assertThat(keyLines.get(1)).startsWith("  " + ledger.retired().keyId() + "  retired ")
                .contains(" KMS Enabled ", " created 2025-02-15T10:00:00Z", " rotation manual-2025-02-15T10-00-00Z",
                        " retired-at 2025-03-27T10:00:00Z")
                .endsWith(" safe-after 2025-04-30T00:00:00Z");
        assertThat(keyLines.get(2)).startsWith("  " + ledger.active().keyId() + "  active ")
                .contains(" KMS Enabled ", " created 2025-03-27T10:00:00Z")
                .endsWith(" rotation manual-2025-03-27T10-00-00Z");
        assertThat(keyLines.get(2)).doesNotContain("retired-at", "safe-after", "deletion on");
        assertThat(run.out()).doesNotContain(OTHER_PROJECT, "payments", "Last executions");
        assertThat(kmsRegionsAsked).containsExactly(REGION);
        assertThat(sfnClientsBuilt).hasValue(0);
    }

    @Test
    void keysAreRegional_theRegionComesFromTheEnvironmentWhenNotGiven() {
        seedLedger();
        environment = Map.of(StatusCommand.REGION_ENV, "eu-west-1");

        CliRun run = status("status", "--project", PROJECT);

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(kmsRegionsAsked).containsExactly("eu-west-1");
        assertThat(run.outLines()).startsWith("Keys of project " + PROJECT + " (oldest first):",
                "  none: the project has not been rotated (or adopted) yet, or these credentials cannot read its keys' tags.");
        assertThat(run.outLines()).endsWith("Timeline of project " + PROJECT + " (region eu-west-1, read at " + clock.instant() + "):",
                "  nothing yet");
    }

    @Test
    void listsOnlyThisProjectsExecutions_newestFirst() throws Exception {
        String machine = sfn.stateMachine("atlas-cmk-rotator");
        String elsewhere = sfn.stateMachine("another-rotator");
        Instant day = Instant.parse("2025-04-01T08:00:00Z");
        sfn.seedExecution(machine, "manual-2025-04-01", input(PROJECT), "SUCCEEDED", day, day.plusSeconds(1500));
        sfn.seedExecution(machine, "scheduled-other-2025-04-02", input(OTHER_PROJECT), "SUCCEEDED",
                day.plus(Duration.ofDays(1)), day.plus(Duration.ofDays(1)).plusSeconds(900));
        sfn.seedExecution(machine, "manual-2025-04-03", input(PROJECT), "FAILED",
                day.plus(Duration.ofDays(2)), day.plus(Duration.ofDays(2)).plusSeconds(60));
        sfn.seedExecution(machine, "no-project-2025-04-03", "{}", "FAILED",
                day.plus(Duration.ofDays(2)).plusSeconds(5), day.plus(Duration.ofDays(2)).plusSeconds(6));
        sfn.seedExecution(machine, "manual-2025-04-04", input(PROJECT), "RUNNING", day.plus(Duration.ofDays(3)), null);
        sfn.seedExecution(elsewhere, "elsewhere-2025-04-05", input(PROJECT), "SUCCEEDED",
                day.plus(Duration.ofDays(4)), day.plus(Duration.ofDays(4)).plusSeconds(60));

        CliRun run = status("status", "--project", PROJECT, "--region", REGION, "--state-machine-arn", machine);

        assertThat(run.exitCode()).as(run.toString()).isZero();
        List<String> lines = run.outLines();
        List<String> executions = lines.subList(lines.indexOf("Last executions for this project:") + 1, lines.size());
        assertThat(executions).hasSize(3);
        assertThat(executions.get(0)).startsWith("  manual-2025-04-04  RUNNING ").endsWith(" started 2025-04-04T08:00:00Z");
        assertThat(executions.get(1)).startsWith("  manual-2025-04-03  FAILED ")
                .endsWith(" started 2025-04-03T08:00:00Z stopped 2025-04-03T08:01:00Z");
        assertThat(executions.get(2)).startsWith("  manual-2025-04-01  SUCCEEDED ")
                .endsWith(" started 2025-04-01T08:00:00Z stopped 2025-04-01T08:25:00Z");
        assertThat(sfn.calls("ListExecutions")).singleElement().satisfies(c -> {
            assertThat(c.body().path("stateMachineArn").asText()).isEqualTo(machine);
            assertThat(c.body().path("maxResults").asInt()).isEqualTo(10);
        });
        assertThat(sfnClientsBuilt).hasValue(1);
    }

    @Test
    void saysSoWhenNoneOfTheLastExecutionsIsTheProjects_readingAsManyAsAsked() throws Exception {
        String machine = sfn.stateMachine("atlas-cmk-rotator");
        Instant day = Instant.parse("2025-04-01T08:00:00Z");
        sfn.seedExecution(machine, "old-2025-04-01", input(PROJECT), "SUCCEEDED", day, day.plusSeconds(60));
        sfn.seedExecution(machine, "other-2025-04-02", input(OTHER_PROJECT), "SUCCEEDED",
                day.plus(Duration.ofDays(1)), day.plus(Duration.ofDays(1)).plusSeconds(60));
        environment = Map.of(StartCommand.STATE_MACHINE_ENV, machine);

        CliRun run = status("status", "--project", PROJECT, "--region", REGION, "--executions", "1");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.outLines()).endsWith("Last executions for this project:", "  none among the last 1 executions.");
        assertThat(sfn.calls("ListExecutions")).singleElement()
                .satisfies(c -> assertThat(c.body().path("maxResults").asInt()).isEqualTo(1));
    }

    @Test
    void aProjectIdThatIsNotOneIsRefusedBeforeAnyCall() {
        CliRun run = status("status", "--project", "not-a-project", "--region", REGION, "--state-machine-arn",
                sfn.stateMachine("atlas-cmk-rotator"));

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
        assertThat(run.err()).startsWith("--project 'not-a-project' is not an Atlas project id (24 lower-case hex characters).");
        assertThat(kmsRegionsAsked).isEmpty();
        assertThat(sfnClientsBuilt).hasValue(0);
        assertThat(sfn.calls()).isEmpty();
    }

    @Test
    void withoutARegionItSaysWhereToGiveOne() {
        CliRun run = status("status", "--project", PROJECT);

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
        assertThat(run.err()).startsWith("No region: pass --region (where the project's KMS keys are) or set AWS_REGION.");
        assertThat(kmsRegionsAsked).isEmpty();
    }

    @Test
    void aNumberOfExecutionsListExecutionsCannotAnswerIsRefused() {
        CliRun run = status("status", "--project", PROJECT, "--region", REGION, "--executions", "0");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
        assertThat(run.err()).startsWith("--executions is 0: read 1 to 1000 executions.");
        assertThat(kmsRegionsAsked).isEmpty();
    }

    private static String input(String project) {
        return "{\"projectId\":\"" + project + "\",\"trigger\":\"manual\"}";
    }
}
