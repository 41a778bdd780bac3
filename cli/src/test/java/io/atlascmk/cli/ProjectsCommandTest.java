package io.atlascmk.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.atlascmk.rotator.registry.DynamoDbProjectRegistry;
import io.atlascmk.rotator.registry.ProjectRegistry;
import io.atlascmk.rotator.registry.RegisteredProject;
import io.atlascmk.sandbox.SandboxClock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code rotator projects}: the registry on dynalite, changed from the command line; dry runs change nothing. */
class ProjectsCommandTest {

    private static final String A = "5f1e2d3c4b5a69788796a5b4";
    private static final String B = "6a7b8c9d0e1f2a3b4c5d6e7f";

    private final SandboxClock clock = new SandboxClock(Instant.parse("2026-12-01T08:00:00Z"));
    private ProjectRegistry registry;

    @BeforeEach
    void freshTable() {
        registry = new DynamoDbProjectRegistry(TestTables.dynamo(), TestTables.freshTable("projects"));
    }

    private CliRun projects(String... args) {
        String[] line = new String[args.length + 1];
        line[0] = "projects";
        System.arraycopy(args, 0, line, 1, args.length);
        return CliRun.of(new ProjectsCommand(table -> registry, clock), line);
    }

    @Test
    void add_registersAProject_showAndListReadItBack_removeRemovesIt() {
        CliRun dry = projects("add", "--project", A, "--region", "eu-west-1", "--schedule", "rate(90 days)",
                "--cooldown-days", "20", "--extra-cluster", "legacy-billing", "--dry-run");
        assertThat(dry.exitCode()).as(dry.toString()).isZero();
        assertThat(dry.out()).contains("Dry run: would register").contains(A);
        assertThat(registry.find(A)).isEmpty();

        CliRun add = projects("add", "--project", A, "--region", "eu-west-1", "--schedule", "rate(90 days)",
                "--cooldown-days", "20", "--extra-cluster", "legacy-billing");
        assertThat(add.exitCode()).as(add.toString()).isZero();
        RegisteredProject a = registry.find(A).orElseThrow();
        assertThat(a.settings().cooldownDays()).isEqualTo(20);
        assertThat(a.settings().extraClusterNames()).containsExactly("legacy-billing");
        assertThat(a.source()).isEqualTo(RegisteredProject.SOURCE_CLI);
        assertThat(a.updatedAt()).isEqualTo(clock.instant());

        assertThat(projects("show", "--project", A).out()).contains("\"awsRegion\" : \"eu-west-1\"");
        assertThat(projects("list").out()).contains("1 registered project(s)").contains(A).contains("rate(90 days)");
        assertThat(projects("show", "--project", B).exitCode()).isEqualTo(1);

        assertThat(projects("remove", "--project", A, "--dry-run").out()).contains("Dry run: would remove");
        assertThat(registry.find(A)).isPresent();
        assertThat(projects("remove", "--project", A).out()).contains("Removed project " + A);
        assertThat(registry.find(A)).isEmpty();
    }

    @Test
    void aBadValue_isAUsageErrorNamingTheField_andNothingIsWritten() {
        CliRun window = projects("add", "--project", A, "--region", "eu-west-1", "--pending-window-days", "3");
        CliRun region = projects("add", "--project", A, "--region", "Frankfurt");
        CliRun schedule = projects("add", "--project", A, "--region", "eu-west-1", "--schedule", "every quarter");

        assertThat(window.exitCode()).isEqualTo(2);
        assertThat(window.err()).contains("pendingWindowDays");
        assertThat(region.err()).contains("awsRegion");
        assertThat(schedule.err()).contains("schedule");
        assertThat(registry.list()).isEmpty();
    }

    @Test
    void add_withAKeyAccount_storesTheMemberRoleAndExternalId_andABadOrHalfGivenOneIsRefused() {
        String role = "arn:aws:iam::222233334444:role/atlas-cmk-rotator-member";
        CliRun add = projects("add", "--project", A, "--region", "eu-west-1", "--key-account-role-arn", role,
                "--key-account-external-id", "ext-7f3a9");
        CliRun half = projects("add", "--project", B, "--region", "eu-west-1", "--key-account-external-id", "ext-7f3a9");
        CliRun notARole = projects("add", "--project", B, "--region", "eu-west-1", "--key-account-role-arn",
                "arn:aws:iam::222233334444:user/alice", "--key-account-external-id", "ext-7f3a9");
        CliRun noId = projects("add", "--project", B, "--region", "eu-west-1", "--key-account-role-arn", role);

        assertThat(add.exitCode()).as(add.toString()).isZero();
        assertThat(add.out()).contains("keys in account 222233334444 via " + role);
        assertThat(registry.find(A).orElseThrow().keyAccount())
                .isEqualTo(new io.atlascmk.rotator.aws.KeyAccount(role, "ext-7f3a9"));
        assertThat(half.exitCode()).isEqualTo(2);
        assertThat(half.err()).contains("keyAccountRoleArn").contains("give both");
        assertThat(notARole.err()).contains("keyAccountRoleArn").contains("arn:aws:iam::222233334444:user/alice");
        assertThat(noId.err()).contains("keyAccountExternalId").contains("missing");
        assertThat(registry.find(B)).isEmpty();
    }

    @Test
    void import_readsARotatorConfigFile_validatesItWhole_andWritesNothingWhenOneProjectIsWrong(@TempDir Path dir)
            throws IOException {
        String good = """
                {"projects": [
                  {"projectId": "%s", "atlasRoleId": "32b6e34b3d91647abb20e7b8", "awsRegion": "us-east-1",
                   "schedule": "rate(90 days)", "pendingWindowDays": 30, "cooldownDays": 30,
                   "keyAdminPrincipals": ["arn:aws:iam::111122223333:role/KeyAdmins"]},
                  {"projectId": "%s", "awsRegion": "eu-west-1", "schedule": "cron(0 3 1 */3 ? *)",
                   "extraClusterNames": ["old"], "pendingWindowDays": 7}
                ]}""".formatted(A, B);
        Path file = Files.writeString(dir.resolve("rotator.config.json"), good);
        Path bad = Files.writeString(dir.resolve("bad.json"), good.replace("\"pendingWindowDays\": 7", "\"pendingWindowDays\": 3"));

        CliRun refused = projects("import", bad.toString());
        assertThat(refused.exitCode()).isEqualTo(2);
        assertThat(refused.err()).contains("pendingWindowDays").contains("Nothing was registered");
        assertThat(registry.list()).isEmpty();

        CliRun dry = projects("import", file.toString(), "--dry-run");
        assertThat(dry.out()).contains("Dry run: would add 2 and replace 0");
        assertThat(registry.list()).isEmpty();

        CliRun imported = projects("import", file.toString());
        assertThat(imported.exitCode()).as(imported.toString()).isZero();
        assertThat(registry.projectIds()).containsExactlyInAnyOrder(A, B);
        assertThat(registry.find(B).orElseThrow().settings().extraClusterNames()).containsExactly("old");
    }
}
