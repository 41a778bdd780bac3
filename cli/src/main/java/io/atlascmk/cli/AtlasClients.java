package io.atlascmk.cli;

import io.atlascmk.rotator.atlas.AtlasClient;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import picocli.CommandLine.Model.CommandSpec;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/** The commands' Atlas client: the functions' {@link AtlasClient}, its credentials read from the deployment's secret. */
final class AtlasClients {

    private AtlasClients() {
    }

    /**
     * @param atlasSecret  name or ARN of the Secrets Manager secret with the Atlas credentials ({@code --atlas-secret})
     * @param atlasBaseUrl null: https://cloud.mongodb.com
     */
    static AtlasClient fromSecret(CommandSpec spec, String atlasSecret, String atlasBaseUrl, Supplier<SecretsManagerClient> sm) {
        if (atlasSecret == null || atlasSecret.isBlank()) {
            throw Arguments.invalid(spec, "No Atlas credentials: give --atlas-secret (the secret's name or ARN) or set ATLAS_SECRET_ARN.");
        }
        Map<String, String> env = new LinkedHashMap<>(System.getenv());
        env.put(AtlasClient.ENV_SECRET_ARN, atlasSecret);
        if (atlasBaseUrl != null) {
            env.put(AtlasClient.ENV_BASE_URL, atlasBaseUrl);
        }
        return AtlasClient.fromEnvironment(env, sm.get());
    }
}
