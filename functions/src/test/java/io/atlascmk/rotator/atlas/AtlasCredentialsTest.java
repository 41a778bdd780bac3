package io.atlascmk.rotator.atlas;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueRequest;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueResponse;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AtlasCredentialsTest {

    private static final String SA_SECRET = "mdb_sa_sk_8f7e6d5c4b3a29181716151413121110";
    private static final String PRIVATE_KEY = "a1b2c3d4-e5f6-4a5b-8c9d-0e1f2a3b4c5d";

    @Test
    void parse_readsAServiceAccount() {
        AtlasCredentials c = AtlasCredentials.parse("{\"clientId\":\"mdb_sa_id_1\",\"clientSecret\":\"" + SA_SECRET + "\"}");

        assertThat(c.kind()).isEqualTo(AtlasCredentials.Kind.SERVICE_ACCOUNT);
        assertThat(c.id()).isEqualTo("mdb_sa_id_1");
        assertThat(c.secret()).isEqualTo(SA_SECRET);
    }

    @Test
    void parse_readsAnApiKeyAndIgnoresExtraFields() {
        AtlasCredentials c = AtlasCredentials.parse(
                "{\"publicKey\":\"abcdefgh\",\"privateKey\":\"" + PRIVATE_KEY + "\",\"note\":\"rotator\"}");

        assertThat(c.kind()).isEqualTo(AtlasCredentials.Kind.API_KEY);
        assertThat(c.id()).isEqualTo("abcdefgh");
        assertThat(c.secret()).isEqualTo(PRIVATE_KEY);
    }

    @Test
    void toString_showsTheKindAndIdButNeverTheSecret() {
        assertThat(AtlasCredentials.serviceAccount("id-1", SA_SECRET).toString())
                .contains("serviceAccount").contains("id-1").doesNotContain(SA_SECRET);
        assertThat(AtlasCredentials.apiKey("pub", PRIVATE_KEY).toString())
                .contains("apiKey").contains("pub").doesNotContain(PRIVATE_KEY);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"clientId\":\"id\"}",
        "{\"clientId\":\"id\",\"clientSecret\":\"\"}",
        "{\"publicKey\":\"pub\",\"privateKey\":42}",
        "{\"username\":\"u\",\"password\":\"" + PRIVATE_KEY + "\"}",
        "{\"clientId\":\"id\",\"clientSecret\":\"" + SA_SECRET + "\",\"publicKey\":\"p\",\"privateKey\":\"" + PRIVATE_KEY + "\"}",
        "[\"" + SA_SECRET + "\"]",
        "clientSecret=" + SA_SECRET,
        "{\"clientId\":\"id\",\"clientSecret\":\"" + SA_SECRET + "\"",
        "   "
    })
    void parse_rejectsEveryOtherShape_namingTheExpectedFieldsButNoValue(String secretString) {
        assertThatThrownBy(() -> AtlasCredentials.parse(secretString))
                .isInstanceOf(AtlasCredentialsException.class)
                .hasMessageContaining("clientId").hasMessageContaining("clientSecret")
                .hasMessageContaining("publicKey").hasMessageContaining("privateKey")
                .satisfies(e -> {
                    assertThat(e.getMessage()).doesNotContain(SA_SECRET).doesNotContain(PRIVATE_KEY);
                    assertThat(e.getCause()).isNull();
                });
    }

    @Test
    void secretsManagerSource_readsTheSecretOnceAndCachesIt() {
        FakeSecretsManager sm = new FakeSecretsManager(() -> GetSecretValueResponse.builder()
                .secretString("{\"clientId\":\"id\",\"clientSecret\":\"" + SA_SECRET + "\"}").build());
        SecretsManagerAtlasCredentials source = new SecretsManagerAtlasCredentials(sm, "arn:aws:secretsmanager:eu-west-1:123456789012:secret:atlas-AbCdEf");

        AtlasCredentials first = source.credentials();
        AtlasCredentials second = source.credentials();

        assertThat(first).isSameAs(second);
        assertThat(sm.requests).hasSize(1);
        assertThat(sm.requests.get(0).secretId()).isEqualTo("arn:aws:secretsmanager:eu-west-1:123456789012:secret:atlas-AbCdEf");
        assertThat(source.toString()).doesNotContain(SA_SECRET);
    }

    @Test
    void secretsManagerSource_explainsAMissingSecretOrMissingPermission() {
        FakeSecretsManager sm = new FakeSecretsManager(() -> {
            throw ResourceNotFoundException.builder().message("Secrets Manager can't find the specified secret.").build();
        });
        SecretsManagerAtlasCredentials source = new SecretsManagerAtlasCredentials(sm, "atlas/rotator");

        assertThatThrownBy(source::credentials)
                .isInstanceOf(AtlasCredentialsException.class)
                .hasMessageContaining("atlas/rotator")
                .hasMessageContaining("can't find")
                .hasMessageContaining("secretsmanager:GetSecretValue");
        assertThatThrownBy(source::credentials).isInstanceOf(AtlasCredentialsException.class);
        assertThat(sm.requests).as("a failed read is not cached").hasSize(2);
    }

    @Test
    void secretsManagerSource_rejectsAWronglyShapedSecretWithoutEchoingIt() {
        FakeSecretsManager sm = new FakeSecretsManager(() -> GetSecretValueResponse.builder()
                .secretString("{\"password\":\"" + PRIVATE_KEY + "\"}").build());

        assertThatThrownBy(() -> new SecretsManagerAtlasCredentials(sm, "atlas/rotator").credentials())
                .isInstanceOf(AtlasCredentialsException.class)
                .hasMessageContaining("atlas/rotator").hasMessageContaining("publicKey")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(PRIVATE_KEY));
    }

    @Test
    void secretsManagerSource_refusesAnEmptySecretId() {
        assertThatThrownBy(() -> new SecretsManagerAtlasCredentials(new FakeSecretsManager(() -> null), " "))
                .isInstanceOf(AtlasCredentialsException.class)
                .hasMessageContaining("ATLAS_SECRET_ARN");
    }

    /** Secrets Manager with only GetSecretValue, recording every request. */
    static final class FakeSecretsManager implements SecretsManagerClient {
        final List<GetSecretValueRequest> requests = new ArrayList<>();
        private final Supplier<GetSecretValueResponse> answer;

        FakeSecretsManager(Supplier<GetSecretValueResponse> answer) {
            this.answer = answer;
        }

        @Override
        public GetSecretValueResponse getSecretValue(GetSecretValueRequest request) {
            requests.add(request);
            return answer.get();
        }

        @Override
        public String serviceName() {
            return SERVICE_NAME;
        }

        @Override
        public void close() {
        }
    }
}
