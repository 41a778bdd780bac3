package io.atlascmk.rotator.rotation;

/**
 * The key Atlas uses when Preflight runs ({@code $.run.currentKey}).
 *
 * @param keyId       key id (the workflow passes it to CreateKey, GrantAtlasAccess, Finalize, Rollback)
 * @param keyArn      key ARN
 * @param region      AWS region; the new key is created there
 * @param multiRegion a multi-Region key
 * @param adopted     the key is in the ledger by adoption ({@code adopted-by}): this system did not
 *                    create it but took it over on the project's first rotation (now, or earlier; in
 *                    a dry run: would be)
 */
public record CurrentKey(String keyId, String keyArn, String region, boolean multiRegion, boolean adopted) {
}
