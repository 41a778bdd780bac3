package io.atlascmk.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * IAM that holds even when one function is compromised: for every role of the synthesized stack, no
 * sequence of the KMS calls its policies allow takes an {@code active} key, a key without the project
 * tags or another project's key to {@code ScheduleKeyDeletion}. The calls are read from the template's
 * policy statements (their ledger-state and project-tag conditions), not from the code that wrote them.
 */
class KeyDeletionReachabilityTest {

    /** Where a key can be, as far as these policies can tell. */
    enum KeyAt {
        /** No deployment's key (nor any project's). */
        UNTAGGED,
        /** Another deployment's key. */
        OTHER_DEPLOYMENT,
        /** Tagged with this deployment, but with no project tag. */
        NO_PROJECT,
        PENDING, ACTIVE, RETIRED, ABANDONED, DELETION_SCHEDULED, DELETED
    }

    private static final String PROJECT = "aws:ResourceTag/" + KmsPermissions.PROJECT_TAG;
    private static final String DEPLOYMENT = "aws:ResourceTag/" + KmsPermissions.DEPLOYMENT_TAG;
    private static final String STATE = "aws:ResourceTag/" + KmsPermissions.STATE_TAG;
    private static final String REQUEST_STATE = "aws:RequestTag/" + KmsPermissions.STATE_TAG;

    private static SynthesizedRotator synth;

    @BeforeAll
    static void synthesize() {
        synth = SynthesizedRotator.get();
    }

    /** Each role's statements (the policies attached to it). */
    @SuppressWarnings("unchecked")
    private static Map<String, List<Map<String, Object>>> statementsByRole() {
        Map<String, List<Map<String, Object>>> byRole = new LinkedHashMap<>();
        Map<String, Map<String, Object>> policies = synth.template.findResources("AWS::IAM::Policy", Map.of());
        policies.forEach((id, policy) -> {
            Map<String, Object> props = (Map<String, Object>) policy.get("Properties");
            for (Object role : (List<Object>) props.get("Roles")) {
                String roleId = String.valueOf(((Map<String, Object>) role).get("Ref"));
                byRole.computeIfAbsent(roleId, r -> new ArrayList<>())
                        .addAll(PolicyAudit.statements(props.get("PolicyDocument")));
            }
        });
        return byRole;
    }

    private static boolean allows(Map<String, Object> statement, String action) {
        return "Allow".equals(statement.get("Effect"))
                && PolicyAudit.strings(statement.get("Action")).stream().anyMatch(a -> a.equalsIgnoreCase(action));
    }

    /** Values a condition puts on {@code key} under any of these operators; null when it does not constrain it. */
    @SuppressWarnings("unchecked")
    private static List<String> constraint(Map<String, Object> condition, String key, String... operators) {
        for (String op : operators) {
            Object block = condition.get(op);
            if (block instanceof Map<?, ?> m && m.containsKey(key)) {
                return PolicyAudit.strings(((Map<String, Object>) m).get(key));
            }
        }
        return null;
    }

    /** Whether the statement's resource conditions let it act on a key at {@code at}. */
    @SuppressWarnings("unchecked")
    static boolean appliesTo(Map<String, Object> statement, KeyAt at) {
        Map<String, Object> c = PolicyAudit.conditionOf(statement);
        Map<?, ?> nulls = c.get("Null") instanceof Map<?, ?> n ? n : Map.of();
        boolean needsNoDeployment = "true".equals(String.valueOf(nulls.get(DEPLOYMENT)));
        boolean needsProjectTag = "false".equals(String.valueOf(nulls.get(PROJECT)));
        boolean needsOurs = constraint(c, DEPLOYMENT, "StringEquals", "StringLike") != null;
        List<String> states = constraint(c, STATE, "StringEquals", "StringLike");
        return switch (at) {
            case DELETED -> false;
            case UNTAGGED -> !needsOurs && !needsProjectTag && states == null;
            // another deployment's key may be in any state of its own
            case OTHER_DEPLOYMENT -> !needsOurs && !needsNoDeployment;
            case NO_PROJECT -> !needsProjectTag && !needsNoDeployment;
            default -> !needsNoDeployment && (states == null || states.contains(stateTag(at)));
        };
    }

    static String stateTag(KeyAt at) {
        return at.name().toLowerCase().replace('_', '-');
    }

    /** Where one TagResource statement can move a key at {@code at}. */
    static Set<KeyAt> taggedTo(Map<String, Object> statement, KeyAt at) {
        Map<String, Object> c = PolicyAudit.conditionOf(statement);
        List<String> tagKeys = constraint(c, "aws:TagKeys", "ForAllValues:StringEquals", "ForAllValues:StringLike");
        boolean writesState = tagKeys == null || tagKeys.contains(KmsPermissions.STATE_TAG);
        boolean setsDeployment = constraint(c, "aws:RequestTag/" + KmsPermissions.DEPLOYMENT_TAG, "StringEquals") != null;
        Set<KeyAt> to = EnumSet.noneOf(KeyAt.class);
        if (!writesState) {
            return to;
        }
        List<String> requested = constraint(c, REQUEST_STATE, "StringEquals", "StringEqualsIfExists", "StringLike");
        for (KeyAt target : EnumSet.range(KeyAt.PENDING, KeyAt.DELETION_SCHEDULED)) {
            if (requested == null || requested.contains(stateTag(target))) {
                to.add(target);
            }
        }
        if ((at == KeyAt.UNTAGGED || at == KeyAt.OTHER_DEPLOYMENT || at == KeyAt.NO_PROJECT) && !setsDeployment
                && tagKeys != null && !(tagKeys.contains(KmsPermissions.DEPLOYMENT_TAG)
                        && tagKeys.contains(KmsPermissions.PROJECT_TAG))) {
            return EnumSet.noneOf(KeyAt.class); // it cannot make the key a project key of this deployment
        }
        return to;
    }

    /** Every place a key starting at {@code start} can reach with these statements. */
    static Set<KeyAt> reachable(List<Map<String, Object>> statements, KeyAt start) {
        Set<KeyAt> seen = EnumSet.of(start);
        Deque<KeyAt> todo = new ArrayDeque<>(List.of(start));
        while (!todo.isEmpty()) {
            KeyAt at = todo.pop();
            for (Map<String, Object> s : statements) {
                Set<KeyAt> next = EnumSet.noneOf(KeyAt.class);
                if (allows(s, "kms:TagResource") && appliesTo(s, at)) {
                    next.addAll(taggedTo(s, at));
                }
                if (allows(s, "kms:ScheduleKeyDeletion") && appliesTo(s, at)) {
                    next.add(KeyAt.DELETED);
                }
                for (KeyAt n : next) {
                    if (seen.add(n)) {
                        todo.push(n);
                    }
                }
            }
        }
        return seen;
    }

    @Test
    void noRoleCanTakeAnActiveKey_aKeyWithoutTheProjectTags_orAnotherDeploymentsKey_toDeletion() {
        Map<String, List<Map<String, Object>>> roles = statementsByRole();
        assertThat(roles).hasSizeGreaterThanOrEqualTo(RotatorStep.values().length);
        int deleters = 0;
        for (Map.Entry<String, List<Map<String, Object>>> role : roles.entrySet()) {
            for (KeyAt start : List.of(KeyAt.ACTIVE, KeyAt.PENDING, KeyAt.UNTAGGED, KeyAt.OTHER_DEPLOYMENT,
                    KeyAt.NO_PROJECT)) {
                assertThat(reachable(role.getValue(), start)).as(role.getKey() + " from " + start)
                        .doesNotContain(KeyAt.DELETED);
            }
            if (reachable(role.getValue(), KeyAt.RETIRED).contains(KeyAt.DELETED)) {
                deleters++;
            }
        }
        assertThat(deleters).as("exactly one role (AuditAndRetire's) deletes, and only retired keys").isEqualTo(1);
    }

    @Test
    @SuppressWarnings("unchecked")
    void theRecordFunctionsRole_movesNoKeyAnywhere() {
        Map<String, Map<String, Object>> functions = synth.template.findResources("AWS::Lambda::Function", Map.of());
        String role = functions.values().stream()
                .map(f -> (Map<String, Object>) f.get("Properties"))
                .filter(p -> RotatorFunctions.RECORD_HANDLER.equals(p.get("Handler")))
                .map(p -> ((List<String>) ((Map<String, Object>) p.get("Role")).get("Fn::GetAtt")).get(0))
                .findFirst().orElseThrow();
        List<Map<String, Object>> statements = statementsByRole().get(role);
        assertThat(statements).as("Record's role has its one statement").isNotEmpty();
        for (KeyAt start : KeyAt.values()) {
            assertThat(reachable(statements, start)).as("Record from " + start).containsExactly(start);
        }
        assertThat(statements).noneSatisfy(s -> assertThat(PolicyAudit.strings(s.get("Action")))
                .anyMatch(a -> a.startsWith("kms:")));
    }

    @Test
    void theWalkFindsAPathWhenOneExists_theRuleBeforeThisIssue_tagAnyLedgerStateThenDeleteRetired() {
        String ours = synth.stack.getStackName();
        Map<String, Object> tagAnyState = Map.of("Effect", "Allow", "Action", "kms:TagResource", "Resource", "*",
                "Condition", Map.of("StringEquals", Map.of(DEPLOYMENT, ours), "Null", Map.of(PROJECT, "false"),
                        "ForAllValues:StringEquals", Map.of("aws:TagKeys", KmsPermissions.LEDGER_TAG_KEYS)));
        Map<String, Object> deleteRetired = Map.of("Effect", "Allow", "Action", "kms:ScheduleKeyDeletion", "Resource", "*",
                "Condition", Map.of("StringEquals", Map.of(DEPLOYMENT, ours, STATE, List.of("retired", "abandoned")),
                        "Null", Map.of(PROJECT, "false")));
        // a deletion conditioned on the state alone reaches another deployment's retired keys
        Map<String, Object> deleteAnyRetired = Map.of("Effect", "Allow", "Action", "kms:ScheduleKeyDeletion",
                "Resource", "*", "Condition", Map.of("StringEquals", Map.of(STATE, "retired")));
        Map<String, Object> adoptAsRetired = Map.of("Effect", "Allow", "Action", "kms:TagResource", "Resource", "*",
                "Condition", Map.of("Null", Map.of(DEPLOYMENT, "true"), "StringEquals", Map.of(
                        "aws:RequestTag/" + KmsPermissions.DEPLOYMENT_TAG, ours, REQUEST_STATE, "retired")));

        assertThat(reachable(List.of(tagAnyState, deleteRetired), KeyAt.ACTIVE)).contains(KeyAt.RETIRED, KeyAt.DELETED);
        assertThat(reachable(List.of(deleteRetired), KeyAt.ACTIVE)).doesNotContain(KeyAt.DELETED);
        assertThat(reachable(List.of(deleteAnyRetired), KeyAt.OTHER_DEPLOYMENT)).contains(KeyAt.DELETED);
        assertThat(reachable(List.of(adoptAsRetired, deleteRetired), KeyAt.UNTAGGED)).contains(KeyAt.DELETED);
        assertThat(reachable(List.of(adoptAsRetired, deleteRetired), KeyAt.OTHER_DEPLOYMENT)).doesNotContain(KeyAt.DELETED);
    }

    @Test
    @SuppressWarnings("unchecked")
    void deletionWaitsAtLeastTheConfiguredPendingWindow() {
        List<Map<String, Object>> deletions = new ArrayList<>();
        statementsByRole().values().forEach(list -> list.stream().filter(s -> allows(s, "kms:ScheduleKeyDeletion"))
                .forEach(deletions::add));
        assertThat(deletions).isNotEmpty().allSatisfy(s -> assertThat(constraint(PolicyAudit.conditionOf(s),
                "kms:ScheduleKeyDeletionPendingWindowInDays", "NumericGreaterThanEquals")).isNotNull()
                .allSatisfy(days -> assertThat(Integer.parseInt(days)).isGreaterThanOrEqualTo(7)));
    }
}
