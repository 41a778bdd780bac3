package io.atlascmk.rotator.registry;

import io.atlascmk.rotator.json.Json;
import io.atlascmk.rotator.handler.StepJson;
import io.atlascmk.rotator.lock.LockUnavailableException;
import io.atlascmk.rotator.rotation.InvalidInputException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;

/**
 * The registry in the rotator's table (beside the locks, alert deliveries and key index): one item per project,
 * {@code projectId} = {@code project#<id>}, holding the project as JSON ({@code project}) and who wrote it
 * ({@code source}, {@code updatedAt}). Reads are strongly consistent; the list is a consistent scan of the
 * {@code project#} items, so a registration is one atomic write.
 */
public final class DynamoDbProjectRegistry implements ProjectRegistry {

    /** The items' key prefix. */
    public static final String PREFIX = "project#";

    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoDbProjectRegistry(DynamoDbClient dynamo, String table) {
        this.dynamo = Objects.requireNonNull(dynamo, "dynamo");
        this.table = Objects.requireNonNull(table, "table");
    }

    @Override
    public Optional<RegisteredProject> find(String projectId) {
        Map<String, AttributeValue> item;
        try {
            item = dynamo.getItem(b -> b.tableName(table).key(key(projectId)).consistentRead(true)).item();
        } catch (SdkException e) {
            throw unavailable("read project " + projectId + " from", e);
        }
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(project(item));
    }

    @Override
    public Set<String> projectIds() {
        Set<String> ids = new LinkedHashSet<>();
        list().forEach(p -> ids.add(p.projectId()));
        return ids;
    }

    @Override
    public List<RegisteredProject> list() {
        List<RegisteredProject> all = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> from = start;
            ScanResponse page;
            try {
                page = dynamo.scan(b -> b.tableName(table).consistentRead(true).exclusiveStartKey(from)
                        .filterExpression("begins_with(#id, :prefix)").expressionAttributeNames(Map.of("#id", "projectId"))
                        .expressionAttributeValues(Map.of(":prefix", AttributeValue.fromS(PREFIX))));
            } catch (SdkException e) {
                throw unavailable("list the projects of", e);
            }
            page.items().forEach(item -> all.add(project(item)));
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        all.sort(Comparator.comparing(RegisteredProject::projectId));
        return all;
    }

    @Override
    public void put(RegisteredProject project) {
        write(project, null);
    }

    @Override
    public boolean seed(RegisteredProject project) {
        return write(project, "attribute_not_exists(#id) OR #source = :config");
    }

    @Override
    public boolean remove(String projectId) {
        return delete(projectId, null);
    }

    @Override
    public boolean unseed(String projectId) {
        return delete(projectId, "#source = :config");
    }

    private boolean write(RegisteredProject project, String condition) {
        Map<String, AttributeValue> item = Map.of(
                "projectId", AttributeValue.fromS(PREFIX + project.projectId()),
                "project", AttributeValue.fromS(json(project)),
                "source", AttributeValue.fromS(project.source()),
                "updatedAt", AttributeValue.fromS(String.valueOf(project.updatedAt())));
        try {
            dynamo.putItem(b -> {
                b.tableName(table).item(item);
                if (condition != null) {
                    b.conditionExpression(condition).expressionAttributeNames(Map.of("#id", "projectId", "#source", "source"))
                            .expressionAttributeValues(Map.of(":config", AttributeValue.fromS(RegisteredProject.SOURCE_CONFIG)));
                }
            });
            return true;
        } catch (ConditionalCheckFailedException kept) {
            return false;
        } catch (SdkException e) {
            throw unavailable("write project " + project.projectId() + " to", e);
        }
    }

    private boolean delete(String projectId, String condition) {
        try {
            Map<String, AttributeValue> old = dynamo.deleteItem(b -> {
                b.tableName(table).key(key(projectId)).returnValues(ReturnValue.ALL_OLD);
                if (condition != null) {
                    b.conditionExpression(condition).expressionAttributeNames(Map.of("#source", "source"))
                            .expressionAttributeValues(Map.of(":config", AttributeValue.fromS(RegisteredProject.SOURCE_CONFIG)));
                }
            }).attributes();
            return old != null && !old.isEmpty();
        } catch (ConditionalCheckFailedException kept) {
            return false;
        } catch (SdkException e) {
            throw unavailable("remove project " + projectId + " from", e);
        }
    }

    private static String json(RegisteredProject project) {
        try {
            return Json.MAPPER.writeValueAsString(project);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An item read back, validated as a registration is (a hand-edited item that breaks a rule is refused). */
    private RegisteredProject project(Map<String, AttributeValue> item) {
        AttributeValue json = item.get("project");
        String id = item.get("projectId").s();
        if (json == null || json.s() == null) {
            throw new InvalidRegistryItemException(id, table, "has no project document");
        }
        try {
            return StepJson.read(new ByteArrayInputStream(json.s().getBytes(StandardCharsets.UTF_8)), RegisteredProject.class);
        } catch (InvalidInputException e) {
            throw new InvalidRegistryItemException(id, table, "is not valid: '" + e.field() + "' " + e.problem());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private LockUnavailableException unavailable(String what, SdkException e) {
        return new LockUnavailableException("Could not " + what + " the project registry in table " + table + ": "
                + e.getClass().getSimpleName() + ". Nothing was changed; the workflow retries.", e);
    }

    private static Map<String, AttributeValue> key(String projectId) {
        return Map.of("projectId", AttributeValue.fromS(PREFIX + projectId));
    }
}
