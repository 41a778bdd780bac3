package io.atlascmk.rotator.alert;

/**
 * The webhook secret could not be read from Secrets Manager (missing, access denied, throttled,
 * network). The message names the secret's ARN and the service's error, never a secret value.
 */
public class WebhookSecretUnavailableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public WebhookSecretUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
