package io.atlascmk.sandbox.aws;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Stands in for AWS STS {@code AssumeRole} (the AWS Query protocol: a form-encoded POST, an XML answer) and for the
 * roles of the accounts the sandbox serves. A role trusts named principals (roles of other accounts), each only under
 * one source identity, and requires an external id, as the member stack's trust policy does. Like STS, every refusal
 * is the same {@code AccessDenied} ("not authorized to perform: sts:AssumeRole"), whether the role does not exist,
 * does not trust the caller, or the external id or source identity is wrong: STS never says which.
 *
 * <p>A session's credentials are registered with {@link Principals}, so every later call signed with them is made by
 * {@code arn:aws:sts::<account>:assumed-role/<role>/<session>} in the role's account, and lands in that account's
 * KMS and CloudTrail. Session expiry is not enforced: the sandbox's clock jumps ahead by days while the SDK refreshes
 * on the real clock.
 */
public final class StsStandIn {

    private static final Pattern ROLE_ARN = Pattern.compile("arn:aws:iam::(\\d{12}):role/(?:[\\w+=,.@-]+/)*([\\w+=,.@-]+)");
    private static final Pattern ASSUMED = Pattern.compile("arn:aws:sts::(\\d{12}):assumed-role/([\\w+=,.@-]+)/[\\w+=,.@-]+");
    private static final Pattern SESSION_NAME = Pattern.compile("[\\w+=,.@-]{2,64}");
    private static final Pattern SOURCE_IDENTITY = Pattern.compile("[\\w+=,.@-]{2,64}");

    /** A role other principals may assume. */
    private record Role(String arn, String externalId, Map<String, String> sourceIdentityByPrincipal) {
    }

    private final Principals principals;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Role> roles = new LinkedHashMap<>();
    private final AtomicInteger assumed = new AtomicInteger();
    private final AtomicInteger refused = new AtomicInteger();

    StsStandIn(Principals principals) {
        this.principals = principals;
    }

    /**
     * Creates (or replaces) a role that the given principals may assume with {@code externalId}, each under its own
     * source identity: {@code trusted} maps a principal's role ARN ({@code arn:aws:iam::<account>:role/<name>}; a
     * session of that role is that principal) to the one source identity it must set.
     */
    public synchronized void putRole(String roleArn, String externalId, Map<String, String> trusted) {
        if (roleArn == null || !ROLE_ARN.matcher(roleArn).matches()) {
            throw new IllegalArgumentException("Not a role ARN: " + roleArn);
        }
        Objects.requireNonNull(externalId, "externalId");
        roles.put(roleArn, new Role(roleArn, externalId, Map.copyOf(trusted)));
    }

    /** Sessions handed out so far. */
    public int assumedCount() {
        return assumed.get();
    }

    /** AssumeRole calls refused so far. */
    public int refusedCount() {
        return refused.get();
    }

    /** The answer to one Query-protocol request ({@code Action=...}) signed with {@code accessKeyId}. */
    String handle(Map<String, String> form, String accessKeyId, String requestId) {
        String action = form.get("Action");
        if (!"AssumeRole".equals(action)) {
            throw new QueryError(400, "Sender", "InvalidAction", "The sandbox's STS serves AssumeRole only, not "
                    + action + ".");
        }
        String roleArn = form.get("RoleArn");
        String session = form.get("RoleSessionName");
        if (roleArn == null || roleArn.length() < 20) {
            throw new QueryError(400, "Sender", "ValidationError", "1 validation error detected: Value at 'roleArn'"
                    + " failed to satisfy constraint: Member must have length greater than or equal to 20");
        }
        if (session == null || !SESSION_NAME.matcher(session).matches()) {
            throw new QueryError(400, "Sender", "ValidationError", "1 validation error detected: Value at"
                    + " 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern:"
                    + " [\\w+=,.@-]*");
        }
        String sourceIdentity = form.get("SourceIdentity");
        if (sourceIdentity != null && !SOURCE_IDENTITY.matcher(sourceIdentity).matches()) {
            throw new QueryError(400, "Sender", "ValidationError", "1 validation error detected: Value at"
                    + " 'sourceIdentity' failed to satisfy constraint: Member must satisfy regular expression pattern:"
                    + " [\\w+=,.@-]*");
        }
        int seconds = form.containsKey("DurationSeconds") ? Integer.parseInt(form.get("DurationSeconds")) : 3600;
        if (seconds < 900 || seconds > 43200) {
            throw new QueryError(400, "Sender", "ValidationError", "1 validation error detected: Value '" + seconds
                    + "' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal"
                    + " to 900");
        }
        String caller = principals.principalArn(accessKeyId);
        Role role;
        synchronized (this) {
            role = roles.get(roleArn);
        }
        String callerRole = roleOf(caller);
        String required = role == null || callerRole == null ? null : role.sourceIdentityByPrincipal().get(callerRole);
        if (role == null || required == null || !role.externalId().equals(form.get("ExternalId"))
                || !required.equals(sourceIdentity)) {
            refused.incrementAndGet();
            throw new QueryError(403, "Sender", "AccessDenied", "User: " + caller + " is not authorized to perform:"
                    + " sts:AssumeRole on resource: " + roleArn);
        }
        Matcher m = ROLE_ARN.matcher(roleArn);
        m.matches();
        String account = m.group(1);
        String sessionArn = "arn:aws:sts::" + account + ":assumed-role/" + m.group(2) + "/" + session;
        String keyId = "ASIA" + hex(8).toUpperCase(java.util.Locale.ROOT);
        principals.register(keyId, sessionArn);
        assumed.incrementAndGet();
        // On the real clock: the SDK decides when to refresh by it, not by the sandbox's.
        String expiration = DateTimeFormatter.ISO_INSTANT.format(Instant.now().plus(Duration.ofSeconds(seconds)));
        return "<AssumeRoleResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><AssumeRoleResult>"
                + (sourceIdentity == null ? "" : "<SourceIdentity>" + sourceIdentity + "</SourceIdentity>")
                + "<AssumedRoleUser><AssumedRoleId>AROA" + hex(8).toUpperCase(java.util.Locale.ROOT) + ":" + session
                + "</AssumedRoleId><Arn>" + sessionArn + "</Arn></AssumedRoleUser>"
                + "<Credentials><AccessKeyId>" + keyId + "</AccessKeyId><SecretAccessKey>" + hex(20)
                + "</SecretAccessKey><SessionToken>" + hex(32) + "</SessionToken><Expiration>" + expiration
                + "</Expiration></Credentials></AssumeRoleResult><ResponseMetadata><RequestId>" + requestId
                + "</RequestId></ResponseMetadata></AssumeRoleResponse>";
    }

    /** The role ARN a principal acts as: a role, or the role of a session; null for users and roots. */
    private static String roleOf(String principalArn) {
        if (ROLE_ARN.matcher(principalArn).matches()) {
            return principalArn;
        }
        Matcher m = ASSUMED.matcher(principalArn);
        return m.matches() ? "arn:aws:iam::" + m.group(1) + ":role/" + m.group(2) : null;
    }

    private String hex(int bytes) {
        byte[] b = new byte[bytes];
        random.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    /** An STS error, answered as the Query protocol's {@code ErrorResponse}. */
    static final class QueryError extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final int status;
        final String type;
        final String code;

        QueryError(int status, String type, String code, String message) {
            super(message);
            this.status = status;
            this.type = type;
            this.code = code;
        }

        String xml(String requestId) {
            return "<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><Error><Type>" + type
                    + "</Type><Code>" + code + "</Code><Message>" + escape(getMessage()) + "</Message></Error><RequestId>"
                    + requestId + "</RequestId></ErrorResponse>";
        }

        private static String escape(String text) {
            return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
        }
    }
}
