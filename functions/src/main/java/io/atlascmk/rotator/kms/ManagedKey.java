package io.atlascmk.rotator.kms;

import java.time.Instant;
import java.util.Map;

/**
 * A KMS key as the rotator sees it: its identity, its KMS state and its ledger tags.
 *
 * @param keyId       key id (or {@code mrk-} id)
 * @param arn         key ARN
 * @param region      AWS region name, e.g. {@code us-east-1}
 * @param keyState    KMS key state: {@code Enabled}, {@code Disabled}, {@code PendingDeletion}, ...
 * @param multiRegion the key is a multi-Region key
 * @param createdAt   creation date
 * @param deletionDate when deletion is scheduled, else null
 * @param tags        every tag on the key (not only ours)
 */
public record ManagedKey(
        String keyId,
        String arn,
        String region,
        String keyState,
        boolean multiRegion,
        Instant createdAt,
        Instant deletionDate,
        Map<String, String> tags) {

    public ManagedKey {
        tags = tags == null ? Map.of() : Map.copyOf(tags);
    }

    public String tag(String name) {
        return tags.get(name);
    }

    /** The ledger state, or null when the key carries no (or an unknown) state tag. */
    public KeyState state() {
        return KeyState.fromTagValue(tags.get(KeyTags.STATE)).orElse(null);
    }

    /** The key belongs to this project's ledger. */
    public boolean ownedBy(String projectId) {
        return projectId != null && projectId.equals(tags.get(KeyTags.PROJECT));
    }
}
