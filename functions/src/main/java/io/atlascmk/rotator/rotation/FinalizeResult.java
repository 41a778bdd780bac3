package io.atlascmk.rotator.rotation;

import io.atlascmk.rotator.kms.AliasChange;
import java.time.Instant;

/**
 * Output of Finalize, stored by the workflow at {@code $.finalize}.
 *
 * @param activeKeyId  the new key, now tagged {@code active}
 * @param retiredKeyId the old key, now tagged {@code retired}
 * @param retiredAt    the old key's {@code retired-at} (the first one written; a re-run keeps it)
 * @param alias        {@code alias/atlas-cmk/<projectId>}, now pointing at the new key
 * @param aliasChange  what moving the alias took: CREATED, MOVED or UNCHANGED
 */
public record FinalizeResult(String activeKeyId, String retiredKeyId, Instant retiredAt, String alias,
        AliasChange aliasChange) {
}
