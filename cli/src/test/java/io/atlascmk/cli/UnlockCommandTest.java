package io.atlascmk.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.atlascmk.rotator.lock.DynamoDbRotationLock;
import io.atlascmk.rotator.lock.LockTable;
import io.atlascmk.rotator.lock.RotationLock;
import io.atlascmk.sandbox.SandboxClock;
import io.atlascmk.sandbox.dynamo.Dynalite;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** {@code rotator unlock} against dynalite: it frees a stuck lock, never a running execution's. */
class UnlockCommandTest {

    private static final String PROJECT = "5f1e2d3c4b5a69788796a5b4";

    private Dynalite dynalite;
    private DynamoDbClient dynamo;
    private final Set<String> running = ConcurrentHashMap.newKeySet();
    private RotationLock lock;
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeEach
    void start() {
        dynalite = Dynalite.start();
        dynamo = DynamoDbClient.builder().endpointOverride(dynalite.endpoint()).region(Region.US_EAST_1)
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIAUNLOCK", "x"))).build();
        LockTable.create(dynamo, "locks");
        lock = new DynamoDbRotationLock(dynamo, "locks", new SandboxClock(Instant.parse("2026-12-01T08:00:00Z")),
                Duration.ofHours(2), running::contains);
    }

    @AfterEach
    void stop() {
        dynamo.close();
        dynalite.close();
    }

    private int unlock() {
        CommandLine cli = new CommandLine(new UnlockCommand(c -> lock));
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute("--project", PROJECT);
    }

    @Test
    void refusesWhileTheHoldersExecutionRuns_thenFreesTheLockOnceItHasEnded() {
        running.add("scheduled-2026-12-01");
        lock.acquire(PROJECT, "scheduled-2026-12-01");

        assertThat(unlock()).isEqualTo(1);
        assertThat(err.toString()).contains("Not unlocked").contains("scheduled-2026-12-01").contains("still running");
        assertThat(lock.read(PROJECT).orElseThrow().held()).isTrue();

        running.remove("scheduled-2026-12-01");
        assertThat(unlock()).isZero();
        assertThat(out.toString()).contains("Unlocked project " + PROJECT).contains("held by scheduled-2026-12-01");
        assertThat(lock.read(PROJECT).orElseThrow().held()).isFalse();
    }

    @Test
    void aProjectNobodyHolds_isReportedAsNotLocked() {
        assertThat(unlock()).isZero();
        assertThat(out.toString()).contains("is not locked");
    }
}
