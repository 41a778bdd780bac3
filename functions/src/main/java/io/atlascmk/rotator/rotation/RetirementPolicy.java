package io.atlascmk.rotator.rotation;

import io.atlascmk.rotator.atlas.Snapshot;
import io.atlascmk.rotator.kms.KeyIds;
import io.atlascmk.rotator.kms.KeyState;
import io.atlascmk.rotator.kms.KeyTags;
import io.atlascmk.rotator.kms.ManagedKey;
import io.atlascmk.rotator.rotation.RetirementDecision.Verdict;
import io.atlascmk.rotator.rotation.RetirementReason.Code;
import io.atlascmk.rotator.trail.KeyUse;
import io.atlascmk.rotator.trail.UsageEvidence;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Decides whether a retired key may be scheduled for deletion: the one place the deletion safety
 * rules (design §4, rules 1 to 3) are applied. Pure: it reads only its input.
 *
 * <h2>Rules</h2>
 * Deletion is scheduled only when every one of these holds, otherwise the key is kept enabled:
 * <ol>
 *   <li>the key is ours: its project tag is this project and its state tag is {@code retired} or
 *       {@code abandoned} (else REFUSE);</li>
 *   <li>Atlas does not name it now: {@code customerMasterKeyID} is compared by key id, so an id, an
 *       ARN and an mrk- id or ARN of the same key all match; a {@code customerMasterKeyID} that is not
 *       a key reference at all might be this key and refuses too;</li>
 *   <li>no listed snapshot of any cluster (replica set, sharded, terminated) holds it: one whose
 *       {@code masterKeyUUID} names it in any spelling. A listed snapshot blocks whatever its
 *       {@code expiresAt} says (Atlas may not have removed it yet): with an expiry the key is deferred
 *       until the latest one, without an expiry it is refused;</li>
 *   <li>no continuous-backup cluster can restore to a moment the key was active: its window
 *       {@code [now - restoreWindowDays, now]} reaches back to {@code retired-at} until
 *       {@code retired-at + restoreWindowDays}; deletion waits until after that instant. Without a
 *       readable {@code retired-at} the key may have been active until now, so the window is counted
 *       from now (the audit step should stamp {@code retired-at} so the date stops moving). A
 *       continuous-backup cluster whose schedule gives no window refuses.</li>
 * </ol>
 *
 * <h2>Snapshots whose key is unknown</h2>
 * Atlas reports {@code masterKeyUUID} only for encrypted snapshots, and a value that is not a key id
 * or ARN cannot be compared. Such a snapshot could have been encrypted with whichever key was active
 * when it was taken, so it is counted as <em>possibly holding</em> the candidate, exactly like a
 * snapshot that names it, when it was taken (or its time is unknown) inside the candidate's possible
 * active span:
 * <ul>
 *   <li>not before the key was created ({@link ManagedKey#createdAt()}): a snapshot cannot be
 *       encrypted with a key that did not exist yet;</li>
 *   <li>not after the key's {@code retired-at}: once Atlas had moved every cluster to the next key,
 *       new snapshots used that key. Without a readable {@code retired-at} there is no upper bound.</li>
 * </ul>
 * So an unknown-key snapshot blocks the deletion of every key that existed when it was taken and was
 * retired after it was taken; it never blocks keys created after it or retired before it.
 */
public final class RetirementPolicy {

    private RetirementPolicy() {
    }

    public static RetirementDecision decide(RetirementInput in) {
        String candidate = in.candidateKeyId();
        ManagedKey key = in.key();
        Instant now = in.now();
        Instant retiredAt = in.retiredAt();
        List<RetirementReason> reasons = new ArrayList<>();

        checkOwnership(in, candidate, reasons);
        String atlasKeyId = checkAtlasConfiguration(in, candidate, reasons);
        checkRetirementAge(in, candidate, reasons);
        checkUsage(in, candidate, reasons);
        checkAdoption(in, candidate, reasons);

        Set<String> known = new HashSet<>(in.knownKeyIds());
        known.add(candidate);
        if (atlasKeyId != null) {
            known.add(atlasKeyId);
        }
        List<ClusterEvidence> evidence = new ArrayList<>();
        List<RetirementDecision.Anomaly> anomalies = new ArrayList<>();
        for (ClusterBackups cluster : in.clusters()) {
            evidence.add(auditCluster(cluster, candidate, known, key.createdAt(), retiredAt, now, reasons, anomalies));
        }

        Verdict verdict = reasons.stream().map(RetirementReason::effect)
                .reduce(Verdict.SCHEDULE_DELETION, RetirementPolicy::stricter);
        Instant safeAfter = verdict != Verdict.DEFER ? null : reasons.stream()
                .map(RetirementReason::until)
                .max(Instant::compareTo)
                .orElseThrow();
        return new RetirementDecision(verdict, candidate, safeAfter, reasons, evidence, anomalies, in.usage(),
                !in.adopted() || in.adoption() != null);
    }

    /**
     * Rule 7: a key this system adopted (not created) may be another project's key too, or used by others
     * the rotator never heard of. When asked ({@link RetirementInput#adoption()}), anything but a clean
     * answer refuses: the project keeps adopted keys, another deployment project names it, a grant or the
     * key policy lets another principal use it, or any of that could not be read.
     */
    private static void checkAdoption(RetirementInput in, String candidate, List<RetirementReason> reasons) {
        AdoptionEvidence adoption = in.adoption();
        if (!in.adopted() || adoption == null) {
            return;
        }
        if (adoption.keep()) {
            reasons.add(about(Code.ADOPTED_KEY_KEPT, "Key " + candidate + " was adopted (the project's key before its"
                    + " first rotation) and the project keeps adopted keys (adoptedKeys: keep): it is never deleted by"
                    + " the rotator. Delete it yourself once you know nothing needs it."));
            return;
        }
        List<String> why = new ArrayList<>();
        if (!adoption.projectsNamingIt().isEmpty()) {
            why.add("project(s) " + adoption.projectsNamingIt() + " use it as their key");
        }
        if (!adoption.unreadableProjects().isEmpty()) {
            why.add("the key of project(s) " + adoption.unreadableProjects() + " could not be read");
        }
        if (!adoption.grantees().isEmpty()) {
            why.add("grants let " + adoption.grantees() + " use it");
        }
        if (!adoption.policyUsers().isEmpty()) {
            why.add("its key policy lets " + adoption.policyUsers() + " use it");
        }
        if (adoption.unavailableReason() != null) {
            why.add(adoption.unavailableReason());
        }
        if (!why.isEmpty()) {
            reasons.add(about(Code.ADOPTED_KEY_SHARED, "Key " + candidate + " was adopted, not created, by the rotator,"
                    + " and something else may need it: " + String.join("; ", why) + ". It stays retired; remove the"
                    + " other uses (or set adoptedKeys: keep) and the next audit decides again."));
        }
    }

    /**
     * Rule 6: CloudTrail's evidence, when it was asked. Any use since the retirement (plus the settle
     * time) keeps the key for a whole minimum retirement after the last use; an unreadable trail refuses.
     */
    private static void checkUsage(RetirementInput in, String candidate, List<RetirementReason> reasons) {
        UsageEvidence usage = in.usage();
        if (usage == null) {
            return;
        }
        if (!usage.available()) {
            reasons.add(new RetirementReason(Code.USAGE_UNKNOWN, null, 0, null, List.of(), "Whether key " + candidate
                    + " is still used cannot be told: " + usage.summary() + ". It stays until CloudTrail answers."));
            return;
        }
        KeyUse last = usage.lastUse();
        if (last != null && !in.now().isAfter(last.at().plus(in.minRetirement()))) {
            Instant until = last.at().plus(in.minRetirement());
            reasons.add(new RetirementReason(Code.KEY_USED_SINCE_RETIREMENT, null, 0, until, List.of(), "Key " + candidate
                    + " was used since its retirement (" + usage.uses().stream().map(KeyUse::describe)
                    .collect(java.util.stream.Collectors.joining("; ")) + "): something still needs it. It stays"
                    + " until " + until + " (a minimum retirement after the last use); find out who uses it."));
        }
    }

    /** Rule 5: a key stays retired at least {@code minRetirement}, whatever its snapshots say. */
    private static void checkRetirementAge(RetirementInput in, String candidate, List<RetirementReason> reasons) {
        Instant retiredAt = in.retiredAt();
        long days = in.minRetirement().toDays();
        if (retiredAt == null) {
            Instant until = in.now().plus(in.minRetirement());
            reasons.add(new RetirementReason(Code.MIN_RETIREMENT_AGE, null, 0, until, List.of(), "Key " + candidate
                    + " has no readable " + KeyTags.RETIRED_AT + " tag, so it may have been in use until now: it stays"
                    + " for the minimum retirement of " + days + " days, until " + until + "."));
            return;
        }
        Instant until = retiredAt.plus(in.minRetirement());
        if (!in.now().isAfter(until)) {
            reasons.add(new RetirementReason(Code.MIN_RETIREMENT_AGE, null, 0, until, List.of(), "Key " + candidate
                    + " was retired at " + retiredAt + " and stays for the minimum retirement of " + days
                    + " days, until " + until + " (anything that still uses it has that long to show up)."));
        }
    }

    private static void checkOwnership(RetirementInput in, String candidate, List<RetirementReason> reasons) {
        ManagedKey key = in.key();
        String project = key.tag(KeyTags.PROJECT);
        if (project == null) {
            reasons.add(about(Code.KEY_NOT_IN_PROJECT, "Key " + candidate + " has no " + KeyTags.PROJECT
                    + " tag: this system neither created nor adopted it, so it never deletes it. Delete it yourself if it is really unused."));
        } else if (!key.ownedBy(in.projectId())) {
            reasons.add(about(Code.KEY_NOT_IN_PROJECT, "Key " + candidate + " belongs to project " + project
                    + ", not " + in.projectId() + ": only that project's audit may retire it."));
        }
        KeyState state = key.state();
        if (state != KeyState.RETIRED && state != KeyState.ABANDONED) {
            reasons.add(about(Code.KEY_STATE_NOT_RETIRABLE, "Key " + candidate + " is in ledger state '"
                    + (state == null ? key.tag(KeyTags.STATE) : state.tagValue())
                    + "': only retired or abandoned keys are ever deleted."));
        }
    }

    /** Rule 2; returns the key id Atlas names now, or null when it names none (or none readable). */
    private static String checkAtlasConfiguration(RetirementInput in, String candidate, List<RetirementReason> reasons) {
        String atlasReference = in.atlasKms() == null ? null : in.atlasKms().customerMasterKeyID();
        if (atlasReference == null || atlasReference.isBlank()) {
            return null;
        }
        String atlasKeyId = keyIdOrNull(atlasReference);
        if (atlasKeyId == null) {
            reasons.add(about(Code.ATLAS_KEY_UNREADABLE, "Atlas's customerMasterKeyID '" + atlasReference
                    + "' is not a key id or key ARN, so it may be key " + candidate
                    + "; no key is deleted until Atlas names a key by id or ARN."));
        } else if (atlasKeyId.equals(candidate)) {
            reasons.add(about(Code.ATLAS_NAMES_KEY, "Atlas names key " + candidate + " as the project's key now ('"
                    + atlasReference + "'), although its ledger says otherwise: it is in use and is never deleted. "
                    + "Finish or roll back the rotation that moved it."));
        }
        return atlasKeyId;
    }

    private static ClusterEvidence auditCluster(ClusterBackups cluster, String candidate, Set<String> known,
                                                Instant keyCreatedAt, Instant retiredAt, Instant now,
                                                List<RetirementReason> reasons, List<RetirementDecision.Anomaly> anomalies) {
        SnapshotSummary.Span span = new SnapshotSummary.Span(keyCreatedAt, retiredAt);
        SnapshotSummary summary = cluster.snapshots().forSpan(span);
        String name = cluster.clusterName();
        // Snapshots naming the candidate hold it, whenever they were taken.
        SnapshotSummary.KeyGroup holdingGroup = summary.group(candidate);
        SnapshotSummary.Tally holding = holdingGroup == null ? new SnapshotSummary.Tally() : holdingGroup.all();
        int replicaSet = holding.replicaSet();
        int sharded = holding.sharded();
        // Snapshots naming no readable key may hold it when they were taken while it may have been active.
        SnapshotSummary.KeyGroup unreadable = summary.unreadable();
        SnapshotSummary.Tally unknown = new SnapshotSummary.Tally();
        SnapshotSummary.Firsts timeUnknown = new SnapshotSummary.Firsts(RetirementReason.MAX_SNAPSHOT_IDS);
        if (unreadable != null) {
            unknown.addAll(unreadable.inSpan(span));
            timeUnknown.addAll(unreadable.timeUnknown());
        }
        // A well-formed key id that is no key of this project's ledger nor Atlas's: an anomaly. Atlas
        // encrypts with the project's key of the moment, so its true key may be the candidate. (Snapshots
        // naming another key the system knows do not need this one.)
        SnapshotSummary.Tally foreign = new SnapshotSummary.Tally();
        Set<String> foreignKeys = new TreeSet<>();
        List<RetirementDecision.Anomaly> clusterAnomalies = new ArrayList<>();
        List<Long> anomalyPositions = new ArrayList<>();
        for (SnapshotSummary.KeyGroup group : summary.keyGroups()) {
            if (known.contains(group.keyId())) {
                continue;
            }
            foreignKeys.add(group.keyId());
            foreign.addAll(group.inSpan(span));
            timeUnknown.addAll(group.timeUnknown());
            for (SnapshotSummary.Entry e : group.anomalies().entries()) {
                int at = 0;
                while (at < anomalyPositions.size() && anomalyPositions.get(at) < e.position()) {
                    at++;
                }
                anomalyPositions.add(at, e.position());
                clusterAnomalies.add(at, new RetirementDecision.Anomaly(e.id(), name, group.keyId()));
            }
        }
        for (RetirementDecision.Anomaly a : clusterAnomalies) {
            if (anomalies.size() >= RetirementDecision.MAX_ANOMALIES) {
                break;
            }
            anomalies.add(a);
        }
        if (summary.tooManyKeys()) {
            reasons.add(new RetirementReason(Code.SNAPSHOT_KEYS_UNCOUNTABLE, name, 0, null, List.of(), "The snapshots of "
                    + (cluster.terminated() ? "deleted cluster '" : "cluster '") + name + "' name more than "
                    + SnapshotSummary.MAX_KEYS + " different keys, too many to tell apart, so whether they need key "
                    + candidate + " cannot be told: the key stays. Find out why Atlas names so many keys."));
        }
        String where = (cluster.terminated() ? "deleted cluster '" : "cluster '") + name + "'";

        if (holding.withoutExpiry().count() > 0) {
            reasons.add(new RetirementReason(Code.SNAPSHOT_WITHOUT_EXPIRY, name, holding.withoutExpiry().count(), null,
                    holding.withoutExpiry().ids(), holding.withoutExpiry().count() + " snapshot(s) of " + where
                    + " are encrypted with key " + candidate + " and have no expiry date (e.g. "
                    + holding.withoutExpiry().ids() + "): the key stays until they are deleted in Atlas."));
        }
        if (holding.withExpiry() > 0) {
            reasons.add(new RetirementReason(Code.SNAPSHOT_HOLDS_KEY, name, holding.withExpiry(), holding.latestExpiry(),
                    holding.withExpiryIds(), holding.withExpiry() + " snapshot(s) of " + where + " are encrypted with key "
                    + candidate + " (" + replicaSet + " replica-set and " + sharded + " sharded snapshots hold it in all); "
                    + "the last expires at " + holding.latestExpiry() + "."));
        }
        if (unknown.withoutExpiry().count() > 0) {
            reasons.add(new RetirementReason(Code.UNKNOWN_KEY_SNAPSHOT_WITHOUT_EXPIRY, name, unknown.withoutExpiry().count(),
                    null, unknown.withoutExpiry().ids(), unknown.withoutExpiry().count() + " snapshot(s) of " + where
                    + " without a readable masterKeyUUID were taken while key " + candidate
                    + " may have been active and have no expiry date (e.g. " + unknown.withoutExpiry().ids()
                    + "): the key stays until they are deleted in Atlas."));
        }
        if (unknown.withExpiry() > 0) {
            reasons.add(new RetirementReason(Code.UNKNOWN_KEY_SNAPSHOT, name, unknown.withExpiry(), unknown.latestExpiry(),
                    unknown.withExpiryIds(), unknown.withExpiry() + " snapshot(s) of " + where
                    + " without a readable masterKeyUUID were taken while key " + candidate
                    + " may have been active, so they may need it; the last expires at " + unknown.latestExpiry() + "."));
        }
        String foreignNames = String.join(", ", foreignKeys.stream().limit(RetirementReason.MAX_SNAPSHOT_IDS).toList());
        if (foreign.withoutExpiry().count() > 0) {
            reasons.add(new RetirementReason(Code.FOREIGN_KEY_SNAPSHOT_WITHOUT_EXPIRY, name, foreign.withoutExpiry().count(),
                    null, foreign.withoutExpiry().ids(), "Anomaly: " + foreign.withoutExpiry().count() + " snapshot(s) of "
                    + where + " (e.g. " + foreign.withoutExpiry().ids() + ") name key(s) " + foreignNames
                    + " that neither this project's ledger nor Atlas's configuration knows, were taken while key "
                    + candidate + " may have been active, and never expire: the key stays. Find out which key they"
                    + " really need (a key shared with another project, or one created by hand)."));
        }
        if (foreign.withExpiry() > 0) {
            reasons.add(new RetirementReason(Code.FOREIGN_KEY_SNAPSHOT, name, foreign.withExpiry(), foreign.latestExpiry(),
                    foreign.withExpiryIds(), "Anomaly: " + foreign.withExpiry() + " snapshot(s) of " + where + " (e.g. " + foreign.withExpiryIds()
                    + ") name key(s) " + foreignNames + " that neither this project's ledger nor Atlas's configuration"
                    + " knows and were taken while key " + candidate + " may have been active, so they may need it;"
                    + " the last expires at " + foreign.latestExpiry() + "."));
        }
        if (timeUnknown.count() > 0) {
            reasons.add(new RetirementReason(Code.SNAPSHOT_TIME_UNKNOWN, name, timeUnknown.count(), null,
                    timeUnknown.ids(), timeUnknown.count() + " snapshot(s) of " + where + " (e.g. "
                    + timeUnknown.ids() + ") have no createdAt and no masterKeyUUID of a known key, so whether"
                    + " they were taken while key " + candidate + " was active cannot be told: the key stays."));
        }
        if (cluster.pausedWithOldData() == null) {
            reasons.add(new RetirementReason(Code.CLUSTER_PAUSED, name, 0, null, List.of(), "Atlas did not say"
                    + " whether " + where + " is paused; a paused cluster keeps its data under the key it had when it"
                    + " paused, which may be key " + candidate + ": the key stays."));
        } else if (cluster.pausedWithOldData()) {
            reasons.add(new RetirementReason(Code.CLUSTER_PAUSED, name, 0, null, List.of(), where.substring(0, 1)
                    .toUpperCase(java.util.Locale.ROOT) + where.substring(1) + " is paused: Atlas re-encrypts its data"
                    + " under the new key only when it resumes, so it may still need key " + candidate
                    + ". Resume it (and let it return to IDLE) and the next audit decides."));
        }
        if (cluster.pitEnabled() == null) {
            reasons.add(new RetirementReason(Code.CONTINUOUS_BACKUP_UNKNOWN, name, 0, null, List.of(), "Atlas did not"
                    + " say whether continuous backup (pitEnabled) is on for " + where + ", so it may restore to a moment"
                    + " key " + candidate + " was active: the key stays."));
        }

        Instant windowEnd = null;
        if (Boolean.TRUE.equals(cluster.pitEnabled())) {
            Integer days = cluster.restoreWindowDays();
            if (days == null) {
                reasons.add(new RetirementReason(Code.RESTORE_WINDOW_UNKNOWN, name, 0, null, List.of(),
                        "Continuous backup is on for " + where + " but its backup schedule gives no restoreWindowDays, "
                                + "so it may restore to a moment key " + candidate + " was active; set the restore window "
                                + "on the schedule and the next audit will date the deletion."));
            } else if (retiredAt == null) {
                windowEnd = now.plus(Duration.ofDays(days));
                reasons.add(new RetirementReason(Code.RETIRED_AT_UNKNOWN, name, 0, windowEnd, List.of(),
                        "Key " + candidate + " has no readable " + KeyTags.RETIRED_AT + " tag, so it may have been active "
                                + "until now and the " + days + "-day continuous-backup window of " + where
                                + " is counted from now, until " + windowEnd + "."));
            } else {
                windowEnd = retiredAt.plus(Duration.ofDays(days));
                if (!now.isAfter(windowEnd)) {
                    reasons.add(new RetirementReason(Code.RESTORE_WINDOW_COVERS_KEY, name, 0, windowEnd, List.of(),
                            "The " + days + "-day continuous-backup window of " + where + " reaches back to "
                                    + retiredAt + ", when key " + candidate + " was still active (the oplog is encrypted too), "
                                    + "until " + windowEnd + "."));
                }
            }
        }

        Instant latest = latest(holding.latestExpiry(), latest(unknown.latestExpiry(), foreign.latestExpiry()));
        return new ClusterEvidence(name, cluster.terminated(), (int) summary.listed(), holding.count(),
                replicaSet, sharded, unknown.count() + foreign.count() + timeUnknown.count(), latest, windowEnd);
    }

    /**
     * An unknown-key snapshot may hold the key when it was taken neither before the key existed nor
     * after the key was retired; an unknown time or bound counts as "may".
     */
    static boolean takenWhileKeyMayHaveBeenActive(Snapshot snapshot, Instant keyCreatedAt, Instant retiredAt) {
        Instant taken = snapshot.createdAt();
        if (taken == null) {
            return true; // never asked by decide(): a snapshot without createdAt refuses on its own
        }
        return new SnapshotSummary.Span(keyCreatedAt, retiredAt).contains(taken);
    }

    private static String keyIdOrNull(String reference) {
        return SnapshotSummary.keyIdOrNull(reference);
    }

    private static Verdict stricter(Verdict a, Verdict b) {
        return a.ordinal() >= b.ordinal() ? a : b;
    }

    private static Instant latest(Instant a, Instant b) {
        if (a == null) {
            return b;
        }
        return b == null || a.isAfter(b) ? a : b;
    }

    private static RetirementReason about(Code code, String message) {
        return new RetirementReason(code, null, 0, null, List.of(), message);
    }
}
