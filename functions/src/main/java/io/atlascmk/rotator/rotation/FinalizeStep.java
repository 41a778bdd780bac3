package io.atlascmk.rotator.rotation;

import io.atlascmk.rotator.atlas.AtlasApi;
import io.atlascmk.rotator.atlas.AwsKms;
import io.atlascmk.rotator.kms.AliasChange;
import io.atlascmk.rotator.kms.KeyIds;
import io.atlascmk.rotator.kms.KeyService;
import io.atlascmk.rotator.kms.KeyState;
import io.atlascmk.rotator.kms.KeyTags;
import io.atlascmk.rotator.kms.ManagedKey;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finalize: after Atlas has re-wrapped every cluster with the new key, records it in the ledger: the
 * new key becomes {@code active}, the old key {@code retired} with {@code retired-at}, and the alias
 * {@code alias/atlas-cmk/<projectId>} moves to the new key.
 *
 * <p>Refuses ({@link AtlasKeyMismatchException}) when Atlas does not name the new key, and
 * ({@link KeyNotInRotationException}) when the new key is not this rotation's or the old key is not
 * in the project's ledger: it never retires a key Atlas uses or a key it does not own.
 *
 * <p><b>Idempotent.</b> Each tag and the alias are compared before writing; a re-run after a crash
 * writes only what is missing and keeps the first {@code retired-at}.
 */
public final class FinalizeStep {

    public static final String ALIAS_PREFIX = "alias/atlas-cmk/";

    private static final Logger LOG = LoggerFactory.getLogger(FinalizeStep.class);

    private final AtlasApi atlas;
    private final java.util.function.BiFunction<String, String, KeyService> keysFor;
    private final Clock clock;

    public FinalizeStep(StepDependencies deps) {
        this.atlas = deps.atlas();
        this.keysFor = deps::keysFor;
        this.clock = deps.clock();
    }

    public static String aliasFor(String projectId) {
        return ALIAS_PREFIX + projectId;
    }

    public FinalizeResult finalizeRotation(FinalizeRequest request) {
        String projectId = request.projectId();
        String rotationId = request.rotationId();
        AwsKms atlasKms = AtlasConfig.requireAwsKms(projectId, atlas.getEncryptionAtRest(projectId));
        if (!KeyIds.sameKey(atlasKms.customerMasterKeyID(), request.newKeyId())) {
            throw new AtlasKeyMismatchException("Atlas project " + projectId + " names key "
                    + atlasKms.customerMasterKeyID() + ", not the new key " + request.newKeyId()
                    + ", so the rotation is not finalized (nothing was tagged or moved). If someone switched the key"
                    + " by hand, decide which key the project should use; the new key stays pending until a later"
                    + " run abandons it.");
        }
        KeyService keys = keysFor.apply(projectId, KeyLocation.regionOf(request.newKeyId(), atlasKms));
        ManagedKey newKey = keys.describe(request.newKeyId());
        if (!newKey.ownedBy(projectId) || !rotationId.equals(newKey.tag(KeyTags.ROTATION))
                || (newKey.state() != KeyState.PENDING && newKey.state() != KeyState.ACTIVE)) {
            throw new KeyNotInRotationException("Refusing to finalize key " + newKey.arn() + ": it is not the pending"
                    + " (or already active) key of project " + projectId + " and rotation " + rotationId
                    + " (its tags: project=" + newKey.tag(KeyTags.PROJECT) + ", rotation="
                    + newKey.tag(KeyTags.ROTATION) + ", state=" + newKey.tag(KeyTags.STATE) + ").");
        }
        ManagedKey oldKey = keys.describe(request.oldKeyId());
        if (!oldKey.ownedBy(projectId)) {
            throw new KeyNotInRotationException("Refusing to retire key " + oldKey.arn() + ": it is not in project "
                    + projectId + "'s ledger (its " + KeyTags.PROJECT + " tag is " + oldKey.tag(KeyTags.PROJECT)
                    + "). Preflight adopts the key Atlas used before the first rotation; tag it "
                    + KeyTags.PROJECT + "=" + projectId + " if it is really this project's, then run Finalize again.");
        }

        if (newKey.state() != KeyState.ACTIVE) {
            keys.tag(newKey.arn(), Map.of(KeyTags.STATE, KeyState.ACTIVE.tagValue()));
        }
        Instant retiredAt = retire(keys, oldKey);
        String alias = aliasFor(projectId);
        AliasChange change = keys.pointAlias(alias, newKey.keyId());
        LOG.info("Finalized rotation {} of project {}: active {}, retired {} at {}, alias {}", rotationId, projectId,
                newKey.keyId(), oldKey.keyId(), retiredAt, change);
        return new FinalizeResult(newKey.keyId(), oldKey.keyId(), retiredAt, alias, change);
    }

    /**
     * Tags the old key {@code retired} with {@code retired-at} now, writing only what differs. A key
     * already retired, abandoned or scheduled for deletion keeps its state; an existing
     * {@code retired-at} is never overwritten.
     */
    private Instant retire(KeyService keys, ManagedKey oldKey) {
        Instant existing = RetirementInput.retiredAtTag(oldKey);
        KeyState state = oldKey.state();
        if (state == KeyState.DELETION_SCHEDULED) {
            return existing;
        }
        Map<String, String> tags = new LinkedHashMap<>();
        if (state != KeyState.RETIRED && state != KeyState.ABANDONED) {
            tags.put(KeyTags.STATE, KeyState.RETIRED.tagValue());
        }
        Instant retiredAt = existing;
        if (retiredAt == null) {
            retiredAt = clock.instant();
            tags.put(KeyTags.RETIRED_AT, retiredAt.toString());
        }
        if (!tags.isEmpty()) {
            keys.tag(oldKey.arn(), tags);
        }
        return retiredAt;
    }
}
