/**
 * The sandbox's MongoDB Atlas Administration API v2 simulator.
 *
 * <ul>
 *   <li>{@link io.atlascmk.sandbox.atlas.AtlasSimulator}: the HTTP server (loopback, port picked on
 *       {@code start()}), credentials (API keys for HTTP Digest, service accounts for OAuth 2.0 client
 *       credentials; an organization role or project roles only; on or off their API access list), settings
 *       (key switch duration, token lifetime, rate limit overrides), fault switches
 *       ({@link io.atlascmk.sandbox.atlas.AtlasFaults}) and call counts.</li>
 *   <li>{@code RateLimits}: what {@code GET /api/atlas/v2/rateLimits} lists, Atlas's published limits per endpoint
 *       set and scope.</li>
 *   <li>{@link io.atlascmk.sandbox.atlas.AtlasProject}: seeding (roles, awsKms, clusters, snapshots,
 *       events) and inspection (awsKms with {@code valid}, cluster states now, snapshots with their keys,
 *       events, a text summary) of one project.</li>
 *   <li>{@link io.atlascmk.sandbox.atlas.ClusterSpec}, {@link io.atlascmk.sandbox.atlas.BackupPolicyItem},
 *       {@link io.atlascmk.sandbox.atlas.SnapshotSeed}, {@link io.atlascmk.sandbox.atlas.SnapshotSeries} (many
 *       snapshots described once and made only when a page shows them): what to seed.</li>
 * </ul>
 *
 * All time comes from the shared {@link io.atlascmk.sandbox.SandboxClock}; clock-driven behaviour
 * (clusters returning to IDLE after a key switch, scheduled snapshots, expiry, token expiry) is computed
 * when next looked at, so advancing the clock is enough. Whether Atlas's role can use a key comes from
 * {@link io.atlascmk.sandbox.KeyAccess} (the KMS stand-in) at the moment of each read. Two things
 * run on wall-clock time instead, because they are about how fast requests really come and go: the
 * Cloud Backups rate limit ({@link io.atlascmk.sandbox.atlas.AtlasRateLimit}, on by default with
 * Atlas's numbers, one bucket per project) and an optional latency of every answer.
 *
 * <p>A key change ({@code PATCH .../encryptionAtRest} naming another key) is no kinder than Atlas:
 * <ul>
 *   <li>Atlas tries the key with its role before it saves anything: a key the role cannot use now
 *       (including one whose new policy KMS has not propagated yet) is 400
 *       {@code INVALID_ENCRYPTION_AT_REST_KEY}, nothing changes.</li>
 *   <li>While AWS-encrypted clusters still apply the previous key change (planned or {@code UPDATING}),
 *       another key change is 409 {@code ENCRYPTION_AT_REST_KEY_CHANGE_IN_PROGRESS}; the same key again
 *       is accepted (no change).</li>
 *   <li>Clusters go {@code UPDATING} only {@code updateStartDelay} after the PATCH, and a key Atlas has
 *       not yet seen valid reads {@code valid: false} for {@code keyPropagation}.</li>
 * </ul>
 * Atlas's published document lists 400 and 409 for this operation but not these cases' error codes:
 * the codes are the simulator's, and the rotator acts on the status, never on them.
 */
package io.atlascmk.sandbox.atlas;
