package io.atlascmk.rotator.handler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import io.atlascmk.rotator.rotation.InvalidInputException;
import io.atlascmk.rotator.rotation.RotationWorld;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every file in {@code events/invalid/} fails validation before any call to AWS or Atlas. */
class InvalidEventsTest {

    static final Path INVALID = EventExamplesTest.EVENTS.resolve("invalid");
    /** Bad webhook deliveries (events/invalid/webhook-*.json) are the webhook's; AtlasWebhookProcessorTest covers them. */
    static final String WEBHOOK_PREFIX = "webhook-";

    /** The field each invalid example gets wrong. */
    static final Map<String, String> FIELD = Map.of(
            "create-key-wrong-type.json", "projectId",
            "preflight-malformed-project-id.json", "input.projectId",
            "preflight-missing-project-id.json", "input.projectId",
            "preflight-pending-window-out-of-range.json", "input.settings.pendingWindowDays",
            "preflight-unknown-field.json", "input.dryrun");

    static Stream<String> invalidFiles() throws IOException {
        try (Stream<Path> files = Files.list(INVALID)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".json") && !n.startsWith(WEBHOOK_PREFIX)).sorted().toList()
                    .stream();
        }
    }

    /** The handler an invalid example is meant for, by its file name's prefix. */
    static RequestStreamHandler handlerFor(String file, RotationWorld world) {
        Map<String, RequestStreamHandler> handlers = LocalHandlers.create(world.deps());
        for (var entry : List.of(
                Map.entry("preflight-", LocalHandlers.PREFLIGHT),
                Map.entry("create-key-", LocalHandlers.CREATE_KEY),
                Map.entry("grant-atlas-access-", LocalHandlers.GRANT_ATLAS_ACCESS),
                Map.entry("switch-atlas-key-", LocalHandlers.SWITCH_ATLAS_KEY),
                Map.entry("check-deployment-", LocalHandlers.CHECK_DEPLOYMENT),
                Map.entry("finalize-", LocalHandlers.FINALIZE),
                Map.entry("audit-and-retire-", LocalHandlers.AUDIT_AND_RETIRE),
                Map.entry("rollback-", LocalHandlers.ROLLBACK))) {
            if (file.startsWith(entry.getKey())) {
                return handlers.get(entry.getValue());
            }
        }
        throw new AssertionError("No handler is named by the prefix of events/invalid/" + file);
    }

    @Test
    void everyInvalidExampleIsListedHere_soNoneIsSkipped() throws IOException {
        assertThat(invalidFiles()).containsExactlyInAnyOrderElementsOf(FIELD.keySet());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidFiles")
    void invalidExample_failsValidation_withoutAnyCallToKmsOrAtlas(String file) throws IOException {
        RotationWorld world = RotationWorld.managed();
        world.resetRecording();
        byte[] json = Files.readAllBytes(INVALID.resolve(file));

        Throwable thrown = catchThrowable(() -> handlerFor(file, world)
                .handleRequest(new ByteArrayInputStream(json), new ByteArrayOutputStream(), null));

        assertThat(thrown).isInstanceOf(InvalidInputException.class);
        assertThat(((InvalidInputException) thrown).field()).isEqualTo(FIELD.get(file));
        assertThat(thrown.getMessage()).contains(FIELD.get(file));
        assertThat(world.kms.calls()).isEmpty();
        assertThat(world.atlas.calls()).isEmpty();
        assertThat(world.regionsAsked).isEmpty();
    }
}
