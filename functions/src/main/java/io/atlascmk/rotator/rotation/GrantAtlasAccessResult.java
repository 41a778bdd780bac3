package io.atlascmk.rotator.rotation;

import java.time.Instant;

/**
 * Output of GrantAtlasAccess, stored by the workflow at {@code $.grant}.
 *
 * @param policyChanged   true when this call wrote the policy; false when the key already had it
 * @param summary         one line describing the new key's policy statements
 * @param policyWrittenAt when the policy was written (when it was already in place: when that was
 *                        found, which is later); SwitchAtlasKey waits out Atlas's view of it from here
 */
public record GrantAtlasAccessResult(boolean policyChanged, String summary, Instant policyWrittenAt) {
}
