package io.atlascmk.rotator.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.atlascmk.rotator.handler.RegistrySeedHandlerAccess;
import io.atlascmk.rotator.json.Json;
import io.atlascmk.rotator.lock.LockTable;
import io.atlascmk.rotator.lock.TestLocks;
import io.atlascmk.rotator.rotation.ExecutionSettings;
import io.atlascmk.rotator.rotation.InvalidInputException;
import io.atlascmk.sandbox.SandboxClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The project registry in the rotator's table, on dynalite: registrations, the deploy's seed, and bad items. */
class ProjectRegistryTest {

    private static final String A = "5f1e2d3c4b5a69788796a5b4";
    private static final String B = "6a7b8c9d0e1f2a3b4c5d6e7f";
    private static final String C = "65a1b2c3d4e5f60718293a4b";

    private final SandboxClock clock = new SandboxClock(Instant.parse("2026-12-01T08:00:00Z"));
    private String table;
    private ProjectRegistry registry;

    @BeforeEach
    void freshTable() {
        table = "registry-" + UUID.randomUUID();
        LockTable.create(TestLocks.dynamo(), table);
        registry = new DynamoDbProjectRegistry(TestLocks.dynamo(), table);
    }

    private static RegisteredProject project(String id, Integer cooldownDays, String source) {
        return new RegisteredProject(id, "eu-west-1", "rate(90 days)", "Europe/Berlin",
                new ExecutionSettings(cooldownDays, 14, null, null, List.of("legacy-billing")), source, null);
    }

    @Test
    void aProjectInAnotherAccount_keepsItsMemberRoleAndExternalId_throughTheTableAndTheSeedFile() {
        String role = "arn:aws:iam::222233334444:role/atlas-cmk-key-account-AtlasCmkRotator";
        registry.put(new RegisteredProject(A, "eu-west-1", null, null, null, RegisteredProject.SOURCE_CLI, clock.instant(),
                role, "ext-7f3a9"));
        List<RegisteredProject> seeded = RegistrySeed.parse("[{\"projectId\": \"" + B + "\", \"awsRegion\": \"us-east-1\","
                + " \"keyAccountRoleArn\": \"" + role + "\", \"keyAccountExternalId\": \"ext-7f3a9\"}]");

        assertThat(registry.find(A).orElseThrow().keyAccount())
                .isEqualTo(new io.atlascmk.rotator.aws.KeyAccount(role, "ext-7f3a9"));
        assertThat(new RegistrySettings(registry).keyAccount(A).accountId()).isEqualTo("222233334444");
        assertThat(new RegistrySettings(registry).keyAccount(C)).as("an unregistered project: this account").isNull();
        assertThat(seeded).singleElement().satisfies(p -> assertThat(p.keyAccount().roleArn()).isEqualTo(role));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> RegistrySeed.parse("[{\"projectId\": \"" + B
                + "\", \"awsRegion\": \"us-east-1\", \"keyAccountExternalId\": \"ext-7f3a9\"}]"))
                .hasMessageContaining("keyAccountRoleArn");
    }

    @Test
    void aRegistration_isReadBack_listed_andRemoved_besideTheLocksAndTheKeyIndexOfTheSameTable() {
        TestLocks.dynamo().putItem(b -> b.tableName(table).item(Map.of("projectId", AttributeValue.fromS(A),
                "holder", AttributeValue.fromS("a-lock"))));
        registry.put(project(A, 30, RegisteredProject.SOURCE_CLI).writtenBy(RegisteredProject.SOURCE_CLI, clock.instant()));
        registry.put(project(B, 7, RegisteredProject.SOURCE_CLI));

        RegisteredProject a = registry.find(A).orElseThrow();
        assertThat(a.settings().cooldownDays()).isEqualTo(30);
        assertThat(a.settings().extraClusterNames()).containsExactly("legacy-billing");
        assertThat(a.awsRegion()).isEqualTo("eu-west-1");
        assertThat(a.updatedAt()).isEqualTo(clock.instant());
        assertThat(registry.projectIds()).containsExactly(A, B);
        assertThat(new RegistrySettings(registry).forProject(B).cooldownDays()).isEqualTo(7);
        assertThat(new RegistrySettings(registry).forProject(C)).isNull();

        assertThat(registry.remove(A)).isTrue();
        assertThat(registry.remove(A)).isFalse();
        assertThat(registry.projectIds()).containsExactly(B);
    }

    @Test
    void theDeploysSeed_replacesWhatItSeeded_neverAnOperatorsRegistration_andRemovesProjectsNoLongerConfigured() {
        RegistrySeed seed = new RegistrySeed(registry, clock);
        seed.seed(List.of(project(A, 30, null), project(B, 30, null)));
        registry.put(project(C, 1, RegisteredProject.SOURCE_CLI)); // an operator's own project
        registry.put(project(B, 5, RegisteredProject.SOURCE_CLI)); // an operator changed a configured project

        RegistrySeed.Outcome next = seed.seed(List.of(project(A, 60, null), project(B, 60, null)));
        RegistrySeed.Outcome without = seed.seed(List.of(project(B, 60, null)));

        assertThat(next.seeded()).isEqualTo(1);
        assertThat(next.keptOperatorRegistrations()).containsExactly(B);
        assertThat(without.removed()).containsExactly(A);
        assertThat(registry.projectIds()).containsExactlyInAnyOrder(B, C);
        assertThat(registry.find(B).orElseThrow().settings().cooldownDays()).isEqualTo(5);
        assertThat(registry.find(C).orElseThrow().source()).isEqualTo(RegisteredProject.SOURCE_CLI);
    }

    @Test
    void theSeedHandler_seedsOnCreateAndUpdate_changesNothingOnDelete(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("registry-seed.json"), "[{\"projectId\":\"" + A + "\",\"awsRegion\":"
                + "\"us-east-1\",\"schedule\":\"rate(90 days)\",\"scheduleTimeZone\":\"UTC\",\"settings\":{\"cooldownDays\":30,"
                + "\"pendingWindowDays\":30}}]");
        RegistrySeed seed = new RegistrySeed(registry, clock);

        ObjectNode created = RegistrySeedHandlerAccess.invoke(seed, file, "Create");
        assertThat(created.path("PhysicalResourceId").asText()).isEqualTo("project-registry-seed");
        assertThat(created.path("Data").path("Seeded").asInt()).isEqualTo(1);
        assertThat(registry.find(A).orElseThrow().source()).isEqualTo(RegisteredProject.SOURCE_CONFIG);

        Files.writeString(file, "[]");
        ObjectNode deleted = RegistrySeedHandlerAccess.invoke(seed, file, "Delete");
        assertThat(deleted.has("Data")).isFalse();
        assertThat(registry.projectIds()).as("deleting the stack keeps the registry").containsExactly(A);
        assertThatThrownBy(() -> RegistrySeedHandlerAccess.invoke(seed, file, "Replace"))
                .hasMessageContaining("Create, Update or Delete");
    }

    @Test
    void badRegistrations_areRefusedNamingTheField() {
        assertThatThrownBy(() -> new RegisteredProject(A, "Europe", null, null, null, null, null))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("awsRegion");
        assertThatThrownBy(() -> new RegisteredProject(A, "eu-west-1", "every 90 days", null, null, null, null))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("schedule");
        assertThatThrownBy(() -> new RegisteredProject(A, "eu-west-1", "cron(0 3 1 */3 MON *)", null, null, null, null))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("day-of-week ?");
        assertThatThrownBy(() -> new RegisteredProject(A, "eu-west-1", null, "Mars/Olympus", null, null, null))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("scheduleTimeZone");
        assertThatThrownBy(() -> new RegisteredProject("not-a-project", "eu-west-1", null, null, null, null, null))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("projectId");
        assertThatThrownBy(() -> RegistrySeed.parse("[{\"projectId\":\"" + A + "\",\"awsRegion\":\"us-east-1\","
                + "\"settings\":{\"pendingWindowDays\":3}}]"))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("pendingWindowDays");
        assertThatThrownBy(() -> RegistrySeed.parse("[{\"projectId\":\"" + A + "\",\"awsRegion\":\"us-east-1\"},"
                + "{\"projectId\":\"" + A + "\",\"awsRegion\":\"us-east-1\"}]"))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("twice");
    }

    @Test
    void anItemEditedByHandThatBreaksARule_isRefusedNamingTheItemAndTheFix_neverReadAsDefaults() throws Exception {
        ObjectNode bad = Json.MAPPER.createObjectNode().put("projectId", A).put("awsRegion", "us-east-1");
        bad.putObject("settings").put("pendingWindowDays", 1);
        TestLocks.dynamo().putItem(b -> b.tableName(table).item(Map.of(
                "projectId", AttributeValue.fromS(DynamoDbProjectRegistry.PREFIX + A),
                "project", AttributeValue.fromS(bad.toString()), "source", AttributeValue.fromS("cli"))));

        assertThatThrownBy(() -> registry.find(A)).isInstanceOf(InvalidRegistryItemException.class)
                .hasMessageContaining("project#" + A).hasMessageContaining("pendingWindowDays")
                .hasMessageContaining("./rotator projects add");
    }
}
