package io.atlascmk.rotator.lock;

import io.atlascmk.sandbox.dynamo.Dynalite;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.function.Predicate;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The rotation lock for tests: one dynalite per test JVM (started on first use, stopped when the JVM
 * ends) with one lock table. A test world takes a lock for its projects that starts free.
 */
public final class TestLocks {

    public static final String TABLE = "atlas-cmk-rotator-locks";
    public static final Duration LEASE = Duration.ofHours(2);

    private TestLocks() {
    }

    private static final class Shared {
        static final Dynalite DYNALITE = Dynalite.start();
        static final DynamoDbClient DYNAMO = DynamoDbClient.builder().endpointOverride(DYNALITE.endpoint())
                .region(Region.US_EAST_1).httpClientBuilder(UrlConnectionHttpClient.builder())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIATESTLOCKS", "x")))
                .build();

        static {
            LockTable.create(DYNAMO, TABLE);
            Runtime.getRuntime().addShutdownHook(new Thread(DYNALITE::close));
        }
    }

    /** The shared client (for tests that look at the table themselves). */
    public static DynamoDbClient dynamo() {
        return Shared.DYNAMO;
    }

    /** A lock on the shared table; the given projects' locks are cleared first, so the world starts free. */
    public static RotationLock fresh(Clock clock, Predicate<String> executionRunning, String... projects) {
        for (String project : projects) {
            Shared.DYNAMO.deleteItem(b -> b.tableName(TABLE).key(Map.of(LockTable.PARTITION_KEY, AttributeValue.fromS(project))));
        }
        return new DynamoDbRotationLock(Shared.DYNAMO, TABLE, clock, LEASE, executionRunning);
    }
}
