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
 * deployment and every project the Atlas credentials can read ({@code GET /groups}, all pages), asked which key
 * it uses; the key's grants; and its key policy. A list that cannot be read, or a project whose key cannot be
 * read, keeps the key. Projects the credentials cannot see are caught by the key policy (their Atlas role must be
 * granted the key) and by CloudTrail's usage evidence.
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
        String unavailable = null;
        Set<String> toAsk = new java.util.LinkedHashSet<>(deploymentProjects);
        try {
            atlas.listProjects().forEach(p -> toAsk.add(p.id()));
        } catch (AtlasApiException unlisted) {
            unavailable = "the projects the Atlas credentials can read could not be listed ("
                    + unlisted.getClass().getSimpleName() + ")";
        }
        for (String other : toAsk) {
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
        try {
            for (KeyGrant grant : keys.listGrants(key.arn())) {
                grantees.add(grant.granteePrincipal() + " " + grant.operations());
            }
            Set<String> others = KeyPolicies.otherUsers(keys.getPolicy(key.arn()), accountOfOrEmpty(key.arn()),
                    atlasRoleArn(projectId, atlasKms));
            policyUsers.addAll(others);
        } catch (RuntimeException e) { // whatever could not be read keeps the key
            String reason = "the key's grants or policy could not be read: " + e.getMessage();
            unavailable = unavailable == null ? reason : unavailable + "; " + reason;
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

    private static String accountOfOrEmpty(String keyArn) {
        String account = KeyIds.accountOf(keyArn);
        return account == null ? "" : account;
    }
}
