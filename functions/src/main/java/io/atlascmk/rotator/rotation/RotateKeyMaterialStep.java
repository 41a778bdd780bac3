package io.atlascmk.rotator.rotation;

import io.atlascmk.rotator.atlas.AtlasApi;
import io.atlascmk.rotator.kms.KeyMaterial;
import io.atlascmk.rotator.kms.KeyService;
import io.atlascmk.rotator.kms.KeyState;
import io.atlascmk.rotator.kms.KeyTags;
import io.atlascmk.rotator.kms.KmsLimitExceededException;
import io.atlascmk.rotator.kms.ManagedKey;
import java.util.Objects;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code key-material} method: the key Atlas uses keeps its id, KMS rotates its material. Makes sure automatic
 * rotation is on with the project's period, and for a manual or alert-started run rotates the material now
 * (RotateKeyOnDemand). Atlas is not called and not changed; no key is retired or deleted.
 *
 * <p>Refuses a key that is not this deployment's active key of the project (Preflight adopted it), and a key whose
 * material KMS does not make (imported, or in a custom key store): KMS cannot rotate those.
 */
public final class RotateKeyMaterialStep {

    private static final Logger LOG = LoggerFactory.getLogger(RotateKeyMaterialStep.class);

    private final java.util.function.BiFunction<String, String, KeyService> keysFor;

    public RotateKeyMaterialStep(StepDependencies deps) {
        this.keysFor = deps::keysFor;
    }

    public RotateKeyMaterialResult rotate(RotateKeyMaterialRequest request) {
        String region = io.atlascmk.rotator.kms.KeyIds.regionOf(request.keyId());
        KeyService keys = keysFor.apply(request.projectId(), region);
        ManagedKey key = keys.describe(request.keyId());
        if (!key.ownedBy(request.projectId()) || key.state() != KeyState.ACTIVE
                || !keys.deployment().equals(key.tag(KeyTags.DEPLOYMENT))) {
            throw new KeyNotInRotationException("Key " + key.arn() + " is not project " + request.projectId()
                    + "'s active key of this deployment (its tags: project=" + key.tag(KeyTags.PROJECT) + ", state="
                    + key.tag(KeyTags.STATE) + ", deployment=" + key.tag(KeyTags.DEPLOYMENT) + "); nothing was changed."
                    + " Run the rotation again: Preflight adopts the key Atlas uses.");
        }
        KeyMaterial material = keys.material(key.arn());
        if (!KeyMaterial.AWS_KMS.equals(material.origin())) {
            throw new UnsupportedKeyOriginException(key.arn(), material.origin());
        }
        boolean periodChanged = !material.rotationEnabled()
                || !Objects.equals(material.rotationPeriodInDays(), request.rotationPeriodDays());
        if (periodChanged) {
            keys.enableRotation(key.arn(), request.rotationPeriodDays());
        }
        boolean rotated = false;
        if (Boolean.TRUE.equals(request.onDemand())) {
            java.time.Instant last = keys.lastRotation(key.arn()).orElse(null);
            if (last != null && !last.isBefore(request.startedAt())) {
                rotated = true; // this run rotated it already (a retry after a timeout): not again
                LOG.info("Key {} was rotated at {}, after this run started: not rotated again", key.arn(), last);
            } else {
                try {
                    keys.rotateOnDemand(key.arn());
                    rotated = true;
                } catch (KmsLimitExceededException capped) {
                    throw new KeyMaterialRotationLimitException(request.projectId(), key.arn(), capped);
                }
            }
        }
        RotateKeyMaterialResult result = new RotateKeyMaterialResult(key.keyId(), key.arn(), request.rotationPeriodDays(),
                periodChanged, rotated, keys.lastRotation(key.arn()).orElse(null));
        LOG.info("Key material of project {}'s key {}: automatic rotation every {} days{}{}", request.projectId(),
                key.arn(), request.rotationPeriodDays(), periodChanged ? " (set now)" : "", rotated ? ", rotated now on demand" : "");
        return result;
    }
}
