package io.atlascmk.rotator.atlas;

/**
 * A project's encryption-at-rest configuration, as far as the rotator cares.
 *
 * @param awsKms                 the AWS KMS part (null when Atlas sends none)
 * @param azureKeyVaultEnabled   Azure Key Vault is the project's provider
 * @param googleCloudKmsEnabled  Google Cloud KMS is the project's provider
 */
public record EncryptionAtRest(AwsKms awsKms, boolean azureKeyVaultEnabled, boolean googleCloudKmsEnabled) {

    public boolean awsKmsEnabled() {
        return awsKms != null && awsKms.isEnabled();
    }
}
