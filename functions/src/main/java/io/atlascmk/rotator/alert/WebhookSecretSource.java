package io.atlascmk.rotator.alert;

/** Where the shared webhook secret comes from (Secrets Manager in AWS, a constant in tests). */
@FunctionalInterface
public interface WebhookSecretSource {

    /**
     * The secret Atlas signs deliveries with.
     *
     * @throws WebhookSecretUnavailableException when it cannot be read
     * @throws MalformedWebhookSecretException when it was read but has the wrong shape
     */
    String webhookSecret();
}
