package io.atlascmk.rotator.rotation;

import io.atlascmk.rotator.atlas.AwsKms;
import io.atlascmk.rotator.atlas.Snapshot;
import io.atlascmk.rotator.kms.KeyState;
import io.atlascmk.rotator.kms.KeyTags;
import io.atlascmk.rotator.kms.ManagedKey;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/** Small builders shared by the rotation rule tests. */
final class Fixtures {

    static final String PROJECT = "5f1a2b3c4d5e6f7a8b9c0d1e";
    static final String OTHER_PROJECT = "6a6a6a6a6a6a6a6a6a6a6a6a";
    static final String ACCOUNT = "111122223333";
    static final String REGION = "us-east-1";
    static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");

    private Fixtures() {
    }

    static Instant daysAgo(long days) {
        return NOW.minus(Duration.ofDays(days));
    }

    static Instant inDays(long days) {
        return NOW.plus(Duration.ofDays(days));
    }

    /** A deterministic single-Region key id (lower-case UUID). */
    static String keyId(int n) {
        return String.format(Locale.ROOT, "%08x-1111-4222-8333-%012x", n, n * 7919L);
    }

    /** A deterministic multi-Region key id. */
    static String mrkId(int n) {
        return String.format(Locale.ROOT, "mrk-%032x", n * 104729L);
    }

    static String arn(String region, String keyId) {
        return "arn:aws:kms:" + region + ":" + ACCOUNT + ":key/" + keyId;
    }

    static Map<String, String> ledgerTags(String project, KeyState state, Instant retiredAt) {
        Map<String, String> tags = new HashMap<>();
        if (project != null) {
            tags.put(KeyTags.PROJECT, project);
            tags.put(KeyTags.DEPLOYMENT, io.atlascmk.rotator.kms.FakeKmsClient.DEPLOYMENT);
        }
        if (state != null) {
            tags.put(KeyTags.STATE, state.tagValue());
        }
        if (retiredAt != null) {
            tags.put(KeyTags.RETIRED_AT, retiredAt.toString());
        }
        tags.put(KeyTags.ROTATION, "rotation-" + project);
        return tags;
    }

    static ManagedKey key(String keyId, Instant createdAt, Map<String, String> tags) {
        return new ManagedKey(keyId, arn(REGION, keyId), REGION, "Enabled", keyId.startsWith("mrk-"),
                createdAt, null, tags);
    }

    /** A key of {@link #PROJECT}, created a year ago, retired at the given instant. */
    static ManagedKey retiredKey(String keyId, Instant retiredAt) {
        return key(keyId, daysAgo(365), ledgerTags(PROJECT, KeyState.RETIRED, retiredAt));
    }

    static Snapshot replicaSetSnapshot(String id, String cluster, String keyRef, Instant createdAt, Instant expiresAt) {
        return new Snapshot(id, cluster, Snapshot.Kind.REPLICA_SET, keyRef, createdAt, expiresAt, "completed");
    }

    static Snapshot shardedSnapshot(String id, String cluster, String keyRef, Instant createdAt, Instant expiresAt) {
        return new Snapshot(id, cluster, Snapshot.Kind.SHARDED_CLUSTER, keyRef, createdAt, expiresAt, "completed");
    }

    static AwsKms atlasNames(String keyRef) {
        return new AwsKms(true, keyRef, "US_EAST_1", "role-1", null, true);
    }
}
