package io.atlascmk.sandbox.aws;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.KmsInvalidStateException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A trail's delivery of KMS calls to EventBridge, and the tripwire rule's pattern
 * ({@code events/tripwire-rule-pattern.json}) on what it delivers: it matches a call refused because
 * the key is pending deletion, and nothing else.
 */
class AwsTrailDeliveryTest {

    private final AwsTarget aws = AwsTarget.start();

    @AfterEach
    void stop() throws Exception {
        aws.close();
    }

    private static String tripwirePattern() throws IOException {
        return Files.readString(Path.of("..", "events", "tripwire-rule-pattern.json"));
    }

    @Test
    void aCallRefusedForAKeyPendingDeletion_reachesTheTripwireRule_onceAndOnlyAfterTheDeliveryDelay() throws IOException {
        AwsStandIn standIn = aws.standIn();
        KmsClient kms = aws.kms();
        String doomed = kms.createKey(b -> { }).keyMetadata().arn();
        String disabled = kms.createKey(b -> { }).keyMetadata().arn();
        String healthy = kms.createKey(b -> { }).keyMetadata().arn();
        kms.disableKey(b -> b.keyId(disabled));
        kms.scheduleKeyDeletion(b -> b.keyId(doomed).pendingWindowInDays(7));
        List<String> caught = new ArrayList<>();
        standIn.eventBridge().addRule("Tripwire", tripwirePattern(),
                event -> caught.add(event.envelope().path("detail").path("errorMessage").asText()));

        SdkBytes data = SdkBytes.fromUtf8String("restore");
        kms.encrypt(b -> b.keyId(healthy).plaintext(data));
        assertThatThrownBy(() -> kms.encrypt(b -> b.keyId(disabled).plaintext(data))).isInstanceOf(
                software.amazon.awssdk.services.kms.model.DisabledException.class);
        assertThatThrownBy(() -> kms.encrypt(b -> b.keyId(doomed).plaintext(data))).isInstanceOf(KmsInvalidStateException.class);

        assertThat(standIn.deliverTrailToEventBridge()).as("CloudTrail delivers minutes later").isZero();
        aws.clock().advance(Duration.ofMinutes(6));
        int delivered = standIn.deliverTrailToEventBridge();

        assertThat(delivered).isGreaterThanOrEqualTo(5);
        assertThat(caught).containsExactly(doomed + " is pending deletion.");
        assertThat(standIn.deliverTrailToEventBridge()).as("each event once").isZero();
        assertThat(standIn.eventBridge().publishedEvents()).allSatisfy(e -> {
            assertThat(e.envelope().path("source").asText()).isEqualTo("aws.kms");
            assertThat(e.envelope().path("detail-type").asText()).isEqualTo("AWS API Call via CloudTrail");
        });
    }
}
