package io.atlascmk.rotator.aws;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.auth.StsAssumeRoleCredentialsProvider;

/**
 * The credentials of a member account's role, one provider per account (built on first use, then shared; the SDK
 * refreshes them before they expire). Every session is opened under this function's source identity (its step's
 * name): the member role's trust policy lets each of the deployment's function roles assume it only under its own
 * name, and the member role's policies grant each name the KMS calls that step makes, so one compromised function
 * gets no more in a member account than at home. The external id is the member stack's.
 */
public final class KeyAccountCredentials {

    private static final Pattern SOURCE_IDENTITY = Pattern.compile("[\\w+=,.@-]{2,64}");
    /** Sessions last 15 minutes (STS's shortest): a step needs seconds, the audit at most its Lambda timeout. */
    static final int SESSION_SECONDS = 900;

    private final StsClient sts;
    private final String sourceIdentity;
    private final Map<KeyAccount, AwsCredentialsProvider> providers = new ConcurrentHashMap<>();

    /**
     * @param sts            the STS client of the function's own account (shared, not closed here)
     * @param sourceIdentity the function's step name, such as {@code Preflight}: 2 to 64 of {@code [\w+=,.@-]}
     */
    public KeyAccountCredentials(StsClient sts, String sourceIdentity) {
        this.sts = Objects.requireNonNull(sts, "sts");
        if (sourceIdentity == null || !SOURCE_IDENTITY.matcher(sourceIdentity).matches()) {
            throw new IllegalArgumentException("The function's source identity must be its step's name (2 to 64 letters,"
                    + " digits or + = , . @ - _), not " + (sourceIdentity == null ? "missing" : "'" + sourceIdentity + "'")
                    + "; the stack sets it in ROTATOR_SOURCE_IDENTITY.");
        }
        this.sourceIdentity = sourceIdentity;
    }

    public String sourceIdentity() {
        return sourceIdentity;
    }

    /** The shared provider of {@code account}'s role sessions. */
    public AwsCredentialsProvider forAccount(KeyAccount account) {
        Objects.requireNonNull(account, "account");
        return providers.computeIfAbsent(account, a -> StsAssumeRoleCredentialsProvider.builder()
                .stsClient(sts)
                .asyncCredentialUpdateEnabled(false)
                .refreshRequest(r -> r.roleArn(a.roleArn())
                        .externalId(a.externalId())
                        .roleSessionName("atlas-cmk-rotator-" + sourceIdentity)
                        .sourceIdentity(sourceIdentity)
                        .durationSeconds(SESSION_SECONDS))
                .build());
    }
}
