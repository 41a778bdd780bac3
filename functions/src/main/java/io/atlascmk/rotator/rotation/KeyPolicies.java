package io.atlascmk.rotator.rotation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.atlascmk.rotator.json.Json;
import io.atlascmk.rotator.kms.KeyIds;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Key policy documents, as pure JSON over {@link Json#MAPPER}: granting the Atlas role, comparing
 * before writing, refusing lockouts (design §4 rule 7) and summarising for dry-run plans.
 *
 * <p>The rotator owns exactly two statements, recognised by their {@code Sid}s:
 * {@value #ATLAS_STATEMENT_SID} (the Atlas role may {@code kms:Encrypt}, {@code kms:Decrypt},
 * {@code kms:DescribeKey}) and, when key administrators are configured, {@value #ADMIN_STATEMENT_SID}.
 * Every other statement (the account's, the admins', conditions, denies) is kept as it is.
 */
public final class KeyPolicies {

    /** Sid of the statement granting the Atlas role use of the key. */
    public static final String ATLAS_STATEMENT_SID = "AtlasCmkRotatorAtlasEncryptionAtRest";
    /** Sid of the statement granting configured key administrators management of the key. */
    public static final String ADMIN_STATEMENT_SID = "AtlasCmkRotatorKeyAdministrators";
    /** What Atlas needs (MongoDB Atlas encryption-at-rest documentation). */
    public static final List<String> ATLAS_ACTIONS = List.of("kms:Encrypt", "kms:Decrypt", "kms:DescribeKey");
    /** Key administration without use of the key for cryptography (as the KMS console's default). */
    public static final List<String> ADMIN_ACTIONS = List.of("kms:Create*", "kms:Describe*", "kms:Enable*", "kms:List*",
            "kms:Put*", "kms:Update*", "kms:Revoke*", "kms:Disable*", "kms:Get*", "kms:Delete*", "kms:TagResource",
            "kms:UntagResource", "kms:ScheduleKeyDeletion", "kms:CancelKeyDeletion");

    private static final String PUT_KEY_POLICY = "kms:PutKeyPolicy";
    private static final String DEFAULT_VERSION = "2012-10-17";
    private static final Pattern ROLE_ARN = Pattern.compile("^arn:aws[a-z-]*:iam::\\d{12}:role/.+$");
    private static final Pattern ACCOUNT_ID = Pattern.compile("^\\d{12}$");
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private KeyPolicies() {
    }

    /**
     * The policy to put on a key so the Atlas role can use it: every statement of the current policy
     * that is not the rotator's is kept unchanged and in place; the Atlas statement is added (or
     * replaced, e.g. when Atlas's role changed).
     *
     * @throws KeyPolicyLockoutException  when the result would leave nobody but Atlas able to change it
     * @throws InvalidKeyPolicyException  when the current policy cannot be read
     */
    public static String grantAtlas(String currentPolicyJson, String atlasRoleArn) {
        return grantAtlas(currentPolicyJson, atlasRoleArn, null);
    }

    /**
     * As {@link #grantAtlas(String, String)}, and with configured key administrators: a non-empty list
     * adds (or replaces) the rotator's administrators statement; an empty list removes it; null leaves
     * whatever the current policy says about administrators alone.
     *
     * @param keyAdministratorArns IAM principal ARNs (or account ids) that may manage the key
     */
    public static String grantAtlas(String currentPolicyJson, String atlasRoleArn, List<String> keyAdministratorArns) {
        requireRoleArn(atlasRoleArn);
        ObjectNode policy = parse(currentPolicyJson);
        ArrayNode statements = statements(policy);

        ArrayNode result = NODES.arrayNode();
        boolean atlasPlaced = false;
        boolean adminsPlaced = false;
        for (JsonNode statement : statements) {
            String sid = statement.path("Sid").asText(null);
            if (ATLAS_STATEMENT_SID.equals(sid)) {
                if (!atlasPlaced) {
                    result.add(atlasStatement(atlasRoleArn));
                    atlasPlaced = true;
                }
            } else if (ADMIN_STATEMENT_SID.equals(sid) && keyAdministratorArns != null) {
                if (!adminsPlaced && !keyAdministratorArns.isEmpty()) {
                    result.add(adminStatement(keyAdministratorArns));
                }
                adminsPlaced = true;
            } else {
                result.add(statement.deepCopy());
            }
        }
        if (keyAdministratorArns != null && !keyAdministratorArns.isEmpty() && !adminsPlaced) {
            result.add(adminStatement(keyAdministratorArns));
        }
        if (!atlasPlaced) {
            result.add(atlasStatement(atlasRoleArn));
        }

        ObjectNode out = NODES.objectNode();
        out.put("Version", policy.path("Version").asText(DEFAULT_VERSION));
        if (policy.hasNonNull("Id")) {
            out.set("Id", policy.get("Id"));
        }
        out.set("Statement", result);
        String json = write(out);
        requireNoLockout(json, atlasRoleArn);
        return json;
    }

    /**
     * The policy for a rotation's new key, built from the current key's policy: the same statements
     * (so the account and its admins keep exactly the access they had), with {@code Resource} entries
     * that name the current key by ARN turned into {@code "*"} (this key, in a key policy), and the
     * Atlas statement.
     *
     * @param currentKeyReference the current key's id or ARN
     */
    public static String initialPolicy(String currentKeyPolicyJson, String currentKeyReference, String atlasRoleArn,
                                       List<String> keyAdministratorArns) {
        ObjectNode policy = parse(currentKeyPolicyJson);
        for (JsonNode statement : statements(policy)) {
            JsonNode resource = statement.get("Resource");
            if (resource != null && namesKey(resource, currentKeyReference)) {
                ((ObjectNode) statement).put("Resource", "*");
            }
        }
        return grantAtlas(write(policy), atlasRoleArn, keyAdministratorArns);
    }

    /**
     * Whether two policies grant and deny the same: statement order, {@code Sid}s, the order of values
     * in lists, a single value versus a one-element list, {@code "*"} versus {@code {"AWS": "*"}}, an
     * account id versus its root ARN and the case of action names make no difference. A missing policy
     * equals nothing.
     *
     * @throws InvalidKeyPolicyException when either policy cannot be read
     */
    public static boolean sameEffectivePolicy(String a, String b) {
        if (a == null || b == null || a.isBlank() || b.isBlank()) {
            return false;
        }
        return canonical(parse(a)).equals(canonical(parse(b)));
    }

    /**
     * Refuses a policy under which no principal other than the Atlas role can change it.
     *
     * <p>A principal can change the key policy when an {@code Allow} statement without a
     * {@code Condition}, with {@code Resource "*"} and without {@code NotPrincipal}, names it as an
     * AWS principal ({@code "*"}, an ARN, an account id or root ARN) and allows {@code kms:PutKeyPolicy}
     * (by name, or a wildcard such as {@code kms:*}, or a {@code NotAction} that leaves it out); and no
     * {@code Deny} statement might take that away: a Deny whose actions cover {@code kms:PutKeyPolicy}
     * and whose principals include it (or {@code "*"}, or its account's root, or a {@code NotPrincipal}
     * that leaves it out) is assumed to apply whatever its conditions and resources, since they may hold.
     *
     * @throws KeyPolicyLockoutException when no such principal is left
     */
    public static void requireNoLockout(String policyJson, String atlasRoleArn) {
        if (managers(parse(policyJson), atlasRoleArn).isEmpty()) {
            throw new KeyPolicyLockoutException(atlasRoleArn,
                    "no unconditional Allow of kms:PutKeyPolicy (or kms:*) on \"*\" names another AWS principal that no Deny overrides");
        }
    }

    /** The AWS principals other than the Atlas role that can change the policy (see {@link #requireNoLockout}). */
    public static Set<String> principalsAbleToManage(String policyJson, String atlasRoleArn) {
        return managers(parse(policyJson), atlasRoleArn);
    }

    /** Cryptographic use of a key (what someone who needs the key's data would be allowed). */
    static final List<String> USE_ACTIONS = List.of("kms:Encrypt", "kms:Decrypt", "kms:ReEncryptFrom", "kms:ReEncryptTo",
            "kms:GenerateDataKey", "kms:GenerateDataKeyWithoutPlaintext", "kms:GenerateDataKeyPair",
            "kms:GenerateDataKeyPairWithoutPlaintext", "kms:CreateGrant");

    /**
     * Who, besides the key's own account (its root: the account's IAM administrators) and Atlas's role, the
     * key policy lets use the key: every principal of an {@code Allow} statement whose actions cover a
     * cryptographic operation or {@code kms:CreateGrant}, conditions or not ({@code "*"}, another account, a
     * role of another project, a service principal). A {@code NotPrincipal} Allow counts as everyone.
     */
    public static Set<String> otherUsers(String policyJson, String keyAccountId, String atlasRoleArn) {
        Set<String> out = new LinkedHashSet<>();
        String ownRoot = "arn:aws:iam::" + keyAccountId + ":root";
        for (JsonNode s : statements(parse(policyJson))) {
            if (!"Allow".equals(s.path("Effect").asText()) || !coversUse(s)) {
                continue;
            }
            if (s.has("NotPrincipal")) {
                out.add("everyone but " + principalText(s.get("NotPrincipal")));
                continue;
            }
            JsonNode principal = s.get("Principal");
            for (String p : awsPrincipals(principal)) {
                boolean ownAccountRoot = p.matches("arn:aws[a-z-]*:iam::" + keyAccountId + ":root");
                if (!ownAccountRoot && !p.equalsIgnoreCase(atlasRoleArn) && !p.equals(ownRoot)) {
                    out.add(p);
                }
            }
            if (principal != null && principal.isObject()) {
                principal.fieldNames().forEachRemaining(kind -> {
                    if (!kind.equals("AWS")) {
                        values(principal.get(kind)).forEach(v -> out.add(kind + ":" + v));
                    }
                });
            }
        }
        return out;
    }

    private static boolean coversUse(JsonNode statement) {
        if (statement.has("NotAction")) {
            return USE_ACTIONS.stream().anyMatch(action ->
                    values(statement.get("NotAction")).stream().noneMatch(p -> actionMatches(p, action)));
        }
        return USE_ACTIONS.stream().anyMatch(action ->
                values(statement.get("Action")).stream().anyMatch(p -> actionMatches(p, action)));
    }

    /**
     * One line for dry-run plans, e.g. {@code 2 statements: Allow kms:* to account 111122223333;
     * Allow kms:Decrypt, kms:DescribeKey, kms:Encrypt to arn:aws:iam::111122223333:role/atlas [AtlasCmk...]}.
     */
    public static String summary(String policyJson) {
        ArrayNode statements = statements(parse(policyJson));
        List<String> parts = new ArrayList<>();
        for (JsonNode s : statements) {
            StringBuilder line = new StringBuilder(s.path("Effect").asText("?"));
            line.append(' ').append(s.has("NotAction") ? "all but " + joined(s.get("NotAction")) : joined(s.get("Action")));
            line.append(" to ").append(s.has("NotPrincipal") ? "all but " + principalText(s.get("NotPrincipal")) : principalText(s.get("Principal")));
            if (s.has("Condition")) {
                line.append(" (conditional)");
            }
            if (s.hasNonNull("Sid")) {
                line.append(" [").append(s.get("Sid").asText()).append(']');
            }
            parts.add(line.toString());
        }
        return statements.size() + (statements.size() == 1 ? " statement: " : " statements: ") + String.join("; ", parts);
    }

    // ------------------------------------------------------------------ lockout analysis

    private static Set<String> managers(ObjectNode policy, String atlasRoleArn) {
        ArrayNode statements = statements(policy);
        Set<String> candidates = new LinkedHashSet<>();
        for (JsonNode s : statements) {
            if (!"Allow".equals(s.path("Effect").asText()) || s.has("Condition") || s.has("NotPrincipal")
                    || !resourceIsThisKey(s) || !coversPutKeyPolicy(s)) {
                continue;
            }
            for (String principal : awsPrincipals(s.get("Principal"))) {
                if (!principal.equalsIgnoreCase(atlasRoleArn)) {
                    candidates.add(principal);
                }
            }
        }
        candidates.removeIf(principal -> deniedPutKeyPolicy(statements, principal));
        return candidates;
    }

    private static boolean deniedPutKeyPolicy(ArrayNode statements, String principal) {
        for (JsonNode s : statements) {
            if (!"Deny".equals(s.path("Effect").asText()) || !coversPutKeyPolicy(s)) {
                continue;
            }
            if (s.has("NotPrincipal")) {
                if (!awsPrincipals(s.get("NotPrincipal")).contains(principal)) {
                    return true;
                }
            } else {
                Set<String> denied = awsPrincipals(s.get("Principal"));
                String accountRoot = accountRootOf(principal);
                if (s.get("Principal") == null || denied.contains("*") || denied.contains(principal)
                        || (accountRoot != null && denied.contains(accountRoot))) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The root ARN of the account an IAM principal ARN belongs to (a Deny on it reaches every principal there). */
    private static String accountRootOf(String principalArn) {
        String[] parts = principalArn.split(":", 6);
        return parts.length == 6 && parts[0].equals("arn") && parts[2].equals("iam") && ACCOUNT_ID.matcher(parts[4]).matches()
                ? "arn:" + parts[1] + ":iam::" + parts[4] + ":root"
                : null;
    }

    private static boolean coversPutKeyPolicy(JsonNode statement) {
        if (statement.has("NotAction")) {
            return values(statement.get("NotAction")).stream().noneMatch(p -> actionMatches(p, PUT_KEY_POLICY));
        }
        return values(statement.get("Action")).stream().anyMatch(p -> actionMatches(p, PUT_KEY_POLICY));
    }

    private static boolean resourceIsThisKey(JsonNode statement) {
        return !statement.has("NotResource") && values(statement.get("Resource")).contains("*");
    }

    static boolean actionMatches(String pattern, String action) {
        StringBuilder regex = new StringBuilder();
        for (char c : pattern.toCharArray()) {
            switch (c) {
                case '*' -> regex.append(".*");
                case '?' -> regex.append('.');
                default -> regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(regex.toString(), Pattern.CASE_INSENSITIVE).matcher(action).matches();
    }

    /** AWS principals of a Principal element, normalised: {@code "*"}, ARNs, account ids as root ARNs. */
    private static Set<String> awsPrincipals(JsonNode principal) {
        Set<String> out = new LinkedHashSet<>();
        if (principal == null || principal.isNull()) {
            return out;
        }
        if (principal.isTextual() || principal.isArray()) {
            // "Principal": "*" is the documented form; a bare ARN is read as an AWS principal.
            values(principal).forEach(v -> out.add(normalisePrincipal(v)));
        } else if (principal.has("AWS")) {
            values(principal.get("AWS")).forEach(v -> out.add(normalisePrincipal(v)));
        }
        return out;
    }

    private static String normalisePrincipal(String value) {
        String v = value.trim();
        return ACCOUNT_ID.matcher(v).matches() ? "arn:aws:iam::" + v + ":root" : v;
    }

    // ------------------------------------------------------------------ canonical form for comparison

    private static String canonical(ObjectNode policy) {
        Set<String> statements = new TreeSet<>();
        for (JsonNode s : statements(policy)) {
            ObjectNode c = NODES.objectNode();
            c.put("Effect", s.path("Effect").asText());
            for (String field : List.of("Action", "NotAction")) {
                if (s.has(field)) {
                    c.set(field, sortedArray(values(s.get(field)).stream().map(v -> v.toLowerCase(Locale.ROOT)).toList()));
                }
            }
            for (String field : List.of("Resource", "NotResource")) {
                if (s.has(field)) {
                    c.set(field, sortedArray(values(s.get(field))));
                }
            }
            for (String field : List.of("Principal", "NotPrincipal")) {
                if (s.has(field)) {
                    c.set(field, canonicalPrincipal(s.get(field)));
                }
            }
            if (s.has("Condition")) {
                c.set("Condition", canonicalCondition(s.get("Condition")));
            }
            statements.add(write(c));
        }
        return policy.path("Version").asText("2008-10-17") + "|" + String.join("|", statements);
    }

    private static JsonNode canonicalPrincipal(JsonNode principal) {
        Map<String, Set<String>> byType = new TreeMap<>();
        if (principal.isTextual() || principal.isArray()) {
            byType.put("AWS", new TreeSet<>(awsPrincipals(principal)));
        } else {
            Iterator<Map.Entry<String, JsonNode>> fields = principal.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> e = fields.next();
                Set<String> vals = new TreeSet<>(values(e.getValue()));
                byType.put(e.getKey(), "AWS".equals(e.getKey())
                        ? vals.stream().map(KeyPolicies::normalisePrincipal).collect(Collectors.toCollection(TreeSet::new))
                        : vals);
            }
        }
        ObjectNode out = NODES.objectNode();
        byType.forEach((type, vals) -> out.set(type, sortedArray(vals)));
        return out;
    }

    private static JsonNode canonicalCondition(JsonNode condition) {
        ObjectNode out = NODES.objectNode();
        Map<String, Map<String, List<String>>> sorted = new TreeMap<>();
        Iterator<Map.Entry<String, JsonNode>> operators = condition.fields();
        while (operators.hasNext()) {
            Map.Entry<String, JsonNode> op = operators.next();
            Map<String, List<String>> keys = sorted.computeIfAbsent(op.getKey(), k -> new TreeMap<>());
            Iterator<Map.Entry<String, JsonNode>> conditionKeys = op.getValue().fields();
            while (conditionKeys.hasNext()) {
                Map.Entry<String, JsonNode> key = conditionKeys.next();
                keys.put(key.getKey().toLowerCase(Locale.ROOT), new ArrayList<>(new TreeSet<>(values(key.getValue()))));
            }
        }
        sorted.forEach((op, keys) -> {
            ObjectNode k = out.putObject(op);
            keys.forEach((key, vals) -> k.set(key, sortedArray(vals)));
        });
        return out;
    }

    // ------------------------------------------------------------------ building blocks

    private static ObjectNode atlasStatement(String atlasRoleArn) {
        ObjectNode s = NODES.objectNode();
        s.put("Sid", ATLAS_STATEMENT_SID);
        s.put("Effect", "Allow");
        s.putObject("Principal").put("AWS", atlasRoleArn);
        ArrayNode actions = s.putArray("Action");
        ATLAS_ACTIONS.forEach(actions::add);
        s.put("Resource", "*");
        return s;
    }

    private static ObjectNode adminStatement(List<String> admins) {
        ObjectNode s = NODES.objectNode();
        s.put("Sid", ADMIN_STATEMENT_SID);
        s.put("Effect", "Allow");
        ArrayNode principals = s.putObject("Principal").putArray("AWS");
        admins.forEach(a -> {
            if (a == null || a.isBlank()) {
                throw new IllegalArgumentException("A key administrator ARN is blank; list IAM principal ARNs or account ids.");
            }
            principals.add(a.trim());
        });
        ArrayNode actions = s.putArray("Action");
        ADMIN_ACTIONS.forEach(actions::add);
        s.put("Resource", "*");
        return s;
    }

    private static boolean namesKey(JsonNode resource, String keyReference) {
        return values(resource).stream().anyMatch(r -> KeyIds.isArn(r) && KeyIds.sameKey(r, keyReference));
    }

    private static void requireRoleArn(String atlasRoleArn) {
        if (atlasRoleArn == null || !ROLE_ARN.matcher(atlasRoleArn.trim()).matches()) {
            throw new IllegalArgumentException("'" + atlasRoleArn + "' is not an IAM role ARN (arn:aws:iam::ACCOUNT:role/NAME); "
                    + "pass the iamAssumedRoleArn of the project's Atlas cloud provider access role.");
        }
    }

    private static ObjectNode parse(String json) {
        if (json == null || json.isBlank()) {
            throw new InvalidKeyPolicyException("the policy document is empty", null);
        }
        JsonNode node;
        try {
            node = Json.MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new InvalidKeyPolicyException("it is not JSON (" + e.getOriginalMessage() + ")", e);
        }
        if (!(node instanceof ObjectNode policy)) {
            throw new InvalidKeyPolicyException("it is not a JSON object", null);
        }
        JsonNode statement = policy.get("Statement");
        if (statement == null || !(statement.isArray() || statement.isObject())) {
            throw new InvalidKeyPolicyException("it has no Statement", null);
        }
        for (JsonNode s : statement.isArray() ? statement : NODES.arrayNode().add(statement)) {
            if (!s.isObject()) {
                throw new InvalidKeyPolicyException("a Statement entry is not an object", null);
            }
        }
        return policy;
    }

    private static ArrayNode statements(ObjectNode policy) {
        JsonNode statement = policy.get("Statement");
        if (statement.isArray()) {
            return (ArrayNode) statement;
        }
        ArrayNode wrapped = NODES.arrayNode().add(statement);
        policy.set("Statement", wrapped);
        return wrapped;
    }

    /** A string-or-list element's values. */
    private static List<String> values(JsonNode node) {
        List<String> out = new ArrayList<>();
        if (node == null || node.isNull()) {
            return out;
        }
        if (node.isArray()) {
            node.forEach(v -> out.add(v.asText()));
        } else {
            out.add(node.asText());
        }
        return out;
    }

    private static ArrayNode sortedArray(java.util.Collection<String> values) {
        ArrayNode a = NODES.arrayNode();
        new TreeSet<>(values).forEach(a::add);
        return a;
    }

    private static String joined(JsonNode node) {
        List<String> v = values(node);
        return v.isEmpty() ? "nothing" : String.join(", ", new TreeSet<>(v));
    }

    private static String principalText(JsonNode principal) {
        if (principal == null) {
            return "nobody";
        }
        if (principal.isTextual() && "*".equals(principal.asText())) {
            return "everyone (*)";
        }
        List<String> out = new ArrayList<>();
        if (principal.isObject()) {
            principal.fields().forEachRemaining(e -> {
                for (String v : values(e.getValue())) {
                    out.add("AWS".equals(e.getKey()) ? shortPrincipal(v) : e.getKey() + " " + v);
                }
            });
        } else {
            values(principal).forEach(v -> out.add(shortPrincipal(v)));
        }
        return String.join(", ", out);
    }

    private static String shortPrincipal(String awsPrincipal) {
        String p = normalisePrincipal(awsPrincipal);
        if ("*".equals(p)) {
            return "everyone (*)";
        }
        if (p.matches("^arn:aws[a-z-]*:iam::\\d{12}:root$")) {
            return "account " + p.split(":")[4];
        }
        return p;
    }

    private static String write(JsonNode node) {
        try {
            return Json.MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A JSON tree could not be written", e);
        }
    }
}
