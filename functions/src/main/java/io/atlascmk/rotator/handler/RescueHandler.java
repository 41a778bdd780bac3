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
    private final io.atlascmk.rotator.metrics.Metrics metrics;

    /** The Lambda runtime's constructor: clients are built once, from the environment. */
    public RescueHandler() {
        this(productionRescue(ProductionDependencies.projectSettingsFromEnvironment(System.getenv())),
                ProductionDependencies.metrics());
        // an event without its CloudTrail detail is refused before any call
        priming = Priming.register("RescueHandler", Priming.plumbing(this, null, RescueResult.class, "{}"),
                Priming::kms, Priming::eventBridge, Priming::dynamoDb);
    }

    /** The rescue of the deployed function: its registry (which member role reaches a key of another account) built once. */
    private static KeyRescue productionRescue(io.atlascmk.rotator.rotation.ProjectSettingsSource registry) {
        String home = System.getenv(HOME_ACCOUNT);
        return new KeyRescue((region, keyArn) -> ProductionDependencies.keysFor(placeOfKey(region, keyArn, home, registry)),
                Clock.systemUTC(), new EventBridgeRescueEvents(io.atlascmk.rotator.aws.AwsClients.eventBridge(),
                AtlasWebhookHandler.required(System.getenv(), AtlasWebhookHandler.EVENT_BUS_ENV,
                        "the name of the rotator's event bus")), ProductionDependencies.lockForRescue());
    }

    /** The rotator's own account (12 digits), set by the stack: a key of another account is a member account's. */
    static final String HOME_ACCOUNT = "ROTATOR_HOME_ACCOUNT";

    /**
     * Where a key the tripwire saw lives: this account's region, or a member account's, reached through the member role
     * that a registered project names for that account (the tripwire of a member account forwards its events here).
     *
     * @throws io.atlascmk.rotator.kms.KeyAccountUnreachableException when no registered project names a role in the
     *         key's account: nothing can be done there from here, and the message says what to do
     */
    public static io.atlascmk.rotator.aws.KeyPlace placeOfKey(String region, String keyArn, String homeAccount,
            io.atlascmk.rotator.rotation.ProjectSettingsSource registry) {
        String account = io.atlascmk.rotator.kms.KeyIds.accountOf(keyArn);
        if (account == null || account.equals(homeAccount)) {
            return io.atlascmk.rotator.aws.KeyPlace.home(region);
        }
        io.atlascmk.rotator.aws.KeyAccount keyAccount = registry.keyAccountIn(account);
        if (keyAccount != null) {
            return new io.atlascmk.rotator.aws.KeyPlace(region, keyAccount);
        }
        throw new io.atlascmk.rotator.kms.KeyAccountUnreachableException("Key " + keyArn + " of account " + account
                + " is pending deletion and something tried to use it, but no registered project names a member role in"
                + " that account, so this tripwire cannot reach it. Cancel its deletion there now: aws kms"
                + " cancel-key-deletion --key-id " + keyArn + " && aws kms enable-key --key-id " + keyArn
                + " (with that account's credentials); then register the project with --key-account-role-arn.",
                "CancelKeyDeletion", keyArn, null, null);
    }

    /** Held for CRaC (weak references); null outside the Lambda constructor. */
    private Priming priming;

    /** For tests and the sandbox: its metrics (a deletion cancelled or not) written with {@code metrics}. */
    RescueHandler(KeyRescue rescue, io.atlascmk.rotator.metrics.Metrics metrics) {
        this.rescue = rescue;
        this.metrics = java.util.Objects.requireNonNull(metrics, "metrics");
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        RescueResult result = rescue.rescue(RescueRequest.fromEvent(Json.MAPPER.readTree(input)));
        metrics.flush(io.atlascmk.rotator.metrics.StepMetrics.rescue(result));
        output.write(Json.MAPPER.writeValueAsBytes(result));
    }
}
