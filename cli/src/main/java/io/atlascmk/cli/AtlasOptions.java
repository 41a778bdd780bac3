package io.atlascmk.cli;

import io.atlascmk.rotator.atlas.AtlasClient;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * The options of the commands that call Atlas with the deployment's credentials ({@code atlas-setup}, {@code
 * discover}; a picocli mixin), and the client they make: the functions' {@link AtlasClient}, its credentials read
 * from the deployment's secret.
 */
final class AtlasOptions {

    @Option(names = "--atlas-secret", defaultValue = "${env:ATLAS_SECRET_ARN}",
            description = "Name or ARN of the Secrets Manager secret with the Atlas credentials (default: $ATLAS_SECRET_ARN).")
    String atlasSecret;

    @Option(names = "--atlas-base-url", description = "Atlas base URL (default https://cloud.mongodb.com).")
    String atlasBaseUrl;

    /** The Atlas client these options name; a usage error of {@code spec}'s command when no secret is given. */
    AtlasClient client(CommandSpec spec, Supplier<SecretsManagerClient> sm) {
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
