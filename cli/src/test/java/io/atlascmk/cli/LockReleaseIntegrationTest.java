package io.atlascmk.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.atlascmk.rotator.json.Json;
import io.atlascmk.rotator.lock.DynamoDbRotationLock;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The workflow's ReleaseLock state sends exactly the lock's own release, which the local runner performs. */
class LockReleaseIntegrationTest {

    @Test
    void theWorkflowsReleaseIsTheLocksRelease() throws Exception {
        JsonNode asl = Json.MAPPER.readTree(Path.of("..", "statemachine", "rotation.asl.json").toFile());
        JsonNode release = asl.path("States").path("ReleaseLock");

        assertThat(release.path("Resource").asText()).isEqualTo(LockReleaseIntegration.RESOURCE);
        assertThat(release.path("Parameters").path("UpdateExpression").asText()).isEqualTo(DynamoDbRotationLock.RELEASE_UPDATE);
        assertThat(release.path("Parameters").path("ConditionExpression").asText()).isEqualTo(DynamoDbRotationLock.RELEASE_CONDITION);
        assertThat(release.path("Parameters").path("ExpressionAttributeNames").toString())
                .contains("\"#holder\":\"holder\"").contains("\"#token\":\"token\"").contains("\"#lease\":\"leaseExpiresAt\"");
    }
}
