package io.atlascmk.sandbox.aws;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A parsed KMS key policy, enough to answer "may this principal call this action on the key?" the way
 * the sandbox needs it: the Atlas role check ({@code KeyAccess}) and the policy lockout safety check.
 *
 * <p>Evaluated: {@code Effect}, {@code Principal} ({@code "*"}, {@code {"AWS": string|list}}; other
 * principal types never match an IAM principal), {@code Action} / {@code NotAction} with IAM wildcards
 * ({@code *}, {@code ?}, case-insensitive), explicit {@code Deny} winning over {@code Allow}.
 * Not evaluated: {@code Condition} (a conditional statement is taken as applying), {@code NotPrincipal}
 * (never matches), and IAM policies (a statement naming the account root does not grant a role anything
 * in {@link #allows}).
 */
final class KeyPolicy {

    private static final Pattern AWS_PRINCIPAL = Pattern.compile(
            "^(\\*|\\d{12}|arn:aws:iam::\\d{12}:(root|(role|user)/[\\w+=,.@/-]+)|arn:aws:sts::\\d{12}:assumed-role/[\\w+=,.@/-]+)$");
    private static final Set<String> PRINCIPAL_TYPES = Set.of("AWS", "Service", "Federated", "CanonicalUser");

    private record Statement(boolean allow, List<String> awsPrincipals, List<String> actions, boolean notAction) {
    }

    private final List<Statement> statements;

    private KeyPolicy(List<Statement> statements) {
        this.statements = statements;
    }

    /** Parses and validates a policy; {@code MalformedPolicyDocumentException} when it is not one. */
    static KeyPolicy parse(String policy) {
        JsonNode root;
        try {
            root = AwsJson.parse(policy);
        } catch (JsonProcessingException e) {
            throw malformed("The key policy is not valid JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw malformed("The key policy must be a JSON object.");
        }
        JsonNode version = root.get("Version");
        if (version != null && !("2012-10-17".equals(version.asText()) || "2008-10-17".equals(version.asText()))) {
            throw malformed("The key policy Version must be 2012-10-17 or 2008-10-17.");
        }
        JsonNode statementNode = root.get("Statement");
        if (statementNode == null || !(statementNode.isArray() || statementNode.isObject())
                || statementNode.isArray() && statementNode.isEmpty()) {
            throw malformed("The key policy must have a Statement (an object or a non-empty list).");
        }
        List<Statement> statements = new ArrayList<>();
        for (JsonNode s : statementNode.isArray() ? statementNode : List.of(statementNode)) {
            statements.add(statement(s));
        }
        return new KeyPolicy(List.copyOf(statements));
    }

    private static Statement statement(JsonNode s) {
        if (!s.isObject()) {
            throw malformed("Each policy statement must be a JSON object.");
        }
        String effect = s.path("Effect").asText("");
        if (!effect.equals("Allow") && !effect.equals("Deny")) {
            throw malformed("Each policy statement needs an Effect of Allow or Deny.");
        }
        List<String> principals = new ArrayList<>();
        JsonNode principal = s.get("Principal");
        if (principal == null && s.get("NotPrincipal") == null) {
            throw malformed("Each key policy statement needs a Principal.");
        }
        if (principal != null) {
            if (principal.isTextual()) {
                if (!principal.textValue().equals("*")) {
                    throw malformed("A string Principal must be \"*\".");
                }
                principals.add("*");
            } else if (principal.isObject()) {
                principal.fieldNames().forEachRemaining(type -> {
                    if (!PRINCIPAL_TYPES.contains(type)) {
                        throw malformed("Unknown principal type " + type + ".");
                    }
                });
                for (String value : strings(principal.get("AWS"), "Principal.AWS")) {
                    if (!AWS_PRINCIPAL.matcher(value).matches()) {
                        throw malformed("Policy contains a statement with one or more invalid principals.");
                    }
                    principals.add(value);
                }
                strings(principal.get("Service"), "Principal.Service");
            } else {
                throw malformed("Principal must be \"*\" or an object.");
            }
        }
        boolean notAction = s.get("Action") == null;
        JsonNode actions = notAction ? s.get("NotAction") : s.get("Action");
        if (actions == null) {
            throw malformed("Each policy statement needs an Action or NotAction.");
        }
        return new Statement(effect.equals("Allow"), List.copyOf(principals), strings(actions, "Action"), notAction);
    }

    private static List<String> strings(JsonNode node, String what) {
        List<String> out = new ArrayList<>();
        if (node == null) {
            return out;
        }
        if (node.isTextual()) {
            out.add(node.textValue());
        } else if (node.isArray() && !node.isEmpty()) {
            for (JsonNode item : node) {
                if (!item.isTextual()) {
                    throw malformed(what + " must hold strings.");
                }
                out.add(item.textValue());
            }
        } else {
            throw malformed(what + " must be a string or a non-empty list of strings.");
        }
        return out;
    }

    /**
     * True when an {@code Allow} statement names one of {@code principals} (or {@code "*"}) for the
     * action and no {@code Deny} statement does.
     */
    boolean allows(Set<String> principals, String action) {
        boolean allowed = false;
        for (Statement s : statements) {
            if (!appliesTo(s, principals, action)) {
                continue;
            }
            if (!s.allow()) {
                return false;
            }
            allowed = true;
        }
        return allowed;
    }

    private static boolean appliesTo(Statement s, Set<String> principals, String action) {
        boolean principalMatches = s.awsPrincipals().stream().anyMatch(p -> p.equals("*") || principals.contains(p));
        if (!principalMatches) {
            return false;
        }
        boolean listed = s.actions().stream().anyMatch(pattern -> actionMatches(pattern, action));
        return s.notAction() != listed;
    }

    /** IAM action matching: case-insensitive, {@code *} any run of characters, {@code ?} one character. */
    static boolean actionMatches(String pattern, String action) {
        StringBuilder regex = new StringBuilder();
        for (char c : pattern.toLowerCase(Locale.ROOT).toCharArray()) {
            if (c == '*') {
                regex.append(".*");
            } else if (c == '?') {
                regex.append('.');
            } else {
                regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return action.toLowerCase(Locale.ROOT).matches(regex.toString());
    }

    static String defaultPolicy(String accountId) {
        return "{\n"
                + "  \"Version\" : \"2012-10-17\",\n"
                + "  \"Id\" : \"key-default-1\",\n"
                + "  \"Statement\" : [ {\n"
                + "    \"Sid\" : \"Enable IAM User Permissions\",\n"
                + "    \"Effect\" : \"Allow\",\n"
                + "    \"Principal\" : {\n"
                + "      \"AWS\" : \"arn:aws:iam::" + accountId + ":root\"\n"
                + "    },\n"
                + "    \"Action\" : \"kms:*\",\n"
                + "    \"Resource\" : \"*\"\n"
                + "  } ]\n"
                + "}";
    }

    private static AwsApiException malformed(String message) {
        return AwsApiException.client("MalformedPolicyDocumentException", message);
    }
}
