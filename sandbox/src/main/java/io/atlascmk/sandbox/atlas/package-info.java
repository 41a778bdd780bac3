/**
 * The sandbox's MongoDB Atlas Administration API v2 simulator.
 *
 * <ul>
 *   <li>{@link io.atlascmk.sandbox.atlas.AtlasSimulator}: the HTTP server (loopback, port picked on
 *       {@code start()}), credentials (API keys for HTTP Digest, service accounts for OAuth 2.0 client
 *       credentials), settings (key switch duration, token lifetime), fault switches
 *       ({@link io.atlascmk.sandbox.atlas.AtlasFaults}) and call counts.</li>
 *   <li>{@link io.atlascmk.sandbox.atlas.AtlasProject}: seeding (roles, awsKms, clusters, snapshots,
 *       events) and inspection (awsKms with {@code valid}, cluster states now, snapshots with their keys,
 *       events, a text summary) of one project.</li>
 *   <li>{@link io.atlascmk.sandbox.atlas.ClusterSpec}, {@link io.atlascmk.sandbox.atlas.BackupPolicyItem},
 *       {@link io.atlascmk.sandbox.atlas.SnapshotSeed}: what to seed.</li>
 * </ul>
 *
 * All time comes from the shared {@link io.atlascmk.sandbox.SandboxClock}; clock-driven behaviour
 * (clusters returning to IDLE after a key switch, scheduled snapshots, expiry, token expiry) is computed
 * when next looked at, so advancing the clock is enough. Whether Atlas's role can use a key comes from
 * {@link io.atlascmk.sandbox.KeyAccess} (the KMS stand-in) at the moment of each read.
 */
package io.atlascmk.sandbox.atlas;
