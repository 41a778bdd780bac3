package io.atlascmk.rotator.registry;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.atlascmk.rotator.fleet.FleetConcurrency;
import io.atlascmk.rotator.fleet.FleetPlanner;
import io.atlascmk.rotator.handler.FleetPlanHandler;
import io.atlascmk.rotator.json.Json;
import io.atlascmk.rotator.lock.LockTable;
import io.atlascmk.rotator.lock.TestLocks;
import io.atlascmk.rotator.rotation.ExecutionSettings;
import io.atlascmk.sandbox.SandboxClock;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A thousand projects fit: the registry holds and lists them all (pages of the table's scan), and the fleet plan of a
 * thousand due projects stays far below Step Functions' 256 KB state limit.
 */
class ThousandProjectsTest {

    private final SandboxClock clock = new SandboxClock(Instant.parse("2026-12-01T08:00:00Z"));

    @Test
    void aThousandRegistrations_areListedWhole_andTheirFleetPlanStaysFarBelowThePayloadLimit() throws Exception {
        String table = "registry-" + UUID.randomUUID();
        LockTable.create(TestLocks.dynamo(), table);
        DynamoDbProjectRegistry registry = new DynamoDbProjectRegistry(TestLocks.dynamo(), table);
        for (int i = 0; i < 1_000; i++) {
            String id = String.format(Locale.ROOT, "%06x1a2b3c4d5e6f7a8b9c", i);
            String role = i % 3 == 0 ? null : "arn:aws:iam::22223333444" + (i % 3) + ":role/atlas-cmk-key-account-Rotator";
            registry.put(new RegisteredProject(id, i % 2 == 0 ? "us-east-1" : "eu-west-1", "rate(90 days)", null,
                    new ExecutionSettings(30, 14, null, null, List.of("legacy-" + (i % 7))), RegisteredProject.SOURCE_CLI,
                    clock.instant(), role, role == null ? null : "ext-" + (i % 3)));
        }

        List<RegisteredProject> all = registry.list();
        JsonNode planned;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (io.atlascmk.sandbox.aws.AwsStandIn aws = new io.atlascmk.sandbox.aws.AwsStandIn(clock).start();
             software.amazon.awssdk.services.kms.KmsClient kms = software.amazon.awssdk.services.kms.KmsClient.builder()
                     .region(software.amazon.awssdk.regions.Region.US_EAST_1).endpointOverride(aws.endpoint())
                     .credentialsProvider(software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
                             software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create("test", "test")))
                     .httpClientBuilder(software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient.builder())
                     .build()) {
            // no project has a key in the ledger yet: every one is due (its first rotation adopts the key Atlas uses)
            io.atlascmk.rotator.kms.KeyService keys = new io.atlascmk.rotator.kms.KeyService(kms, "Rotator",
                    new io.atlascmk.rotator.kms.DynamoDbKeyIndex(TestLocks.dynamo(), table));
            FleetPlanHandler plan = new FleetPlanHandler(registry, new FleetPlanner(place -> keys),
                    FleetConcurrency.unavailable("not asked in this test"), clock);
            plan.handleRequest(new ByteArrayInputStream("{\"fleetRun\":\"fleet-1\",\"input\":{\"maxConcurrency\":10}}"
                    .getBytes(StandardCharsets.UTF_8)), out, null);
            planned = Json.MAPPER.readTree(out.toByteArray());
        }

        assertThat(all).hasSize(1_000);
        assertThat(all.stream().filter(p -> p.keyAccount() != null)).hasSize(666);
        assertThat(planned.path("due")).hasSize(1_000);
        System.out.printf("Fleet plan of 1,000 due projects: %,d bytes (Step Functions' limit: 262,144)%n", out.size());
        assertThat(out.size()).isLessThan(262_144 / 4);
    }
}
