package io.atlascmk.rotator.rotation;

import io.atlascmk.rotator.atlas.AtlasApi;
import io.atlascmk.rotator.kms.KeyIds;
import io.atlascmk.rotator.kms.KeyService;
import io.atlascmk.rotator.kms.ManagedKey;
import java.time.Clock;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * GrantAtlasAccess: gives the new key the current key's policy (so the account and its key
 * administrators keep exactly the access they had; statements naming the current key by ARN are
 * made to name "this key") plus the statement that lets the Atlas role {@code kms:Encrypt},
 * {@code kms:Decrypt} and {@code kms:DescribeKey} ({@link KeyPolicies#initialPolicy}).
 *
 * <p>A policy that would leave nobody but Atlas able to change it is refused before anything is
 * written ({@link KeyPolicyLockoutException}); KMS's own lockout check stays on as well.
 *
 * <p>KMS may refuse the write for a few minutes after the key was created (tag-based authorization
 * has not seen its tags yet): that is {@link NewKeyNotYetAuthorizedException}, which the workflow
 * retries ({@link Propagation}).
 *
 * <p><b>Idempotent.</b> The policy is computed, compared with the key's policy
 * ({@link KeyPolicies#sameEffectivePolicy}) and written only when it differs.
 */
public final class GrantAtlasAccessStep {

    private static final Logger LOG = LoggerFactory.getLogger(GrantAtlasAccessStep.class);

    private final AtlasApi atlas;
    private final java.util.function.BiFunction<String, String, KeyService> keysFor;
    private final Clock clock;

    public GrantAtlasAccessStep(StepDependencies deps) {
        this.atlas = deps.atlas();
        this.keysFor = deps::keysFor;
        this.clock = deps.clock();
    }

    public GrantAtlasAccessResult grant(GrantAtlasAccessRequest request) {
        String projectId = request.projectId();
        String region = KeyIds.regionOf(request.newKeyId()) != null ? KeyIds.regionOf(request.newKeyId())
                : KeyIds.regionOf(request.currentKeyId()) != null ? KeyIds.regionOf(request.currentKeyId())
                : KeyLocation.regionOf(request.newKeyId(), atlas.getEncryptionAtRest(projectId).awsKms());
        KeyService keys = keysFor.apply(projectId, region);
        ManagedKey newKey = keys.describe(request.newKeyId());
        SwitchAtlasKeyStep.requirePendingKeyOfRotation(newKey, projectId, request.rotationId(),
                "grant the Atlas role access to");
        ManagedKey currentKey = keys.describe(request.currentKeyId());

        String desired = KeyPolicies.initialPolicy(keys.getPolicy(currentKey.arn()), currentKey.arn(),
                request.atlasRoleArn(), null);
        String summary = KeyPolicies.summary(desired);
        if (KeyPolicies.sameEffectivePolicy(keys.getPolicy(newKey.arn()), desired)) {
            LOG.info("Key {} already grants {} access; policy unchanged", newKey.keyId(), request.atlasRoleArn());
            // When it was written is not known: "now" can only lengthen SwitchAtlasKey's wait for Atlas.
            return new GrantAtlasAccessResult(false, summary, clock.instant());
        }
        Propagation.onNewKey(newKey, clock, "write the policy of", () -> keys.putPolicy(newKey.arn(), desired));
        LOG.info("Key {} now grants {} access: {}", newKey.keyId(), request.atlasRoleArn(), summary);
        return new GrantAtlasAccessResult(true, summary, clock.instant());
    }
}
