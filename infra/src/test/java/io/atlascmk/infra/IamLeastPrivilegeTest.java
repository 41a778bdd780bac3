package io.atlascmk.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every IAM statement of the synthesized stack, checked against the least-privilege rules of design.md 7. */
class IamLeastPrivilegeTest {

    private static SynthesizedRotator synth;
    private static Map<String, Map<String, Object>> resources;
    /** Role logical id -> the handler of the function that uses it. */
    private static Map<String, String> handlerByRole;
    /** Role logical id -> the statements of its inline policies. */
    private static Map<String, List<Map<String, Object>>> statementsByRole;

    @BeforeAll
    @SuppressWarnings("unchecked")
    static void synthesize() {
        synth = SynthesizedRotator.get();
        resources = (Map<String, Map<String, Object>>) synth.json().get("Resources");
        handlerByRole = new HashMap<>();
        statementsByRole = new HashMap<>();
        resources.forEach((id, resource) -> {
            Map<String, Object> props = (Map<String, Object>) resource.get("Properties");
            if ("AWS::Lambda::Function".equals(resource.get("Type"))) {
                List<String> getAtt = (List<String>) ((Map<String, Object>) props.get("Role")).get("Fn::GetAtt");
                handlerByRole.put(getAtt.get(0), (String) props.get("Handler"));
            }
            if ("AWS::IAM::Policy".equals(resource.get("Type"))) {
                for (Object role : (List<Object>) props.get("Roles")) {
                    String roleId = (String) ((Map<String, Object>) role).get("Ref");
                    statementsByRole.computeIfAbsent(roleId, r -> new ArrayList<>())
                            .addAll(PolicyAudit.statements(props.get("PolicyDocument")));
                }
            }
        });
    }

    private static String logicalId(String type, String containing) {
        return resources.entrySet().stream()
                .filter(e -> type.equals(e.getValue().get("Type")) && e.getKey().contains(containing))
                .map(Map.Entry::getKey).findFirst().orElseThrow();
    }

    private static Set<String> actionsOfHandler(String handler) {
        Set<String> actions = new TreeSet<>();
        handlerByRole.forEach((role, h) -> {
            if (h.equals(handler)) {
                statementsByRole.getOrDefault(role, List.of()).stream()
                        .filter(s -> "Allow".equals(s.get("Effect")))
                        .forEach(s -> actions.addAll(PolicyAudit.strings(s.get("Action"))));
            }
        });
        return actions;
    }

    private static Set<String> kmsActionsOf(RotatorStep step) {
        Set<String> kms = new TreeSet<>();
        actionsOfHandler(step.handler()).stream().filter(a -> a.startsWith("kms:")).forEach(kms::add);
        return kms;
    }

    @Test
    void everyStatementKeepsTheKmsRules() {
        List<Map<String, Object>> all = PolicyAudit.statements(synth.json());
        assertThat(all).as("the walk must see the stack's statements").hasSizeGreaterThan(20);
        assertThat(all).as("and among them the key-deleting one")
                .anySatisfy(s -> assertThat(PolicyAudit.strings(s.get("Action"))).contains("kms:ScheduleKeyDeletion"));
        assertThat(PolicyAudit.kmsViolationsInTemplate(synth.json(), synth.stack.getStackName())).isEmpty();
    }

    @Test
    void noStatementAnywhereNamesKmsWithAWildcard() {
        for (Map<String, Object> statement : PolicyAudit.statements(synth.json())) {
            List<String> actions = new ArrayList<>(PolicyAudit.strings(statement.get("Action")));
            actions.addAll(PolicyAudit.strings(statement.get("NotAction")));
            assertThat(actions).noneMatch(a -> a.equals("*") || a.toLowerCase().startsWith("kms:") && a.contains("*"));
        }
    }

    @Test
    void onlyAuditAndRetireMaySchedulesKeyDeletion_onlyForRetiredOrAbandonedKeys() {
        for (RotatorStep step : RotatorStep.values()) {
            assertThat(kmsActionsOf(step).contains("kms:ScheduleKeyDeletion")).as(step.stepName())
                    .isEqualTo(step == RotatorStep.AUDIT_AND_RETIRE);
        }
        Map<String, Object> statement = PolicyAudit.statements(synth.json()).stream()
                .filter(s -> PolicyAudit.strings(s.get("Action")).contains("kms:ScheduleKeyDeletion"))
                .findFirst().orElseThrow();
        @SuppressWarnings("unchecked")
        Map<String, Object> equals = (Map<String, Object>) PolicyAudit.conditionOf(statement).get("StringEquals");
        assertThat(PolicyAudit.strings(equals.get("aws:ResourceTag/atlas-cmk-rotator:state")))
                .containsExactlyInAnyOrder("retired", "abandoned", "deletion-scheduled");
    }

    /**
     * The KMS actions each step's role is allowed, read from the step classes in functions/ and the KeyService
     * calls behind them (see KmsPermissions.forStep). A change to a step's KMS calls must show up here.
     */
    private static final Map<RotatorStep, Set<String>> KMS_ACTIONS_BY_STEP = Map.of(
            // describe + findProjectKeys; getPolicy for the dry-run plan; tag (abandon, retire, activate, adopt);
            // untag (stale retired-at/safe-after on the current key)
            RotatorStep.PREFLIGHT, Set.of("kms:ListKeys", "kms:ListAliases", "kms:DescribeKey",
                    "kms:ListResourceTags", "kms:GetKeyPolicy", "kms:ListGrants", "kms:TagResource", "kms:UntagResource",
                    "kms:ListKeyRotations"),
            // findByRotation + describe; createKey with tags (CreateKey's Tags need kms:TagResource)
            RotatorStep.CREATE_KEY, Set.of("kms:ListKeys", "kms:ListAliases", "kms:DescribeKey",
                    "kms:ListResourceTags", "kms:GetKeyRotationStatus", "kms:CreateKey", "kms:TagResource",
                    "kms:EnableKeyRotation"),
            // describe both keys, getPolicy of both, putPolicy on the new key
            RotatorStep.GRANT_ATLAS_ACCESS, Set.of("kms:DescribeKey", "kms:ListResourceTags", "kms:GetKeyPolicy",
                    "kms:PutKeyPolicy"),
            // describe the new key before pointing Atlas at it
            RotatorStep.SWITCH_ATLAS_KEY, Set.of("kms:DescribeKey", "kms:ListResourceTags"),
            // Atlas only
            RotatorStep.CHECK_DEPLOYMENT, Set.of(),
            // describe both keys, tag them, pointAlias (ListAliases, then CreateAlias or UpdateAlias)
            RotatorStep.FINALIZE, Set.of("kms:ListAliases", "kms:DescribeKey", "kms:ListResourceTags",
                    "kms:TagResource", "kms:CreateAlias", "kms:UpdateAlias"),
            // findProjectKeys, tag, untag safe-after, scheduleDeletion (describe when already pending deletion);
            // an adopted key's policy and grants
            RotatorStep.AUDIT_AND_RETIRE, Set.of("kms:ListKeys", "kms:ListAliases", "kms:DescribeKey",
                    "kms:ListResourceTags", "kms:GetKeyPolicy", "kms:ListGrants", "kms:TagResource",
                    "kms:UntagResource", "kms:ScheduleKeyDeletion"),
            // describe both keys, tag the new key abandoned
            RotatorStep.ROLLBACK, Set.of("kms:DescribeKey", "kms:ListResourceTags", "kms:TagResource"),
            // describe the active key, its rotation status; automatic and on-demand rotation, the rotations' list
            RotatorStep.ROTATE_KEY_MATERIAL, Set.of("kms:DescribeKey", "kms:ListResourceTags", "kms:GetKeyRotationStatus",
                    "kms:EnableKeyRotation", "kms:RotateKeyOnDemand", "kms:ListKeyRotations"));

    private static final String UNTAGGED_KEY_SET_TO_A_CONFIGURED_PROJECT = "no deployment's key, request sets ours and a project";
    private static final String KEY_OF_A_CONFIGURED_PROJECT = "key of this deployment with a project tag";

    /** Which keys each step may tag: the key Atlas used before any rotation (or a key being created), or ours. */
    private static final Map<RotatorStep, Set<String>> TAGGABLE_KEYS_BY_STEP = Map.of(
            RotatorStep.PREFLIGHT, Set.of(UNTAGGED_KEY_SET_TO_A_CONFIGURED_PROJECT, KEY_OF_A_CONFIGURED_PROJECT),
            RotatorStep.CREATE_KEY, Set.of(UNTAGGED_KEY_SET_TO_A_CONFIGURED_PROJECT),
            RotatorStep.FINALIZE, Set.of(KEY_OF_A_CONFIGURED_PROJECT),
            RotatorStep.AUDIT_AND_RETIRE, Set.of(KEY_OF_A_CONFIGURED_PROJECT),
            RotatorStep.ROLLBACK, Set.of(KEY_OF_A_CONFIGURED_PROJECT));

    /** The tag keys the functions write (KeyTags in functions/). */
    private static final List<String> LEDGER_TAG_KEYS = List.of("atlas-cmk-rotator:project",
            "atlas-cmk-rotator:deployment", "atlas-cmk-rotator:rotation", "atlas-cmk-rotator:state", "atlas-cmk-rotator:retired-at",
            "atlas-cmk-rotator:safe-after", "atlas-cmk-rotator:adopted-by");

    private static List<Map<String, Object>> allowStatementsOf(RotatorStep step, String action) {
        String role = roleOf(step.handler());
        return statementsByRole.getOrDefault(role, List.of()).stream()
                .filter(s -> "Allow".equals(s.get("Effect")))
                .filter(s -> PolicyAudit.strings(s.get("Action")).contains(action))
                .toList();
    }

    private static String roleOf(String handler) {
        return handlerByRole.entrySet().stream().filter(e -> e.getValue().equals(handler))
                .map(Map.Entry::getKey).findFirst().orElseThrow();
    }

    @Test
    void eachStepIsAllowedExactlyTheKmsActionsItsCodeCalls() {
        assertThat(KMS_ACTIONS_BY_STEP).containsOnlyKeys(RotatorStep.values());
        for (RotatorStep step : RotatorStep.values()) {
            assertThat(kmsActionsOf(step)).as(step.stepName())
                    .containsExactlyInAnyOrderElementsOf(KMS_ACTIONS_BY_STEP.get(step));
        }
        assertThat(actionsOfHandler(RotatorFunctions.WEBHOOK_HANDLER)).noneMatch(a -> a.startsWith("kms:"));
        assertThat(actionsOfHandler(RotatorFunctions.RECORD_HANDLER)).noneMatch(a -> a.startsWith("kms:"));
    }

    @Test
    void theRecordFunction_mayOnlyPutObjectsUnderEventsOfTheEvidenceBucket_nothingOfKeysAtlasTheTableOrTheBus() {
        String bucket = logicalId("AWS::S3::Bucket", "Evidence");
        String role = roleOf(RotatorFunctions.RECORD_HANDLER);
        assertThat(actionsOfHandler(RotatorFunctions.RECORD_HANDLER)).containsExactly("s3:PutObject");
        assertThat(statementsByRole.get(role)).singleElement().satisfies(s -> {
            assertThat(s.get("Effect")).isEqualTo("Allow");
            assertThat(s).doesNotContainKey("Condition");
            assertThat(PolicyAudit.resources(s.get("Resource"))).containsExactly("${GetAtt:" + bucket + ".Arn}/events/*");
        });
        // no managed policy beyond the basic execution role (its own logs)
        @SuppressWarnings("unchecked")
        Map<String, Object> roleProps = (Map<String, Object>) resources.get(role).get("Properties");
        assertThat(PolicyAudit.render(roleProps.get("ManagedPolicyArns"))).contains("AWSLambdaBasicExecutionRole")
                .doesNotContain("ReadOnly").doesNotContain("FullAccess");
    }

    @Test
    void theEvidenceBucketIsWrittenByAuditAndRetireUnderEvidence_andByRecordUnderEvents_andByNoOtherRole() {
        String bucket = logicalId("AWS::S3::Bucket", "Evidence");
        Map<String, Set<String>> writersByPrefix = new HashMap<>();
        statementsByRole.forEach((role, statements) -> statements.stream()
                .filter(s -> PolicyAudit.strings(s.get("Action")).stream().anyMatch(a -> a.startsWith("s3:")))
                .forEach(s -> {
                    assertThat(PolicyAudit.strings(s.get("Action"))).containsExactly("s3:PutObject");
                    PolicyAudit.resources(s.get("Resource")).forEach(r -> writersByPrefix
                            .computeIfAbsent(r, k -> new TreeSet<>()).add(handlerByRole.getOrDefault(role, role)));
                }));
        assertThat(writersByPrefix).isEqualTo(Map.of(
                "${GetAtt:" + bucket + ".Arn}/evidence/*", Set.of(RotatorStep.AUDIT_AND_RETIRE.handler()),
                "${GetAtt:" + bucket + ".Arn}/events/*", Set.of(RotatorFunctions.RECORD_HANDLER)));
    }

    @Test
    @SuppressWarnings("unchecked")
    void eachStepTagsOnlyTheKeysItsCodeTags_andOnlyLedgerTagKeys() {
        String deployment = synth.stack.getStackName();
        for (RotatorStep step : RotatorStep.values()) {
            Set<String> scopes = new TreeSet<>();
            for (String action : List.of("kms:TagResource", "kms:UntagResource")) {
                for (Map<String, Object> s : allowStatementsOf(step, action)) {
                    Map<String, Object> condition = PolicyAudit.conditionOf(s);
                    // CreateKey also writes the configured copyTags on the key it creates, nothing else.
                    List<String> allowed = new ArrayList<>(LEDGER_TAG_KEYS);
                    if (step == RotatorStep.CREATE_KEY) {
                        synth.config.projects().forEach(p -> p.copyTags().stream().filter(t -> !allowed.contains(t))
                                .forEach(allowed::add));
                    }
                    if (action.equals("kms:UntagResource")) {
                        // removes only dates and markers: never the state, the project or the deployment tag
                        allowed.removeAll(List.of("atlas-cmk-rotator:state", "atlas-cmk-rotator:project",
                                "atlas-cmk-rotator:deployment"));
                    }
                    if (step == RotatorStep.PREFLIGHT) {
                        // Preflight: states, their dates and an adoption's tags; never a rotation (which would pass
                        // an adopted key off as created) nor safe-after; an adoption not even retired-at
                        List<String> tagKeys = PolicyAudit.strings(((Map<String, Object>) condition
                                .get("ForAllValues:StringEquals")).get("aws:TagKeys"));
                        assertThat(tagKeys).as(step.stepName() + " " + action).isSubsetOf(allowed)
                                .doesNotContain("atlas-cmk-rotator:rotation");
                        if (action.equals("kms:TagResource")) {
                            assertThat(tagKeys).doesNotContain("atlas-cmk-rotator:safe-after");
                        } else {
                            assertThat(tagKeys).containsExactlyInAnyOrder("atlas-cmk-rotator:retired-at",
                                    "atlas-cmk-rotator:safe-after");
                        }
                    } else {
                        assertThat((Map<String, Object>) condition.get("ForAllValues:StringEquals"))
                                .as(step.stepName() + " " + action + " writes only ledger tag keys (and CreateKey's copyTags)")
                                .isEqualTo(Map.of("aws:TagKeys", allowed));
                    }
                    boolean ours = PolicyAudit.hasDeploymentCondition(condition, "aws:ResourceTag/", deployment);
                    boolean adoption = condition.get("Null") != null
                            && "true".equals(((Map<String, Object>) condition.get("Null"))
                                    .get("aws:ResourceTag/atlas-cmk-rotator:deployment"))
                            && PolicyAudit.hasDeploymentCondition(condition, "aws:RequestTag/", deployment);
                    assertThat(ours ^ adoption).as(step.stepName() + " " + action + ": " + s).isTrue();
                    assertThat(adoption && action.equals("kms:UntagResource")).as("untag only our keys").isFalse();
                    if (action.equals("kms:TagResource")) {
                        scopes.add(ours ? KEY_OF_A_CONFIGURED_PROJECT : UNTAGGED_KEY_SET_TO_A_CONFIGURED_PROJECT);
                    }
                }
            }
            assertThat(scopes).as(step.stepName())
                    .isEqualTo(TAGGABLE_KEYS_BY_STEP.getOrDefault(step, Set.of()));
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void createKeyAllowsOnlySymmetricKeysOfKmsOrACloudHsmStore_multiRegionToo_becauseAnMrkIsReplacedByAnMrk() {
        Map<String, Object> statement = allowStatementsOf(RotatorStep.CREATE_KEY, "kms:CreateKey").stream()
                .findFirst().orElseThrow();
        Map<String, Object> condition = PolicyAudit.conditionOf(statement);
        assertThat((Map<String, Object>) condition.get("StringEqualsIfExists")).isEqualTo(Map.of(
                "kms:KeySpec", "SYMMETRIC_DEFAULT", "kms:KeyUsage", "ENCRYPT_DECRYPT",
                "kms:KeyOrigin", List.of("AWS_KMS", "AWS_CLOUDHSM")));
        assertThat(condition).containsOnlyKeys("StringEquals", "Null", "ForAllValues:StringEquals", "StringEqualsIfExists");
        assertThat((Map<String, Object>) condition.get("StringEquals")).containsEntry(
                "aws:RequestTag/atlas-cmk-rotator:deployment", synth.stack.getStackName());
    }

    @Test
    void keyPoliciesAreNeverWrittenPastTheLockoutSafetyCheck() {
        for (RotatorStep step : List.of(RotatorStep.CREATE_KEY, RotatorStep.GRANT_ATLAS_ACCESS)) {
            String role = handlerByRole.entrySet().stream().filter(e -> e.getValue().equals(step.handler()))
                    .map(Map.Entry::getKey).findFirst().orElseThrow();
            assertThat(statementsByRole.get(role)).as(step.stepName()).anySatisfy(s -> {
                assertThat(s.get("Effect")).isEqualTo("Deny");
                assertThat(PolicyAudit.conditionOf(s)).isEqualTo(
                        Map.of("Bool", Map.of("kms:BypassPolicyLockoutSafetyCheck", "true")));
            });
        }
    }

    @Test
    void aliasesCanOnlyBeMovedInTheRotatorsNamespace_ontoKeysOfThisDeployment() {
        List<Map<String, Object>> moves = PolicyAudit.statements(synth.json()).stream()
                .filter(s -> PolicyAudit.strings(s.get("Action")).contains("kms:UpdateAlias")).toList();
        List<String> aliasResources = moves.stream().flatMap(s -> PolicyAudit.resources(s.get("Resource")).stream())
                .filter(r -> r.contains(":alias/")).toList();
        // one per key region, whatever the number of projects
        assertThat(aliasResources).hasSize(synth.config.keyRegions().size())
                .allSatisfy(r -> assertThat(r).endsWith(":alias/atlas-cmk/*"));
        // UpdateAlias is authorized on the alias and on both keys: the keys must be this deployment's, so an alias
        // of another deployment (pointing at its key) cannot be moved
        assertThat(moves).anySatisfy(s -> assertThat(PolicyAudit.hasDeploymentCondition(PolicyAudit.conditionOf(s),
                "aws:ResourceTag/", synth.stack.getStackName())).isTrue());
    }

    @Test
    @SuppressWarnings("unchecked")
    void secretsAreReadableOnlyByTheFunctionsThatNeedThem() {
        String atlasSecret = logicalId("AWS::SecretsManager::Secret", "AtlasCredentials");
        String webhookSecret = logicalId("AWS::SecretsManager::Secret", "WebhookSecret");
        Map<String, Set<String>> readersBySecret = new HashMap<>();
        for (Map<String, Object> resource : resources.values()) {
            if (!"AWS::IAM::Policy".equals(resource.get("Type"))) {
                continue;
            }
            Map<String, Object> props = (Map<String, Object>) resource.get("Properties");
            for (Object role : (List<Object>) props.get("Roles")) {
                String roleId = (String) ((Map<String, Object>) role).get("Ref");
                for (Map<String, Object> s : PolicyAudit.statements(props.get("PolicyDocument"))) {
                    if (PolicyAudit.strings(s.get("Action")).stream().anyMatch(a -> a.startsWith("secretsmanager:"))) {
                        assertThat(PolicyAudit.strings(s.get("Action")))
                                .containsOnly("secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret");
                        for (String r : PolicyAudit.resources(s.get("Resource"))) {
                            readersBySecret.computeIfAbsent(r, k -> new TreeSet<>())
                                    .add(handlerByRole.getOrDefault(roleId, "role " + roleId));
                        }
                    }
                }
            }
        }
        // Every step class but RotateKeyMaterial calls deps.atlas() (CreateKey and GrantAtlasAccess to find the keys'
        // region from the bare key ids the workflow passes, Finalize to check Atlas names the new key); the webhook
        // and RotateKeyMaterial (the key's id, and Atlas, never change) never do.
        Set<String> atlasCallers = new TreeSet<>();
        for (RotatorStep step : RotatorStep.values()) {
            if (step.callsAtlas()) {
                atlasCallers.add(step.handler());
            }
        }
        assertThat(RotatorStep.ROTATE_KEY_MATERIAL.callsAtlas()).isFalse();
        assertThat(atlasCallers).hasSize(RotatorStep.values().length - 1);
        assertThat(readersBySecret).containsOnlyKeys("${Ref:" + atlasSecret + "}", "${Ref:" + webhookSecret + "}");
        assertThat(readersBySecret.get("${Ref:" + atlasSecret + "}")).isEqualTo(atlasCallers);
        assertThat(readersBySecret.get("${Ref:" + webhookSecret + "}"))
                .containsExactly(RotatorFunctions.WEBHOOK_HANDLER);
    }

    @Test
    void startExecutionOnlyOnThisStateMachine_putEventsOnlyOnTheRotatorBus() {
        String stateMachine = "${Ref:" + logicalId("AWS::StepFunctions::StateMachine", "Workflow") + "}";
        String bus = "${GetAtt:" + logicalId("AWS::Events::EventBus", "Bus") + ".Arn}";
        Set<String> startTargets = new LinkedHashSet<>();
        Set<String> putTargets = new LinkedHashSet<>();
        for (Map<String, Object> s : PolicyAudit.statements(synth.json())) {
            List<String> actions = PolicyAudit.strings(s.get("Action"));
            assertThat(actions).noneMatch(a -> a.startsWith("states:") && a.contains("*"))
                    .noneMatch(a -> a.startsWith("events:") && a.contains("*"));
            if (actions.contains("states:StartExecution")) {
                startTargets.addAll(PolicyAudit.resources(s.get("Resource")));
            }
            if (actions.contains("events:PutEvents")) {
                putTargets.addAll(PolicyAudit.resources(s.get("Resource")));
            }
        }
        assertThat(startTargets).containsExactly(stateMachine);
        assertThat(putTargets).containsExactly(bus);
    }

    @Test
    void theRescueFunction_mayOnlyCancelEnableAndTagBack_keysOfThisDeploymentScheduledForDeletion_andSeizeTheLock() {
        Set<String> actions = actionsOfHandler(RotatorFunctions.RESCUE_HANDLER);
        assertThat(actions).containsExactlyInAnyOrder("kms:DescribeKey", "kms:ListResourceTags", "kms:CancelKeyDeletion",
                "kms:EnableKey", "kms:TagResource", "events:PutEvents", "dynamodb:UpdateItem",
                // the registry (which member role reaches a key of another account), and that role, as Rescue only
                "dynamodb:GetItem", "dynamodb:Scan", "sts:AssumeRole", "sts:SetSourceIdentity");
        String role = roleOf(RotatorFunctions.RESCUE_HANDLER);
        for (Map<String, Object> s : statementsByRole.get(role)) {
            List<String> kms = PolicyAudit.strings(s.get("Action")).stream().filter(a -> a.startsWith("kms:")
                    && !a.equals("kms:DescribeKey") && !a.equals("kms:ListResourceTags")).toList();
            if (kms.isEmpty()) {
                continue;
            }
            assertThat(PolicyAudit.render(s.get("Condition"))).as("statement %s", s.get("Sid"))
                    .contains("aws:ResourceTag/atlas-cmk-rotator:state").contains("deletion-scheduled")
                    .contains("aws:ResourceTag/atlas-cmk-rotator:deployment").contains(synth.stack.getStackName())
                    .contains("aws:ResourceTag/atlas-cmk-rotator:project");
            if (kms.contains("kms:TagResource")) {
                assertThat(PolicyAudit.render(s.get("Condition"))).contains("atlas-cmk-rotator:rescued-at")
                        .doesNotContain("atlas-cmk-rotator:safe-after");
            }
        }
        assertThat(actionsOfHandler(RotatorStep.AUDIT_AND_RETIRE.handler())).doesNotContain("kms:CancelKeyDeletion");
    }

    @Test
    void onlyTheAuditAndThePlanMayLookUpCloudTrailEvents_andNothingElseOfCloudTrail() {
        List<String> lookers = new ArrayList<>();
        for (Map.Entry<String, List<Map<String, Object>>> role : statementsByRole.entrySet()) {
            for (Map<String, Object> s : role.getValue()) {
                List<String> cloudTrail = PolicyAudit.strings(s.get("Action")).stream()
                        .filter(a -> a.startsWith("cloudtrail:")).toList();
                if (!cloudTrail.isEmpty()) {
                    lookers.add(role.getKey());
                    assertThat(cloudTrail).containsExactly("cloudtrail:LookupEvents");
                    assertThat(PolicyAudit.strings(s.get("Action"))).containsExactly("cloudtrail:LookupEvents");
                }
            }
        }
        assertThat(lookers).containsExactlyInAnyOrder(roleOf(RotatorStep.AUDIT_AND_RETIRE.handler()),
                roleOf(RotatorStep.PREFLIGHT.handler()));
    }

    @Test
    void onlyPreflightMayDescribeExecutions_andOnlyThoseOfTheRotationStateMachine() {
        String preflightRole = roleOf(RotatorStep.PREFLIGHT.handler());
        List<String> describers = new ArrayList<>();
        for (Map.Entry<String, List<Map<String, Object>>> role : statementsByRole.entrySet()) {
            for (Map<String, Object> s : role.getValue()) {
                if (PolicyAudit.strings(s.get("Action")).contains("states:DescribeExecution")) {
                    describers.add(role.getKey());
                    assertThat(s.get("Effect")).isEqualTo("Allow");
                    assertThat(PolicyAudit.strings(s.get("Action"))).containsExactly("states:DescribeExecution");
                    assertThat(PolicyAudit.resources(s.get("Resource"))).containsExactly(
                            "arn:${Ref:AWS::Partition}:states:${Ref:AWS::Region}:${Ref:AWS::AccountId}"
                                    + ":execution:RotatorUnderTest-rotation:*");
                }
            }
        }
        assertThat(describers).containsExactly(preflightRole);
        assertThat(actionsOfHandler(RotatorStep.PREFLIGHT.handler()).stream().filter(a -> a.startsWith("states:")))
                .containsExactly("states:DescribeExecution");
    }

    @Test
    void theSchedulerRoleMayOnlyStartThisStateMachineAndDropFailuresInTheQueue() {
        String role = logicalId("AWS::IAM::Role", "SchedulerRole");
        String stateMachine = logicalId("AWS::StepFunctions::StateMachine", "Workflow");
        String queue = logicalId("AWS::SQS::Queue", "StartFailures");
        assertThat(statementsByRole.get(role)).containsExactlyInAnyOrder(
                Map.of("Action", "states:StartExecution", "Effect", "Allow", "Resource", Map.of("Ref", stateMachine)),
                Map.of("Action", "sqs:SendMessage", "Effect", "Allow",
                        "Resource", Map.of("Fn::GetAtt", List.of(queue, "Arn"))));
    }

    @Test
    void onlyTheStateMachineInvokesTheStepFunctions_throughTheirLiveAliases() {
        String smRole = logicalId("AWS::IAM::Role", "StateMachineRole");
        List<String> invoked = statementsByRole.get(smRole).stream()
                .filter(s -> PolicyAudit.strings(s.get("Action")).contains("lambda:InvokeFunction"))
                .flatMap(s -> PolicyAudit.resources(s.get("Resource")).stream())
                .toList();
        assertThat(invoked).hasSize(RotatorStep.values().length)
                .allSatisfy(r -> assertThat(r).startsWith("${Ref:").contains("Aliaslive"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void onlyTheRegistrySeedWritesProjectRegistrations_everyOtherTableWriteExcludesThem() {
        String seedRole = roleOf(RotatorFunctions.REGISTRY_SEED_HANDLER);
        for (Map.Entry<String, List<Map<String, Object>>> role : statementsByRole.entrySet()) {
            for (Map<String, Object> s : role.getValue()) {
                List<String> writes = PolicyAudit.strings(s.get("Action")).stream()
                        .filter(a -> List.of("dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem",
                                "dynamodb:BatchWriteItem", "dynamodb:*").contains(a)).toList();
                if (writes.isEmpty() || !"Allow".equals(s.get("Effect"))) {
                    continue;
                }
                String condition = PolicyAudit.render(s.get("Condition"));
                if (role.getKey().equals(seedRole)) {
                    assertThat(condition).contains("project#*");
                    continue;
                }
                boolean excludesRegistrations = condition.contains("StringNotLike") && condition.contains("project#*");
                boolean onlyOtherItems = condition.contains("ForAllValues:StringLike") && !condition.contains("project#");
                assertThat(excludesRegistrations || onlyOtherItems).as(role.getKey() + " " + s.get("Sid") + " " + condition)
                        .isTrue();
            }
        }
    }
}
