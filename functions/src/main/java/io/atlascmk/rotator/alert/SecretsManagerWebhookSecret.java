package io.atlascmk.rotator.alert;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.atlascmk.rotator.json.Json;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueRequest;

/**
 * Reads the webhook secret from Secrets Manager once per container and keeps it.
 *
 * <p>Two shapes are accepted for the secret's {@code SecretString}, because both are common ways to
 * store a single value: the JSON object {@code {"webhookSecret": "..."}} (what the CDK stack and the
 * console's key/value editor produce), or the plain secret itself. Surrounding whitespace (a trailing
 * newline from {@code --secret-string file://...}) is ignored in both.
 *
 * <p>Only a successful read is cached: after a failed or malformed read the next delivery tries
 * again, so fixing the secret needs no redeploy. Changing a secret that was already read needs a new
 * container (update or republish the function).
 */
public final class SecretsManagerWebhookSecret implements WebhookSecretSource {

    /** Field of the JSON shape. */
    public static final String FIELD = "webhookSecret";

    private final SecretsManagerClient secretsManager;
    private final String secretArn;
    private volatile String cached;

    public SecretsManagerWebhookSecret(SecretsManagerClient secretsManager, String secretArn) {
        if (secretsManager == null) {
            throw new IllegalArgumentException("secretsManager is required");
        }
        if (secretArn == null || secretArn.isBlank()) {
            throw new IllegalArgumentException("secretArn is required: the ARN or name of the webhook secret (WEBHOOK_SECRET_ARN)");
        }
        this.secretsManager = secretsManager;
        this.secretArn = secretArn;
    }

    @Override
    public String webhookSecret() {
        String value = cached;
        if (value != null) {
            return value;
        }
        synchronized (this) {
            if (cached == null) {
                cached = parse(read());
            }
            return cached;
        }
    }

    private String read() {
        try {
            return secretsManager.getSecretValue(GetSecretValueRequest.builder().secretId(secretArn).build()).secretString();
        } catch (SdkException e) {
            // AWS error messages name the secret and the error, never the secret's value.
            throw new WebhookSecretUnavailableException("Could not read the webhook secret " + secretArn + " from Secrets Manager ("
                    + e.getClass().getSimpleName() + ": " + e.getMessage() + "). Check that it exists and that the"
                    + " function's role may call secretsmanager:GetSecretValue on it.", e);
        }
    }

    /**
     * The webhook secret held by a {@code SecretString}: the {@code webhookSecret} field of a JSON
     * object, or the whole (stripped) string when it does not start with '{'.
     *
     * @throws MalformedWebhookSecretException naming the expected shape, never the value
     */
    public static String parse(String secretString) {
        if (secretString == null) {
            throw new MalformedWebhookSecretException("it has no SecretString; binary secrets are not supported");
        }
        String trimmed = secretString.strip();
        if (trimmed.isEmpty()) {
            throw new MalformedWebhookSecretException("it is empty");
        }
        if (!trimmed.startsWith("{")) {
            return trimmed;
        }
        JsonNode json;
        try {
            json = Json.MAPPER.readTree(trimmed);
        } catch (JsonProcessingException e) {
            // No cause: parser messages may quote the input.
            throw new MalformedWebhookSecretException("it starts with '{' but is not valid JSON");
        }
        JsonNode field = json.get(FIELD);
        if (field == null || !field.isTextual()) {
            throw new MalformedWebhookSecretException("the JSON object has no string field \"" + FIELD + "\"");
        }
        String value = field.textValue().strip();
        if (value.isEmpty()) {
            throw new MalformedWebhookSecretException("the field \"" + FIELD + "\" is empty");
        }
        return value;
    }
}
