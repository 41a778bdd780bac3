package io.atlascmk.rotator.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import io.atlascmk.rotator.aws.SandboxAws;
import io.atlascmk.rotator.kms.FakeKmsClient;
import io.atlascmk.rotator.kms.KeyService;
import io.atlascmk.rotator.kms.KeyTags;
import io.atlascmk.rotator.kms.KmsUnavailableException;
import io.atlascmk.rotator.registry.RegisteredProject;
import io.atlascmk.sandbox.SandboxClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Which projects a fleet run starts, decided from the registry and each project's ledger (the sandbox's KMS). */
class FleetPlannerTest {

    private static final String OLD = "0a0b0c0d0e0f0a0b0c0d0e0f";
    private static final String YOUNG = "1a1b1c1d1e1f1a1b1c1d1e1f";
    private static final String NEW = "2a2b2c2d2e2f2a2b2c2d2e2f";
    private static final String RETIRING = "3a3b3c3d3e3f3a3b3c3d3e3f";
    private static final String CRON = "4a4b4c4d4e4f4a4b4c4d4e4f";
    private static final String ELSEWHERE = "5a5b5c5d5e5f5a5b5c5d5e5f";

    private final SandboxClock clock = new SandboxClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final SandboxAws aws = SandboxAws.withoutPacing(clock);
    private final KeyService keys = new KeyService(aws.kms(), FakeKmsClient.DEPLOYMENT);

    @AfterEach
    void stop() {
        aws.close();
    }

    private void ledgerKey(String project, String state) {
        aws.aws().kms().createKey("us-east-1", "k", Map.of(KeyTags.PROJECT, project, KeyTags.DEPLOYMENT,
                FakeKmsClient.DEPLOYMENT, KeyTags.STATE, state));
    }

    private static RegisteredProject project(String id, String region, String schedule) {
        return new RegisteredProject(id, region, schedule, null, null, null, null);
    }

    @Test
    void rotatesOldOrUnknownKeysOnTheirRate_sweepsRetiredKeys_leavesTheRest_andReportsWhatCannotBeRead() {
        ledgerKey(OLD, "active");
        ledgerKey(RETIRING, "retired");
        ledgerKey(CRON, "active");
        clock.advance(Duration.ofDays(95));
        ledgerKey(YOUNG, "active");
        ledgerKey(RETIRING, "active");
        FleetPlanner planner = new FleetPlanner(place -> {
            if (!place.region().equals("us-east-1")) {
                throw new KmsUnavailableException("throttled", "ListKeys", null, "ThrottlingException", null);
            }
            return keys;
        });

        FleetPlanner.Plan plan = planner.plan(List.of(project(OLD, "us-east-1", "rate(90 days)"),
                project(YOUNG, "us-east-1", "rate(90 days)"), project(NEW, "us-east-1", "rate(90 days)"),
                project(RETIRING, "us-east-1", "rate(90 days)"), project(CRON, "us-east-1", "cron(0 3 1 */3 ? *)"),
                project(ELSEWHERE, "eu-west-1", "rate(90 days)")), clock.instant());

        assertThat(plan.due()).extracting(FleetPlanner.Due::projectId, FleetPlanner.Due::mode).containsExactly(
                org.assertj.core.groups.Tuple.tuple(OLD, "rotate"), org.assertj.core.groups.Tuple.tuple(NEW, "rotate"),
                org.assertj.core.groups.Tuple.tuple(RETIRING, "sweep"));
        assertThat(plan.notDue()).extracting(FleetPlanner.NotDue::projectId).containsExactly(YOUNG, CRON);
        assertThat(plan.notDue().get(1).reason()).contains("its own EventBridge schedule");
        assertThat(plan.problems()).singleElement().satisfies(p -> {
            assertThat(p.projectId()).isEqualTo(ELSEWHERE);
            assertThat(p.reason()).contains("eu-west-1").contains("not started");
        });
    }

    @Test
    void aKeyMaterialProject_isStartedOnlyUntilItsKeyIsInTheLedger_thenKmsRotatesItsMaterial() {
        String material = "6e6e6e6e6e6e6e6e6e6e6e6e";
        String fresh = "7e7e7e7e7e7e7e7e7e7e7e7e";
        ledgerKey(material, "active");
        clock.advance(Duration.ofDays(400));
        io.atlascmk.rotator.rotation.ExecutionSettings keyMaterial = new io.atlascmk.rotator.rotation.ExecutionSettings(
                null, null, null, null, null, null, null, null, "key-material", 180);

        FleetPlanner.Plan plan = new FleetPlanner(region -> keys).plan(List.of(
                new RegisteredProject(material, "us-east-1", "rate(90 days)", null, keyMaterial, null, null),
                new RegisteredProject(fresh, "us-east-1", "rate(90 days)", null, keyMaterial, null, null)), clock.instant());

        assertThat(plan.due()).extracting(FleetPlanner.Due::projectId).containsExactly(fresh);
        assertThat(plan.notDue()).singleElement().satisfies(n -> {
            assertThat(n.projectId()).isEqualTo(material);
            assertThat(n.reason()).contains("KMS rotates");
        });
    }

    @Test
    void aRateShorterThanADayIsDaily_andOnlyRatesArePeriods() {
        assertThat(FleetPlanner.ratePeriod("rate(12 hours)")).contains(Duration.ofDays(1));
        assertThat(FleetPlanner.ratePeriod("rate(1 day)")).contains(Duration.ofDays(1));
        assertThat(FleetPlanner.ratePeriod("rate(90 days)")).contains(Duration.ofDays(90));
        assertThat(FleetPlanner.ratePeriod("cron(0 3 1 */3 ? *)")).isEmpty();
        assertThat(FleetPlanner.ratePeriod(null)).isEmpty();
    }
}
