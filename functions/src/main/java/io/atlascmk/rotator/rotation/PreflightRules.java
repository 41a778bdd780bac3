package io.atlascmk.rotator.rotation;

import io.atlascmk.rotator.atlas.AtlasEvent;
import io.atlascmk.rotator.atlas.AwsKms;
import io.atlascmk.rotator.atlas.Cluster;
import io.atlascmk.rotator.atlas.EncryptionAtRest;
import io.atlascmk.rotator.kms.KeyIds;
import io.atlascmk.rotator.kms.KeyState;
import io.atlascmk.rotator.kms.KeyTags;
import io.atlascmk.rotator.kms.ManagedKey;
import io.atlascmk.rotator.rotation.PendingKeyAction.Action;
import io.atlascmk.rotator.rotation.PreflightPlan.Outcome;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Preflight step's rules, pure. In order:
 * <ol>
 *   <li>configuration: AWS KMS customer key management on, a key named by id or ARN, Atlas reports it
 *       valid, KMS reports it enabled, not another project's key; else a typed refusal;</li>
 *   <li>lock (design §4 rule 4): a {@code pending} key of another rotation that is still running
 *       refuses, even with {@code force}; pending keys of dead runs are resumed (this rotation's own),
 *       adopted (Atlas already switched to it) or abandoned (Atlas never used it);</li>
 *   <li>cooldown: when the current key became active fewer than {@code cooldownDays} ago the rotation
 *       is skipped, unless {@code force} or a dead run is being finished. Skipping is an outcome, not an
 *       error: an alert or a schedule arriving soon after a rotation is normal, and a failed execution
 *       would page someone and trip the failed-executions alarm for nothing;</li>
 *   <li>clusters: AWS-encrypted clusters that are not {@code IDLE} refuse, or wait when asked to;</li>
 *   <li>adoption: a current key without this project's tag, or not tagged active, is adopted.</li>
 * </ol>
 */
public final class PreflightRules {

    public static final String KEY_ROTATED_EVENT = "AWS_ENCRYPTION_KEY_ROTATED";

    private PreflightRules() {
    }

    /**
     * @throws CustomerKeyManagementDisabledException   AWS KMS customer key management is off
     * @throws UnsupportedKeyProviderException          the project uses Azure Key Vault or Google Cloud KMS
     * @throws CurrentKeyInvalidException               Atlas names no key, reports it invalid, or KMS reports it not enabled
     * @throws CurrentKeyOwnedByAnotherProjectException the current key is in another project's ledger
     * @throws RotationInProgressException              another rotation of the project is running
     * @throws UnattributedPendingKeyException          a pending key names no rotation
     * @throws ClustersNotIdleException                 clusters are busy and waiting was not asked for
     */
    public static PreflightPlan evaluate(PreflightInput in) {
        String projectId = in.projectId();
        AwsKms kms = requireAwsKms(projectId, in.encryptionAtRest());
        String currentKeyId = keyIdOrNull(kms.customerMasterKeyID());
        if (currentKeyId == null) {
            throw new CurrentKeyInvalidException(projectId, "Atlas names no KMS key by id or ARN (customerMasterKeyID is '"
                    + kms.customerMasterKeyID() + "')");
        }
        if (!kms.isValid()) {
            throw new CurrentKeyInvalidException(projectId, "Atlas reports its key " + currentKeyId
                    + (kms.valid() == null ? " without saying whether it is valid" : " as not valid"));
        }
        ManagedKey current = in.currentKey();
        if (current == null || !KeyIds.sameKey(current.keyId() != null ? current.keyId() : current.arn(), currentKeyId)) {
            throw new IllegalArgumentException("currentKey must be the key Atlas names (" + currentKeyId + ") as KMS describes it.");
        }
        if (current.keyState() != null && !"Enabled".equals(current.keyState())) {
            throw new CurrentKeyInvalidException(projectId, "KMS reports Atlas's key " + currentKeyId + " as " + current.keyState()
                    + ("PendingDeletion".equals(current.keyState()) ? " (cancel the deletion with 'aws kms cancel-key-deletion' and enable it)" : ""));
        }
        String owner = current.tag(KeyTags.PROJECT);
        if (owner != null && !owner.equals(projectId)) {
            throw new CurrentKeyOwnedByAnotherProjectException(projectId, currentKeyId, owner);
        }
        String ownerDeployment = current.tag(KeyTags.DEPLOYMENT);
        if (ownerDeployment != null && !ownerDeployment.equals(in.deployment())) {
            throw new CurrentKeyOfAnotherDeploymentException(projectId, currentKeyId, ownerDeployment, in.deployment());
        }

        List<String> notes = new ArrayList<>();
        List<PendingKeyAction> pending = pendingKeyActions(in, currentKeyId);
        List<String> activeToRetire = ledgerKeys(in, current).stream()
                .filter(k -> k.state() == KeyState.ACTIVE && !KeyIds.sameKey(k.keyId(), currentKeyId))
                .map(ManagedKey::keyId)
                .toList();
        if (!activeToRetire.isEmpty()) {
            notes.add("Keys " + activeToRetire + " are tagged active but Atlas does not name them; they are retired with this rotation.");
        }
        boolean finishingDeadRun = pending.stream().anyMatch(p -> p.action() != Action.ABANDON);

        // a key tagged before the deployment tag existed is adopted too: from then on this deployment's IAM covers it
        boolean adopt = !current.ownedBy(projectId) || current.state() != KeyState.ACTIVE || ownerDeployment == null;
        if (pending.stream().anyMatch(p -> p.action() == Action.RESUME && KeyIds.sameKey(p.keyId(), currentKeyId))) {
            adopt = false; // this rotation's own key: resuming finishes it
        } else if (adopt) {
            notes.add(adoptionNote(current, currentKeyId));
        }

        Instant cooldownEndsAt = null;
        PreflightOptions options = in.options();
        if (options.cooldownDays() > 0 && in.currentKeyActiveSince() != null && !finishingDeadRun) {
            Instant end = in.currentKeyActiveSince().plus(Duration.ofDays(options.cooldownDays()));
            if (in.now().isBefore(end)) {
                cooldownEndsAt = end;
                if (!options.force()) {
                    notes.add("Key " + currentKeyId + " became active at " + in.currentKeyActiveSince() + ", inside the "
                            + options.cooldownDays() + "-day cooldown; nothing was changed. Start the rotation with \"force\": true "
                            + "to rotate anyway.");
                    return plan(Outcome.SKIP, in, kms, current, currentKeyId, adopt, pending, activeToRetire, List.of(),
                            cooldownEndsAt, notes);
                }
                notes.add("Rotating inside the cooldown (until " + end + ") because force was asked for.");
            }
        }

        List<String> busy = in.clusters().stream()
                .filter(Cluster::encryptedWithAwsKms)
                .filter(c -> !c.isIdle())
                .map(c -> c.name() + " (" + c.stateName() + ")")
                .toList();
        if (!busy.isEmpty()) {
            if (!options.waitForClusters()) {
                throw new ClustersNotIdleException(projectId, busy);
            }
            return plan(Outcome.WAIT_FOR_CLUSTERS, in, kms, current, currentKeyId, adopt, pending, activeToRetire, busy,
                    cooldownEndsAt, notes);
        }
        return plan(Outcome.PROCEED, in, kms, current, currentKeyId, adopt, pending, activeToRetire, List.of(),
                cooldownEndsAt, notes);
    }

    /**
     * When the current key became Atlas's key, as well as can be told: the later of the latest
     * {@value #KEY_ROTATED_EVENT} event and the key's creation (it cannot have been active before it
     * existed). Null when neither is known.
     */
    public static Instant activeSince(List<AtlasEvent> events, ManagedKey currentKey) {
        Instant latestEvent = events == null ? null : events.stream()
                .filter(e -> KEY_ROTATED_EVENT.equals(e.eventTypeName()) && e.created() != null)
                .map(AtlasEvent::created)
                .max(Instant::compareTo)
                .orElse(null);
        Instant created = currentKey == null ? null : currentKey.createdAt();
        if (latestEvent == null) {
            return created;
        }
        return created == null || latestEvent.isAfter(created) ? latestEvent : created;
    }

    private static AwsKms requireAwsKms(String projectId, EncryptionAtRest ear) {
        if (ear.awsKmsEnabled()) {
            return ear.awsKms();
        }
        if (ear.azureKeyVaultEnabled()) {
            throw new UnsupportedKeyProviderException(projectId, "Azure Key Vault");
        }
        if (ear.googleCloudKmsEnabled()) {
            throw new UnsupportedKeyProviderException(projectId, "Google Cloud KMS");
        }
        throw new CustomerKeyManagementDisabledException(projectId);
    }

    private static List<PendingKeyAction> pendingKeyActions(PreflightInput in, String currentKeyId) {
        List<PendingKeyAction> actions = new ArrayList<>();
        for (ManagedKey key : ledgerKeys(in, in.currentKey())) {
            if (key.state() != KeyState.PENDING) {
                continue;
            }
            String rotation = key.tag(KeyTags.ROTATION);
            if (rotation == null || rotation.isBlank()) {
                throw new UnattributedPendingKeyException(in.projectId(), key.keyId());
            }
            boolean atlasUsesIt = KeyIds.sameKey(key.keyId(), currentKeyId);
            if (rotation.equals(in.rotationId())) {
                actions.add(new PendingKeyAction(key.keyId(), rotation, Action.RESUME,
                        "created by this rotation before it was interrupted; carrying on with it"));
            } else if (in.runningRotationIds().contains(rotation)) {
                throw new RotationInProgressException(in.projectId(), rotation, key.keyId());
            } else if (atlasUsesIt) {
                actions.add(new PendingKeyAction(key.keyId(), rotation, Action.ADOPT,
                        "rotation " + rotation + " stopped after Atlas switched to it; it is Atlas's key, so it is made active"));
            } else {
                actions.add(new PendingKeyAction(key.keyId(), rotation, Action.ABANDON,
                        "rotation " + rotation + " stopped before Atlas used it; tagged abandoned and left to the audit"));
            }
        }
        return actions;
    }

    /** This project's keys, the current key included once. */
    private static List<ManagedKey> ledgerKeys(PreflightInput in, ManagedKey current) {
        Map<String, ManagedKey> byId = new LinkedHashMap<>();
        for (ManagedKey key : in.projectKeys()) {
            if (key.ownedBy(in.projectId()) && keyIdOrNull(key.keyId()) != null) {
                byId.putIfAbsent(KeyIds.keyId(key.keyId()), key);
            }
        }
        if (current != null && current.ownedBy(in.projectId()) && keyIdOrNull(current.keyId()) != null) {
            byId.putIfAbsent(KeyIds.keyId(current.keyId()), current);
        }
        return new ArrayList<>(byId.values());
    }

    private static String adoptionNote(ManagedKey current, String currentKeyId) {
        if (current.tag(KeyTags.PROJECT) == null) {
            return "Key " + currentKeyId + " is not in the ledger yet (first rotation of this project): it is adopted as the active key.";
        }
        KeyState state = current.state();
        if (state == KeyState.ACTIVE && current.tag(KeyTags.DEPLOYMENT) == null) {
            return "Key " + currentKeyId + " was tagged before the deployment tag existed: it is tagged as this"
                    + " deployment's active key.";
        }
        return "Atlas uses key " + currentKeyId + " although the ledger says '" + (state == null ? "no state" : state.tagValue())
                + "': it is tagged active again.";
    }

    private static PreflightPlan plan(Outcome outcome, PreflightInput in, AwsKms kms, ManagedKey current, String currentKeyId,
                                      boolean adopt, List<PendingKeyAction> pending, List<String> activeToRetire,
                                      List<String> busy, Instant cooldownEndsAt, List<String> notes) {
        return new PreflightPlan(outcome, in.projectId(), in.rotationId(), currentKeyId, current.arn(), current.region(),
                kms.roleId(), adopt, pending, activeToRetire, busy, cooldownEndsAt, notes);
    }

    private static String keyIdOrNull(String reference) {
        if (reference == null || reference.isBlank()) {
            return null;
        }
        try {
            return KeyIds.keyId(reference);
        } catch (IllegalArgumentException notAKey) {
            return null;
        }
    }
}
