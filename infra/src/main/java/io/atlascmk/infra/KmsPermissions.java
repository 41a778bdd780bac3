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
 *       regions of this account that carry {@code atlas-cmk-rotator:project} = a configured project id
 *       ({@code aws:ResourceTag}), or, when tagging a key that has no project tag yet, only when the request
 *       sets that tag to a configured project id ({@code aws:RequestTag}, see {@link #adoptUntaggedKey});</li>
 *   <li>{@code kms:CreateKey} only with the project tag in the request;</li>
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
    /** Every tag key the functions write ({@code KeyTags} in functions/): IAM lets them write no other. */
    public static final List<String> LEDGER_TAG_KEYS = List.of(
            PROJECT_TAG, TAG_PREFIX + "rotation", STATE_TAG, TAG_PREFIX + "retired-at", TAG_PREFIX + "safe-after",
            TAG_PREFIX + "adopted-by");

    /** The tags only the tripwire's Rescue function writes (with the state, back to retired). */
    public static final List<String> RESCUE_TAG_KEYS = List.of(STATE_TAG, TAG_PREFIX + "rescued-at",
            TAG_PREFIX + "rescued-for");

    /** Key changes that IAM must tie to the project tag (resource or request tag). */
    public static final List<String> KEY_CHANGING_ACTIONS = List.of(
            "kms:PutKeyPolicy", "kms:TagResource", "kms:UntagResource", "kms:ScheduleKeyDeletion",
            "kms:CancelKeyDeletion", "kms:CreateAlias", "kms:UpdateAlias", "kms:DeleteAlias", "kms:CreateKey",
            "kms:DisableKey", "kms:EnableKey", "kms:CreateGrant", "kms:RetireGrant", "kms:RevokeGrant");

    private final List<String> projectIds;
    /** The tags a new key is created with: the ledger's and the projects' copyTags. */
    private final List<String> creationTagKeys;
    private final List<String> keyArns;
    private final List<String> aliasArns;
    /** The shortest KMS pending window the configuration allows: a deletion may not be scheduled sooner. */
    private final int minPendingWindowDays;

    public KmsPermissions(Construct scope, RotatorConfig config) {
        Stack stack = Stack.of(scope);
        String prefix = "arn:" + stack.getPartition() + ":kms:";
        String account = stack.getAccount();
        this.projectIds = config.projectIds();
        java.util.Set<String> creationTags = new java.util.LinkedHashSet<>(LEDGER_TAG_KEYS);
        config.projects().forEach(p -> creationTags.addAll(p.copyTags()));
        this.creationTagKeys = List.copyOf(creationTags);
        List<String> keys = new ArrayList<>();
        for (String region : config.keyRegions()) {
            keys.add(prefix + region + ":" + account + ":key/*");
        }
        this.keyArns = List.copyOf(keys);
        List<String> aliases = new ArrayList<>();
        for (ProjectConfig project : config.projects()) {
            aliases.add(prefix + project.awsRegion() + ":" + account + ":alias/" + aliasName(project.projectId()));
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
        return "atlas-cmk/" + projectId;
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
            case PREFLIGHT -> List.of(listKeysAndAliases(), describeKeys(), readKeyPolicies(), readGrants(),
                    adoptUntaggedKey(),
                    // a dead run's pending key -> abandoned; a stale active key -> retired; the key Atlas uses -> active
                    tagTransition("PreflightLedger", null, List.of(ACTIVE, RETIRED, ABANDONED)),
                    untagProjectKeys("PreflightUntagTheKeyAtlasUses", null));
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
            case ROLLBACK -> List.of(describeKeys(),
                    tagTransition("RollbackLedger", List.of(PENDING, ABANDONED), List.of(ABANDONED)));
        };
    }

    /**
     * The tripwire's Rescue function: read a key, and only for a configured project's key whose ledger says
     * {@code deletion-scheduled}: cancel its deletion, enable it, tag it back to {@code retired} with the
     * rescue tags. It can neither schedule a deletion nor touch any other key or tag.
     */
    public List<PolicyStatement> forRescue() {
        Map<String, Object> scheduledProjectKey = Map.of("StringEquals", Map.of(
                "aws:ResourceTag/" + PROJECT_TAG, projectIds,
                "aws:ResourceTag/" + STATE_TAG, "deletion-scheduled"));
        return List.of(describeKeys(),
                PolicyStatement.Builder.create()
                        .sid("CancelAndEnableOnlyDeletionScheduledKeysOfConfiguredProjects")
                        .actions(List.of("kms:CancelKeyDeletion", "kms:EnableKey"))
                        .resources(keyArns)
                        .conditions(scheduledProjectKey)
                        .build(),
                PolicyStatement.Builder.create()
                        .sid("TagRescuedKeysOfConfiguredProjects")
                        .actions(List.of("kms:TagResource"))
                        .resources(keyArns)
                        .conditions(Map.of(
                                "StringEquals", Map.of(
                                        "aws:ResourceTag/" + PROJECT_TAG, projectIds,
                                        "aws:ResourceTag/" + STATE_TAG, "deletion-scheduled"),
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
                .sid("CreateKeyOnlyTaggedForConfiguredProject")
                .actions(List.of("kms:CreateKey"))
                .resources(List.of("*"))
                .conditions(Map.of(
                        "StringEquals", Map.of("aws:RequestTag/" + PROJECT_TAG, projectIds,
                                "aws:RequestTag/" + STATE_TAG, PENDING),
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
                .sid("TagKeyBeingCreatedOnlyForConfiguredProject")
                .actions(List.of("kms:TagResource"))
                .resources(keyArns)
                .conditions(Map.of(
                        "Null", Map.of("aws:ResourceTag/" + PROJECT_TAG, "true"),
                        "StringEquals", Map.of("aws:RequestTag/" + PROJECT_TAG, projectIds,
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

    /** Automatic rotation, only on a configured project's key still pending (the one this rotation creates). */
    PolicyStatement enableRotationOfPendingKeys() {
        return PolicyStatement.Builder.create()
                .sid("EnableRotationOnlyOfPendingKeysOfConfiguredProjects")
                .actions(List.of("kms:EnableKeyRotation"))
                .resources(keyArns)
                .conditions(Map.of("StringEquals", Map.of(
                        "aws:ResourceTag/" + PROJECT_TAG, projectIds,
                        "aws:ResourceTag/" + STATE_TAG, "pending")))
                .build();
    }

    /**
     * Tagging a key that has no project tag yet: the tags of a key being created (CreateKey with Tags needs
     * kms:TagResource), and Preflight's adoption of the key Atlas used before the first rotation (project,
     * state=active, adopted-by). Such a key cannot be
     * conditioned on its own tag, so this allows it only when (1) the key has no project tag
     * ({@code Null aws:ResourceTag/...project}), so no key of another owner or project is re-labelled, (2) the
     * request sets the project tag to a configured id, and (3) only ledger tags are written.
     */
    PolicyStatement adoptUntaggedKey() {
        return PolicyStatement.Builder.create()
                .sid("TagUntaggedKeyOnlyForConfiguredProject")
                .actions(List.of("kms:TagResource"))
                .resources(keyArns)
                .conditions(Map.of(
                        "Null", Map.of("aws:ResourceTag/" + PROJECT_TAG, "true"),
                        "StringEquals", Map.of("aws:RequestTag/" + PROJECT_TAG, projectIds,
                                "aws:RequestTag/" + STATE_TAG, ACTIVE),
                        "ForAllValues:StringEquals", Map.of("aws:TagKeys", LEDGER_TAG_KEYS)))
                .build();
    }

    /** Keys on their way out: the only ones the audit may tag, untag or delete. */
    static final List<String> RETIRING = List.of(RETIRED, ABANDONED, DELETION_SCHEDULED);

    /**
     * One function's ledger transitions: ledger tags on a configured project's key whose state is one of
     * {@code from} (null: any state of the project's keys), and, when the request sets the state, only to one
     * of {@code to}. Each function gets only its own transitions, so a compromised function cannot walk a
     * key into another function's power (an active key is never taggable by the one function that deletes).
     */
    PolicyStatement tagTransition(String sid, List<String> from, List<String> to) {
        Map<String, Object> equals = new java.util.LinkedHashMap<>();
        equals.put("aws:ResourceTag/" + PROJECT_TAG, projectIds);
        if (from != null) {
            equals.put("aws:ResourceTag/" + STATE_TAG, from);
        }
        return PolicyStatement.Builder.create()
                .sid(sid)
                .actions(List.of("kms:TagResource"))
                .resources(keyArns)
                .conditions(Map.of(
                        "StringEquals", equals,
                        "StringEqualsIfExists", Map.of("aws:RequestTag/" + STATE_TAG, to),
                        "ForAllValues:StringEquals", Map.of("aws:TagKeys", LEDGER_TAG_KEYS)))
                .build();
    }

    /**
     * Removing ledger tags of a configured project's key in one of the states {@code from} (null: any):
     * Preflight a stale retired-at or safe-after on the key Atlas uses, AuditAndRetire a stale safe-after on
     * a retiring key; never the tags of other keys, never other tag keys. The state tag itself is never
     * removed: a key without it would be nobody's to decide.
     */
    PolicyStatement untagProjectKeys(String sid, List<String> from) {
        Map<String, Object> equals = new java.util.LinkedHashMap<>();
        equals.put("aws:ResourceTag/" + PROJECT_TAG, projectIds);
        if (from != null) {
            equals.put("aws:ResourceTag/" + STATE_TAG, from);
        }
        return PolicyStatement.Builder.create()
                .sid(sid)
                .actions(List.of("kms:UntagResource"))
                .resources(keyArns)
                .conditions(Map.of(
                        "StringEquals", equals,
                        "ForAllValues:StringEquals", Map.of("aws:TagKeys",
                                LEDGER_TAG_KEYS.stream().filter(k -> !k.equals(STATE_TAG) && !k.equals(PROJECT_TAG)).toList())))
                .build();
    }

    /**
     * GrantAtlasAccess writes the policy of the new key only, while it is still pending: an active or
     * retired key's policy is never rewritten.
     */
    PolicyStatement putPolicyOnPendingKey() {
        return PolicyStatement.Builder.create()
                .sid("PutPolicyOnPendingKeysOfConfiguredProjects")
                .actions(List.of("kms:PutKeyPolicy"))
                .resources(keyArns)
                .conditions(Map.of("StringEquals", Map.of(
                        "aws:ResourceTag/" + PROJECT_TAG, projectIds,
                        "aws:ResourceTag/" + STATE_TAG, "pending")))
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

    /** ... and on the key(s) it points at, old and new: only keys of configured projects. */
    PolicyStatement moveAliasOnKeys() {
        return PolicyStatement.Builder.create()
                .sid("PointAliasesOnlyAtKeysOfConfiguredProjects")
                .actions(List.of("kms:CreateAlias", "kms:UpdateAlias"))
                .resources(keyArns)
                .conditions(Map.of("StringEquals", Map.of("aws:ResourceTag/" + PROJECT_TAG, projectIds)))
                .build();
    }

    /**
     * Only AuditAndRetire schedules deletion, and only of a configured project's key whose ledger state says it
     * is retired or abandoned (or already being deleted): an active or pending key can never be deleted, even
     * by a bug in the function.
     */
    PolicyStatement scheduleDeletionOfRetiredKeys() {
        return PolicyStatement.Builder.create()
                .sid("ScheduleDeletionOnlyOfRetiredKeysOfConfiguredProjects")
                .actions(List.of("kms:ScheduleKeyDeletion"))
                .resources(keyArns)
                .conditions(Map.of(
                        "StringEquals", Map.of(
                                "aws:ResourceTag/" + PROJECT_TAG, projectIds,
                                "aws:ResourceTag/" + STATE_TAG, RETIRING),
                        // never a shorter waiting period than the configuration's: time to notice and cancel
                        "NumericGreaterThanEquals", Map.of("kms:ScheduleKeyDeletionPendingWindowInDays",
                                Integer.toString(minPendingWindowDays))))
                .build();
    }
}
