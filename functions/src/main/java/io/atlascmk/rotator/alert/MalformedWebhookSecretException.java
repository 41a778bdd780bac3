package io.atlascmk.rotator.alert;

/**
 * The webhook secret was read but does not have a shape this function understands. The message
 * names the expected shape; it never contains the stored value, and no parser exception is chained
 * (parser messages can quote the input).
 */
public class MalformedWebhookSecretException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** The shapes accepted, for messages. */
    public static final String EXPECTED_SHAPE = "expected a SecretString holding either the plain webhook secret"
            + " or the JSON object {\"webhookSecret\": \"<the secret configured on the Atlas webhook integration>\"}";

    public MalformedWebhookSecretException(String problem) {
        super("The webhook secret is malformed (" + problem + "): " + EXPECTED_SHAPE
                + ". Fix the secret named by WEBHOOK_SECRET_ARN in Secrets Manager.");
    }
}
