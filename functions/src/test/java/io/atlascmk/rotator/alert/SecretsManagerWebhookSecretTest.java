package io.atlascmk.rotator.alert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueResponse;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;

class SecretsManagerWebhookSecretTest {

    private static final String ARN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:atlas-cmk-rotator/webhook-AbCdEf";

    @Test
    void readsTheWebhookSecretField_ofAJsonSecret() {
        FakeSecretsManager secrets = FakeSecretsManager.holding("{\"webhookSecret\": \"s3cr3t-value\"}");
        assertThat(new SecretsManagerWebhookSecret(secrets, ARN).webhookSecret()).isEqualTo("s3cr3t-value");
        assertThat(secrets.requestedIds()).containsExactly(ARN);
    }

    @Test
    void readsAPlainStringSecret_ignoringSurroundingWhitespace() {
        assertThat(SecretsManagerWebhookSecret.parse("s3cr3t-value\n")).isEqualTo("s3cr3t-value");
        assertThat(SecretsManagerWebhookSecret.parse("  {\"webhookSecret\":\" s3cr3t-value \"}  ")).isEqualTo("s3cr3t-value");
    }

    @Test
    void toleratesOtherFieldsBesideWebhookSecret() {
        assertThat(SecretsManagerWebhookSecret.parse("{\"webhookSecret\":\"s3cr3t-value\",\"note\":\"set in Atlas 2026-11\"}"))
                .isEqualTo("s3cr3t-value");
    }

    @Test
    void readsSecretsManagerOnce_forManyCalls() {
        AtomicInteger reads = new AtomicInteger();
        FakeSecretsManager secrets = new FakeSecretsManager(() -> {
            reads.incrementAndGet();
            return GetSecretValueResponse.builder().secretString("s3cr3t-value").build();
        });
        SecretsManagerWebhookSecret source = new SecretsManagerWebhookSecret(secrets, ARN);
        for (int i = 0; i < 5; i++) {
            assertThat(source.webhookSecret()).isEqualTo("s3cr3t-value");
        }
        assertThat(reads).hasValue(1);
    }

    @Test
    void retriesOnTheNextCall_whenAReadFailed() {
        AtomicInteger reads = new AtomicInteger();
        FakeSecretsManager secrets = new FakeSecretsManager(() -> {
            if (reads.incrementAndGet() == 1) {
                throw ResourceNotFoundException.builder().message("Secrets Manager can't find the specified secret.").build();
            }
            return GetSecretValueResponse.builder().secretString("s3cr3t-value").build();
        });
        SecretsManagerWebhookSecret source = new SecretsManagerWebhookSecret(secrets, ARN);

        assertThatThrownBy(source::webhookSecret)
                .isInstanceOf(WebhookSecretUnavailableException.class)
                .hasMessageContaining(ARN)
                .hasMessageContaining("ResourceNotFoundException");
        assertThat(source.webhookSecret()).isEqualTo("s3cr3t-value");
        assertThat(source.webhookSecret()).isEqualTo("s3cr3t-value");
        assertThat(reads).hasValue(2);
    }

    @Test
    void rejectsAJsonSecretWithoutTheField_namingTheShapeButNotTheValue() {
        String stored = "{\"secret\": \"leaky-value-123\"}";
        assertThatThrownBy(() -> new SecretsManagerWebhookSecret(FakeSecretsManager.holding(stored), ARN).webhookSecret())
                .isInstanceOf(MalformedWebhookSecretException.class)
                .hasMessageContaining("{\"webhookSecret\":")
                .hasMessageContaining("plain webhook secret")
                .hasMessageNotContaining("leaky-value-123")
                .hasNoCause();
    }

    @Test
    void rejectsBrokenJson_withoutQuotingIt() {
        assertThatThrownBy(() -> SecretsManagerWebhookSecret.parse("{\"webhookSecret\": leaky-value-123"))
                .isInstanceOf(MalformedWebhookSecretException.class)
                .hasMessageContaining("not valid JSON")
                .hasMessageNotContaining("leaky-value-123")
                .hasNoCause();
    }

    @Test
    void rejectsEmptyNonStringAndBinarySecrets() {
        assertThatThrownBy(() -> SecretsManagerWebhookSecret.parse("  \n")).isInstanceOf(MalformedWebhookSecretException.class)
                .hasMessageContaining("empty");
        assertThatThrownBy(() -> SecretsManagerWebhookSecret.parse("{\"webhookSecret\": \"  \"}"))
                .isInstanceOf(MalformedWebhookSecretException.class).hasMessageContaining("empty");
        assertThatThrownBy(() -> SecretsManagerWebhookSecret.parse("{\"webhookSecret\": 12345}"))
                .isInstanceOf(MalformedWebhookSecretException.class).hasMessageContaining("no string field");
        FakeSecretsManager binaryOnly = new FakeSecretsManager(() -> GetSecretValueResponse.builder()
                .secretBinary(SdkBytes.fromUtf8String("s3cr3t-value")).build());
        assertThatThrownBy(() -> new SecretsManagerWebhookSecret(binaryOnly, ARN).webhookSecret())
                .isInstanceOf(MalformedWebhookSecretException.class).hasMessageContaining("binary");
    }

    @Test
    void doesNotCacheAMalformedSecret_soAFixTakesEffectWithoutRedeploying() {
        AtomicInteger reads = new AtomicInteger();
        FakeSecretsManager secrets = new FakeSecretsManager(() -> GetSecretValueResponse.builder()
                .secretString(reads.incrementAndGet() == 1 ? "{}" : "{\"webhookSecret\":\"fixed-value\"}").build());
        SecretsManagerWebhookSecret source = new SecretsManagerWebhookSecret(secrets, ARN);
        assertThatThrownBy(source::webhookSecret).isInstanceOf(MalformedWebhookSecretException.class);
        assertThat(source.webhookSecret()).isEqualTo("fixed-value");
        assertThat(reads).hasValue(2);
    }
}
