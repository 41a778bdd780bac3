package io.atlascmk.rotator.rotation;

import java.time.Instant;

/**
 * Output of SwitchAtlasKey, stored by the workflow at {@code $.switch}.
 *
 * @param switched            true when this call sent the PATCH; false when Atlas already named the key
 * @param switchedAt          when Atlas was switched: the PATCH time, or for a no-op the time of the
 *                            latest {@code AWS_ENCRYPTION_KEY_ROTATED} event since the key was
 *                            created, else now (CheckDeployment counts settle time and deadline from it)
 * @param customerMasterKeyID what Atlas names now (an ARN when Atlas held an ARN before, else the id)
 */
public record SwitchAtlasKeyResult(boolean switched, Instant switchedAt, String customerMasterKeyID) {
}
