package io.atlascmk.rotator.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import io.atlascmk.rotator.alert.AlertDeliveries;
import io.atlascmk.rotator.alert.AtlasWebhookProcessor;
import io.atlascmk.rotator.alert.DynamoDbAlertDeliveries;
import io.atlascmk.rotator.aws.AwsClients;
import java.time.Clock;
import io.atlascmk.rotator.alert.EventBridgeAlertPublisher;
import io.atlascmk.rotator.alert.SecretsManagerWebhookSecret;
import io.atlascmk.rotator.alert.WebhookResponse;
import io.atlascmk.rotator.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Map;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * Lambda function URL entry point for Atlas's webhook integration. Reads the function URL event
 * (payload format 2.0), lets {@link AtlasWebhookProcessor} verify and publish, writes the function
 * URL response {@code {"statusCode", "headers", "body"}}.
 *
 * <p>Environment: {@code WEBHOOK_SECRET_ARN} (the Secrets Manager secret holding the webhook
 * secret), {@code ROTATOR_EVENT_BUS_NAME} (the bus the alert rule listens on). The AWS clients
 * honour {@code AWS_ENDPOINT_URL} / {@code AWS_ENDPOINT_URL_SECRETS_MANAGER} /
 * {@code AWS_ENDPOINT_URL_EVENTBRIDGE} natively, which is how the sandbox and emulators are reached.
 */
public final class AtlasWebhookHandler implements RequestStreamHandler {

    static final String SECRET_ARN_ENV = "WEBHOOK_SECRET_ARN";
    static final String EVENT_BUS_ENV = "ROTATOR_EVENT_BUS_NAME";
    static final String LOCK_TABLE_ENV = "ROTATOR_LOCK_TABLE";

    private final AtlasWebhookProcessor processor;

    /** Used by Lambda: checks the configuration, then builds the clients once per container. */
    public AtlasWebhookHandler() {
        this(required(System.getenv(), SECRET_ARN_ENV, "the ARN of the Secrets Manager secret holding the Atlas webhook secret"),
                required(System.getenv(), EVENT_BUS_ENV, "the name of the EventBridge bus the alert rule listens on"),
                required(System.getenv(), LOCK_TABLE_ENV, "the rotator's lock table, where alert deliveries are recorded"));
        // a GET is refused (405) before the secret is read: the plumbing runs, nothing is called
        priming = Priming.register("AtlasWebhookHandler", Priming.plumbing(this, null, null, PRIMING_EVENT),
                Priming::secretsManager, Priming::eventBridge, Priming::dynamoDb);
    }

    /** A function URL event the webhook refuses at once (method GET), for priming. */
    static final String PRIMING_EVENT = "{\"version\":\"2.0\",\"headers\":{},\"body\":\"\",\"isBase64Encoded\":false,"
            + "\"requestContext\":{\"http\":{\"method\":\"GET\"}}}";

    /** Held for CRaC (weak references); null outside the Lambda constructor. */
    private Priming priming;

    private AtlasWebhookHandler(String secretArn, String eventBusName, String lockTable) {
        this(new AtlasWebhookProcessor(new SecretsManagerWebhookSecret(
                AwsClients.secretsManager(), secretArn),
                new EventBridgeAlertPublisher(AwsClients.eventBridge(), eventBusName),
                new DynamoDbAlertDeliveries(AwsClients.dynamoDb(), lockTable, Clock.systemUTC()),
                registered(new io.atlascmk.rotator.registry.DynamoDbProjectRegistry(AwsClients.dynamoDb(), lockTable))));
    }

    /** Whether a project is registered, asked of the registry built once per container. */
    private static java.util.function.Predicate<String> registered(io.atlascmk.rotator.registry.ProjectRegistry registry) {
        return projectId -> registry.find(projectId).isPresent();
    }

    AtlasWebhookHandler(SecretsManagerClient secretsManager, String secretArn, EventBridgeClient eventBridge, String eventBusName,
            AlertDeliveries deliveries) {
        this(new AtlasWebhookProcessor(new SecretsManagerWebhookSecret(secretsManager, secretArn),
                new EventBridgeAlertPublisher(eventBridge, eventBusName), deliveries));
    }

    AtlasWebhookHandler(AtlasWebhookProcessor processor) {
        this.processor = processor;
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        WebhookResponse response = processor.handleFunctionUrlEvent(input);
        output.write(Json.MAPPER.writeValueAsBytes(response.toFunctionUrlResponse()));
    }

    /** {@code env.get(name)}, or an exception saying what to set it to. */
    static String required(Map<String, String> env, String name, String what) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException(name + " is not set: set it to " + what + ".");
        }
        return value;
    }
}
