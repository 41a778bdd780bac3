package io.atlascmk.rotator.rotation;

import io.atlascmk.rotator.atlas.AtlasApi;
import io.atlascmk.rotator.kms.KeyIds;
import io.atlascmk.rotator.kms.KeyService;
import io.atlascmk.rotator.kms.KeyState;
import io.atlascmk.rotator.kms.KeyTags;
import io.atlascmk.rotator.kms.ManagedKey;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * CreateKey: one new symmetric encryption key per rotation, in the current key's region.
 *
 * <p><b>Idempotent.</b> The key is created with its ledger tags ({@code project}, {@code rotation},
 * {@code state=pending}) in the CreateKey call itself, so no crash can leave an untagged key; a re-run
 * first looks for the key tagged with this rotation id ({@link KeyService#findByRotation}) and returns
 * it with {@code created=false}. Exactly one key per rotation, however often the step runs.
 *
 * <p><b>Multi-Region keys.</b> When the current key is a multi-Region key ({@code mrk-...}), the new key
 * is created as a multi-Region <em>primary</em> key in the same region. The customer chose multi-Region
 * (usually to keep replicas in other regions for disaster recovery), and only a multi-Region primary
 * can be replicated later; a single-Region key would silently drop that option. Replicas are
 * <em>not</em> created: Atlas uses the key in one region only, and where replicas go (and who may use
 * them) is the customer's decision. Re-create them with {@code aws kms replicate-key} after the
 * rotation if the old key had any.
 */
public final class CreateKeyStep {

    private static final Logger LOG = LoggerFactory.getLogger(CreateKeyStep.class);

    private final AtlasApi atlas;
    private final Function<String, KeyService> keysByRegion;

    public CreateKeyStep(StepDependencies deps) {
        this.atlas = deps.atlas();
        this.keysByRegion = deps.keysByRegion();
    }

    public CreateKeyResult createKey(CreateKeyRequest request) {
        String projectId = request.projectId();
        String rotationId = request.rotationId();
        String region = KeyIds.regionOf(request.currentKeyId()) != null
                ? KeyIds.regionOf(request.currentKeyId())
                : KeyLocation.regionOf(request.currentKeyId(), atlas.getEncryptionAtRest(projectId).awsKms());
        KeyService keys = keysByRegion.apply(region);

        Optional<ManagedKey> existing = keys.findByRotation(projectId, rotationId);
        if (existing.isPresent()) {
            ManagedKey key = existing.get();
            LOG.info("Rotation {} already created key {}; returning it", rotationId, key.arn());
            return new CreateKeyResult(key.keyId(), key.arn(), regionOr(key, region), key.multiRegion(), false);
        }

        ManagedKey current = keys.describe(request.currentKeyId());
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put(KeyTags.PROJECT, projectId);
        tags.put(KeyTags.ROTATION, rotationId);
        tags.put(KeyTags.STATE, KeyState.PENDING.tagValue());
        String description = "MongoDB Atlas encryption at rest for project " + projectId
                + ", created by rotation " + rotationId + " (atlas-cmk-rotator)";
        ManagedKey created = keys.createKey(description, tags, current.multiRegion());
        LOG.info("Rotation {} created key {} (multiRegion={}) for project {}", rotationId, created.arn(),
                created.multiRegion(), projectId);
        return new CreateKeyResult(created.keyId(), created.arn(), regionOr(created, region), created.multiRegion(), true);
    }

    private static String regionOr(ManagedKey key, String fallback) {
        return key.region() != null ? key.region() : fallback;
    }
}
