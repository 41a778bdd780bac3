package io.atlascmk.rotator.kms;

import java.util.Set;

/**
 * Which keys are a project's, kept beside the ledger so that finding them costs nothing per unrelated key in the
 * region. The tags stay the ledger: every key the index names is read and its tags verified before use, and a key
 * the index names wrongly is dropped from it. An index never proves a key unused; a key missing from it is at
 * worst not audited (kept), never deleted.
 *
 * <p>{@link #intend} is written before a key is created and cleared when it is {@link #record recorded}: an
 * intent still open means a creation may have happened without its record (a crash in between), and the reader
 * falls back to scanning the region's tags.
 *
 * <p>Known window: a reader that scans closes the intents it saw open. A creation whose intent is closed that way
 * before KMS made its key, and whose own record then fails too, leaves a key the index lacks until {@code ./rotator
 * reindex}; such a key is at worst not audited (kept), and a retry of its CreateKey creates a second key, which the
 * next Preflight reports as an extra pending key.
 */
public interface KeyIndex {

    /** What the index holds for a project. */
    record Entry(Set<String> keyArns, Set<String> openIntents) {
        public Entry {
            keyArns = Set.copyOf(keyArns);
            openIntents = Set.copyOf(openIntents);
        }
    }

    /** The project's entry (strongly consistent); empty sets when the project has none. */
    Entry read(String projectId);

    /** A key is about to be created for the project under {@code intent} (the rotation, or a one-off id). */
    void intend(String projectId, String intent);

    /** The keys are the project's; the intents (if any) are fulfilled. */
    void record(String projectId, Set<String> keyArns, Set<String> fulfilledIntents);

    /** The keys are not (or no longer) the project's: deleted, or their tags say another owner. */
    void forget(String projectId, Set<String> keyArns);
}
