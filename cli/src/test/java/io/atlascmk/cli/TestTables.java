package io.atlascmk.cli;

import io.atlascmk.rotator.lock.LockTable;
import io.atlascmk.sandbox.aws.AwsStandIn;
import io.atlascmk.sandbox.dynamo.Dynalite;
import java.util.UUID;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.kms.KmsClient;

/**
 * What the command tests talk to: one dynalite per test JVM (started on first use, stopped when the JVM ends), a
 * fresh rotator table per test, and SDK clients of the sandbox's AWS stand-in.
 */
final class TestTables {

    private TestTables() {
    }

    private static final class Shared {
        static final Dynalite DYNALITE = Dynalite.start();
        static final DynamoDbClient DYNAMO = DynamoDbClient.builder().endpointOverride(DYNALITE.endpoint())
                .region(Region.US_EAST_1).httpClientBuilder(UrlConnectionHttpClient.builder())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDCLITESTS", "x")))
                .build();

        static {
            Runtime.getRuntime().addShutdownHook(new Thread(DYNALITE::close));
        }
    }

    static DynamoDbClient dynamo() {
        return Shared.DYNAMO;
    }

    /** A new, empty rotator table (locks, key index, registry), named after the test. */
    static String freshTable(String prefix) {
        String table = prefix + "-" + UUID.randomUUID();
        LockTable.create(Shared.DYNAMO, table);
        return table;
    }

    /** A KMS client of the stand-in in {@code region} (the caller closes it). */
    static KmsClient kms(AwsStandIn aws, String region) {
        return KmsClient.builder().endpointOverride(aws.endpoint()).region(Region.of(region))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDCLITESTS", "test-secret")))
                .httpClientBuilder(UrlConnectionHttpClient.builder()).build();
    }
}
