package io.atlascmk.sandbox.aws;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code userIdentity} of a CloudTrail record, and the {@code Username} LookupEvents shows, derived
 * from a principal ARN as CloudTrail derives them: the account root ({@code Root}, user name
 * {@code root}), an IAM user ({@code IAMUser}, its name), or a role session ({@code AssumedRole}, the
 * session name, with the role as {@code sessionIssuer}). A role ARN is recorded as a session of that role
 * named after the access key id, as AWS shows a role's use. Unique ids ({@code AROA...}, {@code AIDA...})
 * are derived from the ARN, so they are stable.
 *
 * @param userIdentity the {@code userIdentity} object; callers embed a copy
 */
record CallerIdentity(ObjectNode userIdentity, String username) {

    private static final String NAME = "[\\w+=,.@-]+";
    private static final Pattern ROOT = Pattern.compile("^arn:aws:iam::(\\d{12}):root$");
    private static final Pattern USER = Pattern.compile("^arn:aws:iam::(\\d{12}):user/(?:" + NAME + "/)*(" + NAME + ")$");
    private static final Pattern ROLE = Pattern.compile("^arn:aws:iam::(\\d{12}):role/(?:" + NAME + "/)*(" + NAME + ")$");
    private static final Pattern ASSUMED_ROLE = Pattern.compile("^arn:aws:sts::(\\d{12}):assumed-role/(" + NAME + ")/(" + NAME + ")$");
    private static final Pattern NOT_NAME_CHARACTER = Pattern.compile("[^\\w+=,.@-]");

    /** Throws {@link IllegalArgumentException} unless the ARN names a root, IAM user, role or role session. */
    static void check(String principalArn) {
        if (principalArn == null || !(ROOT.matcher(principalArn).matches() || USER.matcher(principalArn).matches()
                || ROLE.matcher(principalArn).matches() || ASSUMED_ROLE.matcher(principalArn).matches())) {
            throw new IllegalArgumentException("Not a principal ARN CloudTrail records: " + principalArn + ". Use "
                    + "arn:aws:iam::<account>:root, arn:aws:iam::<account>:user/<name>, arn:aws:iam::<account>:role/<name> "
                    + "or arn:aws:sts::<account>:assumed-role/<role>/<session>.");
        }
    }

    /** A role session name (2-64 of {@code [\w+=,.@-]}) made from any text, e.g. an access key id. */
    static String sessionName(String text) {
        String name = NOT_NAME_CHARACTER.matcher(text).replaceAll("-");
        if (name.length() < 2) {
            name = (name + "--").substring(0, 2);
        }
        return name.length() > 64 ? name.substring(0, 64) : name;
    }

    /**
     * The identity of a call signed with {@code accessKeyId} (null: unsigned) by {@code principalArn}.
     * {@code sessionStart} is the session's {@code creationDate}.
     */
    static CallerIdentity of(String principalArn, String accessKeyId, Instant sessionStart) {
        check(principalArn);
        ObjectNode identity = AwsJson.object();
        Matcher m;
        if ((m = ROOT.matcher(principalArn)).matches()) {
            identity.put("type", "Root");
            identity.put("principalId", m.group(1));
            identity.put("arn", principalArn);
            identity.put("accountId", m.group(1));
            putAccessKeyId(identity, accessKeyId);
            return new CallerIdentity(identity, "root");
        }
        if ((m = USER.matcher(principalArn)).matches()) {
            identity.put("type", "IAMUser");
            identity.put("principalId", uniqueId("AIDA", principalArn));
            identity.put("arn", principalArn);
            identity.put("accountId", m.group(1));
            putAccessKeyId(identity, accessKeyId);
            identity.put("userName", m.group(2));
            return new CallerIdentity(identity, m.group(2));
        }
        String account;
        String roleName;
        String roleArn;
        String session;
        if ((m = ROLE.matcher(principalArn)).matches()) {
            account = m.group(1);
            roleName = m.group(2);
            roleArn = principalArn;
            session = sessionName(accessKeyId == null ? "sandbox" : accessKeyId);
        } else {
            m = ASSUMED_ROLE.matcher(principalArn);
            m.matches();
            account = m.group(1);
            roleName = m.group(2);
            roleArn = "arn:aws:iam::" + account + ":role/" + roleName;
            session = m.group(3);
        }
        String roleId = uniqueId("AROA", roleArn);
        identity.put("type", "AssumedRole");
        identity.put("principalId", roleId + ":" + session);
        identity.put("arn", "arn:aws:sts::" + account + ":assumed-role/" + roleName + "/" + session);
        identity.put("accountId", account);
        putAccessKeyId(identity, accessKeyId);
        ObjectNode sessionContext = identity.putObject("sessionContext");
        ObjectNode issuer = sessionContext.putObject("sessionIssuer");
        issuer.put("type", "Role");
        issuer.put("principalId", roleId);
        issuer.put("arn", roleArn);
        issuer.put("accountId", account);
        issuer.put("userName", roleName);
        ObjectNode attributes = sessionContext.putObject("attributes");
        attributes.put("creationDate", DateTimeFormatter.ISO_INSTANT.format(sessionStart));
        attributes.put("mfaAuthenticated", "false");
        return new CallerIdentity(identity, session);
    }

    private static void putAccessKeyId(ObjectNode identity, String accessKeyId) {
        if (accessKeyId != null) {
            identity.put("accessKeyId", accessKeyId);
        }
    }

    /** A 21-character IAM unique id ({@code AROA} or {@code AIDA} and 17 more), stable for the ARN. */
    private static String uniqueId(String prefix, String arn) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(arn.getBytes(StandardCharsets.UTF_8));
            return prefix + HexFormat.of().withUpperCase().formatHex(digest).substring(0, 17);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
