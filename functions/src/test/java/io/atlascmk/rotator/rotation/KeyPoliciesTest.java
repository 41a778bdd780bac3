package io.atlascmk.rotator.rotation;

import com.fasterxml.jackson.databind.JsonNode;
import io.atlascmk.rotator.json.Json;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KeyPoliciesTest {

    private static final String ATLAS_ROLE = "arn:aws:iam::111122223333:role/atlas-kms";
    private static final String OTHER_ATLAS_ROLE = "arn:aws:iam::111122223333:role/atlas-kms-2";
    private static final String ADMIN_ROLE = "arn:aws:iam::111122223333:role/KeyAdmins";

    /** The KMS default policy plus an admins statement with a condition, as a console-made key has. */
    private static final String ACCOUNT_POLICY = """
            {"Version": "2012-10-17", "Id": "key-consolepolicy-3",
             "Statement": [
              {"Sid": "Enable IAM User Permissions", "Effect": "Allow",
               "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:*", "Resource": "*"},
              {"Sid": "Allow access for Key Administrators", "Effect": "Allow",
               "Principal": {"AWS": ["arn:aws:iam::111122223333:role/KeyAdmins"]},
               "Action": ["kms:Create*", "kms:Describe*", "kms:Put*"], "Resource": "*",
               "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "true"}}}
             ]}""";

    private static JsonNode tree(String json) throws Exception {
        return Json.MAPPER.readTree(json);
    }

    private static String policy(String... statements) {
        return "{\"Version\": \"2012-10-17\", \"Statement\": [" + String.join(",", statements) + "]}";
    }

    private static String allow(String principal, String action) {
        return "{\"Effect\": \"Allow\", \"Principal\": " + principal + ", \"Action\": " + action + ", \"Resource\": \"*\"}";
    }

    @Test
    void grantAtlas_keepsEveryOtherStatementUnchanged_andAddsTheAtlasGrant() throws Exception {
        JsonNode result = tree(KeyPolicies.grantAtlas(ACCOUNT_POLICY, ATLAS_ROLE));
        JsonNode original = tree(ACCOUNT_POLICY);

        assertThat(result.get("Version").asText()).isEqualTo("2012-10-17");
        assertThat(result.get("Id").asText()).isEqualTo("key-consolepolicy-3");
        assertThat(result.get("Statement")).hasSize(3);
        assertThat(result.get("Statement").get(0)).isEqualTo(original.get("Statement").get(0));
        assertThat(result.get("Statement").get(1)).isEqualTo(original.get("Statement").get(1));
        JsonNode atlas = result.get("Statement").get(2);
        assertThat(atlas.get("Sid").asText()).isEqualTo(KeyPolicies.ATLAS_STATEMENT_SID);
        assertThat(atlas.get("Effect").asText()).isEqualTo("Allow");
        assertThat(atlas.at("/Principal/AWS").asText()).isEqualTo(ATLAS_ROLE);
        assertThat(atlas.get("Action")).extracting(JsonNode::asText)
                .containsExactly("kms:Encrypt", "kms:Decrypt", "kms:DescribeKey");
        assertThat(atlas.get("Resource").asText()).isEqualTo("*");
    }

    @Test
    void grantAtlas_replacesItsOwnStatementInPlace_whenTheAtlasRoleChanged() throws Exception {
        String granted = KeyPolicies.grantAtlas(ACCOUNT_POLICY, OTHER_ATLAS_ROLE);

        JsonNode result = tree(KeyPolicies.grantAtlas(granted, ATLAS_ROLE));

        assertThat(result.get("Statement")).hasSize(3);
        assertThat(result.get("Statement").get(2).at("/Principal/AWS").asText()).isEqualTo(ATLAS_ROLE);
        assertThat(result.toString()).doesNotContain(OTHER_ATLAS_ROLE);
    }

    @Test
    void grantAtlas_isIdempotent() {
        String once = KeyPolicies.grantAtlas(ACCOUNT_POLICY, ATLAS_ROLE);
        String twice = KeyPolicies.grantAtlas(once, ATLAS_ROLE);

        assertThat(twice).isEqualTo(once);
        assertThat(KeyPolicies.sameEffectivePolicy(once, twice)).isTrue();
        assertThat(KeyPolicies.sameEffectivePolicy(ACCOUNT_POLICY, once)).isFalse();
    }

    @Test
    void grantAtlas_acceptsASingleStatementObject_andKeepsAMissingVersionExplicit() throws Exception {
        String single = "{\"Statement\": " + allow("{\"AWS\": \"111122223333\"}", "\"kms:*\"") + "}";

        JsonNode result = tree(KeyPolicies.grantAtlas(single, ATLAS_ROLE));

        assertThat(result.get("Statement")).hasSize(2);
        assertThat(result.get("Version").asText()).isEqualTo("2012-10-17");
    }

    @Test
    void grantAtlas_refusesAPolicyThatOnlyTheAtlasRoleCouldChange() {
        String onlyAtlas = policy(allow("{\"AWS\": \"" + ATLAS_ROLE + "\"}", "\"kms:*\""));

        assertThatThrownBy(() -> KeyPolicies.grantAtlas(onlyAtlas, ATLAS_ROLE))
                .isInstanceOf(KeyPolicyLockoutException.class)
                .hasMessageContaining(ATLAS_ROLE)
                .hasMessageContaining("Nothing was written")
                .hasMessageContaining("arn:aws:iam::ACCOUNT:root");
    }

    @Test
    void lockoutCheck_doesNotCountTheAtlasRoleWhateverTheCaseOfItsArn() {
        String atlasUpper = policy(allow("{\"AWS\": \"" + ATLAS_ROLE.toUpperCase().replace("ARN:AWS:IAM", "arn:aws:iam") + "\"}", "\"kms:*\""));

        assertThatThrownBy(() -> KeyPolicies.requireNoLockout(atlasUpper, ATLAS_ROLE))
                .isInstanceOf(KeyPolicyLockoutException.class);
    }

    @Test
    void lockoutCheck_acceptsTheAccountRootByArnOrAccountId_andAnAdminWithAWildcardAction() {
        assertThat(KeyPolicies.principalsAbleToManage(policy(allow("{\"AWS\": \"111122223333\"}", "\"kms:*\"")), ATLAS_ROLE))
                .containsExactly("arn:aws:iam::111122223333:root");
        assertThat(KeyPolicies.principalsAbleToManage(policy(allow("\"arn:aws:iam::111122223333:root\"", "\"*\"")), ATLAS_ROLE))
                .containsExactly("arn:aws:iam::111122223333:root");
        assertThat(KeyPolicies.principalsAbleToManage(policy(allow("{\"AWS\": [\"" + ADMIN_ROLE + "\"]}", "[\"kms:Put*\"]")), ATLAS_ROLE))
                .containsExactly(ADMIN_ROLE);
        assertThat(KeyPolicies.principalsAbleToManage(policy(allow("{\"AWS\": \"" + ADMIN_ROLE + "\"}", "\"kms:putkeypolicy\"")), ATLAS_ROLE))
                .containsExactly(ADMIN_ROLE);
    }

    @Test
    void lockoutCheck_refusesWhenTheOnlyManagerNeedsACondition() {
        String conditional = policy("""
                {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:*", "Resource": "*",
                 "Condition": {"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}}}""");

        assertThatThrownBy(() -> KeyPolicies.requireNoLockout(conditional, ATLAS_ROLE))
                .isInstanceOf(KeyPolicyLockoutException.class);
    }

    @Test
    void lockoutCheck_readsNotActionBothWays() {
        String leavesPutKeyPolicyOut = policy("""
                {"Effect": "Allow", "Principal": {"AWS": "111122223333"}, "NotAction": "kms:PutKeyPolicy", "Resource": "*"}""");
        String leavesEncryptOut = policy("""
                {"Effect": "Allow", "Principal": {"AWS": "111122223333"}, "NotAction": ["kms:Encrypt"], "Resource": "*"}""");

        assertThatThrownBy(() -> KeyPolicies.requireNoLockout(leavesPutKeyPolicyOut, ATLAS_ROLE))
                .isInstanceOf(KeyPolicyLockoutException.class);
        assertThatCode(() -> KeyPolicies.requireNoLockout(leavesEncryptOut, ATLAS_ROLE)).doesNotThrowAnyException();
    }

    @Test
    void lockoutCheck_refusesWhenADenyMayTakePutKeyPolicyAway_evenUnderACondition() {
        String root = allow("{\"AWS\": \"111122223333\"}", "\"kms:*\"");
        String denyEveryone = """
                {"Effect": "Deny", "Principal": "*", "Action": "kms:PutKeyPolicy", "Resource": "*",
                 "Condition": {"StringNotEquals": {"aws:PrincipalTag/team": "security"}}}""";
        String denyTheAccount = """
                {"Effect": "Deny", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:Put*", "Resource": "*"}""";
        String admin = allow("{\"AWS\": \"" + ADMIN_ROLE + "\"}", "\"kms:*\"");

        assertThatThrownBy(() -> KeyPolicies.requireNoLockout(policy(root, denyEveryone), ATLAS_ROLE))
                .isInstanceOf(KeyPolicyLockoutException.class);
        assertThatThrownBy(() -> KeyPolicies.requireNoLockout(policy(root, admin, denyTheAccount), ATLAS_ROLE))
                .as("a Deny on the account root reaches every role of the account")
                .isInstanceOf(KeyPolicyLockoutException.class);
    }

    @Test
    void lockoutCheck_keepsAManagerThatADenyWithNotPrincipalExempts() {
        String root = allow("{\"AWS\": \"111122223333\"}", "\"kms:*\"");
        String denyAllButRoot = """
                {"Effect": "Deny", "NotPrincipal": {"AWS": ["arn:aws:iam::111122223333:root"]}, "Action": "kms:*", "Resource": "*"}""";

        assertThat(KeyPolicies.principalsAbleToManage(policy(root, denyAllButRoot), ATLAS_ROLE))
                .containsExactly("arn:aws:iam::111122223333:root");
    }

    @Test
    void lockoutCheck_countsOnlyAwsPrincipalsOnThisKey() {
        String service = allow("{\"Service\": \"cloudtrail.amazonaws.com\"}", "\"kms:*\"");
        String otherResource = """
                {"Effect": "Allow", "Principal": {"AWS": "111122223333"}, "Action": "kms:*",
                 "Resource": "arn:aws:kms:us-east-1:111122223333:key/00000000-0000-0000-0000-000000000000"}""";

        assertThatThrownBy(() -> KeyPolicies.requireNoLockout(policy(service, otherResource), ATLAS_ROLE))
                .isInstanceOf(KeyPolicyLockoutException.class);
    }

    @Test
    void sameEffectivePolicy_ignoresStatementOrderSidsListOrderAndSpellingsOfTheSamePrincipal() {
        String a = policy(
                "{\"Sid\": \"one\", \"Effect\": \"Allow\", \"Principal\": {\"AWS\": \"111122223333\"}, \"Action\": \"kms:*\", \"Resource\": \"*\"}",
                "{\"Effect\": \"Allow\", \"Principal\": \"*\", \"Action\": [\"kms:Decrypt\", \"kms:Encrypt\"], \"Resource\": [\"*\"],"
                        + " \"Condition\": {\"StringEquals\": {\"kms:CallerAccount\": [\"2\", \"1\"]}}}");
        String b = policy(
                "{\"Effect\": \"Allow\", \"Principal\": {\"AWS\": [\"*\"]}, \"Action\": [\"KMS:encrypt\", \"kms:Decrypt\"], \"Resource\": \"*\","
                        + " \"Condition\": {\"StringEquals\": {\"kms:callerAccount\": [\"1\", \"2\"]}}}",
                "{\"Sid\": \"renamed\", \"Effect\": \"Allow\", \"Principal\": {\"AWS\": [\"arn:aws:iam::111122223333:root\"]}, \"Action\": [\"kms:*\"], \"Resource\": \"*\"}");

        assertThat(KeyPolicies.sameEffectivePolicy(a, b)).isTrue();
    }

    @Test
    void sameEffectivePolicy_seesAChangedPrincipalEffectConditionOrExtraStatement() {
        String base = policy(allow("{\"AWS\": \"" + ADMIN_ROLE + "\"}", "\"kms:*\""));

        assertThat(KeyPolicies.sameEffectivePolicy(base, policy(allow("{\"AWS\": \"" + ATLAS_ROLE + "\"}", "\"kms:*\"")))).isFalse();
        assertThat(KeyPolicies.sameEffectivePolicy(base, base.replace("Allow", "Deny"))).isFalse();
        assertThat(KeyPolicies.sameEffectivePolicy(base, policy(allow("{\"AWS\": \"" + ADMIN_ROLE + "\"}", "\"kms:*\""),
                allow("\"*\"", "\"kms:Decrypt\"")))).isFalse();
        assertThat(KeyPolicies.sameEffectivePolicy(base, base.replace("\"Resource\": \"*\"",
                "\"Resource\": \"*\", \"Condition\": {\"Bool\": {\"aws:SecureTransport\": \"true\"}}"))).isFalse();
        assertThat(KeyPolicies.sameEffectivePolicy(base, null)).isFalse();
    }

    @Test
    void initialPolicy_copiesTheCurrentKeysStatements_andTurnsItsOwnArnIntoThisKey() throws Exception {
        String oldArn = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
        String current = policy("""
                {"Sid": "Root", "Effect": "Allow", "Principal": {"AWS": "111122223333"}, "Action": "kms:*", "Resource": "*"}""",
                "{\"Sid\": \"Auditors\", \"Effect\": \"Allow\", \"Principal\": {\"AWS\": \"arn:aws:iam::111122223333:role/Audit\"},"
                        + " \"Action\": \"kms:Describe*\", \"Resource\": \"" + oldArn + "\"}");

        JsonNode result = tree(KeyPolicies.initialPolicy(current, "1234abcd-12ab-34cd-56ef-1234567890ab", ATLAS_ROLE, null));

        assertThat(result.get("Statement")).hasSize(3);
        assertThat(result.get("Statement").get(1).get("Resource").asText()).isEqualTo("*");
        assertThat(result.get("Statement").get(2).get("Sid").asText()).isEqualTo(KeyPolicies.ATLAS_STATEMENT_SID);
    }

    @Test
    void grantAtlas_addsReplacesAndRemovesTheConfiguredAdministratorsStatement() throws Exception {
        String root = policy(allow("{\"AWS\": \"111122223333\"}", "\"kms:*\""));

        String withAdmins = KeyPolicies.grantAtlas(root, ATLAS_ROLE, List.of(ADMIN_ROLE));
        JsonNode admins = tree(withAdmins).get("Statement").get(1);
        assertThat(admins.get("Sid").asText()).isEqualTo(KeyPolicies.ADMIN_STATEMENT_SID);
        assertThat(admins.at("/Principal/AWS/0").asText()).isEqualTo(ADMIN_ROLE);
        assertThat(KeyPolicies.principalsAbleToManage(withAdmins, ATLAS_ROLE))
                .containsExactlyInAnyOrder("arn:aws:iam::111122223333:root", ADMIN_ROLE);

        String otherAdmins = KeyPolicies.grantAtlas(withAdmins, ATLAS_ROLE, List.of("arn:aws:iam::111122223333:role/Other"));
        assertThat(tree(otherAdmins).get("Statement")).hasSize(3);
        assertThat(otherAdmins).doesNotContain(ADMIN_ROLE);

        assertThat(tree(KeyPolicies.grantAtlas(withAdmins, ATLAS_ROLE, List.of())).get("Statement")).hasSize(2);
        assertThat(tree(KeyPolicies.grantAtlas(withAdmins, ATLAS_ROLE, null)).get("Statement")).hasSize(3);
    }

    @Test
    void grantAtlas_refusesToRemoveTheLastAdministrators() {
        String adminsOnly = KeyPolicies.grantAtlas(policy(allow("{\"AWS\": \"111122223333\"}", "\"kms:Encrypt\"")),
                ATLAS_ROLE, List.of(ADMIN_ROLE));

        assertThatThrownBy(() -> KeyPolicies.grantAtlas(adminsOnly, ATLAS_ROLE, List.of()))
                .isInstanceOf(KeyPolicyLockoutException.class);
    }

    @Test
    void grantAtlas_refusesAPolicyItCannotRead_sayingWhatToDo() {
        assertThatThrownBy(() -> KeyPolicies.grantAtlas("{not json", ATLAS_ROLE))
                .isInstanceOf(InvalidKeyPolicyException.class)
                .hasMessageContaining("not JSON")
                .hasMessageContaining("aws kms get-key-policy");
        assertThatThrownBy(() -> KeyPolicies.grantAtlas("{\"Version\": \"2012-10-17\"}", ATLAS_ROLE))
                .isInstanceOf(InvalidKeyPolicyException.class)
                .hasMessageContaining("no Statement");
        assertThatThrownBy(() -> KeyPolicies.grantAtlas("", ATLAS_ROLE))
                .isInstanceOf(InvalidKeyPolicyException.class);
    }

    @Test
    void grantAtlas_rejectsSomethingThatIsNotARoleArn() {
        assertThatThrownBy(() -> KeyPolicies.grantAtlas(ACCOUNT_POLICY, "role/atlas"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("iamAssumedRoleArn");
    }

    @Test
    void summary_describesEachStatementOnOneLine() {
        String summary = KeyPolicies.summary(KeyPolicies.grantAtlas(ACCOUNT_POLICY, ATLAS_ROLE));

        assertThat(summary).doesNotContain("\n")
                .startsWith("3 statements: Allow kms:* to account 111122223333 [Enable IAM User Permissions]; ")
                .contains("Allow kms:Create*, kms:Describe*, kms:Put* to " + ADMIN_ROLE + " (conditional)")
                .endsWith("Allow kms:Decrypt, kms:DescribeKey, kms:Encrypt to " + ATLAS_ROLE + " [" + KeyPolicies.ATLAS_STATEMENT_SID + "]");
    }

    @Test
    void otherUsers_areEveryoneButTheAccountsAdministratorsAndAtlasWhomThePolicyLetsUseTheKey() {
        String atlas = "arn:aws:iam::111122223333:role/atlas-encryption-at-rest";
        String policy = """
                {"Version":"2012-10-17","Statement":[
                 {"Sid":"root","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"kms:*","Resource":"*"},
                 {"Sid":"atlas","Effect":"Allow","Principal":{"AWS":"%s"},"Action":["kms:Encrypt","kms:Decrypt"],"Resource":"*"},
                 {"Sid":"staging","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::444455556666:role/staging-atlas"},
                  "Action":"kms:Decrypt","Resource":"*","Condition":{"StringEquals":{"kms:ViaService":"s3.amazonaws.com"}}},
                 {"Sid":"admins","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:role/KeyAdmins"},
                  "Action":["kms:Describe*","kms:Put*","kms:ScheduleKeyDeletion"],"Resource":"*"},
                 {"Sid":"logs","Effect":"Allow","Principal":{"Service":"logs.amazonaws.com"},"Action":"kms:GenerateDataKey*","Resource":"*"},
                 {"Sid":"deny","Effect":"Deny","Principal":"*","Action":"kms:Decrypt","Resource":"*"}]}
                """.formatted(atlas);

        assertThat(KeyPolicies.otherUsers(policy, "111122223333", atlas)).containsExactlyInAnyOrder(
                "arn:aws:iam::444455556666:role/staging-atlas", "Service:logs.amazonaws.com");
        assertThat(KeyPolicies.otherUsers(policy.replace("\"Principal\":{\"AWS\":\"%s\"}".formatted(atlas),
                "\"Principal\":\"*\""), "111122223333", atlas)).contains("*");
    }
}
