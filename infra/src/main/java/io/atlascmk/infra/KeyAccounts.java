package io.atlascmk.infra;

import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.Tags;
import software.amazon.awscdk.services.iam.IRole;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.constructs.Construct;

/**
 * The rules that tie the rotator's functions to the member role of an account holding project keys
 * ({@link KeyAccountStack}), written once for both sides:
 *
 * <ul>
 *   <li>the member role is named {@link #memberRoleName} after the deployment, so each function's policy names it
 *       (in any account) without growing with the accounts;</li>
 *   <li>each function assumes it only under its own source identity (its step's name), which STS records on the session
 *       and no session can change: the function's policy allows {@code sts:AssumeRole} with that identity only, the
 *       member role's trust policy requires it of a role tagged with that step, and the member role's permissions grant
 *       each identity exactly the KMS calls of that step, so one compromised function gets no more there than at home.</li>
 * </ul>
 */
public final class KeyAccounts {

    /** The tag on each function's role naming its step (trusted by the member role; the functions cannot tag roles). */
    public static final String STEP_TAG = KmsPermissions.TAG_PREFIX + "step";
    /** The source identity of the fleet plan (it reads the keys of every project). */
    public static final String FLEET_PLAN = "FleetPlan";
    /** The source identity of the tripwire's Rescue function (it cancels a deletion something still needs). */
    public static final String RESCUE = "Rescue";
    private static final String PREFIX = "atlas-cmk-key-account-";
    /** IAM role names are at most 64 characters. */
    static final int MAX_DEPLOYMENT_LENGTH = 64 - PREFIX.length();

    private KeyAccounts() {
    }

    /** The member role's name in every account that holds this deployment's keys. */
    public static String memberRoleName(String deployment) {
        if (deployment.length() > MAX_DEPLOYMENT_LENGTH) {
            throw new IllegalArgumentException("The stack name '" + deployment + "' is longer than "
                    + MAX_DEPLOYMENT_LENGTH + " characters: the member role " + PREFIX + "<stack name> would exceed IAM's"
                    + " 64. Deploy the rotator under a shorter stack name (-c stackName=...).");
        }
        return PREFIX + deployment;
    }

    /** The member accounts the configuration's projects name (their keyAccountRoleArn), sorted. */
    public static List<String> accountsOf(io.atlascmk.infra.config.RotatorConfig config) {
        java.util.Set<String> accounts = new java.util.TreeSet<>();
        config.projects().forEach(p -> {
            if (p.keyAccountRoleArn() != null) {
                accounts.add(p.keyAccountRoleArn().split(":")[4]);
            }
        });
        return List.copyOf(accounts);
    }

    /** The functions that call KMS, by source identity: every step that reaches keys, and the fleet plan. */
    public static List<String> sourceIdentities() {
        List<String> names = new java.util.ArrayList<>();
        for (RotatorStep step : RotatorStep.values()) {
            if (reachesKeys(step)) {
                names.add(step.stepName());
            }
        }
        names.add(FLEET_PLAN);
        names.add(RESCUE);
        return List.copyOf(names);
    }

    /** Whether the step calls KMS (CheckDeployment talks to Atlas only). */
    public static boolean reachesKeys(RotatorStep step) {
        return step != RotatorStep.CHECK_DEPLOYMENT;
    }

    /**
     * The function's side: assume the deployment's member role in any account, only under {@code sourceIdentity}, and
     * tag the function's role with its step and deployment (what the member role's trust policy checks).
     */
    public static void allowAssumingMemberRole(Construct scope, IRole role, String deployment, String sourceIdentity) {
        Stack stack = Stack.of(scope);
        role.addToPrincipalPolicy(PolicyStatement.Builder.create()
                .sid("AssumeTheKeyAccountRoleAsThisStep")
                .actions(List.of("sts:AssumeRole", "sts:SetSourceIdentity"))
                .resources(List.of("arn:" + stack.getPartition() + ":iam::*:role/" + memberRoleName(deployment)))
                .conditions(Map.of("StringEquals", Map.of("sts:SourceIdentity", sourceIdentity)))
                .build());
        NagAcknowledgments.assumeMemberRole(role, "AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:iam::*:role/"
                + memberRoleName(deployment) + "]");
        Tags.of(role).add(STEP_TAG, sourceIdentity);
        Tags.of(role).add(KmsPermissions.DEPLOYMENT_TAG, deployment);
    }
}
