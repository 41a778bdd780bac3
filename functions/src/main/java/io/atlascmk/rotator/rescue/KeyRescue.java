package io.atlascmk.rotator.rescue;

import io.atlascmk.rotator.kms.KeyService;
import io.atlascmk.rotator.kms.KeyState;
import io.atlascmk.rotator.kms.KeyTags;
import io.atlascmk.rotator.kms.ManagedKey;
import io.atlascmk.rotator.lock.DynamoDbRotationLock;
import io.atlascmk.rotator.lock.LockGrant;
import io.atlascmk.rotator.lock.LockUnavailableException;
import io.atlascmk.rotator.lock.RotationLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * The tripwire: a deletion something needs cancels itself. When CloudTrail shows a KMS call refused
 * because its key is pending deletion, and the key is one this system scheduled (its ledger says
 * {@code deletion-scheduled} for a project), the deletion is cancelled, the key enabled and tagged
 * {@code retired} with {@code rescued-at} and {@code rescued-for} (the caller), and an urgent
 * {@value #DETAIL_TYPE} event is published. The next audit then sees the refused use in CloudTrail and
 * keeps the key a whole minimum retirement longer.
 *
 * <p>Keys this system does not manage are left alone. Idempotent: a re-delivered event (EventBridge
 * delivers at least once) finds the key no longer pending deletion and only finishes what a crash
 * left undone (enabling, tagging).
 */
public final class KeyRescue {

    public static final String SOURCE = "atlas-cmk-rotator.tripwire";
    public static final String DETAIL_TYPE = "Key Deletion Cancelled";
    /** The urgent event of a key something needs that this deployment may not rescue: an operator must. */
    public static final String NOT_CANCELLED_DETAIL_TYPE = "Key Deletion Not Cancelled";
    private static final Logger LOG = LoggerFactory.getLogger(KeyRescue.class);

    private final java.util.function.BiFunction<String, String, KeyService> keysForKey;
    private final Clock clock;
    private final RescueEvents events;
    private final RotationLock lock;

    /**
     * @param lock the projects' rotation locks: a rescue seizes the project's lock before it writes, so that a
     *             rotation of that project (an audit about to delete again) writes nothing more
     */
    public KeyRescue(Function<String, KeyService> keysByRegion, Clock clock, RescueEvents events, RotationLock lock) {
        this((region, keyArn) -> keysByRegion.apply(region), clock, events, lock);
        Objects.requireNonNull(keysByRegion, "keysByRegion");
    }

    /**
     * As {@link #KeyRescue(Function, Clock, RescueEvents, RotationLock)}, with the KMS operations chosen per key: its
     * region and ARN (a key of a member account is reached through that account's role).
     */
    public KeyRescue(java.util.function.BiFunction<String, String, KeyService> keysForKey, Clock clock, RescueEvents events,
            RotationLock lock) {
        this.keysForKey = Objects.requireNonNull(keysForKey, "keysForKey");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.events = Objects.requireNonNull(events, "events");
        this.lock = Objects.requireNonNull(lock, "lock");
    }

    public RescueResult rescue(RescueRequest request) {
        KeyService keys = keysForKey.apply(request.region(), request.keyArn());
        ManagedKey key = keys.describe(request.keyArn());
        String projectId = key.tag(KeyTags.PROJECT);
        if (projectId == null) {
            LOG.info("{} of key {} was refused (pending deletion), but the key is not managed by this system: left alone",
                    request.operation(), request.keyArn());
            return result(RescueResult.NOT_OURS, request, null, null);
        }
        String owner = key.tag(KeyTags.DEPLOYMENT);
        if (owner == null && ("PendingDeletion".equals(key.keyState()) || key.state() == KeyState.DELETION_SCHEDULED)) {
            // Scheduled before keys carried a deployment tag (KMS cannot tag a key pending deletion, so it was never
            // claimed): this deployment's IAM may not cancel it, yet nobody else will. Say so, loudly.
            LOG.error("Tripwire: {} of key {} (project {}) was refused because it is pending deletion, and the key carries"
                    + " no deployment tag, so this deployment may not cancel it. Cancel it by hand now: aws kms"
                    + " cancel-key-deletion --key-id {} && aws kms enable-key --key-id {}", request.operation(),
                    request.keyArn(), projectId, request.keyArn(), request.keyArn());
            RescueResult result = result(RescueResult.NEEDS_OPERATOR, request, projectId, null);
            events.keyDeletionNotCancelled(result);
            return result;
        }
        if (!keys.deployment().equals(owner)) {
            // this deployment's IAM may not cancel it; the owning deployment's tripwire does, or an operator
            LOG.warn("{} of key {} (project {}) was refused because it is pending deletion, but the key is {}, not"
                    + " deployment {}'s: left to {}. Cancel it by hand if it is needed: aws kms cancel-key-deletion"
                    + " --key-id {}", request.operation(), request.keyArn(), projectId,
                    owner == null ? "no deployment's (tagged before the deployment tag existed)" : "deployment " + owner + "'s",
                    keys.deployment(), owner == null ? "an operator" : "that deployment's tripwire", request.keyArn());
            return result(RescueResult.NOT_OURS, request, projectId, null);
        }
        boolean pending = "PendingDeletion".equals(key.keyState());
        boolean halfDone = !pending && key.state() == KeyState.DELETION_SCHEDULED;
        if (!pending && !halfDone) {
            LOG.info("Key {} of project {} is no longer pending deletion: nothing to rescue", request.keyArn(), projectId);
            return result(RescueResult.NOT_PENDING, request, projectId, null);
        }
        Instant now = clock.instant();
        // Seize the project's lock: a rotation of the project (an audit that would schedule the deletion again)
        // finds it lost at its next confirm. Saving a key never waits for the lock, nor fails for it: when the table
        // cannot be reached, the rescue goes ahead and says so.
        LockGrant grant = null;
        String lockNote = null;
        try {
            grant = lock.seize(projectId, DynamoDbRotationLock.RESCUE_PREFIX + key.keyId() + "-" + now.getEpochSecond());
        } catch (LockUnavailableException unavailable) {
            lockNote = "the rescue went ahead without the project's lock: " + unavailable.getMessage();
            LOG.warn("Tripwire: {}", lockNote);
        }
        try {
            if (pending) {
                keys.cancelDeletion(key.arn());
            }
            keys.enable(key.arn());
            Map<String, String> tags = new LinkedHashMap<>();
            tags.put(KeyTags.STATE, KeyState.RETIRED.tagValue());
            tags.put(KeyTags.RESCUED_AT, now.toString());
            tags.put(KeyTags.RESCUED_FOR, tagValue(request.caller()));
            keys.tag(key.arn(), tags);
        } finally {
            if (grant != null) {
                releaseQuietly(grant);
            }
        }
        String takenFrom = grant == null ? null : grant.takenOverFrom();
        LOG.warn("Tripwire: cancelled the deletion of key {} of project {}: {} by {} at {} was refused because it was"
                + " pending deletion. The key is enabled and retired again.{}", key.arn(), projectId, request.operation(),
                request.caller(), request.attemptedAt(), takenFrom == null ? ""
                        : " Rotation " + takenFrom + " of the project held its lock: it writes nothing more and ends failed.");
        RescueResult result = new RescueResult(RescueResult.RESCUED, request.keyArn(), projectId, request.caller(),
                request.operation(), request.attemptedAt(), now, takenFrom, lockNote);
        events.keyDeletionCancelled(result);
        return result;
    }

    private void releaseQuietly(LockGrant grant) {
        try {
            lock.release(grant);
        } catch (LockUnavailableException e) {
            LOG.warn("Tripwire: could not release the lock of project {} ({}); its lease frees it", grant.projectId(),
                    e.getMessage());
        }
    }

    /** Tag values: at most 256 characters of letters, digits, spaces and _ . : / = + - @. */
    static String tagValue(String text) {
        String cleaned = text.replaceAll("[^\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]", "_");
        return cleaned.length() > 256 ? cleaned.substring(0, 256) : cleaned;
    }

    private static RescueResult result(String outcome, RescueRequest request, String projectId, Instant rescuedAt) {
        return new RescueResult(outcome, request.keyArn(), projectId, request.caller(), request.operation(),
                request.attemptedAt(), rescuedAt, null, null);
    }
}
