package io.atlascmk.rotator.rotation;

import io.atlascmk.rotator.atlas.AtlasClient;
import io.atlascmk.rotator.atlas.AtlasClientConfig;
import io.atlascmk.rotator.atlas.AtlasCredentials;
import io.atlascmk.rotator.atlas.AtlasCredentialsProvider;
import io.atlascmk.rotator.atlas.RateLimit;
import io.atlascmk.rotator.atlas.RetryPolicy;
import io.atlascmk.rotator.kms.KeyState;
import io.atlascmk.rotator.kms.KeyTags;
import io.atlascmk.sandbox.atlas.AtlasOperation;
import io.atlascmk.sandbox.atlas.AtlasProject;
import io.atlascmk.sandbox.atlas.AtlasSimulator;
import io.atlascmk.sandbox.atlas.CallRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * One project whose Atlas is the sandbox's {@link AtlasSimulator}, reached over HTTP by the real
 * {@link AtlasClient}, and whose KMS, CloudTrail and lock are a {@link RotationWorld}'s. The project's
 * current key is active; {@link #retiredKey} was retired 60 days ago, past any minimum retirement.
 * Seed clusters and snapshots through {@link #atlasProject}.
 */
final class SimulatedProject implements AutoCloseable {

    static final String CLIENT_ID = "mdb_sa_id_5f1e2d3c4b5a69788796a5b4";
    static final String CLIENT_SECRET = "mdb_sa_sk_simulated-project-secret";

    final RotationWorld world = RotationWorld.managed();
    final AtlasSimulator atlas = new AtlasSimulator(world.clock, (key, role) -> true);
    final AtlasProject atlasProject;
    /** Retired at {@link #retiredAt}, 60 days before now. */
    final String retiredKey;
    final Instant retiredAt = RotationWorld.START.minus(Duration.ofDays(60));

    SimulatedProject() {
        atlas.addServiceAccount(CLIENT_ID, CLIENT_SECRET);
        atlasProject = atlas.createProject(RotationWorld.PROJECT);
        String roleId = atlasProject.addAwsIamRole(RotationWorld.ROLE_ARN);
        atlasProject.configureAwsKms(world.currentKeyId(), RotationWorld.ATLAS_REGION, roleId);
        retiredKey = world.kms.key(world.kms.seed().ledger(RotationWorld.PROJECT, "earlier", KeyState.RETIRED)
                .createdAt(RotationWorld.START.minus(Duration.ofDays(400)))
                .tag(KeyTags.RETIRED_AT, retiredAt.toString()).create()).keyId();
        atlas.start();
    }

    /** A client with retries that do not wait, keeping to {@code limit} (null: to none). */
    AtlasClient client(RateLimit limit, RetryPolicy retries) {
        return client(b -> b.cloudBackupsRateLimit(limit).retryPolicy(retries));
    }

    AtlasClient client(UnaryOperator<AtlasClientConfig.Builder> settings) {
        AtlasClientConfig.Builder config = AtlasClientConfig.builder()
                .baseUrl(atlas.baseUrl())
                .clock(world.clock)
                .sleeper(d -> { })
                .jitter(() -> 0.5);
        return new AtlasClient(settings.apply(config).build(),
                AtlasCredentialsProvider.of(AtlasCredentials.serviceAccount(CLIENT_ID, CLIENT_SECRET)));
    }

    StepDependencies deps(AtlasClient client) {
        return new StepDependencies(client, region -> world.keys, world.clock, world.running::contains,
                region -> world.trail().usage(), world.lock());
    }

    /** AuditAndRetire for the project (7 days' minimum retirement, 30 days' pending window). */
    AuditAndRetireResult audit(AtlasClient client) {
        return audit(new AuditAndRetireStep(deps(client)));
    }

    AuditAndRetireResult audit(AuditAndRetireStep step) {
        return step.audit(new AuditAndRetireRequest(RotationWorld.PROJECT, RotationWorld.ROTATION, false, 30, List.of(), 7));
    }

    /** The calls of the Cloud Backups endpoint set (snapshot lists, snapshots, schedules) Atlas answered. */
    List<CallRecord> cloudBackupsCalls() {
        return atlas.callLog().stream().filter(c -> c.operation() != null && c.operation().cloudBackups()).toList();
    }

    List<CallRecord> calls(AtlasOperation operation) {
        return atlas.callLog().stream().filter(c -> c.operation() == operation).toList();
    }

    @Override
    public void close() {
        atlas.close();
    }
}
