package io.atlascmk.sandbox.aws;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Which principal signs with which access key id, for the {@code userIdentity} of the CloudTrail events
 * the stand-in records (signatures are not checked, so the access key id is all a request tells). An
 * access key id nobody registered signs as a session of the role {@value #DEFAULT_ROLE_NAME} in account
 * {@value AwsStandIn#ACCOUNT_ID}, named after the access key id. Thread-safe.
 */
public final class Principals {

    /** The role an unregistered access key id is recorded as a session of. */
    public static final String DEFAULT_ROLE_NAME = "sandbox-caller";

    private final Map<String, String> byAccessKeyId = new HashMap<>();

    Principals() {
    }

    /**
     * Records calls signed with {@code accessKeyId} as made by {@code principalArn}: the account root
     * ({@code arn:aws:iam::<account>:root}), an IAM user, a role (recorded as a session named after the
     * access key id) or a role session ({@code arn:aws:sts::<account>:assumed-role/<role>/<session>}).
     */
    public synchronized void register(String accessKeyId, String principalArn) {
        Objects.requireNonNull(accessKeyId, "accessKeyId");
        CallerIdentity.check(principalArn);
        byAccessKeyId.put(accessKeyId, principalArn);
    }

    /** The principal registered for the access key id, else the default role session (null: an unsigned call). */
    public synchronized String principalArn(String accessKeyId) {
        String registered = accessKeyId == null ? null : byAccessKeyId.get(accessKeyId);
        if (registered != null) {
            return registered;
        }
        String session = CallerIdentity.sessionName(accessKeyId == null ? "unsigned" : accessKeyId);
        return "arn:aws:sts::" + AwsStandIn.ACCOUNT_ID + ":assumed-role/" + DEFAULT_ROLE_NAME + "/" + session;
    }
}
