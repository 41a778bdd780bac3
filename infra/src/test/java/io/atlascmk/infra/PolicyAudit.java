package io.atlascmk.infra;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Walks every IAM policy statement of a CloudFormation template (identity policies, inline role policies,
 * managed policies and resource policies alike: any "Statement" anywhere) and reports statements that break
 * the rotator's KMS rules. Kept apart from the stack test so its own test can feed it bad statements.
 */
final class PolicyAudit {

    static final String PROJECT_TAG = "atlas-cmk-rotator:project";
    static final String DEPLOYMENT_TAG = "atlas-cmk-rotator:deployment";
    static final Set<String> KEY_CHANGING = Set.of(
            "kms:putkeypolicy", "kms:tagresource", "kms:untagresource",
            "kms:schedulekeydeletion", "kms:cancelkeydeletion", "kms:createalias", "kms:updatealias",
            "kms:deletealias", "kms:createkey", "kms:disablekey", "kms:enablekey", "kms:creategrant",
            "kms:retiregrant", "kms:revokegrant", "kms:replicatekey", "kms:importkeymaterial",
            "kms:deleteimportedkeymaterial", "kms:updateprimaryregion", "kms:enablekeyrotation",
            "kms:disablekeyrotation", "kms:rotatekeyondemand", "kms:updatekeydescription");
    /** KMS actions for which AWS supports no resource: "*" is the only choice. */
    static final Set<String> STAR_ONLY = Set.of("kms:listkeys", "kms:listaliases", "kms:createkey");
    static final Set<String> ALIAS_ACTIONS = Set.of("kms:createalias", "kms:updatealias");

    private PolicyAudit() {
    }

    /** Every statement found anywhere in {@code template}. */
    static List<Map<String, Object>> statements(Object template) {
        List<Map<String, Object>> found = new ArrayList<>();
        collect(template, found);
        return found;
    }

    @SuppressWarnings("unchecked")
    private static void collect(Object node, List<Map<String, Object>> found) {
        if (node instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if ("Statement".equals(e.getKey())) {
                    Object value = e.getValue();
                    if (value instanceof List<?> list) {
                        list.forEach(s -> found.add((Map<String, Object>) s));
                    } else {
                        found.add((Map<String, Object>) value);
                    }
                } else {
                    collect(e.getValue(), found);
                }
            }
        } else if (node instanceof List<?> list) {
            list.forEach(item -> collect(item, found));
        }
    }

    /** The KMS rule breaks of {@code template}, one line each; empty when it keeps every rule. */
    static List<String> kmsViolationsInTemplate(Object template, String deployment) {
        List<String> violations = new ArrayList<>();
        for (Map<String, Object> statement : statements(template)) {
            violations.addAll(kmsViolationsOfStatement(statement, deployment));
        }
        return violations;
    }

    static List<String> kmsViolationsOfStatement(Map<String, Object> statement, String deployment) {
        List<String> violations = new ArrayList<>();
        String where = "statement " + statement;
        boolean allow = !"Deny".equals(statement.get("Effect"));
        if (allow && statement.containsKey("NotAction")) {
            violations.add("NotAction in an Allow grants everything else: " + where);
        }
        if (allow && statement.containsKey("NotResource")) {
            violations.add("NotResource in an Allow grants every other resource: " + where);
        }
        List<String> actions = strings(statement.containsKey("Action") ? statement.get("Action")
                : statement.get("NotAction"));
        for (String action : actions) {
            String a = action.toLowerCase();
            if (a.equals("*") || (a.startsWith("kms:") && (a.contains("*") || a.contains("?")))) {
                violations.add("wildcard action " + action + ": " + where);
            }
        }
        if (!allow) {
            return violations;
        }
        List<String> kmsActions = actions.stream().map(String::toLowerCase).filter(a -> a.startsWith("kms:"))
                .toList();
        if (kmsActions.isEmpty()) {
            return violations;
        }
        List<String> resources = resources(statement.get("Resource"));
        boolean star = resources.contains("*");
        Map<String, Object> condition = conditionOf(statement);
        for (String action : kmsActions) {
            if (star && !STAR_ONLY.contains(action)) {
                violations.add(action + " on Resource \"*\": scope it to key ARNs: " + where);
            }
            if (!KEY_CHANGING.contains(action)) {
                continue;
            }
            boolean aliasOnly = ALIAS_ACTIONS.contains(action) && !resources.isEmpty()
                    && resources.stream().allMatch(r -> r.contains(":alias/atlas-cmk/"));
            if (aliasOnly) {
                continue;
            }
            if (action.equals("kms:createkey")) {
                if (!hasDeploymentCondition(condition, "aws:RequestTag/", deployment)
                        || !hasOperatorKey(condition, "aws:TagKeys")) {
                    violations.add("kms:CreateKey without aws:RequestTag/" + DEPLOYMENT_TAG + " = " + deployment
                            + ", a project tag and an aws:TagKeys limit: " + where);
                }
            } else if (!hasDeploymentCondition(condition, "aws:ResourceTag/", deployment)
                    && !hasDeploymentCondition(condition, "aws:RequestTag/", deployment)) {
                violations.add(action + " without a condition tying it to this deployment's keys ("
                        + DEPLOYMENT_TAG + " = " + deployment + " and a " + PROJECT_TAG + " tag): " + where);
            }
        }
        return violations;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> conditionOf(Map<String, Object> statement) {
        Object condition = statement.get("Condition");
        return condition instanceof Map<?, ?> map ? (Map<String, Object>) map : Map.of();
    }

    /**
     * True when an exact-match operator (StringEquals, not *IfExists, not Like) requires {@code prefix +
     * DEPLOYMENT_TAG} to be exactly {@code deployment}, and a Null check requires {@code prefix + PROJECT_TAG} to
     * be present: a key (or a request) of this deployment that names a project.
     */
    @SuppressWarnings("unchecked")
    static boolean hasDeploymentCondition(Map<String, Object> condition, String prefix, String deployment) {
        if (!(condition.get("StringEquals") instanceof Map<?, ?> equals)
                || !(condition.get("Null") instanceof Map<?, ?> nulls)) {
            return false;
        }
        List<String> values = strings(((Map<String, Object>) equals).get(prefix + DEPLOYMENT_TAG));
        return values.equals(List.of(deployment))
                && "false".equals(String.valueOf(((Map<String, Object>) nulls).get(prefix + PROJECT_TAG)));
    }

    @SuppressWarnings("unchecked")
    static boolean hasOperatorKey(Map<String, Object> condition, String key) {
        return condition.values().stream()
                .anyMatch(keys -> keys instanceof Map<?, ?> map && ((Map<String, Object>) map).containsKey(key));
    }

    static List<String> strings(Object value) {
        if (value == null) {
            return List.of();
        }
        if (value instanceof List<?> list) {
            return list.stream().map(String::valueOf).toList();
        }
        return List.of(String.valueOf(value));
    }

    /** Resources rendered as text: intrinsic functions become ${Ref:...}/${GetAtt:...} placeholders. */
    static List<String> resources(Object value) {
        if (value == null) {
            return List.of();
        }
        if (value instanceof List<?> list) {
            return list.stream().map(PolicyAudit::render).toList();
        }
        return List.of(render(value));
    }

    @SuppressWarnings("unchecked")
    static String render(Object value) {
        if (value instanceof String s) {
            return s;
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> m = (Map<String, Object>) map;
            if (m.containsKey("Ref")) {
                return "${Ref:" + m.get("Ref") + "}";
            }
            if (m.containsKey("Fn::GetAtt")) {
                return "${GetAtt:" + String.join(".", strings(m.get("Fn::GetAtt"))) + "}";
            }
            if (m.containsKey("Fn::Join")) {
                List<Object> join = (List<Object>) m.get("Fn::Join");
                String separator = (String) join.get(0);
                return ((List<Object>) join.get(1)).stream().map(PolicyAudit::render)
                        .collect(Collectors.joining(separator));
            }
        }
        return String.valueOf(value);
    }
}
