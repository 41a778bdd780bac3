package io.atlascmk.rotator.rotation;

import io.atlascmk.rotator.atlas.AtlasApi;
import io.atlascmk.rotator.atlas.AtlasApiException;
import io.atlascmk.rotator.atlas.AwsKms;
import io.atlascmk.rotator.atlas.CloudProviderAccessRole;
import io.atlascmk.rotator.atlas.EncryptionAtRest;
import io.atlascmk.rotator.kms.KeyGrant;
import io.atlascmk.rotator.kms.KeyIds;
import io.atlascmk.rotator.kms.KeyService;
import io.atlascmk.rotator.kms.KmsOperationException;
import io.atlascmk.rotator.kms.ManagedKey;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * Gathers {@link AdoptionEvidence} for an adopted key that nothing else keeps: every other project of the
 * deployment's Atlas configuration, the key's grants, and its key policy.
 *
 * <p>Limit, said in the README: only the deployment's projects are asked. The Atlas Admin API subset this
 * project's contract is held against has no call that lists every project the credentials can read, so a
 * project outside the deployment that shares the key is caught by the key policy instead (its Atlas role
 * must be granted the key) and by CloudTrail's usage evidence.
 */
final class AdoptionCheck {

    private final AtlasApi atlas;

    AdoptionCheck(AtlasApi atlas) {
        this.atlas = atlas;
    }

    AdoptionEvidence gather(ManagedKey key, String projectId, AwsKms atlasKms, boolean keep, KeyService keys,
                            Collection<String> deploymentProjects) {
        if (keep) {
            return new AdoptionEvidence(true, List.of(), List.of(), List.of(), List.of(), null);
        }
        String keyId = KeyIds.keyId(key.keyId() != null ? key.keyId() : key.arn());
        List<String> naming = new ArrayList<>();
        List<String> unreadable = new ArrayList<>();
        for (String other : deploymentProjects) {
            if (other.equals(projectId)) {
                continue;
            }
            try {
                EncryptionAtRest ear = atlas.getEncryptionAtRest(other);
                String reference = ear.awsKms() == null ? null : ear.awsKms().customerMasterKeyID();
                if (reference != null && KeyIds.sameKey(reference, keyId)) {
                    naming.add(other);
                }
            } catch (AtlasApiException unreadableProject) {
                unreadable.add(other + " (" + unreadableProject.getClass().getSimpleName() + ")");
            }
        }
        List<String> grantees = new ArrayList<>();
        List<String> policyUsers = new ArrayList<>();
        String unavailable = null;
        try {
            for (KeyGrant grant : keys.listGrants(key.arn())) {
                grantees.add(grant.granteePrincipal() + " " + grant.operations());
            }
            Set<String> others = KeyPolicies.otherUsers(keys.getPolicy(key.arn()), accountOf(key.arn()),
                    atlasRoleArn(projectId, atlasKms));
            policyUsers.addAll(others);
        } catch (RuntimeException e) { // whatever could not be read keeps the key
            unavailable = "the key's grants or policy could not be read: " + e.getMessage();
        }
        return new AdoptionEvidence(false, naming, unreadable, grantees, policyUsers, unavailable);
    }

    /** The IAM role Atlas uses for this project (its role id resolved through cloudProviderAccess); null if unknown. */
    private String atlasRoleArn(String projectId, AwsKms atlasKms) {
        if (atlasKms == null || atlasKms.roleId() == null) {
            return null;
        }
        for (CloudProviderAccessRole role : atlas.listCloudProviderAccessRoles(projectId)) {
            if (atlasKms.roleId().equals(role.roleId())) {
                return role.iamAssumedRoleArn();
            }
        }
        return null;
    }

    private static String accountOf(String keyArn) {
        String[] parts = keyArn.split(":");
        return parts.length > 4 ? parts[4] : "";
    }
}
