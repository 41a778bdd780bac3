package io.atlascmk.rotator.lock;

import java.time.Duration;
import software.amazon.awssdk.core.retry.backoff.FixedDelayBackoffStrategy;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.waiters.DynamoDbWaiter;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * The lock table's shape: partition key {@code projectId} (string), nothing else declared. The stack
 * creates it in AWS (on demand, point-in-time recovery, deletion protection); the sandbox and the
 * tests create it in dynalite with {@link #create}.
 */
public final class LockTable {

    public static final String PARTITION_KEY = "projectId";

    private LockTable() {
    }

    /** Creates the table and waits until it is ACTIVE. */
    public static void create(DynamoDbClient dynamo, String tableName) {
        dynamo.createTable(b -> b.tableName(tableName).billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(AttributeDefinition.builder().attributeName(PARTITION_KEY)
                        .attributeType(ScalarAttributeType.S).build())
                .keySchema(KeySchemaElement.builder().attributeName(PARTITION_KEY).keyType(KeyType.HASH).build()));
        // The SDK's default waiter polls every 20 s; a local table is ACTIVE within a second.
        try (DynamoDbWaiter waiter = DynamoDbWaiter.builder().client(dynamo).overrideConfiguration(c -> c
                .backoffStrategy(FixedDelayBackoffStrategy.create(Duration.ofMillis(100))).maxAttempts(600)).build()) {
            waiter.waitUntilTableExists(b -> b.tableName(tableName));
        }
    }
}
