package io.atlascmk.rotator.atlas;

import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueResponse;

import java.util.Objects;

/**
 * Reads the Atlas credentials from a Secrets Manager secret (by name or ARN) with
 * {@code GetSecretValue}, once: the parsed value is cached for the life of the object (one Lambda
 * execution environment). A failed read is not cached, so the next call tries again.
 */
public final class SecretsManagerAtlasCredentials implements AtlasCredentialsProvider {

    private final SecretsManagerClient secretsManager;
    private final String secretId;
    private volatile AtlasCredentials cached;

    public SecretsManagerAtlasCredentials(SecretsManagerClient secretsManager, String secretId) {
        this.secretsManager = Objects.requireNonNull(secretsManager, "secretsManager");
        if (secretId == null || secretId.isBlank()) {
            throw new AtlasCredentialsException("No Atlas credentials secret configured: set ATLAS_SECRET_ARN to the"
                    + " name or ARN of a Secrets Manager secret holding " + AtlasCredentials.EXPECTED_SHAPE + ".");
        }
        this.secretId = secretId;
    }

    @Override
    public AtlasCredentials credentials() {
        AtlasCredentials c = cached;
        if (c != null) {
            return c;
        }
        synchronized (this) {
            if (cached == null) {
                cached = read();
            }
            return cached;
        }
    }

    @Override
    public synchronized AtlasCredentials reread() {
        cached = read();
        return cached;
    }

    private AtlasCredentials read() {
        GetSecretValueResponse response;
        try {
            response = secretsManager.getSecretValue(b -> b.secretId(secretId));
        } catch (SdkException e) {
            // AWS error messages name the secret and the failure, never its value.
            throw new AtlasCredentialsException("Could not read the Atlas credentials secret " + secretId + ": "
                    + e.getMessage() + ". Check that the secret exists in this account and region and that the"
                    + " function's role may call secretsmanager:GetSecretValue on it (and kms:Decrypt on its key).", e);
        }
        if (response.secretString() == null) {
            throw new AtlasCredentialsException("The Atlas credentials secret " + secretId
                    + " has no SecretString (binary secrets are not supported); store "
                    + AtlasCredentials.EXPECTED_SHAPE + ".");
        }
        try {
            return AtlasCredentials.parse(response.secretString());
        } catch (AtlasCredentialsException e) {
            throw new AtlasCredentialsException("Secret " + secretId + ": " + e.getMessage());
        }
    }

    @Override
    public String toString() {
        return "SecretsManagerAtlasCredentials[" + secretId + "]";
    }
}
