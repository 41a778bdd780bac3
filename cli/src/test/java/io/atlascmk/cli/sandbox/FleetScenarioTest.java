package io.atlascmk.cli.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.atlascmk.cli.ExecutionResult;
import io.atlascmk.rotator.aws.KeyPlace;
import io.atlascmk.rotator.kms.KeyTags;
import io.atlascmk.rotator.kms.ManagedKey;
import io.atlascmk.rotator.registry.RegisteredProject;
import io.atlascmk.sandbox.aws.AwsStandIn;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The fleet scenario end to end with 20 projects: keys in three AWS accounts and two regions, 5,000 unrelated keys in
 * one region; one fleet run rotates every due project in its own account and region, and leaves the rest.
 */
class FleetScenarioTest {

    private SandboxWorld world;

    @BeforeEach
    void start() {
        world = new SandboxWorld();
    }

    @AfterEach
    void stop() {
        world.close();
    }

    @Test
    void oneFleetRun_rotatesEveryDueProjectInItsOwnAccountAndRegion_withoutA429_andPrintsItsFigures() {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        Map<String, String> before = new HashMap<>();
        List<ExecutionResult> results = new ArrayList<>();
        SandboxSeed.seed(world);

        FleetScenario.Figures figures;
        try (PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8)) {
            List<String> due = FleetScenario.seed(world, 20, out);
            for (RegisteredProject p : world.registry().list()) {
                before.put(p.projectId(), world.atlas().project(p.projectId()).awsKms().customerMasterKeyID());
            }
            assertThat(due).hasSize(18);
            // One at a time: the sandbox's rotations share one compressed clock, so one rotation's waits move time
            // under another (its lock lease, Atlas's key checks); concurrent children failed under load in CI.
            figures = FleetScenario.run(world, out, 20, due, 1, e -> { }, results);
        }

        assertThat(results).singleElement().satisfies(r -> assertThat(r.succeeded()).as(r.error() + ": " + r.cause()).isTrue());
        JsonNode children = results.get(0).output().path("results");
        assertThat(children).hasSize(18).allSatisfy(c -> assertThat(c.path("outcome").asText()).isEqualTo("rotated"));
        for (RegisteredProject p : world.registry().list()) {
            if (!p.projectId().startsWith("7f")) {
                continue; // the sandbox's own project, not due
            }
            String now = world.atlas().project(p.projectId()).awsKms().customerMasterKeyID();
            String account = p.keyAccount() == null ? AwsStandIn.ACCOUNT_ID : p.keyAccount().accountId();
            boolean wasDue = children.findValuesAsText("projectId").contains(p.projectId());
            assertThat(!now.equals(before.get(p.projectId()))).as(p.projectId() + " switched").isEqualTo(wasDue);
            assertThat(now).as("the key stays in the project's account and region")
                    .startsWith("arn:aws:kms:" + p.awsRegion() + ":" + account + ":key/");
            if (wasDue) {
                List<ManagedKey> keys = world.keys(new KeyPlace(p.awsRegion(), p.keyAccount()))
                        .findProjectKeys(p.projectId(), false);
                assertThat(keys).as(p.projectId()).anySatisfy(k -> {
                    assertThat(k.arn()).isEqualTo(now);
                    assertThat(k.tags()).containsEntry(KeyTags.STATE, "active");
                });
            }
        }
        assertThat(figures.rotated()).isEqualTo(18);
        assertThat(figures.atlas429s()).isZero();
        assertThat(figures.kmsKeysInBusiestRegion()).isGreaterThanOrEqualTo(FleetScenario.UNRELATED_KEYS);
        assertThat(figures.largestPayload().bytes()).isPositive().isLessThan(262_144);
        assertThat(figures.stsSessions()).as("one session per member account").isEqualTo(2);
        assertThat(printed.toString(StandardCharsets.UTF_8)).contains("Fleet figures").contains("Atlas calls:")
                .contains("429 answers: 0").contains("largest Lambda payload");
    }
}
