package io.atlascmk.rotator.rotation;

import io.atlascmk.rotator.atlas.AtlasApi;
import io.atlascmk.rotator.atlas.AwsKms;
import io.atlascmk.rotator.atlas.Cluster;
import io.atlascmk.rotator.kms.KeyTags;
import io.atlascmk.rotator.kms.KeyService;
import io.atlascmk.rotator.kms.ManagedKey;
import io.atlascmk.rotator.trail.KeyUsageLog;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * AuditAndRetire: for every {@code retired} or {@code abandoned} key of the project, decide with
 * {@link RetirementPolicy} over every snapshot of every cluster (see {@link BackupSurvey}; each
 * cluster is read once per run, not once per key) whether it can be deleted, and act on it (see
 * {@link RetirementAudit}): schedule deletion with the configured pending window, or record
 * {@code safe-after} and leave the key enabled. Keys are never disabled: a disabled key makes its
 * snapshots unrestorable just like a deleted one, without the pending window's undo.
 *
 * <p><b>Not while Atlas re-encrypts.</b> Before deciding anything, the encryption-at-rest
 * configuration and the clusters (the same reads the backup survey uses) are checked: when Atlas's
 * current key is not {@code valid}, or any cluster encrypted with AWS KMS is not {@code IDLE} (a key
 * switch or a rollback is still re-wrapping its data keys), no deletion is scheduled in this run and
 * nothing is written: every candidate is reported {@code refuse} (no date can be promised, so not
 * {@code defer}) and the next sweep decides. A key scheduled for deletion is unusable at once
 * (PendingDeletion), so deleting the key Atlas is moving away from, or back from after a rollback,
 * could break the re-wrap.
 *
 * <p>The project's keys are looked up in the region of the key Atlas names now (every key of a
 * project is created in that region). With {@code dryRun} nothing is written; the report says what
 * would be done.
 *
 * <p><b>Idempotent.</b> Writes are compared with the tags first; ScheduleKeyDeletion is tagged for
 * before it is sent and is itself idempotent, so a re-run after a crash ends in the same state.
 */
public final class AuditAndRetireStep {

    private static final Logger LOG = LoggerFactory.getLogger(AuditAndRetireStep.class);

    /** How long the backup survey may take before it stops and every key is kept (5 minutes). */
    public static final java.time.Duration SURVEY_BUDGET = BackupSurvey.DEFAULT_BUDGET;

    private final AtlasApi atlas;
    private final java.util.function.BiFunction<String, String, KeyService> keysFor;
    private final java.util.function.BiFunction<String, String, KeyUsageLog> usage;
    private final ProjectSettingsSource projectSettings;
    private final Clock clock;
    /** The field of the stored evidence ({@code evidence/<project>/<rotation>/AuditAndRetire.json}) that dates the audit. */
    public static final String AUDITED_AT = "auditedAt";
    private final io.atlascmk.rotator.evidence.EvidenceStore evidence;
    private final java.time.Duration surveyBudget;

    /**
     * The survey of the project's backups may take {@link #SURVEY_BUDGET}: the AuditAndRetire function has
     * 540 s (infra's {@code RotatorStep}), and the decisions after the survey (CloudTrail, KMS) need the rest.
     */
    public AuditAndRetireStep(StepDependencies deps) {
        this(deps, SURVEY_BUDGET);
    }

    /** With another budget for the backup survey (a survey still reading then keeps every key). */
    public AuditAndRetireStep(StepDependencies deps, java.time.Duration surveyBudget) {
        this.surveyBudget = java.util.Objects.requireNonNull(surveyBudget, "surveyBudget");
        this.evidence = deps.evidence();
        this.atlas = deps.atlas();
        this.keysFor = deps::keysFor;
        this.usage = deps::usageFor;
        this.projectSettings = deps.projectSettings();
        this.clock = deps.clock();
    }

    public AuditAndRetireResult audit(AuditAndRetireRequest request) {
        String projectId = request.projectId();
        AwsKms atlasKms = AtlasConfig.requireAwsKms(projectId, atlas.getEncryptionAtRest(projectId));
        String region = KeyLocation.regionOf(atlasKms.customerMasterKeyID(), atlasKms);
        KeyService keys = keysFor.apply(projectId, region);
        List<ManagedKey> projectKeys = keys.findProjectKeys(projectId, true);
        List<ManagedKey> candidates = projectKeys.stream()
                .filter(RetirementAudit::isCandidate)
                .toList();
        if (candidates.isEmpty()) {
            LOG.info("Project {} has no retired or abandoned key to audit", projectId);
            return new AuditAndRetireResult(List.of(), 0, 0);
        }
        List<Cluster> clusters = atlas.listClusters(projectId);
        String busy = reEncryptionInProgress(atlasKms, clusters);
        if (busy != null) {
            LOG.info("Project {}: no deletion scheduled in this run: {}", projectId, busy);
            return new AuditAndRetireResult(candidates.stream().map(key -> keptUndecided(key, busy)).toList(), 0, 0);
        }
        Instant now = clock.instant();
        BackupSurvey survey = BackupSurvey.read(atlas, projectId, clusters, request.extraClusterNames(),
                RetirementAudit.spans(candidates, now, !request.isDryRun()), surveyBudget);
        if (survey.incomplete() != null) {
            // Nothing is decided on a partial read, and nothing is written: every key is kept as it is.
            return new AuditAndRetireResult(candidates.stream().map(key -> keptUndecided(key, survey.incomplete()))
                    .toList(), 0, 0);
        }
        AdoptionCheck adoption = new AdoptionCheck(atlas);
        RetirementAudit.Context context = new RetirementAudit.Context(projectId, atlasKms, survey, projectKeys,
                request.minRetirement(), request.settle(), usage.apply(projectId, region),
                key -> adoption.gather(key, projectId, atlasKms, request.keepsAdoptedKeys(), keys,
                        projectSettings.projectIds()),
                now, !request.isDryRun());
        List<AuditedKey> reports = new ArrayList<>();
        for (ManagedKey key : candidates) {
            RetirementAudit.KeyAudit audit = RetirementAudit.evaluate(key, context);
            AuditedKey report = request.isDryRun()
                    ? RetirementAudit.report(audit)
                    : RetirementAudit.apply(audit, keys, request.pendingWindowDays());
            LOG.info("Audit of key {} (project {}): {}{}", key.keyId(), projectId, report.decision(),
                    request.isDryRun() ? " (dry run, nothing written)" : "");
            reports.add(report);
        }
        return kept(request, new AuditAndRetireResult(reports, survey.snapshotsRead(), survey.clusters().size()));
    }

    /**
     * The whole result goes to the evidence store (one object per execution), and the workflow carries a summary
     * that points at it; without a store the result is whole.
     */
    private AuditAndRetireResult kept(AuditAndRetireRequest request, AuditAndRetireResult whole) {
        byte[] json;
        try {
            // the stored object says when the audit ran (an object's LastModified is when it was written, not when
            // the evidence was read, and a copy of the bucket loses it): `./rotator status` dates the audit by it
            com.fasterxml.jackson.databind.node.ObjectNode stored = io.atlascmk.rotator.json.Json.MAPPER.valueToTree(whole);
            stored.put(AUDITED_AT, clock.instant().toString());
            json = io.atlascmk.rotator.json.Json.MAPPER.writeValueAsBytes(stored);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("Could not write the audit's evidence", e);
        }
        String uri = evidence.put(request.projectId(), request.rotationId(), "AuditAndRetire", json);
        return uri == null ? whole : whole.summarized(uri);
    }

    /**
     * Why Atlas may still be re-encrypting (one sentence), or null when its current key is valid and
     * every AWS-encrypted cluster is idle.
     */
    static String reEncryptionInProgress(AwsKms atlasKms, List<Cluster> clusters) {
        List<String> reasons = new ArrayList<>();
        if (!atlasKms.isValid()) {
            reasons.add("Atlas reports its current key " + atlasKms.customerMasterKeyID()
                    + (atlasKms.valid() == null ? " without saying whether it is valid" : " as not valid"));
        }
        List<String> busy = clusters.stream()
                .filter(c -> c.encryptedWithAwsKms() && !c.isIdle())
                .map(c -> c.name() + " (" + c.stateName() + ")")
                .toList();
        if (!busy.isEmpty()) {
            reasons.add("cluster" + (busy.size() == 1 ? " " : "s ") + String.join(", ", busy)
                    + (busy.size() == 1 ? " is" : " are") + " not IDLE");
        }
        if (reasons.isEmpty()) {
            return null;
        }
        return "Atlas may still be re-encrypting with or away from this project's keys: " + String.join(" and ", reasons)
                + ". A key scheduled for deletion can no longer decrypt, so no deletion is scheduled in this run;"
                + " the next sweep will decide.";
    }

    private static AuditedKey keptUndecided(ManagedKey key, String reason) {
        return new AuditedKey(key.keyId(), key.tag(KeyTags.STATE), AuditedKey.REFUSE, null, null, List.of(reason),
                Map.of(), null, AuditedKey.safeAfterTag(key.tag(KeyTags.SAFE_AFTER)));
    }
}
