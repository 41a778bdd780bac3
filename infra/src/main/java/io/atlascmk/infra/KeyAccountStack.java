package io.atlascmk.infra;

import io.atlascmk.infra.config.RotatorConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.iam.AccountPrincipal;
import software.amazon.awscdk.services.iam.Effect;
import software.amazon.awscdk.services.iam.ManagedPolicy;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.constructs.Construct;

/**
 * The small stack of an AWS account that holds project keys of a rotator deployed in another account (the "hub"):
 * one role, {@link KeyAccounts#memberRoleName}, that the deployment's functions assume for every KMS and CloudTrail call
 * of those projects. Deploy it in each such account with the hub's configuration file and stack name (or as a
 * StackSet from its synthesized template).
 *
 * <p>Least privilege, as at home: the trust policy lets the hub account's roles tagged with this deployment and a
 * step's name assume the role only with the external id and with that step's name as source identity; the permissions
 * are the hub's {@link KmsPermissions} for this account's keys, one managed policy per step, every statement that
 * allows conditioned on {@code aws:SourceIdentity} = that step. So the walk of {@code KeyDeletionReachabilityTest}
 * holds per source identity: only AuditAndRetire deletes, and only retired keys.
 */
public final class KeyAccountStack extends Stack {

    private final Role role;

    /**
     * @param deployment  the rotator stack's name (its keys' deployment tag)
     * @param hubAccount  the account the rotator stack runs in (12 digits)
     * @param externalId  the external id the projects' registrations give with {@code keyAccountRoleArn}
     */
    public KeyAccountStack(Construct scope, String id, StackProps props, RotatorConfig config, String deployment,
            String hubAccount, String externalId) {
        this(scope, id, props, config, deployment, hubAccount, externalId, null);
    }

    /**
     * @param tripwirePattern {@code events/tripwire-rule-pattern.json}: the events of this account's KMS keys pending
     *                        deletion that something tried to use are forwarded to the rotator account's default bus
     *                        (its tripwire rule runs Rescue); null: none
     */
    public KeyAccountStack(Construct scope, String id, StackProps props, RotatorConfig config, String deployment,
            String hubAccount, String externalId, java.nio.file.Path tripwirePattern) {
        super(scope, id, props);
        if (hubAccount == null || !hubAccount.matches("\\d{12}")) {
            throw new IllegalArgumentException("The hub account (-c keyAccountOf=...) must be the 12-digit id of the"
                    + " account the rotator stack runs in, not " + hubAccount + ".");
        }
        if (externalId == null || !externalId.matches("[\\w+=,.@:/-]{2,1224}")) {
            throw new IllegalArgumentException("The external id (-c externalId=...) must be 2 to 1224 letters, digits or"
                    + " + = , . @ : / - _; give the projects' registrations the same one.");
        }
        List<String> identities = KeyAccounts.sourceIdentities();
        role = Role.Builder.create(this, "KeyAccountRole")
                .roleName(KeyAccounts.memberRoleName(deployment))
                .description("Atlas CMK Rotator " + deployment + " (account " + hubAccount + "): its functions' access"
                        + " to this account's project keys")
                // the first step's trust; every step's statement below adds sts:SetSourceIdentity, which AssumeRole
                // with a source identity needs too
                .assumedBy(new AccountPrincipal(hubAccount).withConditions(trust(deployment, externalId,
                        identities.get(0))))
                .maxSessionDuration(software.amazon.awscdk.Duration.hours(1))
                .build();
        for (String identity : identities) {
            role.getAssumeRolePolicy().addStatements(PolicyStatement.Builder.create()
                    .effect(Effect.ALLOW)
                    .principals(List.of(new AccountPrincipal(hubAccount)))
                    .actions(List.of("sts:AssumeRole", "sts:SetSourceIdentity"))
                    .conditions(trust(deployment, externalId, identity))
                    .build());
        }

        KmsPermissions kms = new KmsPermissions(this, config, deployment);
        for (RotatorStep step : RotatorStep.values()) {
            if (KeyAccounts.reachesKeys(step)) {
                List<PolicyStatement> statements = new ArrayList<>(kms.forStep(step));
                if (step == RotatorStep.PREFLIGHT || step == RotatorStep.AUDIT_AND_RETIRE) {
                    statements.add(RotatorFunctions.lookupKeyUsage());
                }
                attach(step.stepName(), statements);
            }
        }
        attach(KeyAccounts.FLEET_PLAN, kms.forFleetPlan());
        attach(KeyAccounts.RESCUE, kms.forRescue());
        if (tripwirePattern != null) {
            // The tripwire's events happen here: send them to the rotator's account, whose Rescue acts on them.
            software.amazon.awscdk.services.events.Rule.Builder.create(this, "ForwardTripwireEvents")
                    .description("Atlas CMK Rotator " + deployment + ": a use of a key pending deletion, to the rotator's"
                            + " account (" + hubAccount + ")")
                    .eventPattern(EventPatternFile.read(tripwirePattern))
                    .targets(List.of(new software.amazon.awscdk.services.events.targets.EventBus(
                            software.amazon.awscdk.services.events.EventBus.fromEventBusArn(this, "RotatorAccountBus",
                                    "arn:" + getPartition() + ":events:" + getRegion() + ":" + hubAccount
                                            + ":event-bus/default"))))
                    .build();
        }
        NagAcknowledgments.keyAccountRole(this, config.keyRegions());

        CfnOutput.Builder.create(this, "KeyAccountRoleArn").value(role.getRoleArn())
                .description("Register each project whose keys are in this account with this role ARN and the external"
                        + " id (./rotator projects add --key-account-role-arn ... --key-account-external-id ...)")
                .build();
    }

    public Role role() {
        return role;
    }

    /** Who may assume the role as {@code identity}: the hub's role of that step of this deployment, with the external id. */
    private static Map<String, Object> trust(String deployment, String externalId, String identity) {
        Map<String, Object> equals = new LinkedHashMap<>();
        equals.put("sts:ExternalId", externalId);
        equals.put("sts:SourceIdentity", identity);
        equals.put("aws:PrincipalTag/" + KeyAccounts.STEP_TAG, identity);
        equals.put("aws:PrincipalTag/" + KmsPermissions.DEPLOYMENT_TAG, deployment);
        return Map.of("StringEquals", equals);
    }

    /** One managed policy per source identity (a role's inline policies share 10,240 characters; these do not). */
    private void attach(String identity, List<PolicyStatement> statements) {
        ManagedPolicy policy = ManagedPolicy.Builder.create(this, identity + "Policy")
                .description("What the rotator's " + identity + " function may do to this account's keys")
                .build();
        for (PolicyStatement statement : statements) {
            if (statement.getEffect() == Effect.ALLOW) {
                // a Deny stays a Deny for every identity
                statement.addCondition("StringEquals", Map.of("aws:SourceIdentity", identity));
            }
            policy.addStatements(statement);
        }
        role.addManagedPolicy(policy);
    }
}
