package io.atlascmk.sandbox.aws;

/** A PutEvents entry EventBridge refused, with the per-entry error it reported. */
public record RejectedEntry(
        String eventBusName,
        String source,
        String detailType,
        String detail,
        String errorCode,
        String errorMessage) {
}
