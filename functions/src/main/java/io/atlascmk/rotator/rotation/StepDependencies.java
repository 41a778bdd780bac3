package io.atlascmk.rotator.rotation;

import io.atlascmk.rotator.atlas.AtlasApi;
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
 * @param keysByRegion the KMS operations for an AWS region name (e.g. {@code us-east-1}); called with
 *                     the region of the project's current key. Should return a shared instance per
 *                     region (SDK clients are built once).
 * @param clock        the time source for retired-at, switchedAt, cooldown and deadlines
 * @param registry     tells whether a rotation holding a project's lock is still running
 * @param projectSettings the deployment's settings per project, read by Preflight (deployed: from
 *                     {@code ROTATOR_PROJECT_SETTINGS}); {@link ProjectSettings#none()} when there are none
 * @param usageByRegion who used a key, per AWS region (CloudTrail's event history of that region):
 *                     asked before any deletion
 * @param lock         the per-project rotation lock: Preflight takes it, every step that writes confirms it
 */
public record StepDependencies(
        AtlasApi atlas,
        Function<String, KeyService> keysByRegion,
        Clock clock,
        RotationRegistry registry,
        ProjectSettingsSource projectSettings,
        Function<String, KeyUsageLog> usageByRegion,
        RotationLock lock,
        io.atlascmk.rotator.evidence.EvidenceStore evidence) {

    /** Without an evidence store: results carry their evidence whole. */
    public StepDependencies(AtlasApi atlas, Function<String, KeyService> keysByRegion, Clock clock,
            RotationRegistry registry, ProjectSettingsSource projectSettings, Function<String, KeyUsageLog> usageByRegion,
            RotationLock lock) {
        this(atlas, keysByRegion, clock, registry, projectSettings, usageByRegion, lock,
                io.atlascmk.rotator.evidence.EvidenceStore.NONE);
    }

    public StepDependencies {
        Objects.requireNonNull(atlas, "atlas");
        Objects.requireNonNull(keysByRegion, "keysByRegion");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(registry, "registry");
        Objects.requireNonNull(projectSettings, "projectSettings");
        Objects.requireNonNull(usageByRegion, "usageByRegion");
        Objects.requireNonNull(lock, "lock");
        Objects.requireNonNull(evidence, "evidence");
    }

    /** Without per-project settings ({@link ProjectSettings#none()}). */
    public StepDependencies(AtlasApi atlas, Function<String, KeyService> keysByRegion, Clock clock,
            RotationRegistry registry, Function<String, KeyUsageLog> usageByRegion, RotationLock lock) {
        this(atlas, keysByRegion, clock, registry, ProjectSettings.none(), usageByRegion, lock);
    }

    /** The same collaborators with these per-project settings. */
    public StepDependencies withProjectSettings(ProjectSettingsSource settings) {
        return new StepDependencies(atlas, keysByRegion, clock, registry, settings, usageByRegion, lock, evidence);
    }

    /** The same collaborators with this evidence store. */
    public StepDependencies withEvidence(io.atlascmk.rotator.evidence.EvidenceStore store) {
        return new StepDependencies(atlas, keysByRegion, clock, registry, projectSettings, usageByRegion, lock, store);
    }
}
