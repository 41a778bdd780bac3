package io.atlascmk.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.atlascmk.cli.sandbox.SandboxWorld;
import io.atlascmk.rotator.registry.RegisteredProject;
import io.atlascmk.sandbox.atlas.AtlasOperation;
import io.atlascmk.sandbox.atlas.AtlasProject;
import io.atlascmk.sandbox.atlas.AtlasSimulator;
import io.atlascmk.sandbox.aws.KmsKeyView;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code rotator discover}: an organization of 510 projects in the sandbox's Atlas simulator (two pages), read through
 * the real client; keys in the sandbox's KMS; the registry on dynalite.
 */
class DiscoverCommandTest {

    private SandboxWorld world;
    private final List<AtlasProject> withKeys = new ArrayList<>();

    @BeforeEach
    void organization() {
        world = new SandboxWorld();
        io.atlascmk.cli.sandbox.SandboxSeed.seed(world); // the sandbox's own project, its key and the Atlas credentials
        for (int i = 0; i < 507; i++) {
            world.atlas().createProject().name("plain-" + i); // no customer key management
        }
        for (int i = 0; i < 2; i++) {
            KmsKeyView key = world.aws().kms().createKey(SandboxWorld.REGION, "team key " + i, Map.of());
            AtlasProject p = world.atlas().createProject().name("team-" + i);
            p.configureAwsKms(i == 0 ? key.arn() : key.keyId(), SandboxWorld.ATLAS_REGION, p.addAwsIamRole(SandboxWorld.ATLAS_ROLE_ARN));
            withKeys.add(p);
        }
    }

    @AfterEach
    void stop() {
        world.close();
    }

    private CliRun discover(String... more) {
        List<String> args = new ArrayList<>(List.of("discover", "--org", AtlasSimulator.ORG_ID));
        args.addAll(List.of(more));
        return CliRun.of(new DiscoverCommand(c -> world.atlasClient(), region -> world.kms(), table -> world.registry(),
                world.clock()), args.toArray(String[]::new));
    }

    @Test
    void listsEveryProjectOfTheOrganization_withItsKey_region_account_validity_age_andEnrollment() {
        CliRun run = discover();

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).contains("510 project(s) in organization " + AtlasSimulator.ORG_ID
                + ": 3 with an AWS KMS key, 1 enrolled, 2 could be enrolled.");
        assertThat(world.atlas().calls(AtlasOperation.LIST_ORG_GROUPS)).as("two pages of 500").isEqualTo(2);
        String team0 = run.outLines().stream().filter(l -> l.startsWith(withKeys.get(0).groupId())).findFirst().orElseThrow();
        assertThat(team0).contains("arn:aws:kms:us-east-1:").contains("us-east-1").contains("111122223333")
                .contains("false") // its policy does not let Atlas's role use it, and Atlas says so
                .contains("0d (created)").endsWith("no");
        String team1 = run.outLines().stream().filter(l -> l.startsWith(withKeys.get(1).groupId())).findFirst().orElseThrow();
        assertThat(team1).as("a bare key id: the account of Atlas's role, marked *").contains("111122223333*");
        String sandbox = run.outLines().stream().filter(l -> l.startsWith(SandboxWorld.PROJECT_ID)).findFirst().orElseThrow();
        assertThat(sandbox).endsWith("yes");
        assertThat(run.out()).contains("(no AWS KMS key)");
    }

    @Test
    void enroll_isADryRunUnlessYes_andRegistersOnlyTheUnregisteredProjectsWithAKmsKey() {
        CliRun dry = discover("--enroll");
        assertThat(dry.out()).contains("Would enroll " + withKeys.get(0).groupId()).contains("Dry run: nothing was registered");
        assertThat(world.registry().projectIds()).containsExactly(SandboxWorld.PROJECT_ID);

        CliRun enrolled = discover("--enroll", "--yes", "--schedule", "rate(90 days)");
        assertThat(enrolled.exitCode()).as(enrolled.toString()).isZero();
        assertThat(world.registry().projectIds()).containsExactlyInAnyOrder(SandboxWorld.PROJECT_ID,
                withKeys.get(0).groupId(), withKeys.get(1).groupId());
        RegisteredProject team0 = world.registry().find(withKeys.get(0).groupId()).orElseThrow();
        assertThat(team0.awsRegion()).isEqualTo("us-east-1");
        assertThat(team0.schedule()).isEqualTo("rate(90 days)");
        assertThat(team0.source()).isEqualTo(RegisteredProject.SOURCE_CLI);
    }

    @Test
    void badArguments_areUsageErrors() {
        assertThat(CliRun.of(new DiscoverCommand(c -> world.atlasClient(), r -> world.kms(), t -> world.registry(),
                world.clock()), "discover", "--org", "acme").exitCode()).isEqualTo(2);
        assertThat(discover("--yes").err()).contains("--enroll");
        assertThat(discover("--enroll", "--schedule", "every week").err()).contains("schedule");
    }
}
