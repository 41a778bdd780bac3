package io.atlascmk.rotator.rotation;

import io.atlascmk.rotator.atlas.AtlasApi;
import io.atlascmk.rotator.aws.KeyPlace;
import io.atlascmk.rotator.kms.KeyService;
import io.atlascmk.rotator.lock.RotationLock;
import java.time.Clock;
import io.atlascmk.rotator.trail.KeyUsageLog;
import java.util.Objects;
import java.util.function.Function;

/**
 * Everything the rotation steps talk to. The Lambda handlers build one from the environment once
 * per execution environment; the local runner and the tests build their own.
 *
 * @param atlas        the Atlas Administration API
 * @param keys         the KMS operations for a place (an AWS region of this account or of a project's key
 *                     account); called with the place of the project's current key. Should return a shared
 *                     instance per place (SDK clients are built once).
 * @param clock        the time source for retired-at, switchedAt, cooldown and deadlines
 * @param registry     tells whether a rotation holding a project's lock is still running
 * @param projectSettings the deployment's settings per project, read by Preflight (deployed: from
 *                     {@code ROTATOR_PROJECT_SETTINGS}); {@link ProjectSettings#none()} when there are none
 * @param usage        who used a key, per place (CloudTrail's event history of that region and account):
 *                     asked before any deletion
 * @param lock         the per-project rotation lock: Preflight takes it, every step that writes confirms it
 */
public record StepDependencies(
        AtlasApi atlas,
        Function<KeyPlace, KeyService> keys,
        Clock clock,
        RotationRegistry registry,
        ProjectSettingsSource projectSettings,
        Function<KeyPlace, KeyUsageLog> usage,
        RotationLock lock,
        io.atlascmk.rotator.evidence.EvidenceStore evidence) {

    /** Keys of the deployment's own account only, per region name (tests and local runs of one account). */
    public static StepDependencies inHomeAccount(AtlasApi atlas, Function<String, KeyService> keysByRegion, Clock clock,
            RotationRegistry registry, ProjectSettingsSource projectSettings, Function<String, KeyUsageLog> usageByRegion,
            RotationLock lock, io.atlascmk.rotator.evidence.EvidenceStore evidence) {
        return new StepDependencies(atlas, homeOnly(keysByRegion), clock, registry, projectSettings,
                homeOnly(usageByRegion), lock, evidence);
    }

    /** Without an evidence store, keys of the deployment's own account only: results carry their evidence whole. */
    public StepDependencies(AtlasApi atlas, Function<String, KeyService> keysByRegion, Clock clock,
            RotationRegistry registry, ProjectSettingsSource projectSettings, Function<String, KeyUsageLog> usageByRegion,
            RotationLock lock) {
        this(atlas, homeOnly(keysByRegion), clock, registry, projectSettings, homeOnly(usageByRegion), lock,
                io.atlascmk.rotator.evidence.EvidenceStore.NONE);
    }

    public StepDependencies {
        Objects.requireNonNull(atlas, "atlas");
        Objects.requireNonNull(keys, "keys");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(registry, "registry");
        Objects.requireNonNull(projectSettings, "projectSettings");
        Objects.requireNonNull(usage, "usage");
        Objects.requireNonNull(lock, "lock");
        Objects.requireNonNull(evidence, "evidence");
    }

    /** Without per-project settings ({@link ProjectSettings#none()}). */
    public StepDependencies(AtlasApi atlas, Function<String, KeyService> keysByRegion, Clock clock,
            RotationRegistry registry, Function<String, KeyUsageLog> usageByRegion, RotationLock lock) {
        this(atlas, keysByRegion, clock, registry, ProjectSettings.none(), usageByRegion, lock);
    }

    /**
     * Where {@code projectId}'s keys in {@code region} are: its registration names another account or none. A
     * registry that cannot be read fails here (the step changes nothing), never reads as "this account".
     */
    public KeyPlace placeOf(String projectId, String region) {
        return new KeyPlace(region, projectSettings.keyAccount(projectId));
    }

    /** The KMS operations on {@code projectId}'s keys in {@code region}, in whichever account holds them. */
    public KeyService keysFor(String projectId, String region) {
        return keys.apply(placeOf(projectId, region));
    }

    /** Who used {@code projectId}'s keys in {@code region}: that account's CloudTrail. */
    public KeyUsageLog usageFor(String projectId, String region) {
        return usage.apply(placeOf(projectId, region));
    }

    /** The same collaborators with these per-project settings. */
    public StepDependencies withProjectSettings(ProjectSettingsSource settings) {
        return new StepDependencies(atlas, keys, clock, registry, settings, usage, lock, evidence);
    }

    /** The same collaborators with this evidence store. */
    public StepDependencies withEvidence(io.atlascmk.rotator.evidence.EvidenceStore store) {
        return new StepDependencies(atlas, keys, clock, registry, projectSettings, usage, lock, store);
    }

    /** Serves the deployment's own account; a project registered in another account is refused, saying so. */
    private static <T> Function<KeyPlace, T> homeOnly(Function<String, T> byRegion) {
        Objects.requireNonNull(byRegion, "byRegion");
        return place -> {
            if (!place.isHome()) {
                throw new IllegalStateException("This setup reaches keys of its own AWS account only, but the project's"
                        + " keys are registered in account " + place.account().accountId() + " ("
                        + place.account().roleArn() + "). Run it where the functions can assume that role.");
            }
            return byRegion.apply(place.region());
        };
    }
}
