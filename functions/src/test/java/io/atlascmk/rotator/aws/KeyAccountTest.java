package io.atlascmk.rotator.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.atlascmk.rotator.rotation.InvalidInputException;
import org.junit.jupiter.api.Test;

/** A project's other AWS account: what a registration may name, and what never leaks from it. */
class KeyAccountTest {

    private static final String ROLE = "arn:aws:iam::222233334444:role/atlas-cmk-key-account-AtlasCmkRotator";

    @Test
    void aMemberRoleWithItsExternalId_namesItsAccount_andKeepsTheExternalIdOutOfItsText() {
        KeyAccount account = new KeyAccount(ROLE, "ext-7f3a9");

        assertThat(account.accountId()).isEqualTo("222233334444");
        assertThat(account.toString()).contains(ROLE).doesNotContain("ext-7f3a9");
        assertThat(KeyAccount.ofNullable(null, null)).as("neither: the deployment's own account").isNull();
    }

    @Test
    void notARole_aMissingOrMalformedExternalId_orHalfOfThePair_isRefusedNamingTheField() {
        assertThatThrownBy(() -> new KeyAccount("arn:aws:iam::222233334444:user/alice", "ext-7f3a9"))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("keyAccountRoleArn");
        assertThatThrownBy(() -> new KeyAccount("arn:aws:iam::2222:role/x", "ext-7f3a9"))
                .hasMessageContaining("keyAccountRoleArn");
        assertThatThrownBy(() -> new KeyAccount(ROLE, "x")).hasMessageContaining("keyAccountExternalId");
        assertThatThrownBy(() -> new KeyAccount(ROLE, "has space")).hasMessageContaining("keyAccountExternalId")
                .hasMessageNotContaining("has space");
        assertThatThrownBy(() -> KeyAccount.ofNullable(null, "ext-7f3a9")).hasMessageContaining("give both");
        assertThatThrownBy(() -> KeyAccount.ofNullable(ROLE, null)).hasMessageContaining("missing");
    }

    @Test
    void theCredentialsNeedTheStepsNameAsSourceIdentity() {
        software.amazon.awssdk.services.sts.StsClient sts = software.amazon.awssdk.services.sts.StsClient.builder()
                .region(software.amazon.awssdk.regions.Region.US_EAST_1)
                .credentialsProvider(software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider.create())
                .httpClientBuilder(software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient.builder()).build();
        try (sts) {
            assertThat(new KeyAccountCredentials(sts, "Preflight").sourceIdentity()).isEqualTo("Preflight");
            assertThatThrownBy(() -> new KeyAccountCredentials(sts, null)).hasMessageContaining("ROTATOR_SOURCE_IDENTITY");
            assertThatThrownBy(() -> new KeyAccountCredentials(sts, "no spaces allowed"))
                    .hasMessageContaining("step's name");
        }
    }
}
