package io.atlascmk.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The auditor the IAM test relies on must itself catch what it claims to catch. */
class PolicyAuditTest {

    private static final String DEPLOYMENT = "AtlasCmkRotator";
    private static final String KEYS = "arn:aws:kms:us-east-1:111122223333:key/*";
    private static final Map<String, Object> PROJECT_RESOURCE_TAG = Map.of(
            "StringEquals", Map.of("aws:ResourceTag/atlas-cmk-rotator:deployment", DEPLOYMENT),
            "Null", Map.of("aws:ResourceTag/atlas-cmk-rotator:project", "false"));

    private static Map<String, Object> allow(Object action, Object resource) {
        return Map.of("Effect", "Allow", "Action", action, "Resource", resource);
    }

    private static Map<String, Object> allow(Object action, Object resource, Map<String, Object> condition) {
        return Map.of("Effect", "Allow", "Action", action, "Resource", resource, "Condition", condition);
    }

    private static List<String> audit(Map<String, Object> statement) {
        Map<String, Object> template = Map.of("Resources", Map.of("P", Map.of("Type", "AWS::IAM::Policy",
                "Properties", Map.of("PolicyDocument", Map.of("Statement", List.of(statement))))));
        return PolicyAudit.kmsViolationsInTemplate(template, DEPLOYMENT);
    }

    @Test
    void flagsKmsStar() {
        assertThat(audit(allow("kms:*", KEYS, PROJECT_RESOURCE_TAG))).singleElement().asString()
                .contains("wildcard action kms:*");
    }

    @Test
    void flagsKmsWildcardPrefixes_evenInDenyStatements() {
        assertThat(audit(allow(List.of("kms:Schedule*"), KEYS, PROJECT_RESOURCE_TAG))).isNotEmpty();
        assertThat(audit(Map.of("Effect", "Deny", "Action", "kms:Put?eyPolicy", "Resource", "*"))).isNotEmpty();
    }

    @Test
    void flagsActionStarAndNotAction() {
        assertThat(audit(allow("*", "*"))).isNotEmpty();
        assertThat(audit(Map.of("Effect", "Allow", "NotAction", "iam:*", "Resource", "*"))).isNotEmpty();
    }

    @Test
    void flagsKeyChangingActionOnStarWithoutTagCondition() {
        assertThat(audit(allow("kms:ScheduleKeyDeletion", "*"))).hasSize(2);
        assertThat(audit(allow("kms:PutKeyPolicy", KEYS))).singleElement().asString()
                .contains("without a condition");
    }

    @Test
    void flagsTagConditionNamingAnotherDeployment_orMoreThanThisOne() {
        Map<String, Object> other = Map.of("StringEquals", Map.of("aws:ResourceTag/atlas-cmk-rotator:deployment", "Other"),
                "Null", Map.of("aws:ResourceTag/atlas-cmk-rotator:project", "false"));
        Map<String, Object> both = Map.of("StringEquals", Map.of("aws:ResourceTag/atlas-cmk-rotator:deployment",
                List.of(DEPLOYMENT, "Other")), "Null", Map.of("aws:ResourceTag/atlas-cmk-rotator:project", "false"));
        assertThat(audit(allow("kms:TagResource", KEYS, other))).isNotEmpty();
        assertThat(audit(allow("kms:TagResource", KEYS, both))).isNotEmpty();
    }

    @Test
    void flagsADeploymentConditionThatDoesNotRequireAProjectTag() {
        Map<String, Object> deploymentOnly = Map.of("StringEquals",
                Map.of("aws:ResourceTag/atlas-cmk-rotator:deployment", DEPLOYMENT));
        assertThat(audit(allow("kms:ScheduleKeyDeletion", KEYS, deploymentOnly))).isNotEmpty();
    }

    @Test
    void flagsTagConditionThatOnlyAppliesIfTheTagExists() {
        Map<String, Object> ifExists = Map.of("StringEqualsIfExists",
                Map.of("aws:ResourceTag/atlas-cmk-rotator:deployment", DEPLOYMENT),
                "Null", Map.of("aws:ResourceTag/atlas-cmk-rotator:project", "false"));
        assertThat(audit(allow("kms:UntagResource", KEYS, ifExists))).isNotEmpty();
    }

    @Test
    void flagsCreateKeyWithoutRequestTagOrTagKeysLimit() {
        assertThat(audit(allow("kms:CreateKey", "*"))).isNotEmpty();
        Map<String, Object> requestTagOnly = Map.of("StringEquals",
                Map.of("aws:RequestTag/atlas-cmk-rotator:deployment", DEPLOYMENT),
                "Null", Map.of("aws:RequestTag/atlas-cmk-rotator:project", "false"));
        assertThat(audit(allow("kms:CreateKey", "*", requestTagOnly))).isNotEmpty();
    }

    @Test
    void flagsReadActionsOnStar_exceptTheListsKmsCannotScope() {
        assertThat(audit(allow("kms:DescribeKey", "*"))).isNotEmpty();
        assertThat(audit(allow(List.of("kms:ListKeys", "kms:ListAliases"), "*"))).isEmpty();
    }

    @Test
    void acceptsScopedStatements() {
        assertThat(audit(allow("kms:ScheduleKeyDeletion", KEYS, PROJECT_RESOURCE_TAG))).isEmpty();
        assertThat(audit(allow("kms:UpdateAlias",
                "arn:aws:kms:us-east-1:111122223333:alias/atlas-cmk/*"))).isEmpty();
        assertThat(audit(allow("kms:CreateKey", "*", Map.of(
                "StringEquals", Map.of("aws:RequestTag/atlas-cmk-rotator:deployment", DEPLOYMENT),
                "Null", Map.of("aws:RequestTag/atlas-cmk-rotator:project", "false"),
                "ForAllValues:StringEquals", Map.of("aws:TagKeys", List.of("atlas-cmk-rotator:project")))))).isEmpty();
    }

    @Test
    void aliasActionsOnKeysStillNeedTheTagCondition() {
        assertThat(audit(allow("kms:UpdateAlias", KEYS))).isNotEmpty();
    }

    @Test
    void findsStatementsInResourcePoliciesAndInlineRolePolicies() {
        Map<String, Object> template = Map.of("Resources", Map.of(
                "Role", Map.of("Type", "AWS::IAM::Role", "Properties", Map.of("Policies", List.of(
                        Map.of("PolicyDocument", Map.of("Statement", Map.of("Effect", "Allow", "Action", "kms:*",
                                "Resource", "*")))))),
                "Queue", Map.of("Type", "AWS::SQS::QueuePolicy", "Properties", Map.of("PolicyDocument",
                        Map.of("Statement", List.of(Map.of("Effect", "Allow", "Action", "sqs:SendMessage",
                                "Resource", "q")))))));
        assertThat(PolicyAudit.statements(template)).hasSize(2);
        assertThat(PolicyAudit.kmsViolationsInTemplate(template, DEPLOYMENT)).isNotEmpty();
    }
}
