package io.atlascmk.rotator.lock;

import io.atlascmk.sandbox.SandboxClock;
import io.atlascmk.sandbox.dynamo.Dynalite;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The rotation lock against dynalite (a real DynamoDB implementation, in memory), over the SDK client. */
class DynamoDbRotationLockTest {

    private static final String PROJECT = "5f1e2d3c4b5a69788796a5b4";
    private static final Duration LEASE = Duration.ofHours(1);

    private static Dynalite dynalite;
    private static DynamoDbClient dynamo;

    private final SandboxClock clock = new SandboxClock(Instant.parse("2026-12-01T08:00:00Z"));
    private final Set<String> running = ConcurrentHashMap.newKeySet();
    private String table;
    private RotationLock lock;

    @BeforeAll
    static void startDynalite() {
        dynalite = Dynalite.start();
        dynamo = DynamoDbClient.builder().endpointOverride(dynalite.endpoint()).region(Region.US_EAST_1)
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIALOCKTEST", "x")))
                .build();
    }

    @AfterAll
    static void stopDynalite() {
        dynamo.close();
        dynalite.close();
    }

    @BeforeEach
    void freshTable() {
        table = "locks-" + UUID.randomUUID();
        LockTable.create(dynamo, table);
        lock = new DynamoDbRotationLock(dynamo, table, clock, LEASE, running::contains);
    }

    @Test
    void aFreeLock_isTaken_withTheFirstToken_andAnotherRunningRotationIsRefused_namingTheHolder() {
        running.add("rotation-a");
        running.add("rotation-b");
        LockGrant a = lock.acquire(PROJECT, "rotation-a");

        assertThat(a.token()).isEqualTo(1);
        assertThat(a.takenOverFrom()).isNull();
        assertThat(a.leaseExpiresAt()).isEqualTo(Instant.parse("2026-12-01T09:00:00Z"));
        assertThatThrownBy(() -> lock.acquire(PROJECT, "rotation-b")).isInstanceOf(LockHeldException.class)
                .hasMessageContaining("locked by rotation-a").hasMessageContaining("still running");
        assertThat(lock.read(PROJECT).orElseThrow().holder()).isEqualTo("rotation-a");
    }

    @Test
    void theHoldersOwnRetry_keepsItsToken_andRenewsTheLease() {
        running.add("rotation-a");
        LockGrant first = lock.acquire(PROJECT, "rotation-a");
        clock.advance(Duration.ofMinutes(10));

        LockGrant again = lock.acquire(PROJECT, "rotation-a");

        assertThat(again.token()).isEqualTo(first.token());
        assertThat(again.leaseExpiresAt()).isEqualTo(Instant.parse("2026-12-01T09:10:00Z"));
    }

    @Test
    void anEndedExecutionsLock_isTakenOver_withANewToken_andTheOldHolderCanNoLongerConfirm() {
        running.add("rotation-a");
        LockGrant a = lock.acquire(PROJECT, "rotation-a");
        running.remove("rotation-a"); // crashed, timed out or aborted without releasing

        LockGrant b = lock.acquire(PROJECT, "rotation-b");

        assertThat(b.token()).isEqualTo(2);
        assertThat(b.takenOverFrom()).isEqualTo("rotation-a");
        assertThatThrownBy(() -> lock.confirm(a)).isInstanceOf(LockLostException.class)
                .hasMessageContaining("held by rotation-b with token 2");
        lock.confirm(b);
    }

    @Test
    void theRescueSeizesTheLock_evenFromARunningRotation_whichThenCannotConfirm_andReleasesItForTheNext() {
        running.add("rotation-a");
        LockGrant a = lock.acquire(PROJECT, "rotation-a");

        LockGrant rescue = lock.seize(PROJECT, "rescue-key-1");

        assertThat(rescue.token()).isEqualTo(2);
        assertThat(rescue.takenOverFrom()).isEqualTo("rotation-a");
        assertThatThrownBy(() -> lock.confirm(a)).isInstanceOf(LockLostException.class)
                .hasMessageContaining("rescue-key-1");
        assertThat(lock.release(rescue)).isTrue();
        running.add("rotation-b");
        assertThat(lock.acquire(PROJECT, "rotation-b").token()).isEqualTo(3);
    }

    @Test
    void aFreeOrNeverUsedLock_isSeized_fromNobody_andACrashedRescueIsTakenOverOnceItsLeaseHasPassed() {
        LockGrant first = lock.seize(PROJECT, "rescue-key-1");
        assertThat(first.token()).isEqualTo(1);
        assertThat(first.takenOverFrom()).isNull();

        assertThatThrownBy(() -> lock.acquire(PROJECT, "rotation-b")).isInstanceOf(LockHeldException.class);
        clock.advance(LEASE);
        assertThat(lock.acquire(PROJECT, "rotation-b").takenOverFrom()).isEqualTo("rescue-key-1");
    }

    @Test
    void aRunningExecution_isNeverTakenOver_evenPastItsLease() {
        running.add("rotation-a");
        lock.acquire(PROJECT, "rotation-a");
        clock.advance(LEASE.multipliedBy(3));

        assertThatThrownBy(() -> lock.acquire(PROJECT, "rotation-b")).isInstanceOf(LockHeldException.class);
    }

    @Test
    void aLocalRun_whichStepFunctionsCannotSee_isTakenOverOnlyOnceItsLeaseHasExpired() {
        LockGrant local = lock.acquire(PROJECT, "local-laptop-1");
        clock.advance(LEASE.minusSeconds(1));
        assertThatThrownBy(() -> lock.acquire(PROJECT, "rotation-b")).isInstanceOf(LockHeldException.class);

        lock.confirm(local); // every confirm renews the lease
        clock.advance(LEASE.minusSeconds(1));
        assertThatThrownBy(() -> lock.acquire(PROJECT, "rotation-b")).isInstanceOf(LockHeldException.class);

        clock.advance(Duration.ofSeconds(1));
        assertThat(lock.acquire(PROJECT, "rotation-b").takenOverFrom()).isEqualTo("local-laptop-1");
    }

    @Test
    void aReleasedLock_isFree_andTheNextHolderGetsAGreaterToken_tokensNeverRepeat() {
        running.add("rotation-a");
        LockGrant a = lock.acquire(PROJECT, "rotation-a");

        assertThat(lock.release(a)).isTrue();
        assertThat(lock.release(a)).as("a second release is a no-op").isFalse();
        assertThat(lock.read(PROJECT).orElseThrow().held()).isFalse();
        running.add("rotation-b");
        LockGrant b = lock.acquire(PROJECT, "rotation-b");
        assertThat(b.token()).isEqualTo(2);
        assertThat(lock.release(a)).as("a stale grant releases nothing").isFalse();
        assertThat(lock.read(PROJECT).orElseThrow().holder()).isEqualTo("rotation-b");
    }

    @Test
    void unlock_refusesWhileTheHoldersExecutionRuns_andFreesItOnceItHasEnded() {
        running.add("rotation-a");
        LockGrant a = lock.acquire(PROJECT, "rotation-a");

        assertThatThrownBy(() -> lock.unlock(PROJECT)).isInstanceOf(LockHeldException.class)
                .hasMessageContaining("still running");
        running.remove("rotation-a");
        assertThat(lock.unlock(PROJECT)).get().extracting(LockState::holder).isEqualTo("rotation-a");
        assertThat(lock.unlock(PROJECT)).isEmpty();
        assertThatThrownBy(() -> lock.confirm(a)).isInstanceOf(LockLostException.class).hasMessageContaining("nobody holds it");
    }

    @Test
    void tenRotationsStartingTogether_exactlyOneGetsTheLock() throws Exception {
        List<String> holders = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            holders.add("rotation-" + i);
        }
        running.addAll(holders);
        ExecutorService pool = Executors.newFixedThreadPool(10);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<LockGrant>> attempts = new ArrayList<>();
        for (String holder : holders) {
            attempts.add(pool.submit(() -> {
                go.await();
                try {
                    return lock.acquire(PROJECT, holder);
                } catch (LockHeldException e) {
                    return null;
                }
            }));
        }
        go.countDown();
        List<LockGrant> grants = new ArrayList<>();
        for (Future<LockGrant> attempt : attempts) {
            LockGrant g = attempt.get(30, TimeUnit.SECONDS);
            if (g != null) {
                grants.add(g);
            }
        }
        pool.shutdown();

        assertThat(grants).hasSize(1);
        assertThat(lock.read(PROJECT).orElseThrow().holder()).isEqualTo(grants.get(0).holder());
    }

    @Test
    void aMissingTable_isLockUnavailable_namingTheSetting_neverAGrant() {
        RotationLock nowhere = new DynamoDbRotationLock(dynamo, "no-such-table", clock, LEASE, running::contains);

        assertThatThrownBy(() -> nowhere.acquire(PROJECT, "rotation-a")).isInstanceOf(LockUnavailableException.class)
                .hasMessageContaining("ROTATOR_LOCK_TABLE");
    }
}
