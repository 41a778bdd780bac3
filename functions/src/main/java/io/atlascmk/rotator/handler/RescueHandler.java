package io.atlascmk.rotator.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import io.atlascmk.rotator.json.Json;
import io.atlascmk.rotator.rescue.EventBridgeRescueEvents;
import io.atlascmk.rotator.rescue.KeyRescue;
import io.atlascmk.rotator.rescue.RescueRequest;
import io.atlascmk.rotator.rescue.RescueResult;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;

/**
 * Lambda entry point of the tripwire: the target of the rule whose pattern is
 * {@code events/tripwire-rule-pattern.json}. Reads the EventBridge event, lets {@link KeyRescue} act,
 * writes the {@link RescueResult}. Environment: {@code ROTATOR_EVENT_BUS_NAME}, {@code ROTATOR_DEPLOYMENT} and
 * {@code ROTATOR_LOCK_TABLE} (the project's lock it seizes before it writes).
 */
public final class RescueHandler implements RequestStreamHandler {

    private final KeyRescue rescue;

    /** The Lambda runtime's constructor: clients are built once, from the environment. */
    public RescueHandler() {
        this(new KeyRescue(region -> ProductionDependencies.keysFor(io.atlascmk.rotator.aws.KeyPlace.home(region)), Clock.systemUTC(), new EventBridgeRescueEvents(
                io.atlascmk.rotator.aws.AwsClients.eventBridge(),
                AtlasWebhookHandler.required(System.getenv(), AtlasWebhookHandler.EVENT_BUS_ENV,
                        "the name of the rotator's event bus")), ProductionDependencies.lockForRescue()));
        // an event without its CloudTrail detail is refused before any call
        priming = Priming.register("RescueHandler", Priming.plumbing(this, null, RescueResult.class, "{}"),
                Priming::kms, Priming::eventBridge, Priming::dynamoDb);
    }

    /** Held for CRaC (weak references); null outside the Lambda constructor. */
    private Priming priming;

    /** For tests and the sandbox. */
    RescueHandler(KeyRescue rescue) {
        this.rescue = rescue;
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        RescueResult result = rescue.rescue(RescueRequest.fromEvent(Json.MAPPER.readTree(input)));
        output.write(Json.MAPPER.writeValueAsBytes(result));
    }
}
