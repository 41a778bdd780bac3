package io.atlascmk.rotator.rotation;

import io.atlascmk.rotator.atlas.AtlasApi;
import io.atlascmk.rotator.atlas.AwsKms;
import io.atlascmk.rotator.kms.KeyIds;
import io.atlascmk.rotator.kms.KeyService;
import io.atlascmk.rotator.kms.KeyState;
import io.atlascmk.rotator.kms.KeyTags;
import io.atlascmk.rotator.kms.ManagedKey;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rollback: Atlas rejected the new key (or the switch failed for good). Switches Atlas back to the
 * old key when it names the new one (same ARN-or-id spelling rule as SwitchAtlasKey), then tags the
 * new key {@code abandoned} with {@code retired-at} now: Atlas may have used it for a moment, so the
 * audit treats it like a retired key (snapshots and restore windows are checked before its deletion).
 * The old key is not touched: it stays {@code active}.
 *
 * <p>When Atlas names a third key (changed by hand meanwhile) Atlas is left alone and only the new
 * key is abandoned. Refuses ({@link KeyNotInRotationException}) when the new key is not this
 * rotation's, or is already {@code active} (the rotation was finalized: start a new rotation to go
 * back).
 *
 * <p><b>Waits until Atlas is back.</b> The new key is abandoned only once Atlas names the old key,
 * reports it valid and every AWS-encrypted cluster is IDLE again (re-wrapped under the old key);
 * until then the step answers {@code waiting} and the workflow checks again after a wait, up to a
 * deadline after which the rollback is reported as not settled.
 *
 * <p><b>Idempotent.</b> The PATCH is sent only while Atlas names the new key, and tags only when
 * they differ; a re-run after a crash at any point ends the same.
 */
public final class RollbackStep {

    private static final Logger LOG = LoggerFactory.getLogger(RollbackStep.class);

    private final AtlasApi atlas;
    private final java.util.function.BiFunction<String, String, KeyService> keysFor;
    private final Clock clock;

    public RollbackStep(StepDependencies deps) {
        this.atlas = deps.atlas();
        this.keysFor = deps::keysFor;
        this.clock = deps.clock();
    }

    public RollbackResult rollback(RollbackRequest request) {
        String projectId = request.projectId();
        String rotationId = request.rotationId();
        LOG.info("Rolling back rotation {} of project {}: {}", rotationId, projectId, request.reason());
        AwsKms atlasKms = AtlasConfig.requireAwsKms(projectId, atlas.getEncryptionAtRest(projectId));
        KeyService keys = keysFor.apply(projectId, KeyLocation.regionOf(request.newKeyId(), atlasKms));
        ManagedKey newKey = keys.describe(request.newKeyId());
        if (!newKey.ownedBy(projectId) || !rotationId.equals(newKey.tag(KeyTags.ROTATION))
                || (newKey.state() != KeyState.PENDING && newKey.state() != KeyState.ABANDONED)) {
            throw new KeyNotInRotationException("Refusing to roll back to key " + request.oldKeyId() + " and abandon key "
                    + newKey.arn() + ": it is not the pending key of project " + projectId + " and rotation "
                    + rotationId + " (its tags: project=" + newKey.tag(KeyTags.PROJECT) + ", rotation="
                    + newKey.tag(KeyTags.ROTATION) + ", state=" + newKey.tag(KeyTags.STATE) + "). An active key was"
                    + " finalized: to go back, start a new rotation.");
        }

        String held = atlasKms.customerMasterKeyID();
        String atlasKey = held;
        boolean switchedBack = false;
        if (KeyIds.sameKey(held, newKey.keyId())) {
            AtlasConfig.requireRoleId(projectId, atlasKms);
            ManagedKey oldKey = keys.describe(request.oldKeyId());
            atlasKey = KeyLocation.spellingForAtlas(held, oldKey.keyId(), oldKey.arn());
            atlas.updateAwsKms(projectId, atlasKms.withCustomerMasterKeyID(atlasKey));
            switchedBack = true;
            LOG.info("Switched Atlas project {} back from {} to {}", projectId, held, atlasKey);
        } else if (!KeyIds.sameKey(held, request.oldKeyId())) {
            LOG.warn("Atlas project {} names key {}, neither the old key {} nor the new key {}; Atlas left as it is",
                    projectId, held, request.oldKeyId(), newKey.keyId());
        }

        int next = request.attempt() + 1;
        if (switchedBack) {
            return waiting(atlasKey, newKey, true, next, "Switched Atlas back to key " + atlasKey + "; waiting until it"
                    + " reports the key valid and every AWS-encrypted cluster is IDLE before abandoning " + newKey.keyId() + ".");
        }
        if (KeyIds.sameKey(held, request.oldKeyId())) {
            String notYet = notSettled(projectId, atlasKms);
            if (notYet != null) {
                return waiting(atlasKey, newKey, false, next, notYet);
            }
        }

        Map<String, String> tags = new LinkedHashMap<>();
        if (newKey.state() != KeyState.ABANDONED) {
            tags.put(KeyTags.STATE, KeyState.ABANDONED.tagValue());
        }
        if (RetirementInput.retiredAtTag(newKey) == null) {
            tags.put(KeyTags.RETIRED_AT, clock.instant().toString());
        }
        if (!tags.isEmpty()) {
            // A rollback minutes after CreateKey may meet KMS not yet authorizing by the key's tags: retried.
            Propagation.onNewKey(newKey, clock, "tag abandoned", () -> keys.tag(newKey.arn(), tags));
        }
        return new RollbackResult(atlasKey, newKey.keyId(), false, RollbackResult.DONE, next, 0,
                "Atlas uses key " + atlasKey + " again; key " + newKey.keyId() + " is abandoned.");
    }

    private static RollbackResult waiting(String atlasKey, ManagedKey newKey, boolean switchedBack, int next, String message) {
        LOG.info(message);
        return new RollbackResult(atlasKey, newKey.keyId(), switchedBack, RollbackResult.WAITING, next,
                RollbackResult.WAIT_SECONDS, message);
    }

    /** Why Atlas is not back yet on the old key (not valid, clusters busy), or null when it is. */
    private String notSettled(String projectId, AwsKms atlasKms) {
        if (!Boolean.TRUE.equals(atlasKms.valid())) {
            return "Atlas names the old key " + atlasKms.customerMasterKeyID() + " but does not report it valid yet.";
        }
        List<String> busy = DeploymentCheck.busyAwsClusters(atlas.listClusters(projectId));
        return busy.isEmpty() ? null : "AWS-encrypted cluster(s) still re-encrypting with the old key: " + String.join(", ", busy) + ".";
    }
}
