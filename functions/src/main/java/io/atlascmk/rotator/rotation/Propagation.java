package io.atlascmk.rotator.rotation;

import io.atlascmk.rotator.kms.KmsAccessDeniedException;
import io.atlascmk.rotator.kms.ManagedKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * How long AWS and Atlas may take to see a key this rotation just made, and how a step tells "not
 * yet" from "no".
 *
 * <p>KMS: a key's tags can take up to five minutes to count in tag-based authorization, so the
 * rotator's own roles (whose KMS permissions are conditioned on the key's tags) may be refused on a
 * brand-new key; a key policy change is eventually consistent too, so Atlas's role may be refused a
 * key whose policy was written seconds ago. Each window here is AWS's five minutes plus one for clock
 * skew between AWS, Atlas and the function.
 *
 * <p>Within a window a refusal becomes a "not yet" exception the workflow retries with a bounded
 * back-off ({@code statemachine/rotation.asl.json}); past it, the refusal stands and the run rolls
 * back as before. Nothing here waits in the function: the waiting is the workflow's, so it costs no
 * Lambda time and shows in the execution history.
 */
public final class Propagation {

    /** Up to five minutes for a new key's tags to count in authorization, plus one. */
    public static final Duration KMS_TAG_AUTHORIZATION = Duration.ofMinutes(6);

    /** Up to five minutes for a key policy to reach Atlas's role, plus one. */
    public static final Duration ATLAS_KEY_ACCESS = Duration.ofMinutes(6);

    private Propagation() {
    }

    /** A KMS call on a key of this run, which may be refused while KMS has not seen the key's tags. */
    @FunctionalInterface
    interface KmsCall {
        void run();
    }

    /**
     * Runs {@code call} on {@code key}; a {@link KmsAccessDeniedException} within
     * {@link #KMS_TAG_AUTHORIZATION} of the key's creation becomes {@link NewKeyNotYetAuthorizedException}
     * (the workflow retries), any later one stands. A key without a creation date gets no grace.
     */
    static void onNewKey(ManagedKey key, Clock clock, String action, KmsCall call) {
        try {
            call.run();
        } catch (KmsAccessDeniedException e) {
            Instant created = key.createdAt();
            Instant now = clock.instant();
            if (created != null && now.isBefore(created.plus(KMS_TAG_AUTHORIZATION))) {
                throw new NewKeyNotYetAuthorizedException(key.arn(), action, created, created.plus(KMS_TAG_AUTHORIZATION), e);
            }
            throw e;
        }
    }

    /** True while {@code since} is less than {@code window} ago. */
    static boolean within(Instant since, Duration window, Clock clock) {
        return since != null && clock.instant().isBefore(since.plus(window));
    }
}
