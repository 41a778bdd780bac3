package io.atlascmk.cli.sandbox;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import io.atlascmk.cli.NodeEngine;
import io.atlascmk.rotator.handler.LocalHandlers;
import io.atlascmk.rotator.json.Json;
import io.atlascmk.rotator.rescue.EventBridgeRescueEvents;
import io.atlascmk.rotator.rescue.KeyRescue;
import io.atlascmk.sandbox.aws.AwsStandIn;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.KmsException;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The tripwire on one machine, as deployed: a trail delivers KMS calls to the default event bus, the
 * rule whose pattern is {@code events/tripwire-rule-pattern.json} (the file the CDK stack deploys)
 * matches a call refused because the key is pending deletion, and its target is the real Rescue
 * handler. Atlas's restores reach KMS as Atlas's IAM role.
 */
public final class TripwirePath implements AutoCloseable {

    static final String RULE_NAME = "cancel-deletion-of-a-key-in-use";
    private static final String ATLAS_ACCESS_KEY = "AKIAATLASRESTORE0001";

    private final SandboxWorld world;
    private final KmsClient atlasKms;
    private final List<JsonNode> rescues = new ArrayList<>();

    public TripwirePath(SandboxWorld world) {
        this.world = world;
        Path events = NodeEngine.locateStatemachineDir(Path.of("")).getParent().resolve("events");
        String pattern;
        try {
            pattern = Files.readString(events.resolve("tripwire-rule-pattern.json"));
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read events/tripwire-rule-pattern.json", e);
        }
        // a key of a member account is reached through the role its registered project names, as deployed
        io.atlascmk.rotator.registry.RegistrySettings registry = new io.atlascmk.rotator.registry.RegistrySettings(world.registry());
        RequestStreamHandler rescue = LocalHandlers.rescue(new KeyRescue((region, keyArn) -> world.keys(
                io.atlascmk.rotator.handler.RescueHandler.placeOfKey(region, keyArn, AwsStandIn.ACCOUNT_ID, registry)),
                world.clock(),
                new EventBridgeRescueEvents(world.eventBridge(), SandboxWorld.EVENT_BUS), world.lock()), world.metrics());
        world.aws().eventBridge().addRule(RULE_NAME, pattern, event -> rescues.add(invoke(rescue, event.envelope())));
        world.aws().principals().register(ATLAS_ACCESS_KEY, SandboxWorld.ATLAS_ROLE_ARN);
        atlasKms = KmsClient.builder().region(Region.of(SandboxWorld.REGION)).endpointOverride(world.aws().endpoint())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ATLAS_ACCESS_KEY, "atlas")))
                .httpClientBuilder(UrlConnectionHttpClient.builder()).build();
    }

    private static JsonNode invoke(RequestStreamHandler handler, JsonNode event) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            handler.handleRequest(new ByteArrayInputStream(Json.MAPPER.writeValueAsBytes(event)), out, null);
            return Json.MAPPER.readTree(out.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Atlas wraps a snapshot's data key under the project's key of the moment. */
    public SdkBytes atlasWrapsADataKey(String keyId) {
        return atlasKms.encrypt(b -> b.keyId(keyId).plaintext(SdkBytes.fromUtf8String("snapshot data key"))).ciphertextBlob();
    }

    /** Atlas restores that snapshot: KMS's answer, "ok" or the error it refused with. */
    public String atlasRestores(SdkBytes wrappedDataKey) {
        try {
            atlasKms.decrypt(b -> b.ciphertextBlob(wrappedDataKey));
            return "ok";
        } catch (KmsException refused) {
            return refused.awsErrorDetails().errorCode() + ": " + refused.awsErrorDetails().errorMessage();
        }
    }

    /** Minutes later the trail delivers the calls to EventBridge; the rule runs the Rescue handler. */
    public List<JsonNode> trailDelivers() {
        world.aws().deliverTrailToEventBridge();
        List<JsonNode> done = List.copyOf(rescues);
        rescues.clear();
        return done;
    }

    /** The account id every sandbox resource belongs to. */
    static String account() {
        return AwsStandIn.ACCOUNT_ID;
    }

    @Override
    public void close() {
        atlasKms.close();
    }
}
