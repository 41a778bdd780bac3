package io.atlascmk.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.cdklabs.cdknag.AwsSolutionsChecks;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.PolicyValidationPluginReport;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.assertions.Template;

/**
 * The member stack of an account holding project keys: one role the rotator's functions assume, each only as itself
 * (its step's name as source identity, its role's step tag, the external id), with exactly its step's KMS calls there.
 */
class KeyAccountStackTest {

    private static final String DEPLOYMENT = "AtlasCmkRotator";
    private static final String HUB = "111122223333";
    private static final String EXTERNAL_ID = "ext-7f3a9";

    private static KeyAccountStack stack;
    private static Template template;

    @BeforeAll
    static void synthesize() throws Exception {
        App app = new App(AppProps.builder().outdir(Files.createTempDirectory("key-account").toString()).build());
        stack = new KeyAccountStack(app, DEPLOYMENT + "-key-account", StackProps.builder().build(),
                SynthesizedRotator.get().config, DEPLOYMENT, HUB, EXTERNAL_ID,
                SynthesizedRotator.REPO_ROOT.resolve("events").resolve("tripwire-rule-pattern.json"));
        app.synth();
        template = Template.fromStack(stack);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> theRole() {
        Map<String, Map<String, Object>> roles = template.findResources("AWS::IAM::Role",
                Map.of("Properties", Map.of("RoleName", KeyAccounts.memberRoleName(DEPLOYMENT))));
        assertThat(roles).as("the member role (beside EventBridge's role that forwards the tripwire's events)").hasSize(1);
        return (Map<String, Object>) roles.values().iterator().next().get("Properties");
    }

    /** Every statement of the member role's managed policies, grouped by the source identity it is written for. */
    @SuppressWarnings("unchecked")
    private static Map<String, List<Map<String, Object>>> statementsByIdentity() {
        Map<String, List<Map<String, Object>>> byIdentity = new LinkedHashMap<>();
        List<Map<String, Object>> forEveryone = new ArrayList<>();
        template.findResources("AWS::IAM::ManagedPolicy", Map.of()).values().forEach(policy -> {
            Map<String, Object> props = (Map<String, Object>) policy.get("Properties");
            for (Map<String, Object> s : PolicyAudit.statements(props.get("PolicyDocument"))) {
                Object equals = PolicyAudit.conditionOf(s).get("StringEquals");
                Object identity = equals instanceof Map<?, ?> m ? m.get("aws:SourceIdentity") : null;
                if (identity == null) {
                    forEveryone.add(s);
                } else {
                    byIdentity.computeIfAbsent(String.valueOf(identity), k -> new ArrayList<>()).add(s);
                }
            }
        });
        byIdentity.values().forEach(list -> list.addAll(forEveryone));
        return byIdentity;
    }

    @Test
    void theRoleIsNamedAfterTheDeployment_andTrustsOnlyTheHubsStepRoles_eachAsItself_withTheExternalId() {
        Map<String, Object> role = theRole();
        assertThat(role.get("RoleName")).isEqualTo(KeyAccounts.memberRoleName(DEPLOYMENT))
                .isEqualTo("atlas-cmk-key-account-AtlasCmkRotator");
        List<Map<String, Object>> trust = PolicyAudit.statements(role.get("AssumeRolePolicyDocument"));
        List<String> identitiesWithSourceIdentityAction = new ArrayList<>();
        assertThat(trust).allSatisfy(s -> {
            assertThat(s.get("Effect")).isEqualTo("Allow");
            assertThat(String.valueOf(s.get("Principal"))).contains(":iam::" + HUB + ":root");
            @SuppressWarnings("unchecked")
            Map<String, Object> equals = (Map<String, Object>) PolicyAudit.conditionOf(s).get("StringEquals");
            assertThat(equals).containsEntry("sts:ExternalId", EXTERNAL_ID)
                    .containsEntry("aws:PrincipalTag/" + KmsPermissions.DEPLOYMENT_TAG, DEPLOYMENT);
            assertThat(equals.get("sts:SourceIdentity")).as("the source identity is the role's own step")
                    .isEqualTo(equals.get("aws:PrincipalTag/" + KeyAccounts.STEP_TAG)).isNotNull();
            if (PolicyAudit.strings(s.get("Action")).contains("sts:SetSourceIdentity")) {
                identitiesWithSourceIdentityAction.add(String.valueOf(equals.get("sts:SourceIdentity")));
            }
        });
        assertThat(identitiesWithSourceIdentityAction).containsExactlyInAnyOrderElementsOf(KeyAccounts.sourceIdentities());
    }

    @Test
    void everyAllowIsTiedToOneSourceIdentity_andNoIdentityCanTakeAnActiveOrForeignKeyToDeletion() {
        Map<String, List<Map<String, Object>>> byIdentity = statementsByIdentity();
        assertThat(byIdentity.keySet()).containsExactlyInAnyOrderElementsOf(KeyAccounts.sourceIdentities());
        int deleters = 0;
        for (Map.Entry<String, List<Map<String, Object>>> identity : byIdentity.entrySet()) {
            for (KeyDeletionReachabilityTest.KeyAt start : List.of(KeyDeletionReachabilityTest.KeyAt.ACTIVE,
                    KeyDeletionReachabilityTest.KeyAt.PENDING, KeyDeletionReachabilityTest.KeyAt.UNTAGGED,
                    KeyDeletionReachabilityTest.KeyAt.OTHER_DEPLOYMENT, KeyDeletionReachabilityTest.KeyAt.NO_PROJECT)) {
                assertThat(KeyDeletionReachabilityTest.reachable(identity.getValue(), start))
                        .as(identity.getKey() + " from " + start).doesNotContain(KeyDeletionReachabilityTest.KeyAt.DELETED);
            }
            if (KeyDeletionReachabilityTest.reachable(identity.getValue(), KeyDeletionReachabilityTest.KeyAt.RETIRED)
                    .contains(KeyDeletionReachabilityTest.KeyAt.DELETED)) {
                assertThat(identity.getKey()).isEqualTo("AuditAndRetire");
                deleters++;
            }
        }
        assertThat(deleters).as("only AuditAndRetire deletes, and only retired keys").isEqualTo(1);
        List<String> violations = PolicyAudit.kmsViolationsInTemplate(template.toJSON(), DEPLOYMENT);
        assertThat(violations).isEmpty();
    }

    @Test
    void eachManagedPolicyFitsIamsSixThousandCharacters_andTheRoleHasAtMostTenOfThem() throws Exception {
        Map<String, Map<String, Object>> policies = template.findResources("AWS::IAM::ManagedPolicy", Map.of());
        assertThat(policies).hasSizeLessThanOrEqualTo(10);
        for (Map.Entry<String, Map<String, Object>> p : policies.entrySet()) {
            String json = InfraJson.MAPPER.writeValueAsString(stack.resolve(((Map<?, ?>) p.getValue().get("Properties"))
                    .get("PolicyDocument")));
            assertThat(json.replaceAll("\\s", "").length()).as(p.getKey()).isLessThan(6_144);
        }
        template.hasOutput("KeyAccountRoleArn", Map.of());
    }

    @Test
    void theHubsFunctionsAssumeOnlyTheMemberRole_eachUnderItsOwnStepName() {
        SynthesizedRotator hub = SynthesizedRotator.get();
        String member = KeyAccounts.memberRoleName(hub.stack.getStackName());
        Map<String, Map<String, Object>> functions = hub.template.findResources("AWS::Lambda::Function", Map.of());
        List<String> identities = new ArrayList<>();
        functions.values().forEach(f -> {
            Object env = ((Map<?, ?>) f.get("Properties")).get("Environment");
            Object vars = env instanceof Map<?, ?> e ? e.get("Variables") : null;
            Object identity = vars instanceof Map<?, ?> v ? v.get(RotatorFunctions.ENV_SOURCE_IDENTITY) : null;
            if (identity != null) {
                identities.add(String.valueOf(identity));
            }
        });
        assertThat(identities).as("every step that reaches keys").containsAll(KeyAccounts.sourceIdentities().stream()
                .filter(i -> !i.equals(KeyAccounts.FLEET_PLAN)).toList());
        List<Map<String, Object>> assumes = PolicyAudit.statements(hub.json()).stream()
                .filter(s -> s.containsKey("Resource") && PolicyAudit.strings(s.get("Action")).contains("sts:AssumeRole"))
                .toList();
        assertThat(assumes).hasSize(identities.size()).allSatisfy(s -> {
            assertThat(String.valueOf(s.get("Resource"))).contains(":iam::*:role/" + member).doesNotContain("role/*");
            assertThat(String.valueOf(PolicyAudit.conditionOf(s).get("StringEquals"))).contains("sts:SourceIdentity");
        });
        assertThat(assumes.stream().map(s -> String.valueOf(((Map<?, ?>) PolicyAudit.conditionOf(s).get("StringEquals"))
                .get("sts:SourceIdentity"))).toList()).containsExactlyInAnyOrderElementsOf(identities);
    }

    @Test
    void theMemberStackHasNoUnsuppressedAwsSolutionsFinding() {
        PolicyValidationPluginReport report = new AwsSolutionsChecks().validateScope(stack);
        List<String> findings = new ArrayList<>();
        report.getViolations().forEach(v -> v.getViolatingResources().forEach(r -> findings.add(v.getRuleName() + " "
                + r.getResourceLogicalId())));
        assertThat(findings).isEmpty();
    }

    @Test
    @SuppressWarnings("unchecked")
    void theTripwiresEventsOfThisAccount_goToTheRotatorAccountsDefaultBus_andItsRescueMayOnlyCancel() throws Exception {
        Map<String, Map<String, Object>> rules = template.findResources("AWS::Events::Rule", Map.of());
        assertThat(rules).hasSize(1);
        Map<String, Object> rule = (Map<String, Object>) rules.values().iterator().next().get("Properties");
        assertThat(InfraJson.MAPPER.writeValueAsString(rule.get("EventPattern"))).contains("is pending deletion.");
        assertThat(PolicyAudit.render(rule.get("Targets"))).contains(":events:").contains(":" + HUB + ":event-bus/default");
        List<String> rescueActions = statementsByIdentity().get(KeyAccounts.RESCUE).stream()
                .filter(s -> "Allow".equals(s.get("Effect"))).flatMap(s -> PolicyAudit.strings(s.get("Action")).stream())
                .distinct().toList();
        assertThat(rescueActions).contains("kms:CancelKeyDeletion").doesNotContain("kms:ScheduleKeyDeletion");
    }

    @Test
    void theRotatorAccountLetsExactlyTheConfiguredKeyAccountsPutTripwireEvents() throws Exception {
        com.fasterxml.jackson.databind.node.ObjectNode json = (com.fasterxml.jackson.databind.node.ObjectNode)
                InfraJson.MAPPER.readTree(SynthesizedRotator.CONFIG_FILE.toFile());
        ((com.fasterxml.jackson.databind.node.ObjectNode) json.withArray("projects").get(0))
                .put("keyAccountRoleArn", "arn:aws:iam::222233334444:role/atlas-cmk-key-account-KeyAccountHub")
                .put("keyAccountExternalId", EXTERNAL_ID);
        RotatorStack hub = SynthesizedRotator.stack("KeyAccountHub",
                io.atlascmk.infra.config.RotatorConfigLoader.parse(SynthesizedRotator.CONFIG_FILE, json.toString()));
        Template hubTemplate = Template.fromStack(hub);

        Map<String, Map<String, Object>> policies = hubTemplate.findResources("AWS::Events::EventBusPolicy", Map.of());
        assertThat(policies).hasSize(1);
        @SuppressWarnings("unchecked")
        Map<String, Object> policy = (Map<String, Object>) policies.values().iterator().next().get("Properties");
        assertThat(policy).containsEntry("Principal", "222233334444").containsEntry("Action", "events:PutEvents")
                .containsEntry("EventBusName", "default");
        assertThat(SynthesizedRotator.get().template.findResources("AWS::Events::EventBusPolicy", Map.of()))
                .as("no key account configured: the bus stays closed").isEmpty();
    }

    @Test
    void theAppSynthesizesTheMemberStack_whenToldWhoseKeysItHolds() throws Exception {
        App app = new App(AppProps.builder().outdir(Files.createTempDirectory("key-account-app").toString())
                .context(Map.of("config", SynthesizedRotator.CONFIG_FILE.toString(), "stackName", "Rotator",
                        "keyAccountOf", HUB, "externalId", EXTERNAL_ID)).build());

        KeyAccountStack member = RotatorApp.keyAccountStackFrom(app);

        assertThat(member.getStackName()).isEqualTo("Rotator-key-account");
        Template.fromStack(member).hasResourceProperties("AWS::IAM::Role",
                Map.of("RoleName", "atlas-cmk-key-account-Rotator"));
    }

    @Test
    void aBadHubAccountOrExternalIdOrAnOverlongStackName_isRefusedSayingWhatToGive() {
        App app = new App();
        var config = SynthesizedRotator.get().config;
        assertThatThrownBy(() -> new KeyAccountStack(app, "A", StackProps.builder().build(), config, DEPLOYMENT, "1111",
                EXTERNAL_ID)).hasMessageContaining("12-digit");
        assertThatThrownBy(() -> new KeyAccountStack(app, "B", StackProps.builder().build(), config, DEPLOYMENT, HUB,
                "x")).hasMessageContaining("external id");
        assertThatThrownBy(() -> KeyAccounts.memberRoleName("a".repeat(50))).hasMessageContaining("shorter stack name");
    }
}
