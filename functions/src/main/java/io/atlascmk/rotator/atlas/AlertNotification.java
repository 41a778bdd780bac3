package io.atlascmk.rotator.atlas;

/**
 * One notification of an alert configuration. The rotator writes {@code WEBHOOK} ones; Atlas answers
 * {@code webhookUrl} partially redacted ({@code https://host/****}) and {@code webhookSecret} redacted.
 *
 * <p>{@link #toString()} never shows the secret.
 *
 * @param typeName      {@code WEBHOOK}, or another type Atlas holds
 * @param intervalMin   minutes between repeated notifications of an open alert (at least 5)
 * @param delayMin      minutes Atlas waits before the first notification
 * @param webhookUrl    where Atlas posts the alert
 * @param webhookSecret the secret Atlas signs the body with ({@code X-MMS-Signature})
 */
public record AlertNotification(
        String typeName,
        Integer intervalMin,
        Integer delayMin,
        String webhookUrl,
        String webhookSecret) {

    public static final String WEBHOOK = "WEBHOOK";

    public static AlertNotification webhook(String url, String secret, int intervalMin) {
        return new AlertNotification(WEBHOOK, intervalMin, 0, url, secret);
    }

    public boolean isWebhook() {
        return WEBHOOK.equals(typeName);
    }

    @Override
    public String toString() {
        return "AlertNotification[typeName=" + typeName + ", intervalMin=" + intervalMin + ", delayMin=" + delayMin
                + ", webhookUrl=" + webhookUrl + ", webhookSecret=" + (webhookSecret == null ? "null" : "****") + "]";
    }
}
