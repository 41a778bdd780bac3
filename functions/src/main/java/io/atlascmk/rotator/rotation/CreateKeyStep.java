package io.atlascmk.rotator.rotation;

import io.atlascmk.rotator.atlas.AtlasApi;
import io.atlascmk.rotator.kms.KeyIds;
import io.atlascmk.rotator.kms.KeyMaterial;
import io.atlascmk.rotator.kms.KeyService;
import io.atlascmk.rotator.kms.KeyState;
import io.atlascmk.rotator.kms.KeyTags;
import io.atlascmk.rotator.kms.ManagedKey;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.ArrayList;
import java.util.List;
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
 * <p><b>Lock.</b> Who goes on is decided by the project's rotation lock (Preflight took it; the handler
 * confirmed it before this step ran), never by comparing keys. Another rotation's {@code pending} key of
 * the project is therefore an anomaly (a run from before the lock, or a key tagged by hand): it is
 * reported ({@link CreateKeyResult#anomalies()}, and a WARN), not a tie to break.
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
    private final java.util.function.BiFunction<String, String, KeyService> keysFor;
    private final Clock clock;

    public CreateKeyStep(StepDependencies deps) {
        this.atlas = deps.atlas();
        this.keysFor = deps::keysFor;
        this.clock = deps.clock();
    }

    public CreateKeyResult createKey(CreateKeyRequest request) {
        String projectId = request.projectId();
        String rotationId = request.rotationId();
        String region = KeyIds.regionOf(request.currentKeyId()) != null
                ? KeyIds.regionOf(request.currentKeyId())
                : KeyLocation.regionOf(request.currentKeyId(), atlas.getEncryptionAtRest(projectId).awsKms());
        KeyService keys = keysFor.apply(projectId, region);

        Optional<ManagedKey> existing = keys.findByRotation(projectId, rotationId);
        ManagedKey key;
        boolean created;
        if (existing.isPresent()) {
            key = existing.get();
            created = false;
            LOG.info("Rotation {} already created key {}; returning it", rotationId, key.arn());
        } else {
            ManagedKey current = keys.describe(request.currentKeyId());
            KeyMaterial material = keys.material(current.arn());
            if (KeyMaterial.EXTERNAL.equals(material.origin()) || KeyMaterial.EXTERNAL_KEY_STORE.equals(material.origin())) {
                throw new UnsupportedKeyOriginException(current.arn(), material.origin());
            }
            Map<String, String> tags = new LinkedHashMap<>();
            for (String copied : request.copyTags()) {
                if (current.tag(copied) != null) {
                    tags.put(copied, current.tag(copied));
                }
            }
            tags.put(KeyTags.PROJECT, projectId);
            tags.put(KeyTags.ROTATION, rotationId);
            tags.put(KeyTags.STATE, KeyState.PENDING.tagValue());
            // The old key's description may be what an inventory or a compliance rule looks for: keep it.
            String description = material.description().isBlank()
                    ? "MongoDB Atlas encryption at rest for project " + projectId + ", created by rotation " + rotationId
                    + " (atlas-cmk-rotator)"
                    : material.description();
            key = keys.createKey(description, tags, current.multiRegion(), material.customKeyStoreId());
            created = true;
            LOG.info("Rotation {} created key {} (multiRegion={}{}) for project {}", rotationId, key.arn(),
                    key.multiRegion(), material.customKeyStoreId() == null ? "" : ", key store " + material.customKeyStoreId(),
                    projectId);
            if (material.rotationEnabled()) {
                ManagedKey made = key;
                Propagation.onNewKey(made, clock, "enable automatic rotation of",
                        () -> keys.enableRotation(made.arn(), material.rotationPeriodInDays()));
            }
        }
        if (!created) {
            // A re-run after a crash between CreateKey and EnableKeyRotation: finish what the old key requires.
            KeyMaterial old = keys.material(request.currentKeyId());
            ManagedKey made = key;
            Propagation.onNewKey(made, clock, "enable automatic rotation of", () -> {
                if (old.rotationEnabled() && !keys.material(made.arn()).rotationEnabled()) {
                    keys.enableRotation(made.arn(), old.rotationPeriodInDays());
                }
            });
        }
        List<String> anomalies = otherPendingKeys(keys, key, projectId, rotationId);
        return new CreateKeyResult(key.keyId(), key.arn(), regionOr(key, region), key.multiRegion(), created, anomalies);
    }

    /** The project's pending keys of other rotations: none should exist while this run holds the lock. */
    private static List<String> otherPendingKeys(KeyService keys, ManagedKey mine, String projectId, String rotationId) {
        List<String> anomalies = new ArrayList<>();
        for (ManagedKey other : keys.findProjectKeys(projectId, false)) {
            if (other.state() == KeyState.PENDING && !other.keyId().equals(mine.keyId())
                    && !rotationId.equals(other.tag(KeyTags.ROTATION))) {
                String anomaly = "Key " + other.keyId() + " of project " + projectId + " is also tagged pending, by rotation "
                        + other.tag(KeyTags.ROTATION) + ", while " + rotationId + " holds the project's lock: left as it"
                        + " is; the next run's Preflight resumes or abandons it once that rotation has ended.";
                LOG.warn(anomaly);
                anomalies.add(anomaly);
            }
        }
        return anomalies;
    }

    private static String regionOr(ManagedKey key, String fallback) {
        return key.region() != null ? key.region() : fallback;
    }
}
