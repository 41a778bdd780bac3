package io.atlascmk.infra;

import io.atlascmk.infra.config.ProjectConfig;
import io.atlascmk.infra.config.RotatorConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.iam.Effect;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.constructs.Construct;

/**
 * The KMS permissions of each step, least privilege. Rules this class keeps (and the IAM test checks on the
 * synthesized template):
 *
 * <ul>
 *   <li>no {@code kms:*} and no action wildcards: every action is named;</li>
 *   <li>actions that change a key (policy, tags, alias, deletion) apply only to keys in the configured
 *       regions of this account that carry {@code atlas-cmk-rotator:deployment} = this stack's name and a
 *       project tag ({@code aws:ResourceTag}), or, when tagging a key that is no deployment's yet, only when the
 *       request sets the deployment tag to this stack's name and names a project ({@code aws:RequestTag}, see
 *       {@link #adoptUntaggedKey}). The conditions name the deployment, never the projects, so no policy grows
 *       with the number of projects: which projects a deployment rotates is configuration, and which keys it may
 *       change is what its own tags say;</li>
 *   <li>{@code kms:CreateKey} only with the deployment and project tags in the request;</li>
 *   <li>{@code Resource: "*"} only for {@code kms:ListKeys}, {@code kms:ListAliases} (KMS supports no
 *       resource for them) and {@code kms:CreateKey} (the key does not exist yet; the request-tag condition
 *       narrows it).</li>
 * </ul>
 */
public final class KmsPermissions {

    /** The ledger tags of design.md ("Key state lives on the keys"). */
    public static final String TAG_PREFIX = "atlas-cmk-rotator:";
    public static final String PROJECT_TAG = TAG_PREFIX + "project";
    public static final String STATE_TAG = TAG_PREFIX + "state";
    /**
     * The deployment (this stack's name) whose keys a key is: every condition of the functions' roles is written
     * on it, so no policy grows with the number of projects.
     */
    public static final String DEPLOYMENT_TAG = TAG_PREFIX + "deployment";
    /** Every tag key the functions write ({@code KeyTags} in functions/): IAM lets them write no other. */
    public static final List<String> LEDGER_TAG_KEYS = List.of(
            PROJECT_TAG, DEPLOYMENT_TAG, TAG_PREFIX + "rotation", STATE_TAG, TAG_PREFIX + "retired-at",
            TAG_PREFIX + "safe-after", TAG_PREFIX + "adopted-by");

    /**
     * The tags Preflight writes: states (abandon a dead run's key, retire a stale active one, activate the key Atlas
     * uses) with their retired-at date, and an adoption's project, deployment and adopted-by. Never {@code rotation}
     * (which would pass an adopted key off as one the rotator created, skipping the adopted-key checks) nor
     * {@code safe-after} (the audit's).
     */
    public static final List<String> PREFLIGHT_TAG_KEYS = List.of(PROJECT_TAG, DEPLOYMENT_TAG, STATE_TAG,
            TAG_PREFIX + "retired-at", TAG_PREFIX + "adopted-by");
    /** The tags Preflight removes from the key Atlas uses: a stale retired-at or safe-after, nothing else. */
    public static final List<String> PREFLIGHT_UNTAG_KEYS = List.of(TAG_PREFIX + "retired-at", TAG_PREFIX + "safe-after");

    /** The tags only the tripwire's Rescue function writes (with the state, back to retired). */
    public static final List<String> RESCUE_TAG_KEYS = List.of(STATE_TAG, TAG_PREFIX + "rescued-at",
            TAG_PREFIX + "rescued-for");

    /** Key changes that IAM must tie to the project tag (resource or request tag). */
    public static final List<String> KEY_CHANGING_ACTIONS = List.of(
            "kms:PutKeyPolicy", "kms:TagResource", "kms:UntagResource", "kms:ScheduleKeyDeletion",
            "kms:CancelKeyDeletion", "kms:CreateAlias", "kms:UpdateAlias", "kms:DeleteAlias", "kms:CreateKey",
            "kms:DisableKey", "kms:EnableKey", "kms:CreateGrant", "kms:RetireGrant", "kms:RevokeGrant");

    /** This deployment's tag value: the stack's name. */
    private final String deployment;
    /** The tags a new key is created with: the ledger's and the projects' copyTags. */
    private final List<String> creationTagKeys;
    private final List<String> keyArns;
    private final List<String> aliasArns;
    /** The shortest KMS pending window the configuration allows: a deletion may not be scheduled sooner. */
    private final int minPendingWindowDays;

    public KmsPermissions(Construct scope, RotatorConfig config) {
        this(scope, config, Stack.of(scope).getStackName());
    }

    /**
     * The permissions on the keys of {@code scope}'s account for the deployment named {@code deployment}: a member
     * account's stack ({@link KeyAccountStack}) writes the same rules for the rotator stack's keys there.
     */
    public KmsPermissions(Construct scope, RotatorConfig config, String deployment) {
        Stack stack = Stack.of(scope);
        String prefix = "arn:" + stack.getPartition() + ":kms:";
        String account = stack.getAccount();
        this.deployment = deployment;
        java.util.Set<String> creationTags = new java.util.LinkedHashSet<>(LEDGER_TAG_KEYS);
        config.projects().forEach(p -> creationTags.addAll(p.copyTags()));
        this.creationTagKeys = List.copyOf(creationTags);
        List<String> keys = new ArrayList<>();
        for (String region : config.keyRegions()) {
            keys.add(prefix + region + ":" + account + ":key/*");
        }
        this.keyArns = List.copyOf(keys);
        List<String> aliases = new ArrayList<>();
        for (String region : config.keyRegions()) {
            aliases.add(prefix + region + ":" + account + ":alias/" + ALIAS_PREFIX + "*");
        }
        this.aliasArns = List.copyOf(aliases);
        int min = config.effectiveWorkflow().pendingWindowDays();
        for (ProjectConfig project : config.projects()) {
            if (project.pendingWindowDays() != null) {
                min = Math.min(min, project.pendingWindowDays());
            }
        }
        this.minPendingWindowDays = min;
    }

    /** The ledger states, as {@code atlas-cmk-rotator:state} holds them. */
    static final String PENDING = "pending";
    static final String ACTIVE = "active";
    static final String RETIRED = "retired";
    static final String ABANDONED = "abandoned";
    static final String DELETION_SCHEDULED = "deletion-scheduled";

    /** The alias Finalize points at a project's active key, without the {@code alias/} prefix. */
    public static String aliasName(String projectId) {
        return ALIAS_PREFIX + projectId;
    }

    /** The rotator's alias namespace: Finalize may move aliases only inside it (and only onto this deployment's keys). */
    public static final String ALIAS_PREFIX = "atlas-cmk/";

    /** This deployment's tag value (the stack's name), which every key the functions may change carries. */
    public String deployment() {
        return deployment;
    }

    /** A key of this deployment that belongs to a project: the resource conditions of every key change. */
    private Map<String, Object> deploymentKey(String... states) {
        Map<String, Object> equals = new java.util.LinkedHashMap<>();
        equals.put("aws:ResourceTag/" + DEPLOYMENT_TAG, deployment);
        if (states.length > 0) {
            equals.put("aws:ResourceTag/" + STATE_TAG, states.length == 1 ? states[0] : List.of(states));
        }
        return equals;
    }

    /** The key carries a project tag (any project: which projects a deployment rotates is data, not policy). */
    private static Map<String, Object> hasProjectTag() {
        return Map.of("aws:ResourceTag/" + PROJECT_TAG, "false");
    }

    /**
     * The statements of {@code step}'s function role: exactly the KMS calls its step class makes in
     * {@code functions/} (through {@code KeyService}), no more. The calls behind each {@code KeyService} method:
     * {@code findProjectKeys}/{@code findByRotation} = ListAliases, ListKeys, ListResourceTags, DescribeKey;
     * {@code describe} = DescribeKey, ListResourceTags; {@code getPolicy} = GetKeyPolicy; {@code putPolicy} =
     * PutKeyPolicy; {@code createKey} = CreateKey with Tags (which needs TagResource); {@code tag} = TagResource;
     * {@code untag} = UntagResource; {@code pointAlias} = ListAliases, then CreateAlias or UpdateAlias;
     * {@code scheduleDeletion} = ScheduleKeyDeletion (and {@code describe} when the key is already pending
     * deletion).
     */
    public List<PolicyStatement> forStep(RotatorStep step) {
        return switch (step) {
            // describe (the current key), findProjectKeys, getPolicy (dry-run plan only); ledger writes: tag a dead
            // run's pending key abandoned, tag stale active keys retired, untag retired-at/safe-after from the
            // current key, tag the current key active, or adopt the untagged key Atlas uses (project, state,
            // adopted-by).
            case PREFLIGHT -> List.of(listKeysAndAliases(), describeKeys(), readKeyPolicies(), readGrants(), listRotations(),
                    adoptUntaggedKey(),
                    // a dead run's pending key -> abandoned; a stale active key -> retired; the key Atlas uses -> active
                    tagTransition("PreflightLedger", null, List.of(ACTIVE, RETIRED, ABANDONED), PREFLIGHT_TAG_KEYS),
                    untagProjectKeys("PreflightUntagTheKeyAtlasUses", null, PREFLIGHT_UNTAG_KEYS));
            // findByRotation, describe (the current key), createKey with the project, rotation and state tags.
            // and the current key's rotation status; the new key's automatic rotation when the current key has it.
            case CREATE_KEY -> List.of(listKeysAndAliases(), describeKeys(), readRotationStatus(), createTaggedKey(),
                    tagKeyBeingCreated(), enableRotationOfPendingKeys(), denyLockoutBypass("kms:CreateKey"));
            // describe (new and current key), getPolicy (both), putPolicy (the new, pending key).
            case GRANT_ATLAS_ACCESS -> List.of(describeKeys(), readKeyPolicies(), putPolicyOnPendingKey(),
                    denyLockoutBypass("kms:PutKeyPolicy"));
            // describe (the new key: it must be this rotation's pending key before Atlas is pointed at it).
            case SWITCH_ATLAS_KEY -> List.of(describeKeys());
            // Atlas only.
            case CHECK_DEPLOYMENT -> List.of();
            // describe (new and old key), tag: the new key pending -> active, the old key active -> retired (with
            // retired-at; a re-run stamps an already retired or abandoned old key), pointAlias.
            case FINALIZE -> List.of(listAliases(), describeKeys(),
                    tagTransition("FinalizeLedger", List.of(PENDING, ACTIVE, RETIRED, ABANDONED), List.of(ACTIVE, RETIRED)),
                    moveAliasOnAliases(), moveAliasOnKeys());
            // findProjectKeys, tag and untag only keys already retired, abandoned or being deleted (retired-at,
            // safe-after, -> deletion-scheduled, an interrupted deletion back -> retired), scheduleDeletion of
            // them; for an adopted key: its policy and grants (who else may use it).
            case AUDIT_AND_RETIRE -> List.of(listKeysAndAliases(), describeKeys(), readKeyPolicies(), readGrants(),
                    tagTransition("AuditLedger", RETIRING, List.of(RETIRED, DELETION_SCHEDULED)),
                    untagProjectKeys("AuditUntagRetiringKeys", RETIRING), scheduleDeletionOfRetiredKeys());
            // describe (new and old key), tag: the new key pending -> abandoned (with retired-at).
            // describe and read the rotation status of the active key; automatic rotation on, and on-demand rotation,
            // only of this deployment's active keys (the material changes, the key and its ledger state do not).
            case ROTATE_KEY_MATERIAL -> List.of(describeKeys(), readRotationStatus(), rotateMaterialOfActiveKeys());
            case ROLLBACK -> List.of(describeKeys(),
                    tagTransition("RollbackLedger", List.of(PENDING, ABANDONED), List.of(ABANDONED)));
        };
    }

    /** The fleet plan: it reads the projects' keys (the index, and every key's tags when a creation was interrupted). */
    public List<PolicyStatement> forFleetPlan() {
        return List.of(listKeysAndAliases(), describeKeys());
    }

    /**
     * The tripwire's Rescue function: read a key, and only for a key of this deployment whose ledger says
     * {@code deletion-scheduled}: cancel its deletion, enable it, tag it back to {@code retired} with the
     * rescue tags. It can neither schedule a deletion nor touch any other key or tag.
     */
    public List<PolicyStatement> forRescue() {
        Map<String, Object> scheduledProjectKey = Map.of("StringEquals", deploymentKey(DELETION_SCHEDULED),
                "Null", hasProjectTag());
        return List.of(describeKeys(),
                PolicyStatement.Builder.create()
                        .sid("CancelAndEnableOnlyDeletionScheduledKeysOfThisDeployment")
                        .actions(List.of("kms:CancelKeyDeletion", "kms:EnableKey"))
                        .resources(keyArns)
                        .conditions(scheduledProjectKey)
                        .build(),
                PolicyStatement.Builder.create()
                        .sid("TagRescuedKeysOfThisDeployment")
                        .actions(List.of("kms:TagResource"))
                        .resources(keyArns)
                        .conditions(Map.of(
                                "StringEquals", deploymentKey(DELETION_SCHEDULED),
                                "Null", hasProjectTag(),
                                "ForAllValues:StringEquals", Map.of("aws:TagKeys", RESCUE_TAG_KEYS)))
                        .build());
    }

    /**
     * ListKeys and ListAliases have no resource-level permissions in KMS: the only valid Resource is "*".
     * They return key ids and alias names, nothing that changes a key.
     */
    PolicyStatement listKeysAndAliases() {
        return PolicyStatement.Builder.create()
                .sid("ListKeysAndAliasesKmsRequiresStar")
                .actions(List.of("kms:ListKeys", "kms:ListAliases"))
                .resources(List.of("*"))
                .build();
    }

    /** ListAliases alone (Finalize looks up the project's alias; it never lists keys). Resource "*" as above. */
    PolicyStatement listAliases() {
        return PolicyStatement.Builder.create()
                .sid("ListAliasesKmsRequiresStar")
                .actions(List.of("kms:ListAliases"))
                .resources(List.of("*"))
                .build();
    }

    /**
     * DescribeKey and ListResourceTags of any key in the configured regions of this account, without a tag
     * condition: the key Atlas uses before the first rotation is not tagged yet and must be read to be adopted,
     * and findProjectKeys reads every key's tags to find the project's. Reads change nothing.
     */
    PolicyStatement describeKeys() {
        return PolicyStatement.Builder.create()
                .sid("DescribeKeysInConfiguredRegions")
                .actions(List.of("kms:DescribeKey", "kms:ListResourceTags"))
                .resources(keyArns)
                .build();
    }

    /**
     * GetKeyPolicy of any key in the configured regions: GrantAtlasAccess copies the current key's policy (not
     * tagged before the first rotation) to the new key, and Preflight's dry-run plan previews that policy.
     */
    /** Who else a key's grants let use it (the audit of an adopted key, and the plan). Reading only. */
    PolicyStatement readGrants() {
        return PolicyStatement.Builder.create()
                .sid("ListGrantsOfKeysInConfiguredRegions")
                .actions(List.of("kms:ListGrants"))
                .resources(keyArns)
                .build();
    }

    PolicyStatement readKeyPolicies() {
        return PolicyStatement.Builder.create()
                .sid("ReadKeyPoliciesInConfiguredRegions")
                .actions(List.of("kms:GetKeyPolicy"))
                .resources(keyArns)
                .build();
    }

    /**
     * CreateKey names no existing resource, so KMS requires Resource "*"; the request must carry the
     * project tag with a configured id and only ledger tags. The *IfExists conditions refuse anything but a
     * symmetric encryption key with KMS key material, without breaking a request that leaves those parameters
     * at their defaults. Multi-Region is not restricted: when the current key is a multi-Region key
     * ({@code mrk-}), CreateKeyStep creates the new key as a multi-Region primary on purpose.
     */
    PolicyStatement createTaggedKey() {
        return PolicyStatement.Builder.create()
                .sid("CreateKeyOnlyTaggedForThisDeployment")
                .actions(List.of("kms:CreateKey"))
                .resources(List.of("*"))
                .conditions(Map.of(
                        "StringEquals", Map.of("aws:RequestTag/" + DEPLOYMENT_TAG, deployment,
                                "aws:RequestTag/" + STATE_TAG, PENDING),
                        "Null", Map.of("aws:RequestTag/" + PROJECT_TAG, "false"),
                        "ForAllValues:StringEquals", Map.of("aws:TagKeys", creationTagKeys),
                        "StringEqualsIfExists", Map.of(
                                "kms:KeySpec", "SYMMETRIC_DEFAULT",
                                "kms:KeyUsage", "ENCRYPT_DECRYPT",
                                // a key in a CloudHSM key store gets its successor in the same store
                                "kms:KeyOrigin", List.of("AWS_KMS", "AWS_CLOUDHSM"))))
                .build();
    }

    /** CreateKey's tags (which need kms:TagResource): only on a key without a project tag yet, as adoption. */
    PolicyStatement tagKeyBeingCreated() {
        return PolicyStatement.Builder.create()
                .sid("TagKeyBeingCreatedOnlyForThisDeployment")
                .actions(List.of("kms:TagResource"))
                .resources(keyArns)
                .conditions(Map.of(
                        "Null", untaggedKeyGettingAProject(),
                        "StringEquals", Map.of("aws:RequestTag/" + DEPLOYMENT_TAG, deployment,
                                "aws:RequestTag/" + STATE_TAG, PENDING),
                        "ForAllValues:StringEquals", Map.of("aws:TagKeys", creationTagKeys)))
                .build();
    }

    /** Whether KMS rotates a key's material (the current key's, to give its successor the same). Reading only. */
    PolicyStatement readRotationStatus() {
        return PolicyStatement.Builder.create()
                .sid("ReadRotationStatusInConfiguredRegions")
                .actions(List.of("kms:GetKeyRotationStatus"))
                .resources(keyArns)
                .build();
    }

    /** When a key's material rotated (the key-material method's cooldown). Reading only. */
    PolicyStatement listRotations() {
        return PolicyStatement.Builder.create()
                .sid("ListKeyRotationsInConfiguredRegions")
                .actions(List.of("kms:ListKeyRotations"))
                .resources(keyArns)
                .build();
    }

    /** The key-material method: automatic and on-demand rotation of this deployment's active keys only. */
    PolicyStatement rotateMaterialOfActiveKeys() {
        return PolicyStatement.Builder.create()
                .sid("RotateMaterialOnlyOfActiveKeysOfThisDeployment")
                .actions(List.of("kms:EnableKeyRotation", "kms:RotateKeyOnDemand", "kms:ListKeyRotations"))
                .resources(keyArns)
                .conditions(Map.of("StringEquals", deploymentKey(ACTIVE), "Null", hasProjectTag()))
                .build();
    }

    /** Automatic rotation, only on a key of this deployment still pending (the one this rotation creates). */
    PolicyStatement enableRotationOfPendingKeys() {
        return PolicyStatement.Builder.create()
                .sid("EnableRotationOnlyOfPendingKeysOfThisDeployment")
                .actions(List.of("kms:EnableKeyRotation"))
                .resources(keyArns)
                .conditions(Map.of("StringEquals", deploymentKey(PENDING), "Null", hasProjectTag()))
                .build();
    }

    /** A key that is no deployment's yet, tagged by a request that names its project. */
    private static Map<String, Object> untaggedKeyGettingAProject() {
        return Map.of("aws:ResourceTag/" + DEPLOYMENT_TAG, "true", "aws:RequestTag/" + PROJECT_TAG, "false");
    }

    /**
     * Tagging a key that has no project tag yet: the tags of a key being created (CreateKey with Tags needs
     * kms:TagResource), and Preflight's adoption of the key Atlas used before the first rotation (project,
     * state=active, adopted-by). Such a key cannot be
     * conditioned on its own tag, so this allows it only when (1) the key is no deployment's yet
     * ({@code Null aws:ResourceTag/...deployment}), so no key of another deployment is re-labelled, (2) the
     * request sets the deployment tag to this stack's name, the state to active (pending for a key being
     * created) and names a project, and (3) only ledger tags are written. A key of this deployment tagged before
     * the deployment tag existed (a project tag, no deployment tag) is adopted the same way when Atlas uses it.
     */
    PolicyStatement adoptUntaggedKey() {
        return PolicyStatement.Builder.create()
                .sid("TagUntaggedKeyOnlyForThisDeployment")
                .actions(List.of("kms:TagResource"))
                .resources(keyArns)
                .conditions(Map.of(
                        "Null", untaggedKeyGettingAProject(),
                        "StringEquals", Map.of("aws:RequestTag/" + DEPLOYMENT_TAG, deployment,
                                "aws:RequestTag/" + STATE_TAG, ACTIVE),
                        // an adoption names the project, the deployment, the state and who adopted: never a
                        // rotation (a created key's mark) nor retirement dates
                        "ForAllValues:StringEquals", Map.of("aws:TagKeys", List.of(PROJECT_TAG, DEPLOYMENT_TAG, STATE_TAG,
                                TAG_PREFIX + "adopted-by"))))
                .build();
    }

    /** Keys on their way out: the only ones the audit may tag, untag or delete. */
    static final List<String> RETIRING = List.of(RETIRED, ABANDONED, DELETION_SCHEDULED);

    /**
     * One function's ledger transitions: ledger tags on a key of this deployment whose state is one of
     * {@code from} (null: any state of the project's keys), and, when the request sets the state, only to one
     * of {@code to}. Each function gets only its own transitions, so a compromised function cannot walk a
     * key into another function's power (an active key is never taggable by the one function that deletes).
     */
    PolicyStatement tagTransition(String sid, List<String> from, List<String> to) {
        return tagTransition(sid, from, to, LEDGER_TAG_KEYS);
    }

    /** As {@link #tagTransition(String, List, List)}, writing only {@code tagKeys}. */
    PolicyStatement tagTransition(String sid, List<String> from, List<String> to, List<String> tagKeys) {
        Map<String, Object> equals = from == null ? deploymentKey() : deploymentKey(from.toArray(String[]::new));
        return PolicyStatement.Builder.create()
                .sid(sid)
                .actions(List.of("kms:TagResource"))
                .resources(keyArns)
                .conditions(Map.of(
                        "StringEquals", equals,
                        "Null", hasProjectTag(),
                        // the state only to this function's states; the deployment never to another's
                        "StringEqualsIfExists", Map.of("aws:RequestTag/" + STATE_TAG, to,
                                "aws:RequestTag/" + DEPLOYMENT_TAG, deployment),
                        "ForAllValues:StringEquals", Map.of("aws:TagKeys", tagKeys)))
                .build();
    }

    /**
     * Removing ledger tags of a key of this deployment in one of the states {@code from} (null: any):
     * Preflight a stale retired-at or safe-after on the key Atlas uses, AuditAndRetire a stale safe-after on
     * a retiring key; never the tags of other keys, never other tag keys. The state tag itself is never
     * removed: a key without it would be nobody's to decide.
     */
    PolicyStatement untagProjectKeys(String sid, List<String> from) {
        return untagProjectKeys(sid, from, LEDGER_TAG_KEYS.stream()
                .filter(k -> !k.equals(STATE_TAG) && !k.equals(PROJECT_TAG) && !k.equals(DEPLOYMENT_TAG)).toList());
    }

    /** As {@link #untagProjectKeys(String, List)}, removing only {@code tagKeys}. */
    PolicyStatement untagProjectKeys(String sid, List<String> from, List<String> tagKeys) {
        Map<String, Object> equals = from == null ? deploymentKey() : deploymentKey(from.toArray(String[]::new));
        return PolicyStatement.Builder.create()
                .sid(sid)
                .actions(List.of("kms:UntagResource"))
                .resources(keyArns)
                .conditions(Map.of(
                        "StringEquals", equals,
                        "Null", hasProjectTag(),
                        "ForAllValues:StringEquals", Map.of("aws:TagKeys", tagKeys)))
                .build();
    }

    /**
     * GrantAtlasAccess writes the policy of the new key only, while it is still pending: an active or
     * retired key's policy is never rewritten.
     */
    PolicyStatement putPolicyOnPendingKey() {
        return PolicyStatement.Builder.create()
                .sid("PutPolicyOnPendingKeysOfThisDeployment")
                .actions(List.of("kms:PutKeyPolicy"))
                .resources(keyArns)
                .conditions(Map.of("StringEquals", deploymentKey(PENDING), "Null", hasProjectTag()))
                .build();
    }

    /** Safety rule 7: a key policy written by the rotator never skips KMS's lockout check. */
    PolicyStatement denyLockoutBypass(String action) {
        return PolicyStatement.Builder.create()
                .sid("NeverBypassPolicyLockoutSafetyCheck")
                .effect(Effect.DENY)
                .actions(List.of(action))
                .resources(List.of("*"))
                .conditions(Map.of("Bool", Map.of("kms:BypassPolicyLockoutSafetyCheck", "true")))
                .build();
    }

    /** CreateAlias/UpdateAlias need permission on the alias itself: only the projects' own alias names. */
    PolicyStatement moveAliasOnAliases() {
        return PolicyStatement.Builder.create()
                .sid("MoveOnlyTheProjectsAliases")
                .actions(List.of("kms:CreateAlias", "kms:UpdateAlias"))
                .resources(aliasArns)
                .build();
    }

    /** ... and on the key(s) it points at, old and new: only keys of this deployment. */
    PolicyStatement moveAliasOnKeys() {
        return PolicyStatement.Builder.create()
                .sid("PointAliasesOnlyAtKeysOfThisDeployment")
                .actions(List.of("kms:CreateAlias", "kms:UpdateAlias"))
                .resources(keyArns)
                .conditions(Map.of("StringEquals", deploymentKey(), "Null", hasProjectTag()))
                .build();
    }

    /**
     * Only AuditAndRetire schedules deletion, and only of a key of this deployment whose ledger state says it
     * is retired or abandoned (or already being deleted): an active or pending key can never be deleted, even
     * by a bug in the function.
     */
    PolicyStatement scheduleDeletionOfRetiredKeys() {
        return PolicyStatement.Builder.create()
                .sid("ScheduleDeletionOnlyOfRetiredKeysOfThisDeployment")
                .actions(List.of("kms:ScheduleKeyDeletion"))
                .resources(keyArns)
                .conditions(Map.of(
                        "StringEquals", deploymentKey(RETIRING.toArray(String[]::new)),
                        "Null", hasProjectTag(),
                        // never a shorter waiting period than the configuration's: time to notice and cancel
                        "NumericGreaterThanEquals", Map.of("kms:ScheduleKeyDeletionPendingWindowInDays",
                                Integer.toString(minPendingWindowDays))))
                .build();
    }
}
