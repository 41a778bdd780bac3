package io.atlascmk.rotator.alert;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * Alert deliveries in the lock table: one item per alert, keyed {@code alert#<alertId>} (the table's
 * partition key otherwise holds project ids), written with a conditional put and an {@code expiresAt}
 * the table's TTL removes. An item past {@code expiresAt} that TTL has not removed yet (it may take
 * days) counts as absent.
 */
public final class DynamoDbAlertDeliveries implements AlertDeliveries {

    private static final Logger LOG = LoggerFactory.getLogger(DynamoDbAlertDeliveries.class);

    public static final String KEY_PREFIX = "alert#";
    public static final String TTL_ATTRIBUTE = "expiresAt";
    /** How long a delivered alert is remembered. */
    public static final Duration RETENTION = Duration.ofDays(7);

    private final DynamoDbClient dynamo;
    private final String table;
    private final Clock clock;

    public DynamoDbAlertDeliveries(DynamoDbClient dynamo, String table, Clock clock) {
        this.dynamo = dynamo;
        this.table = table;
        this.clock = clock;
    }

    @Override
    public boolean firstDelivery(String alertId) {
        long now = clock.instant().getEpochSecond();
        try {
            dynamo.putItem(b -> b.tableName(table)
                    .item(Map.of("projectId", AttributeValue.fromS(KEY_PREFIX + alertId),
                            TTL_ATTRIBUTE, AttributeValue.fromN(Long.toString(now + RETENTION.toSeconds()))))
                    .conditionExpression("attribute_not_exists(projectId) OR #expires < :now")
                    .expressionAttributeNames(Map.of("#expires", TTL_ATTRIBUTE))
                    .expressionAttributeValues(Map.of(":now", AttributeValue.fromN(Long.toString(now)))));
            return true;
        } catch (ConditionalCheckFailedException repeat) {
            return false;
        } catch (SdkException e) {
            throw new AlertPublishException("Could not record the delivery of alert " + alertId + " in table " + table
                    + " (" + e.getClass().getSimpleName() + "); nothing was published, Atlas will deliver it again.", e);
        }
    }

    @Override
    public void forget(String alertId) {
        try {
            dynamo.deleteItem(b -> b.tableName(table).key(Map.of("projectId", AttributeValue.fromS(KEY_PREFIX + alertId))));
        } catch (SdkException e) {
            LOG.warn("Could not forget the delivery of alert {} ({}): Atlas's redeliveries of it are taken for repeats"
                    + " until {} from now; the scheduled rotation is unaffected.", alertId, e.getClass().getSimpleName(), RETENTION);
        }
    }
}
