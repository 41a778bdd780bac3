package io.atlascmk.sandbox.aws;

/**
 * The AWS services the stand-in speaks, each with the {@code X-Amz-Target} prefix its SDK client sends
 * and the error name it uses for an internal failure (HTTP 500).
 */
public enum AwsService {
    KMS("TrentService", "KMSInternalException"),
    SECRETS_MANAGER("secretsmanager", "InternalServiceError"),
    EVENTBRIDGE("AWSEvents", "InternalException"),
    /**
     * CloudTrail's target prefix is the whole namespaced name its SDK client sends (read from the SDK
     * v2 marshallers): {@code com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.LookupEvents}.
     * CloudTrail models no internal error; {@code InternalFailure} is the AWS common error for HTTP 500.
     */
    CLOUDTRAIL("com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101", "InternalFailure");

    private final String targetPrefix;
    private final String internalErrorName;

    AwsService(String targetPrefix, String internalErrorName) {
        this.targetPrefix = targetPrefix;
        this.internalErrorName = internalErrorName;
    }

    /** The part of {@code X-Amz-Target} before the last dot, e.g. {@code TrentService}. */
    public String targetPrefix() {
        return targetPrefix;
    }

    /** The {@code __type} this service answers with on HTTP 500. */
    public String internalErrorName() {
        return internalErrorName;
    }

    static AwsService forTargetPrefix(String prefix) {
        for (AwsService service : values()) {
            if (service.targetPrefix.equals(prefix)) {
                return service;
            }
        }
        return null;
    }
}
