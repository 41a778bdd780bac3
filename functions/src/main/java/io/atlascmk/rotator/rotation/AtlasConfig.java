package io.atlascmk.rotator.rotation;

import io.atlascmk.rotator.atlas.AwsKms;
import io.atlascmk.rotator.atlas.EncryptionAtRest;

/** Checks on the project's encryption-at-rest configuration shared by the steps that write to Atlas. */
final class AtlasConfig {

    private AtlasConfig() {
    }

    /** The {@code awsKms} object naming a key, or the typed refusal saying why there is none. */
    static AwsKms requireAwsKms(String projectId, EncryptionAtRest ear) {
        if (ear == null || !ear.awsKmsEnabled()) {
            if (ear != null && ear.azureKeyVaultEnabled()) {
                throw new UnsupportedKeyProviderException(projectId, "Azure Key Vault");
            }
            if (ear != null && ear.googleCloudKmsEnabled()) {
                throw new UnsupportedKeyProviderException(projectId, "Google Cloud KMS");
            }
            throw new CustomerKeyManagementDisabledException(projectId);
        }
        AwsKms kms = ear.awsKms();
        if (kms.customerMasterKeyID() == null || kms.customerMasterKeyID().isBlank()) {
            throw new CurrentKeyInvalidException(projectId, "Atlas has AWS KMS enabled but names no customerMasterKeyID");
        }
        return kms;
    }

    /** A PATCH needs the whole awsKms object, roleId included. */
    static void requireRoleId(String projectId, AwsKms kms) {
        if (kms.roleId() == null || kms.roleId().isBlank()) {
            throw new AtlasConfigurationException("Atlas did not return awsKms.roleId for project " + projectId
                    + ", and the rotator sends the whole awsKms object (enabled, customerMasterKeyID, region, roleId)."
                    + " Check that the project's encryption at rest uses a cloud provider access role and that the"
                    + " API key may read it (Project Owner).");
        }
    }
}
