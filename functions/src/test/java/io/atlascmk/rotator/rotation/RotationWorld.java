package io.atlascmk.rotator.rotation;

import io.atlascmk.rotator.atlas.AwsKms;
import io.atlascmk.rotator.kms.FakeKmsClient;
import io.atlascmk.rotator.kms.KeyService;
import io.atlascmk.rotator.kms.KeyState;
import io.atlascmk.rotator.aws.SandboxAws;
import io.atlascmk.sandbox.SandboxClock;
import io.atlascmk.rotator.kms.KeyTags;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One Atlas project and its KMS account for step tests: a {@link FakeAtlas}, a {@link FakeKmsClient}
 * in {@value FakeKmsClient#DEFAULT_REGION}, a {@link SandboxClock} standing still, CloudTrail as the
 * sandbox's stand-in keeps it ({@link #trail()}), and the set of
 * rotations that are "still running". The same seeding gives the same key ids, so two worlds built
 * alike can be compared after running steps in them.
 */
public final class RotationWorld {

    public static final String PROJECT = "5f1e2d3c4b5a69788796a5b4";
    public static final String ROTATION = "manual-2026-11-30T10-00-00Z";
    public static final String PREVIOUS_ROTATION = "schedule-2026-01-30T10-00-00Z";
    public static final String ROLE_ID = "32b6e34b3d91647abb20e7b8";
    public static final String ROLE_ARN = "arn:aws:iam::111122223333:role/atlas-encryption-at-rest";
    public static final String ATLAS_REGION = "US_EAST_1";
    public static final String REGION = FakeKmsClient.DEFAULT_REGION;
    public static final Instant START = Instant.parse("2026-11-30T10:00:00Z");

    public final SandboxClock clock = new SandboxClock(START);
    public final FakeKmsClient kms = new FakeKmsClient(REGION, clock);
    public final FakeAtlas atlas = new FakeAtlas(PROJECT, clock);
    public final KeyService keys = new KeyService(kms, FakeKmsClient.DEPLOYMENT);
    public final Set<String> running = new HashSet<>();
    public final List<String> regionsAsked = new ArrayList<>();
    /** ARN of the key Atlas uses when the world is built. */
    public String currentKeyArn;

    /**
     * A managed project: the current key was created 300 days ago by an earlier rotation and is
     * {@code active}; Atlas names it by id; a replica set and a sharded cluster, both idle and
     * AWS-encrypted.
     */
    public static RotationWorld managed() {
        RotationWorld w = new RotationWorld();
        w.currentKeyArn = w.kms.seed()
                .ledger(PROJECT, PREVIOUS_ROTATION, KeyState.ACTIVE)
                .createdAt(START.minus(Duration.ofDays(300)))
                .create();
        w.atlas.awsKms(w.kms.key(w.currentKeyArn).keyId(), ATLAS_REGION, ROLE_ID)
                .role(ROLE_ID, ROLE_ARN)
                .replicaSet("Cluster0", false)
                .sharded("Shard0");
        return w;
    }

    /** As {@link #managed()}, but the current key carries no tag at all (before the first rotation). */
    public static RotationWorld unmanaged() {
        RotationWorld w = new RotationWorld();
        w.currentKeyArn = w.kms.seed().createdAt(START.minus(Duration.ofDays(300))).create();
        w.atlas.awsKms(w.kms.key(w.currentKeyArn).keyId(), ATLAS_REGION, ROLE_ID)
                .role(ROLE_ID, ROLE_ARN)
                .replicaSet("Cluster0", false)
                .sharded("Shard0");
        return w;
    }

    private SandboxAws trail;

    /** CloudTrail's event history of this world (the sandbox's stand-in, started on first use). */
    public synchronized SandboxAws trail() {
        if (trail == null) {
            // Crash-and-re-run tests compare end states to the millisecond: lookups must not move the clock.
            trail = SandboxAws.withoutPacing(clock);
            TRAILS.add(trail);
        }
        return trail;
    }

    /** The stand-ins started by worlds; closed when the test JVM ends. */
    private static final List<SandboxAws> TRAILS = java.util.Collections.synchronizedList(new ArrayList<>());

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> TRAILS.forEach(SandboxAws::close)));
    }

    public StepDependencies deps() {
        return new StepDependencies(atlas, region -> {
            regionsAsked.add(region);
            return keys;
        }, clock, running::contains, region -> trail().usage(), lock());
    }

    private io.atlascmk.rotator.lock.RotationLock lock;

    /** This world's rotation lock (dynalite, shared table); the project's lock starts free. */
    public synchronized io.atlascmk.rotator.lock.RotationLock lock() {
        if (lock == null) {
            lock = io.atlascmk.rotator.lock.TestLocks.fresh(clock, running::contains, PROJECT);
        }
        return lock;
    }

    public String currentKeyId() {
        return kms.key(currentKeyArn).keyId();
    }

    // ------------------------------------------------------------------ running the rotation's steps

    public CreateKeyResult createKey() {
        return new CreateKeyStep(deps()).createKey(new CreateKeyRequest(PROJECT, ROTATION, currentKeyId()));
    }

    public GrantAtlasAccessResult grant(CreateKeyResult newKey) {
        return new GrantAtlasAccessStep(deps()).grant(
                new GrantAtlasAccessRequest(PROJECT, ROTATION, currentKeyId(), newKey.keyId(), ROLE_ARN));
    }

    public SwitchAtlasKeyResult switchTo(CreateKeyResult newKey) {
        return new SwitchAtlasKeyStep(deps()).switchKey(
                new SwitchAtlasKeyRequest(PROJECT, ROTATION, newKey.keyId(), newKey.keyArn()));
    }

    public FinalizeResult finalizeRotation(CreateKeyResult newKey) {
        return new FinalizeStep(deps()).finalizeRotation(
                new FinalizeRequest(PROJECT, ROTATION, newKey.keyId(), currentKeyId()));
    }

    /** CreateKey, GrantAtlasAccess and SwitchAtlasKey, then Atlas finishes re-encrypting. */
    public CreateKeyResult switchedAndDeployed() {
        CreateKeyResult newKey = createKey();
        grant(newKey);
        switchTo(newKey);
        atlas.finishUpdates();
        return newKey;
    }

    /** A whole rotation up to Finalize; the clock then moves on by {@code after}. */
    public CreateKeyResult rotated(Duration after) {
        CreateKeyResult newKey = switchedAndDeployed();
        finalizeRotation(newKey);
        clock.advance(after);
        return newKey;
    }

    /** Forgets the calls and writes recorded so far (seeding and earlier steps). */
    public void resetRecording() {
        kms.resetRecording();
        atlas.resetRecording();
    }

    // ------------------------------------------------------------------ end state

    /** Everything a step may change, for comparing two runs. */
    public record EndState(List<FakeKmsClient.FakeKey> keys, Map<String, String> aliases, AwsKms atlasKms,
            Map<String, String> clusterStates) {
    }

    public EndState endState() {
        return new EndState(kms.keys(), kms.aliases(), atlas.awsKmsConfig(), atlas.clusterStates());
    }

    /** Every key of the project has a ledger state, and no rotation id names two keys. */
    public void assertLedgerInvariants() {
        Set<String> rotations = new HashSet<>();
        for (FakeKmsClient.FakeKey key : kms.keys()) {
            if (!PROJECT.equals(key.tag(KeyTags.PROJECT))) {
                continue;
            }
            if (key.ledgerState() == null) {
                throw new AssertionError("Key " + key.keyId() + " of the project has no ledger state: " + key.tags());
            }
            String rotation = key.tag(KeyTags.ROTATION);
            if (rotation != null && !rotations.add(rotation)) {
                throw new AssertionError("Rotation " + rotation + " names more than one key");
            }
        }
    }
}
