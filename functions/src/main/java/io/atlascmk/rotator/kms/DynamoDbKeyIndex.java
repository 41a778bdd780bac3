package io.atlascmk.rotator.kms;

import io.atlascmk.rotator.lock.LockUnavailableException;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The key index in the rotator's table (the lock table): one item per project, {@code projectId} =
 * {@code keys#<projectId>}, with the string sets {@code keyArns} and {@code openIntents}. Set {@code ADD} and
 * {@code DELETE} are atomic, so concurrent writers never lose each other's keys; reads are strongly consistent.
 */
public final class DynamoDbKeyIndex implements KeyIndex {

    /** The items' key prefix, beside the projects' locks ({@code <projectId>}) and alert deliveries ({@code alert#}). */
    public static final String PREFIX = "keys#";

    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoDbKeyIndex(DynamoDbClient dynamo, String table) {
        this.dynamo = Objects.requireNonNull(dynamo, "dynamo");
        this.table = Objects.requireNonNull(table, "table");
    }

    @Override
    public Entry read(String projectId) {
        Map<String, AttributeValue> item;
        try {
            item = dynamo.getItem(b -> b.tableName(table).key(key(projectId)).consistentRead(true)).item();
        } catch (SdkException e) {
            throw unavailable("read", projectId, e);
        }
        return new Entry(strings(item, "keyArns"), strings(item, "openIntents"));
    }

    @Override
    public void intend(String projectId, String intent) {
        update(projectId, "ADD #intents :i", Map.of("#intents", "openIntents"), Map.of(":i", set(Set.of(intent))));
    }

    @Override
    public void record(String projectId, Set<String> keyArns, Set<String> fulfilledIntents) {
        StringBuilder expression = new StringBuilder();
        Map<String, String> names = new HashMap<>();
        Map<String, AttributeValue> values = new HashMap<>();
        if (!keyArns.isEmpty()) {
            expression.append("ADD #arns :a");
            names.put("#arns", "keyArns");
            values.put(":a", set(keyArns));
        }
        if (!fulfilledIntents.isEmpty()) {
            expression.append(expression.isEmpty() ? "" : " ").append("DELETE #intents :i");
            names.put("#intents", "openIntents");
            values.put(":i", set(fulfilledIntents));
        }
        if (!expression.isEmpty()) {
            update(projectId, expression.toString(), names, values);
        }
    }

    @Override
    public void forget(String projectId, Set<String> keyArns) {
        if (!keyArns.isEmpty()) {
            update(projectId, "DELETE #arns :a", Map.of("#arns", "keyArns"), Map.of(":a", set(keyArns)));
        }
    }

    private void update(String projectId, String expression, Map<String, String> names, Map<String, AttributeValue> values) {
        try {
            dynamo.updateItem(b -> b.tableName(table).key(key(projectId)).updateExpression(expression)
                    .expressionAttributeNames(names).expressionAttributeValues(values));
        } catch (SdkException e) {
            throw unavailable("write", projectId, e);
        }
    }

    private LockUnavailableException unavailable(String what, String projectId, SdkException e) {
        return new LockUnavailableException("Could not " + what + " the key index of project " + projectId + " in table "
                + table + ": " + e.getClass().getSimpleName() + ". Nothing was decided from it; the workflow retries.", e);
    }

    private static Map<String, AttributeValue> key(String projectId) {
        return Map.of("projectId", AttributeValue.fromS(PREFIX + projectId));
    }

    private static AttributeValue set(Set<String> values) {
        return AttributeValue.fromSs(List.copyOf(values));
    }

    private static Set<String> strings(Map<String, AttributeValue> item, String attribute) {
        if (item == null || !item.containsKey(attribute)) {
            return Set.of();
        }
        return new LinkedHashSet<>(item.get(attribute).ss());
    }
}
