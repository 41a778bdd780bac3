package io.atlascmk.cli;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import io.atlascmk.rotator.json.Json;
import io.atlascmk.rotator.lock.DynamoDbRotationLock;
import io.atlascmk.rotator.lock.LockGrant;
import io.atlascmk.rotator.lock.RotationLock;

/**
 * The workflow's ReleaseLock state ({@code arn:aws:states:::dynamodb:updateItem}) served on this
 * machine: the engine runs every Task through the local endpoint, so this reads the UpdateItem the
 * state would send and performs it as the lock's own release (same expression and condition: a test
 * holds the workflow's parameters to {@link DynamoDbRotationLock#RELEASE_UPDATE} and
 * {@link DynamoDbRotationLock#RELEASE_CONDITION}). A lock this execution no longer holds fails as
 * DynamoDB's conditional check does.
 */
public final class LockReleaseIntegration {

    /** The resource name of the workflow's ReleaseLock state. */
    public static final String RESOURCE = "arn:aws:states:::dynamodb:updateItem";

    private LockReleaseIntegration() {
    }

    public static RequestStreamHandler handler(RotationLock lock) {
        return (in, out, context) -> {
            JsonNode p = Json.MAPPER.readTree(in);
            if (!DynamoDbRotationLock.RELEASE_UPDATE.equals(p.path("UpdateExpression").asText())
                    || !DynamoDbRotationLock.RELEASE_CONDITION.equals(p.path("ConditionExpression").asText())) {
                throw new IllegalArgumentException("The local runner serves only the workflow's lock release; this"
                        + " UpdateItem is another one: " + p.path("UpdateExpression").asText());
            }
            JsonNode values = p.path("ExpressionAttributeValues");
            LockGrant grant = new LockGrant(p.path("Key").path("projectId").path("S").asText(),
                    values.path(":me").path("S").asText(), Long.parseLong(values.path(":t").path("N").asText()), null, null);
            if (!lock.release(grant)) {
                throw new ConditionalCheckFailedLocally("The conditional request failed: " + grant.holder()
                        + " no longer holds the lock of project " + grant.projectId() + ".");
            }
            out.write("{}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        };
    }

    /** DynamoDB's ConditionalCheckFailedException, as the local engine sees a failed Task. */
    static final class ConditionalCheckFailedLocally extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ConditionalCheckFailedLocally(String message) {
            super(message);
        }
    }
}
