package io.atlascmk.rotator.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.atlascmk.rotator.aws.AwsClients;
import io.atlascmk.rotator.json.Json;
import io.atlascmk.rotator.registry.DynamoDbProjectRegistry;
import io.atlascmk.rotator.registry.RegistrySeed;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;

/**
 * The deploy's custom resource (CDK's provider framework calls it with the CloudFormation event): on Create and
 * Update it seeds the project registry from the seed file the stack ships in its layer ({@code
 * ROTATOR_REGISTRY_SEED_FILE}); on Delete it changes nothing (the table, and the registry in it, are kept).
 * Environment: {@code ROTATOR_LOCK_TABLE}, {@code ROTATOR_REGISTRY_SEED_FILE}.
 */
public final class RegistrySeedHandler implements RequestStreamHandler {

    static final String SEED_FILE_ENV = "ROTATOR_REGISTRY_SEED_FILE";
    static final String PHYSICAL_ID = "project-registry-seed";

    private final RegistrySeed seed;
    private final Path seedFile;

    public RegistrySeedHandler() {
        this(new RegistrySeed(new DynamoDbProjectRegistry(AwsClients.dynamoDb(),
                AtlasWebhookHandler.required(System.getenv(), ProductionDependencies.LOCK_TABLE, "the rotator's table")),
                Clock.systemUTC()),
                Path.of(AtlasWebhookHandler.required(System.getenv(), SEED_FILE_ENV, "the seed file in the layer")));
    }

    /** For tests. */
    RegistrySeedHandler(RegistrySeed seed, Path seedFile) {
        this.seed = seed;
        this.seedFile = seedFile;
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        JsonNode event = Json.MAPPER.readTree(input);
        String type = event.path("RequestType").asText("");
        ObjectNode response = Json.MAPPER.createObjectNode();
        response.put("PhysicalResourceId", PHYSICAL_ID);
        if ("Create".equals(type) || "Update".equals(type)) {
            RegistrySeed.Outcome outcome = seed.seed(RegistrySeed.parse(Files.readString(seedFile, StandardCharsets.UTF_8)));
            ObjectNode data = response.putObject("Data");
            data.put("Seeded", outcome.seeded());
            data.put("KeptOperatorRegistrations", outcome.keptOperatorRegistrations().size());
            data.put("Removed", outcome.removed().size());
        } else if (!"Delete".equals(type)) {
            throw new IllegalArgumentException("RequestType must be Create, Update or Delete, not '" + type + "'.");
        }
        output.write(Json.MAPPER.writeValueAsBytes(response));
    }
}
