package io.atlascmk.rotator.rotation;

import io.atlascmk.rotator.atlas.AtlasApi;
import io.atlascmk.rotator.atlas.AtlasEvent;
import io.atlascmk.rotator.atlas.AtlasInvalidRequestException;
import io.atlascmk.rotator.atlas.AwsKms;
import io.atlascmk.rotator.atlas.EncryptionAtRest;
import io.atlascmk.rotator.kms.KeyIds;
import io.atlascmk.rotator.kms.KeyService;
import io.atlascmk.rotator.kms.KeyState;
import io.atlascmk.rotator.kms.KeyTags;
import io.atlascmk.rotator.kms.ManagedKey;
import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SwitchAtlasKey: points the project's encryption at rest at the new key with
 * {@code PATCH .../encryptionAtRest}, sending the whole {@code awsKms} object Atlas has today
 * ({@code enabled}, {@code region}, {@code roleId}, {@code requirePrivateNetworking} when set) with
 * only {@code customerMasterKeyID} changed. The key is named as a full ARN when Atlas holds an ARN
 * today, else by key id, so the configuration keeps the form the customer chose.
 *
 * <p>Atlas checks that its role can use the key before it saves the change. Minutes after
 * GrantAtlasAccess wrote the key's policy, KMS may not have applied it everywhere yet: a refusal then
 * is {@link AtlasKeyNotYetAccessibleException}, which the workflow retries ({@link Propagation}); a
 * refusal later stands. Nothing is switched either way.
 *
 * <p>Refuses ({@link KeyNotInRotationException}) unless the key is tagged {@code pending} for this
 * project and rotation: Atlas is never pointed at a key this rotation did not create.
 *
 * <p><b>Idempotent.</b> When Atlas already names the key (a re-run after a crash right after the
 * PATCH) nothing is sent; {@code switchedAt} is then the time of the latest
 * {@code AWS_ENCRYPTION_KEY_ROTATED} event since the key was created (Atlas records one per key
 * change), or now when Atlas has no such event. "Now" only makes the settle wait longer, never
 * shorter.
 */
public final class SwitchAtlasKeyStep {

    static final String KEY_ROTATED_EVENT = "AWS_ENCRYPTION_KEY_ROTATED";

    /**
     * Atlas's codes for a malformed body: our own mistake, never a key Atlas cannot reach yet, so never
     * waited out. Any other 400 within {@link Propagation#ATLAS_KEY_ACCESS} of the policy write is.
     */
    private static final Set<String> REQUEST_SHAPE_ERRORS = Set.of("INVALID_JSON", "INVALID_JSON_ATTRIBUTE",
            "MISSING_ATTRIBUTE", "ATTRIBUTE_READ_ONLY", "INVALID_ENUM_VALUE", "INVALID_GROUP_ID");

    private static final Logger LOG = LoggerFactory.getLogger(SwitchAtlasKeyStep.class);

    private final AtlasApi atlas;
    private final java.util.function.BiFunction<String, String, KeyService> keysFor;
    private final Clock clock;

    public SwitchAtlasKeyStep(StepDependencies deps) {
        this.atlas = deps.atlas();
        this.keysFor = deps::keysFor;
        this.clock = deps.clock();
    }

    public SwitchAtlasKeyResult switchKey(SwitchAtlasKeyRequest request) {
        String projectId = request.projectId();
        EncryptionAtRest ear = atlas.getEncryptionAtRest(projectId);
        AwsKms current = AtlasConfig.requireAwsKms(projectId, ear);

        KeyService keys = keysFor.apply(projectId, KeyLocation.regionOf(request.newKeyArn(), current));
        ManagedKey newKey = keys.describe(request.newKeyArn());
        requirePendingKeyOfRotation(newKey, projectId, request.rotationId(), "point Atlas at");

        String held = current.customerMasterKeyID();
        if (KeyIds.sameKey(held, newKey.keyId())) {
            Instant switchedAt = lastKeyChangeSince(projectId, newKey.createdAt());
            LOG.info("Atlas already names key {} for project {}; nothing sent", held, projectId);
            return new SwitchAtlasKeyResult(false, switchedAt, held);
        }
        AtlasConfig.requireRoleId(projectId, current);
        String spelled = KeyLocation.spellingForAtlas(held, newKey.keyId(), newKey.arn());
        Instant policyWrittenAt = request.policyWrittenAt() != null ? request.policyWrittenAt() : newKey.createdAt();
        try {
            atlas.updateAwsKms(projectId, current.withCustomerMasterKeyID(spelled));
        } catch (AtlasInvalidRequestException e) {
            if (REQUEST_SHAPE_ERRORS.contains(e.errorCode())
                    || !Propagation.within(policyWrittenAt, Propagation.ATLAS_KEY_ACCESS, clock)) {
                throw e;
            }
            throw new AtlasKeyNotYetAccessibleException(projectId, newKey.arn(), policyWrittenAt,
                    policyWrittenAt.plus(Propagation.ATLAS_KEY_ACCESS), e);
        }
        Instant switchedAt = clock.instant();
        LOG.info("Switched Atlas project {} from key {} to {}", projectId, held, spelled);
        return new SwitchAtlasKeyResult(true, switchedAt, spelled);
    }

    private Instant lastKeyChangeSince(String projectId, Instant keyCreatedAt) {
        Instant now = clock.instant();
        if (keyCreatedAt == null) {
            return now;
        }
        return atlas.listEvents(projectId, KEY_ROTATED_EVENT, keyCreatedAt).stream()
                .map(AtlasEvent::created)
                .filter(Objects::nonNull)
                .max(Comparator.naturalOrder())
                .orElse(now);
    }

    /** The key must be this project's and this rotation's, tagged {@code pending}. */
    static void requirePendingKeyOfRotation(ManagedKey key, String projectId, String rotationId, String action) {
        if (!key.ownedBy(projectId) || !rotationId.equals(key.tag(KeyTags.ROTATION))
                || key.state() != KeyState.PENDING) {
            throw new KeyNotInRotationException("Refusing to " + action + " key " + key.arn() + ": it is not tagged "
                    + KeyTags.PROJECT + "=" + projectId + ", " + KeyTags.ROTATION + "=" + rotationId + ", "
                    + KeyTags.STATE + "=" + KeyState.PENDING.tagValue() + " (it has project="
                    + key.tag(KeyTags.PROJECT) + ", rotation=" + key.tag(KeyTags.ROTATION) + ", state="
                    + key.tag(KeyTags.STATE) + "). Only the key this rotation created, before it is finalized, may be"
                    + " used; start a new rotation instead.");
        }
    }
}
