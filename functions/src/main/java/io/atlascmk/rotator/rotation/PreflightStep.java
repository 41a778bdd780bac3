package io.atlascmk.rotator.rotation;

import io.atlascmk.rotator.lock.LockGrant;
import io.atlascmk.rotator.lock.LockHeldException;
import io.atlascmk.rotator.lock.RotationLock;

import io.atlascmk.rotator.atlas.AtlasApi;
import io.atlascmk.rotator.atlas.AtlasEvent;
import io.atlascmk.rotator.atlas.AwsKms;
import io.atlascmk.rotator.atlas.CloudProviderAccessRole;
import io.atlascmk.rotator.atlas.Cluster;
import io.atlascmk.rotator.atlas.EncryptionAtRest;
import io.atlascmk.rotator.kms.KeyIds;
import io.atlascmk.rotator.kms.KeyService;
import io.atlascmk.rotator.kms.KeyState;
import io.atlascmk.rotator.kms.KeyTags;
import io.atlascmk.rotator.kms.ManagedKey;
import io.atlascmk.rotator.trail.KeyUsageLog;
import io.atlascmk.rotator.rotation.PendingKeyAction.Action;
import io.atlascmk.rotator.rotation.PreflightPlan.Outcome;
import io.atlascmk.rotator.rotation.RetirementDecision.Verdict;
import io.atlascmk.rotator.rotation.RotationPlan.PendingKeyOutcome;
import io.atlascmk.rotator.rotation.RotationPlan.PlannedKey;
import io.atlascmk.rotator.rotation.RotationPlan.PlannedRetirement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Preflight: reads Atlas and KMS, applies {@link PreflightRules} (configuration, lock, cooldown,
 * clusters, adoption), brings the ledger in line with what it found, and decides what the workflow
 * does next.
 *
 * <p><b>Settings.</b> The run's settings ({@code $.run.settings}, read by CheckDeployment and
 * AuditAndRetire) come from the workflow's {@code defaults}, the deployment's settings of the project
 * ({@link StepDependencies#projectSettings()}) and the input's {@code settings}, in that order of
 * precedence, with {@code extraClusterNames} the union of the deployment's and the input's (see
 * {@link PreflightRequest#settings(ExecutionSettings)}). So an execution started by an Atlas alert or
 * by hand, whose input carries no settings, still audits the snapshots of the project's configured
 * terminated clusters.
 *
 * <p><b>Order.</b> The request was validated when it was built (so a bad input fails before any
 * call). In {@code sweep} mode nothing else happens: the result carries the settings for
 * AuditAndRetire. Otherwise: reads (encryption at rest, the current key, clusters, the project's keys,
 * whether the runs holding pending keys still run, recent {@code AWS_ENCRYPTION_KEY_ROTATED} events,
 * the Atlas role ARN), then the rules decide or refuse (typed exceptions, nothing written), then the
 * ledger writes, then the result.
 *
 * <p><b>Ledger writes</b> (never in a dry run), each only when it differs, in this order so that a
 * crash at any point is finished by a re-run:
 * <ol>
 *   <li>a pending key of a dead run that Atlas does not use is tagged {@code abandoned} (with
 *       {@code retired-at}); the audit retires it;</li>
 *   <li>other keys tagged {@code active} that Atlas does not name are tagged {@code retired} with
 *       {@code retired-at} (the previous key of a dead run that had already switched Atlas, or a key
 *       replaced by hand);</li>
 *   <li>a {@code retired-at} or {@code safe-after} on the current key is removed: Atlas uses it, and a
 *       stale {@code retired-at} would date its next retirement too early (and with it the end of a
 *       continuous-backup restore window);</li>
 *   <li>the current key is tagged {@code active} when it is not: a dead run's pending key Atlas
 *       already uses ("resumed": that run's work is finished here), or a key the ledger does not know
 *       (adopted: {@code project}, {@code state=active}, {@code adopted-by=<rotationId>}; never
 *       {@code rotation}, which names only keys a rotation created).</li>
 * </ol>
 * These writes happen whatever the decision, {@code skip} included: they only make the ledger say
 * what Atlas already does.
 *
 * <p><b>Decisions.</b> {@code plan} for a dry run; {@code skip} inside the cooldown (unless
 * {@code force}), which also applies right after finishing ("resuming") a dead run that had
 * already switched Atlas (see {@link #skipAfterResuming}); else {@code rotate}. With {@code waitForClusters} and busy AWS-encrypted clusters
 * the decision is still {@code rotate}: the switch is made and AwaitDeployment waits until every
 * AWS-encrypted cluster is {@code IDLE} (and the settle time has passed) before Finalize, the waiting
 * counting against {@code deploymentDeadlineSeconds}; if Atlas refuses the switch while clusters are
 * busy, the workflow rolls back and the new key is abandoned. Without it, busy clusters refuse
 * ({@link ClustersNotIdleException}).
 */
public final class PreflightStep {

    private static final Logger LOG = LoggerFactory.getLogger(PreflightStep.class);

    private final AtlasApi atlas;
    private final java.util.function.BiFunction<String, String, KeyService> keysFor;
    private final Clock clock;
    private final RotationRegistry registry;
    private final ProjectSettingsSource projectSettings;
    private final java.util.function.BiFunction<String, String, KeyUsageLog> usageFor;

    private final RotationLock lock;

    public PreflightStep(StepDependencies deps) {
        this.usageFor = deps::usageFor;
        this.atlas = deps.atlas();
        this.keysFor = deps::keysFor;
        this.clock = deps.clock();
        this.registry = deps.registry();
        this.projectSettings = deps.projectSettings();
        this.lock = deps.lock();
    }

    public PreflightResult preflight(PreflightRequest request) {
        ExecutionInput input = request.input();
        String projectId = input.projectId();
        String rotationId = request.rotationId();
        ExecutionSettings deployment = projectSettings.forProject(projectId);
        RunSettings settings = request.settings(deployment);
        List<String> settingsNotes = settingsNotes(input, deployment);
        String mode = input.isSweep() ? ExecutionInput.MODE_SWEEP : ExecutionInput.MODE_ROTATE;

        // ---- the lock, before anything is read for a decision: a run that will write holds it to its end
        LockGrant grant = null;
        if (!input.isDryRun()) {
            try {
                grant = lock.acquire(projectId, rotationId);
            } catch (LockHeldException held) {
                String reason = "Project " + projectId + " is being rotated by " + held.state().holder() + " (lock held since "
                        + held.state().acquiredAt() + "): this run changed nothing. It goes on by itself; start again"
                        + " after it ends if another rotation is still wanted.";
                LOG.info("Preflight of project {} (rotation {}): skip - {}", projectId, rotationId, reason);
                return new PreflightResult(projectId, rotationId, mode, PreflightResult.SKIP, false, input.isForce(),
                        reason, null, null, settings, null, settingsNotes, null, input.trigger());
            }
            if (grant.takenOverFrom() != null) {
                settingsNotes = new ArrayList<>(settingsNotes);
                settingsNotes.add("The project's lock was taken over from " + grant.takenOverFrom()
                        + ", which had ended (or, a local run, whose lease had expired) without releasing it.");
            }
        }
        try {
            PreflightResult result = decide(input, projectId, rotationId, settings, settingsNotes, grant);
            if (grant != null && PreflightResult.SKIP.equals(result.decision())) {
                lock.release(grant); // a skipped run ends here: the ledger writes it made are done
                return result.withoutLock();
            }
            return result;
        } catch (RuntimeException e) {
            if (grant != null) {
                releaseQuietly(grant, e);
            }
            throw e;
        }
    }

    private void releaseQuietly(LockGrant grant, RuntimeException cause) {
        try {
            lock.release(grant);
        } catch (RuntimeException releaseFailed) {
            cause.addSuppressed(releaseFailed); // the lease, or the execution's end, frees it then
        }
    }

    private PreflightResult decide(ExecutionInput input, String projectId, String rotationId, RunSettings settings,
            List<String> settingsNotes, LockGrant grant) {
        if (input.isSweep()) {
            return new PreflightResult(projectId, rotationId, ExecutionInput.MODE_SWEEP, PreflightResult.SWEEP,
                    input.isDryRun(), input.isForce(), "Sweep: audit the project's retired and abandoned keys only.",
                    null, null, settings, null, settingsNotes, grant, input.trigger());
        }
        Instant now = clock.instant();

        // ---- reads
        EncryptionAtRest ear = atlas.getEncryptionAtRest(projectId);
        AwsKms kms = ear.awsKms();
        KeyService keys = null;
        ManagedKey current = null;
        List<ManagedKey> projectKeys = List.of();
        if (ear.awsKmsEnabled() && kms.isValid() && isKeyReference(kms.customerMasterKeyID())) {
            keys = keysFor.apply(projectId, KeyLocation.regionOf(kms.customerMasterKeyID(), kms));
            current = keys.describe(kms.customerMasterKeyID());
            projectKeys = keys.findProjectKeys(projectId, true);
        }
        List<Cluster> clusters = atlas.listClusters(projectId);
        Set<String> running = runningRotations(projectKeys, rotationId);
        List<AtlasEvent> events = settings.cooldownDays() > 0 && current != null
                ? atlas.listEvents(projectId, PreflightRules.KEY_ROTATED_EVENT,
                        now.minus(Duration.ofDays(settings.cooldownDays())))
                : List.of();

        // ---- rules: refuse before anything is written
        PreflightPlan plan = PreflightRules.evaluate(new PreflightInput(projectId, rotationId, keys == null ? null : keys.deployment(), ear, current, clusters,
                projectKeys, running, PreflightRules.activeSince(events, current),
                new PreflightOptions(input.isForce(), input.isWaitForClusters(), settings.cooldownDays()), now));
        String atlasRoleArn = atlasRoleArn(projectId, kms);

        // ---- ledger
        List<String> notes = new ArrayList<>(plan.notes());
        notes.addAll(settingsNotes);
        List<PendingKeyOutcome> pendingOutcomes = pendingOutcomes(plan);
        for (PendingKeyOutcome p : pendingOutcomes) {
            notes.add("Pending key " + p.keyId() + " of rotation " + p.rotationId() + ": " + p.outcome() + " ("
                    + p.reason() + ")" + (input.isDryRun() ? " [dry run: not done]" : "") + ".");
        }
        boolean adoptedByTag = current.tag(KeyTags.ADOPTED_BY) != null;
        boolean adoptNow = plan.adoptCurrentKey() && current.tag(KeyTags.ROTATION) == null && !adoptedByTag;
        if (!input.isDryRun()) {
            writeLedger(keys, projectKeys, current, plan, rotationId, projectId, adoptNow, now);
            keys.keepIndexed(current); // the key Atlas uses is in the project's index, whatever was interrupted before
        } else {
            notes.add("Dry run: nothing was written to KMS or Atlas.");
        }
        CurrentKey currentKey = new CurrentKey(current.keyId(), current.arn(),
                current.region() != null ? current.region() : keys.region(), current.multiRegion(),
                adoptedByTag || adoptNow);

        String planDecision = plan.outcome() == Outcome.SKIP ? PreflightResult.SKIP : PreflightResult.ROTATE;
        String reason = plan.summary();
        String resumedSkip = skipAfterResuming(plan, input, settings, PreflightRules.activeSince(events, current), now);
        if (resumedSkip != null) {
            planDecision = PreflightResult.SKIP;
            reason = resumedSkip;
            notes.add(resumedSkip);
        }
        if (plan.outcome() == Outcome.WAIT_FOR_CLUSTERS) {
            notes.add("Clusters " + plan.busyClusters() + " are busy and waitForClusters is set: the key is switched"
                    + " now and AwaitDeployment waits until every AWS-encrypted cluster is IDLE before finalizing"
                    + " (within deploymentDeadlineSeconds).");
        }
        if (settings.rotatesKeyMaterial() && PreflightResult.ROTATE.equals(planDecision)) {
            String recent = recentMaterialRotation(keys, current, settings, input, now);
            if (recent != null) {
                planDecision = PreflightResult.SKIP;
                reason = recent;
                notes.add(recent);
            } else {
                planDecision = PreflightResult.ROTATE_MATERIAL;
                reason = "Rotate the material of key " + current.keyId() + " (method key-material: the key id and Atlas"
                        + " stay; automatic rotation every " + settings.rotationPeriodDays() + " days)";
            }
        }
        RotationPlan rotationPlan = null;
        String decision = planDecision;
        if (input.isDryRun()) {
            decision = PreflightResult.PLAN;
            rotationPlan = dryRunPlan(plan, planDecision, reason, current, keys, atlasRoleArn, clusters,
                    pendingOutcomes, projectKeys, projectId, kms, settings, now);
        }
        LOG.info("Preflight of project {} (rotation {}): {} - {}", projectId, rotationId, decision, reason);
        return new PreflightResult(projectId, rotationId, ExecutionInput.MODE_ROTATE, decision, input.isDryRun(),
                input.isForce(), reason, currentKey, atlasRoleArn, settings, rotationPlan, notes, grant, input.trigger());
    }

    /**
     * With the {@code key-material} method the cooldown also counts from the material's last rotation (automatic or
     * on demand, as KMS lists them): a repeated alert does not spend another of the key's capped on-demand rotations.
     * Returns the skip reason, or null. A list that cannot be read does not skip: the rotation goes on.
     */
    private static String recentMaterialRotation(KeyService keys, ManagedKey current, RunSettings settings,
            ExecutionInput input, Instant now) {
        if (input.isForce() || settings.cooldownDays() == 0) {
            return null;
        }
        Instant last;
        try {
            last = keys.lastRotation(current.arn()).orElse(null);
        } catch (RuntimeException unreadable) {
            LOG.warn("The rotations of key {} could not be listed ({}): the cooldown counts without them", current.arn(),
                    unreadable.getClass().getSimpleName());
            return null;
        }
        if (last == null || !now.isBefore(last.plus(Duration.ofDays(settings.cooldownDays())))) {
            return null;
        }
        return "The material of key " + current.keyId() + " last rotated at " + last + ", inside the "
                + settings.cooldownDays() + "-day cooldown; nothing was changed. Start with \"force\": true to rotate anyway.";
    }

    /**
     * When this run finished a dead run that had already switched Atlas (its key is "resumed"), the
     * rotation the operator asked for has in effect happened: that key became Atlas's key moments or
     * hours ago. {@link PreflightRules} does not apply the cooldown while finishing a dead run; the
     * step does, so that re-running an execution that stopped after the switch (for example after
     * DeploymentDeadlineExceeded) finishes it instead of starting yet another re-encryption right
     * away. {@code force} still rotates. Returns the skip reason, or null.
     */
    private static String skipAfterResuming(PreflightPlan plan, ExecutionInput input, RunSettings settings,
            Instant activeSince, Instant now) {
        PendingKeyAction resumed = plan.pendingKeys().stream().filter(p -> p.action() == Action.ADOPT).findFirst()
                .orElse(null);
        if (resumed == null || plan.outcome() == Outcome.SKIP || input.isForce() || settings.cooldownDays() == 0
                || activeSince == null) {
            return null;
        }
        Instant end = activeSince.plus(Duration.ofDays(settings.cooldownDays()));
        if (!now.isBefore(end)) {
            return null;
        }
        return "Finished rotation " + resumed.rotationId() + ", which had switched Atlas to key " + resumed.keyId()
                + " before it stopped; that key is active since " + activeSince + ", inside the "
                + settings.cooldownDays() + "-day cooldown (until " + end + "), so no new rotation now. Start with"
                + " \"force\": true to rotate again.";
    }

    /**
     * Says so when the input's {@code settings.extraClusterNames} leaves out clusters the deployment
     * configured for the project: they are kept (the union), which an operator who meant to replace
     * the list should know.
     */
    private static List<String> settingsNotes(ExecutionInput input, ExecutionSettings deployment) {
        List<String> given = input.settings() == null ? null : input.settings().extraClusterNames();
        if (given == null || deployment == null || deployment.extraClusterNames() == null) {
            return List.of();
        }
        List<String> kept = deployment.extraClusterNames().stream().filter(name -> !given.contains(name)).toList();
        if (kept.isEmpty()) {
            return List.of();
        }
        return List.of("The input's settings.extraClusterNames adds to the deployment's, never replaces them: the"
                + " audit also lists the snapshots of " + kept + ", configured for this project.");
    }

    // ------------------------------------------------------------------ reads

    /** The rotations that hold a pending key of the project and still run (this one excluded). */
    private Set<String> runningRotations(List<ManagedKey> projectKeys, String rotationId) {
        Set<String> running = new LinkedHashSet<>();
        for (ManagedKey key : projectKeys) {
            String rotation = key.tag(KeyTags.ROTATION);
            if (key.state() == KeyState.PENDING && rotation != null && !rotation.isBlank()
                    && !rotation.equals(rotationId) && !running.contains(rotation) && registry.isRunning(rotation)) {
                running.add(rotation);
            }
        }
        return running;
    }

    /** The IAM role ARN of Atlas's cloud provider access role named by {@code awsKms.roleId}. */
    private String atlasRoleArn(String projectId, AwsKms kms) {
        AtlasConfig.requireRoleId(projectId, kms);
        for (CloudProviderAccessRole role : atlas.listCloudProviderAccessRoles(projectId)) {
            if (kms.roleId().equals(role.roleId())) {
                String arn = role.iamAssumedRoleArn();
                if (arn == null || !Inputs.IAM_ROLE_ARN.matcher(arn).matches()) {
                    throw new AtlasConfigurationException("Atlas's cloud provider access role " + kms.roleId()
                            + " of project " + projectId + " has no usable IAM role ARN (iamAssumedRoleArn is "
                            + (arn == null ? "missing" : "'" + arn + "'") + "). Finish authorizing the role in Atlas.");
                }
                return arn;
            }
        }
        throw new AtlasConfigurationException("Project " + projectId + "'s encryption at rest uses cloud provider access"
                + " role " + kms.roleId() + ", but Atlas lists no such role under cloudProviderAccess. Check the project's"
                + " cloud provider access in Atlas (and that the API key may read it).");
    }

    // ------------------------------------------------------------------ writes

    private void writeLedger(KeyService keys, List<ManagedKey> projectKeys, ManagedKey current, PreflightPlan plan,
            String rotationId, String projectId, boolean adoptNow, Instant now) {
        Map<String, ManagedKey> byId = new LinkedHashMap<>();
        projectKeys.forEach(k -> byId.put(KeyIds.keyId(k.keyId()), k));

        for (PendingKeyAction pending : plan.pendingKeys()) {
            if (pending.action() != Action.ABANDON) {
                continue;
            }
            ManagedKey key = byId.get(KeyIds.keyId(pending.keyId()));
            Map<String, String> tags = new LinkedHashMap<>();
            tags.put(KeyTags.STATE, KeyState.ABANDONED.tagValue());
            if (key == null || RetirementInput.retiredAtTag(key) == null) {
                tags.put(KeyTags.RETIRED_AT, now.toString());
            }
            keys.tag(key == null ? pending.keyId() : key.arn(), tags);
            LOG.info("Abandoned pending key {} of dead rotation {}", pending.keyId(), pending.rotationId());
        }
        for (String keyId : plan.activeKeysToRetire()) {
            ManagedKey key = byId.get(KeyIds.keyId(keyId));
            Map<String, String> tags = new LinkedHashMap<>();
            tags.put(KeyTags.STATE, KeyState.RETIRED.tagValue());
            if (key == null || RetirementInput.retiredAtTag(key) == null) {
                tags.put(KeyTags.RETIRED_AT, now.toString());
            }
            keys.tag(key == null ? keyId : key.arn(), tags);
            LOG.info("Retired key {}: tagged active, but Atlas no longer names it", keyId);
        }
        // adopt first: a key this deployment has just claimed is one whose stale tags its IAM lets it remove
        if (plan.adoptCurrentKey()) {
            Map<String, String> tags = new LinkedHashMap<>();
            boolean claiming = current.tag(KeyTags.DEPLOYMENT) == null;
            if (!current.ownedBy(projectId) || claiming) {
                tags.put(KeyTags.PROJECT, projectId);
            }
            if (current.state() != KeyState.ACTIVE || claiming) {
                tags.put(KeyTags.STATE, KeyState.ACTIVE.tagValue());
            }
            if (claiming) {
                // IAM lets Preflight tag a key that is no deployment's only with all three: ours, active, a project
                tags.put(KeyTags.DEPLOYMENT, keys.deployment());
            }
            if (adoptNow) {
                tags.put(KeyTags.ADOPTED_BY, rotationId);
            }
            if (!tags.isEmpty()) {
                keys.tag(current.arn(), tags);
            }
            LOG.info("Key {} is now project {}'s active key{}", current.keyId(), projectId,
                    adoptNow ? " (adopted by " + rotationId + ")" : "");
        }
        List<String> stale = new ArrayList<>();
        if (current.tag(KeyTags.RETIRED_AT) != null) {
            stale.add(KeyTags.RETIRED_AT);
        }
        if (current.tag(KeyTags.SAFE_AFTER) != null) {
            stale.add(KeyTags.SAFE_AFTER);
        }
        if (!stale.isEmpty()) {
            keys.untag(current.arn(), stale);
            LOG.info("Removed {} from key {}: Atlas uses it, so it is not retired", stale, current.keyId());
        }
    }

    // ------------------------------------------------------------------ plan

    private static List<PendingKeyOutcome> pendingOutcomes(PreflightPlan plan) {
        List<PendingKeyOutcome> out = new ArrayList<>();
        for (PendingKeyAction p : plan.pendingKeys()) {
            String outcome = switch (p.action()) {
                case ADOPT -> "resumed";
                case ABANDON -> "abandoned";
                case RESUME -> "continued";
            };
            out.add(new PendingKeyOutcome(p.keyId(), p.rotationId(), outcome, p.reason()));
        }
        return out;
    }

    private RotationPlan dryRunPlan(PreflightPlan plan, String decision, String reason, ManagedKey current,
            KeyService keys, String atlasRoleArn, List<Cluster> clusters, List<PendingKeyOutcome> pending,
            List<ManagedKey> projectKeys, String projectId, AwsKms kms, RunSettings settings, Instant now) {
        String summary = null;
        String refusal = null;
        try {
            summary = KeyPolicies.summary(
                    KeyPolicies.initialPolicy(keys.getPolicy(current.arn()), current.arn(), atlasRoleArn, null));
        } catch (KeyPolicyLockoutException | InvalidKeyPolicyException refused) {
            refusal = refused.getMessage();
        }
        PlannedKey newKey = new PlannedKey(current.region() != null ? current.region() : keys.region(),
                current.multiRegion(), summary, refusal);
        List<String> waitFor = clusters.stream().filter(Cluster::encryptedWithAwsKms).map(Cluster::name).toList();

        List<PlannedRetirement> retirements = new ArrayList<>();
        List<ManagedKey> candidates = projectKeys.stream().filter(RetirementAudit::isCandidate).toList();
        if (!candidates.isEmpty()) {
            // Preflight has 90 s in all: its plan's survey gets a third of it.
            BackupSurvey survey = BackupSurvey.read(atlas, projectId, settings.extraClusterNames(),
                    RetirementAudit.spans(candidates, now, false), PREFLIGHT_SURVEY_BUDGET);
            AdoptionCheck adoption = new AdoptionCheck(atlas);
            RetirementAudit.Context context = new RetirementAudit.Context(projectId, kms, survey, projectKeys,
                    Duration.ofDays(settings.minRetirementDays()), Duration.ofSeconds(settings.settleSeconds()),
                    usageFor.apply(projectId, keys.region()),
                    key -> adoption.gather(key, projectId, kms, Inputs.ADOPTED_KEEP.equals(settings.adoptedKeys()), keys,
                            projectSettings.projectIds()),
                    now, false);
            for (ManagedKey key : candidates) {
                RetirementAudit.KeyAudit audit = RetirementAudit.evaluate(key, context);
                retirements.add(new PlannedRetirement(key.keyId(), key.tag(KeyTags.STATE),
                        audit.verdict() == Verdict.SCHEDULE_DELETION, audit.decisionName(), audit.safeAfter(),
                        audit.reasons()));
            }
        }
        return new RotationPlan(decision, reason, newKey, waitFor, plan.busyClusters(), pending,
                plan.activeKeysToRetire(), plan.adoptCurrentKey(), retirements, settings);
    }

    /** How long the dry-run plan's backup survey may take before it stops and its plan keeps every key. */
    static final Duration PREFLIGHT_SURVEY_BUDGET = Duration.ofSeconds(30);

    private static boolean isKeyReference(String reference) {
        if (reference == null || reference.isBlank()) {
            return false;
        }
        try {
            KeyIds.keyId(reference);
            return true;
        } catch (IllegalArgumentException notAKey) {
            return false;
        }
    }
}
