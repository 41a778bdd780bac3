package io.atlascmk.sandbox.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.CreateSecretResponse;
import software.amazon.awssdk.services.secretsmanager.model.DescribeSecretResponse;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueResponse;
import software.amazon.awssdk.services.secretsmanager.model.PutSecretValueResponse;
import software.amazon.awssdk.services.secretsmanager.model.ResourceExistsException;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;

/**
 * Secrets Manager through the real SDK client over HTTP; runs unchanged against an external emulator
 * when AWS_ENDPOINT_URL is set (the seeding and inspection test needs the stand-in).
 */
class AwsSecretsManagerTest {

    private static final String CREDENTIALS = "{\"clientId\":\"mdb_sa_id_sandbox\",\"clientSecret\":\"mdb_sa_sk_sandbox\"}";

    private AwsTarget target;
    private SecretsManagerClient secrets;

    @BeforeEach
    void start() {
        target = AwsTarget.start();
        secrets = target.secretsManager();
    }

    @AfterEach
    void stop() throws Exception {
        target.close();
    }

    @Test
    void aCreatedSecret_isReadByNameOrArn() {
        String name = AwsTarget.unique("atlas-cmk-rotator/sbx-");
        CreateSecretResponse created = secrets.createSecret(r -> r.name(name).secretString(CREDENTIALS).description("Atlas"));

        assertThat(created.name()).isEqualTo(name);
        assertThat(created.arn()).startsWith("arn:aws:secretsmanager:us-east-1:").contains(":secret:" + name + "-");
        for (String id : new String[] {name, created.arn()}) {
            GetSecretValueResponse value = secrets.getSecretValue(r -> r.secretId(id));
            assertThat(value.secretString()).isEqualTo(CREDENTIALS);
            assertThat(value.name()).isEqualTo(name);
            assertThat(value.arn()).isEqualTo(created.arn());
            assertThat(value.versionId()).isEqualTo(created.versionId());
            assertThat(value.versionStages()).contains("AWSCURRENT");
        }
    }

    @Test
    void putSecretValue_makesANewCurrentVersion_andKeepsThePreviousOne() {
        String name = AwsTarget.unique("sbx-rotating-");
        CreateSecretResponse created = secrets.createSecret(r -> r.name(name).secretString("v1"));

        PutSecretValueResponse put = secrets.putSecretValue(r -> r.secretId(name).secretString("v2"));

        assertThat(put.versionId()).isNotEqualTo(created.versionId());
        assertThat(put.versionStages()).containsExactly("AWSCURRENT");
        assertThat(secrets.getSecretValue(r -> r.secretId(name)).secretString()).isEqualTo("v2");
        assertThat(secrets.getSecretValue(r -> r.secretId(name).versionStage("AWSPREVIOUS")).secretString()).isEqualTo("v1");
        assertThat(secrets.getSecretValue(r -> r.secretId(name).versionId(created.versionId())).secretString()).isEqualTo("v1");

        DescribeSecretResponse described = secrets.describeSecret(r -> r.secretId(created.arn()));
        assertThat(described.name()).isEqualTo(name);
        assertThat(described.versionIdsToStages()).containsEntry(put.versionId(), java.util.List.of("AWSCURRENT"));
        assertThat(described.versionIdsToStages().get(created.versionId())).containsExactly("AWSPREVIOUS");
    }

    @Test
    void createSecret_withTheSameClientRequestToken_isIdempotent_butANewTokenIsAConflict() {
        String name = AwsTarget.unique("sbx-idempotent-");
        String token = UUID.randomUUID().toString();

        CreateSecretResponse first = secrets.createSecret(r -> r.name(name).secretString("v1").clientRequestToken(token));
        CreateSecretResponse again = secrets.createSecret(r -> r.name(name).secretString("v1").clientRequestToken(token));

        assertThat(again.versionId()).isEqualTo(first.versionId()).isEqualTo(token);
        assertThat(again.arn()).isEqualTo(first.arn());
        assertThatThrownBy(() -> secrets.createSecret(r -> r.name(name).secretString("v1")))
                .isInstanceOf(ResourceExistsException.class);
    }

    @Test
    void anUnknownSecret_isResourceNotFound() {
        String name = AwsTarget.unique("sbx-missing-");

        assertThatThrownBy(() -> secrets.getSecretValue(r -> r.secretId(name))).isInstanceOf(ResourceNotFoundException.class);
        assertThatThrownBy(() -> secrets.describeSecret(r -> r.secretId(name))).isInstanceOf(ResourceNotFoundException.class);
        assertThatThrownBy(() -> secrets.putSecretValue(r -> r.secretId(name).secretString("x")))
                .isInstanceOf(ResourceNotFoundException.class);
    }

    @Test
    void aSeededSecret_isReadThroughTheSdk_andInspectedWithoutItsValue() {
        SecretsManagerStandIn standIn = target.standIn().secretsManager();
        SecretView seeded = standIn.createSecret("us-east-1", "atlas/credentials", CREDENTIALS);

        assertThat(secrets.getSecretValue(r -> r.secretId("atlas/credentials")).secretString()).isEqualTo(CREDENTIALS);
        secrets.putSecretValue(r -> r.secretId(seeded.arn()).secretString("rotated"));

        assertThat(standIn.currentSecretString("us-east-1", "atlas/credentials")).contains("rotated");
        assertThat(standIn.secrets()).singleElement().satisfies(view -> {
            assertThat(view.name()).isEqualTo("atlas/credentials");
            assertThat(view.versionIdsToStages()).hasSize(2);
            assertThat(view.toString()).doesNotContain("mdb_sa_sk_sandbox").doesNotContain("rotated");
        });
        assertThat(standIn.currentSecretString("eu-west-1", "atlas/credentials")).isEmpty();
    }
}
