package io.atlascmk.rotator.rescue;

import io.atlascmk.rotator.kms.KeyService;
import io.atlascmk.rotator.kms.KeyState;
import io.atlascmk.rotator.kms.KeyTags;
import io.atlascmk.rotator.kms.ManagedKey;
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
    private static final Logger LOG = LoggerFactory.getLogger(KeyRescue.class);

    private final Function<String, KeyService> keysByRegion;
    private final Clock clock;
    private final RescueEvents events;

    public KeyRescue(Function<String, KeyService> keysByRegion, Clock clock, RescueEvents events) {
        this.keysByRegion = Objects.requireNonNull(keysByRegion, "keysByRegion");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.events = Objects.requireNonNull(events, "events");
    }

    public RescueResult rescue(RescueRequest request) {
        KeyService keys = keysByRegion.apply(request.region());
        ManagedKey key = keys.describe(request.keyArn());
        String projectId = key.tag(KeyTags.PROJECT);
        if (projectId == null) {
            LOG.info("{} of key {} was refused (pending deletion), but the key is not managed by this system: left alone",
                    request.operation(), request.keyArn());
            return result(RescueResult.NOT_OURS, request, null, null);
        }
        String owner = key.tag(KeyTags.DEPLOYMENT);
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
        if (pending) {
            keys.cancelDeletion(key.arn());
        }
        keys.enable(key.arn());
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put(KeyTags.STATE, KeyState.RETIRED.tagValue());
        tags.put(KeyTags.RESCUED_AT, now.toString());
        tags.put(KeyTags.RESCUED_FOR, tagValue(request.caller()));
        keys.tag(key.arn(), tags);
        LOG.warn("Tripwire: cancelled the deletion of key {} of project {}: {} by {} at {} was refused because it was"
                + " pending deletion. The key is enabled and retired again.", key.arn(), projectId, request.operation(),
                request.caller(), request.attemptedAt());
        RescueResult result = result(RescueResult.RESCUED, request, projectId, now);
        events.keyDeletionCancelled(result);
        return result;
    }

    /** Tag values: at most 256 characters of letters, digits, spaces and _ . : / = + - @. */
    static String tagValue(String text) {
        String cleaned = text.replaceAll("[^\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]", "_");
        return cleaned.length() > 256 ? cleaned.substring(0, 256) : cleaned;
    }

    private static RescueResult result(String outcome, RescueRequest request, String projectId, Instant rescuedAt) {
        return new RescueResult(outcome, request.keyArn(), projectId, request.caller(), request.operation(),
                request.attemptedAt(), rescuedAt);
    }
}
