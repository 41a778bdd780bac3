package io.atlascmk.cli.history;

import com.fasterxml.jackson.databind.JsonNode;
import io.atlascmk.cli.history.KeyHistory.KeyAudit;
import io.atlascmk.cli.history.KeyHistory.Phase;
import io.atlascmk.cli.history.ProjectHistory.AuditRun;
import io.atlascmk.cli.history.ProjectHistory.Event;
import io.atlascmk.cli.history.ProjectHistory.Registration;
import io.atlascmk.cli.history.ProjectHistory.RotationRecord;
import io.atlascmk.cli.history.ProjectHistory.Unreadable;
import io.atlascmk.rotator.json.Json;
import io.atlascmk.rotator.kms.KeyService;
import io.atlascmk.rotator.kms.KeyTags;
import io.atlascmk.rotator.kms.ManagedKey;
import io.atlascmk.rotator.registry.ProjectRegistry;
import io.atlascmk.rotator.registry.RegisteredProject;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.KeyMetadata;
import software.amazon.awssdk.services.kms.model.NotFoundException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Reads a project's {@link ProjectHistory} from the ledger (KMS tags, every deployment's keys of the project), the
 * registry (optional) and the evidence bucket (optional). A source not given is named in {@link
 * ProjectHistory#missing()}; an object that cannot be read is named in {@link ProjectHistory#unreadable()}.
 */
public final class HistoryReader {

    /** The evidence bucket's folder of stored step results, and of archived events (spec: the Record function). */
    public static final String EVIDENCE_PREFIX = "evidence/";
    public static final String EVENTS_PREFIX = "events/";
    static final String AUDIT_OBJECT = "/AuditAndRetire.json";
    static final String AUDITED_AT = "auditedAt";

    /** The archived events that make a project's rotation history, and the outcome each stands for. */
    static final Map<String, String> OUTCOMES = Map.of(
            "Rotation Succeeded", "succeeded",
            "Rotation Failed", "failed",
            "Rotation Rolled Back", "rolled-back",
            "Key Material Rotated", "material-rotated",
            "Retired Keys Audited", "audited",
            "Key Deletion Cancelled", "deletion-cancelled");

    private final Function<String, KmsClient> kmsClients;
    private final ProjectRegistry registry;
    private final String registryName;
    private final S3Client s3;
    private final String bucket;
    private final Clock clock;

    /**
     * @param kmsClients   the KMS client of a region (shared: not closed here)
     * @param registry     the deployment's registry; null when not given
     * @param registryName the registry's table, for messages; null when not given
     * @param s3           the evidence bucket's client; null when no bucket is given
     * @param bucket       the evidence bucket; null when not given
     * @param clock        "now": a key whose deletion date has passed is destroyed
     */
    public HistoryReader(Function<String, KmsClient> kmsClients, ProjectRegistry registry, String registryName,
                         S3Client s3, String bucket, Clock clock) {
        this.kmsClients = kmsClients;
        this.registry = registry;
        this.registryName = registryName;
        this.s3 = bucket == null ? null : s3;
        this.bucket = bucket;
        this.clock = clock;
    }

    public boolean hasRegistry() {
        return registry != null;
    }

    /** Every registered project (the registry must be given). */
    public List<RegisteredProject> registered() {
        if (registry == null) {
            throw new IllegalStateException("No registry was given: the registered projects cannot be listed.");
        }
        return registry.list();
    }

    /** The project's registration; empty when not registered or no registry is given. */
    public Optional<RegisteredProject> registration(String projectId) {
        return registry == null ? Optional.empty() : registry.find(projectId);
    }

    /** The project's history, its ledger read in {@code region}. */
    public ProjectHistory read(String projectId, String region) {
        Instant now = clock.instant();
        List<String> missing = new ArrayList<>();
        List<Unreadable> unreadable = new ArrayList<>();

        Registration registration = null;
        if (registry == null) {
            missing.add("registry not given: schedule and settings not shown (pass --lock-table or set ROTATOR_LOCK_TABLE)");
        } else {
            try {
                Optional<RegisteredProject> found = registry.find(projectId);
                if (found.isEmpty()) {
                    missing.add("project not registered in " + registryName + ": schedule and settings not shown");
                } else {
                    RegisteredProject p = found.get();
                    var s = p.settings();
                    registration = new Registration(p.schedule(), p.scheduleTimeZone(), s.method(),
                            s.pendingWindowDays(), s.minRetirementDays(), p.source(), p.updatedAt());
                    if (p.keyAccount() != null) {
                        missing.add("the project's keys are in account " + p.keyAccount().accountId()
                                + ": its ledger was read with this command's credentials in region " + region);
                    }
                }
            } catch (RuntimeException e) {
                unreadable.add(new Unreadable("registry", registryName + " project#" + projectId, reason(e)));
            }
        }

        KmsClient kms = kmsClients.apply(region);
        List<ManagedKey> ledger = KeyService.reader(kms).findProjectKeysOfEveryDeployment(projectId);

        List<AuditRun> audits = new ArrayList<>();
        Map<String, List<KeyAudit>> keyAudits = new LinkedHashMap<>();
        List<RotationRecord> rotations = new ArrayList<>();
        if (bucket == null) {
            missing.add("evidence bucket not given: audits not shown (pass --evidence-bucket or set ROTATOR_EVIDENCE_BUCKET)");
            missing.add("evidence bucket not given: rotations not shown (their events are archived there)");
        } else {
            rotations.addAll(readEvents(projectId, unreadable, missing));
            readAudits(projectId, rotations, audits, keyAudits, unreadable, missing);
        }
        audits.sort(Comparator.comparing(AuditRun::auditedAt, Comparator.nullsLast(Comparator.naturalOrder())));
        rotations.sort(Comparator.comparing(RotationRecord::at, Comparator.nullsLast(Comparator.naturalOrder())));

        // keys of the ledger, then keys only the evidence names (gone from KMS, or not tagged for the project)
        Map<String, KeySource> keys = new LinkedHashMap<>();
        for (ManagedKey k : ledger) {
            keys.put(k.keyId(), new KeySource(k, null));
        }
        Set<String> named = new LinkedHashSet<>(keyAudits.keySet());
        for (RotationRecord r : rotations) {
            if (r.previousKey() != null) {
                named.add(r.previousKey());
            }
            if (r.newKey() != null) {
                named.add(r.newKey());
            }
        }
        for (String keyId : named) {
            if (!keys.containsKey(keyId)) {
                keys.put(keyId, new KeySource(null, describe(kms, keyId, unreadable)));
            }
        }

        List<KeyHistory> histories = new ArrayList<>();
        for (KeySource source : keys.values()) {
            histories.add(keyHistory(source, keys.keySet().stream().toList(), ledger, rotations,
                    keyAudits.getOrDefault(source.keyId(), List.of()), now, unreadable));
        }
        histories.sort(Comparator.comparing(KeyHistory::createdAt, Comparator.nullsLast(Comparator.naturalOrder())));
        return new ProjectHistory(projectId, region, now, registration, histories, rotations, audits, missing, unreadable);
    }

    /** A key as the ledger lists it, or as KMS describes a key only the evidence names (null when gone). */
    private record KeySource(ManagedKey ledger, Described described) {
        String keyId() {
            return ledger != null ? ledger.keyId() : described.keyId();
        }
    }

    /** KMS's answer for a key the ledger does not list: its metadata, or gone (null metadata). */
    private record Described(String keyId, KeyMetadata metadata, boolean gone) {
    }

    private static Described describe(KmsClient kms, String keyId, List<Unreadable> unreadable) {
        try {
            return new Described(keyId, kms.describeKey(b -> b.keyId(keyId)).keyMetadata(), false);
        } catch (NotFoundException gone) {
            return new Described(keyId, null, true);
        } catch (SdkException e) {
            unreadable.add(new Unreadable("ledger", keyId, "DescribeKey: " + reason(e)));
            return new Described(keyId, null, false);
        }
    }

    // ------------------------------------------------------------------------------------------
    // The evidence bucket
    // ------------------------------------------------------------------------------------------

    private List<S3Object> list(String prefix, List<Unreadable> unreadable) {
        try {
            List<S3Object> objects = new ArrayList<>();
            s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix)).contents().forEach(objects::add);
            return objects;
        } catch (SdkException e) {
            unreadable.add(new Unreadable("evidence bucket", "s3://" + bucket + "/" + prefix, "ListObjectsV2: " + reason(e)));
            return null;
        }
    }

    private JsonNode get(String key, List<Unreadable> unreadable) {
        byte[] bytes;
        try {
            bytes = s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray();
        } catch (SdkException e) {
            unreadable.add(new Unreadable("evidence bucket", "s3://" + bucket + "/" + key, "GetObject: " + reason(e)));
            return null;
        }
        try {
            JsonNode tree = Json.MAPPER.readTree(bytes);
            if (tree == null || !tree.isObject()) {
                unreadable.add(new Unreadable("evidence bucket", "s3://" + bucket + "/" + key, "not a JSON object"));
                return null;
            }
            return tree;
        } catch (IOException e) {
            unreadable.add(new Unreadable("evidence bucket", "s3://" + bucket + "/" + key,
                    "not JSON: " + firstLine(e.getMessage())));
            return null;
        }
    }

    private List<RotationRecord> readEvents(String projectId, List<Unreadable> unreadable, List<String> missing) {
        List<S3Object> objects = list(EVENTS_PREFIX + projectId + "/", unreadable);
        if (objects == null) {
            missing.add("the archived events could not be listed: rotations not shown");
            return List.of();
        }
        List<RotationRecord> records = new ArrayList<>();
        for (S3Object o : objects) {
            if (!o.key().endsWith(".json")) {
                continue;
            }
            JsonNode envelope = get(o.key(), unreadable);
            if (envelope == null) {
                continue;
            }
            String detailType = envelope.path("detail-type").asText(null);
            JsonNode detail = envelope.path("detail");
            Instant at = instant(envelope.path("time"));
            if (detailType == null || !detail.isObject() || at == null) {
                unreadable.add(new Unreadable("evidence bucket", "s3://" + bucket + "/" + o.key(),
                        "not an event envelope (detail-type, time and detail expected)"));
                continue;
            }
            String outcome = OUTCOMES.get(detailType);
            if (outcome == null) {
                continue; // planned, skipped, not-cancelled...: not a step of a key's history
            }
            JsonNode input = detail.path("input");
            if (input.isTextual()) {
                try {
                    input = Json.MAPPER.readTree(input.asText());
                } catch (IOException e) {
                    input = Json.MAPPER.nullNode();
                }
            }
            String rotationId = text(detail.path("rotationId"));
            String previousKey = text(detail.path("previousKey").path("keyId"));
            String newKey = firstText(detail.path("newKey").path("keyId"), detail.path("key").path("keyId"));
            String error = firstText(detail.path("error").isObject() ? detail.path("error").path("Error") : detail.path("error"),
                    detail.path("rollbackError").path("Error"));
            if ("deletion-cancelled".equals(outcome)) {
                newKey = keyIdOf(text(detail.path("keyArn")));
                rotationId = firstText(detail.path("lockTakenFrom"), detail.path("rotationId"));
                error = text(detail.path("caller")) == null ? null : "used by " + text(detail.path("caller"));
            }
            if ("rolled-back".equals(outcome)) {
                newKey = firstText(detail.path("rollback").path("abandonedKeyId"), detail.path("newKey").path("keyId"));
                previousKey = firstText(detail.path("rollback").path("atlasKeyId"), detail.path("previousKey").path("keyId"));
            }
            records.add(new RotationRecord(rotationId, detailType, outcome, at,
                    instant(firstNode(detail.path("startedAt"), input.path("startedAt"))),
                    firstText(detail.path("trigger"), input.path("trigger")), previousKey, newKey, error,
                    "s3://" + bucket + "/" + o.key()));
        }
        return records;
    }

    private void readAudits(String projectId, List<RotationRecord> rotations, List<AuditRun> audits,
                            Map<String, List<KeyAudit>> keyAudits, List<Unreadable> unreadable, List<String> missing) {
        String prefix = EVIDENCE_PREFIX + projectId + "/";
        List<S3Object> objects = list(prefix, unreadable);
        if (objects == null) {
            missing.add("the stored audits could not be listed: audits not shown");
            return;
        }
        for (S3Object o : objects) {
            if (!o.key().endsWith(AUDIT_OBJECT)) {
                continue;
            }
            String rotationId = o.key().substring(prefix.length(), o.key().length() - AUDIT_OBJECT.length());
            JsonNode audit = get(o.key(), unreadable);
            if (audit == null) {
                continue;
            }
            if (!audit.path("keys").isArray()) {
                unreadable.add(new Unreadable("evidence bucket", "s3://" + bucket + "/" + o.key(),
                        "not an audit (a keys array expected)"));
                continue;
            }
            Instant at = instant(audit.path(AUDITED_AT));
            String from = "evidence";
            if (at == null) {
                at = rotations.stream().filter(r -> rotationId.equals(r.rotationId()))
                        .filter(r -> "succeeded".equals(r.outcome()) || "audited".equals(r.outcome()))
                        .map(RotationRecord::at).findFirst().orElse(null);
                from = "event";
            }
            if (at == null) {
                at = o.lastModified();
                from = "stored";
            }
            String object = "s3://" + bucket + "/" + o.key();
            audits.add(new AuditRun(rotationId, at, from, audit.path("snapshotsAudited").asInt(),
                    audit.path("clustersAudited").asInt(), audit.path("keys").size(), object));
            for (JsonNode k : audit.path("keys")) {
                String keyId = text(k.path("keyId"));
                if (keyId == null) {
                    unreadable.add(new Unreadable("evidence bucket", object, "a judged key without keyId"));
                    continue;
                }
                Map<String, Integer> byCluster = new LinkedHashMap<>();
                k.path("evidence").fields().forEachRemaining(e -> byCluster.put(e.getKey(), e.getValue().asInt()));
                List<String> reasons = new ArrayList<>();
                k.path("reasons").forEach(r -> reasons.add(r.asText()));
                keyAudits.computeIfAbsent(keyId, id -> new ArrayList<>()).add(new KeyAudit(rotationId, at,
                        text(k.path("decision")), text(k.path("state")), instant(k.path("safeAfter")),
                        instant(k.path("deletionDate")), reasons, byCluster,
                        byCluster.values().stream().mapToInt(Integer::intValue).sum(), text(k.path("usage")), object));
            }
        }
        keyAudits.values().forEach(list -> list.sort(Comparator.comparing(KeyAudit::auditedAt,
                Comparator.nullsLast(Comparator.naturalOrder()))));
    }

    // ------------------------------------------------------------------------------------------
    // One key
    // ------------------------------------------------------------------------------------------

    private KeyHistory keyHistory(KeySource source, List<String> allKeys, List<ManagedKey> ledger,
                                  List<RotationRecord> rotations, List<KeyAudit> audits, Instant now,
                                  List<Unreadable> unreadable) {
        String keyId = source.keyId();
        ManagedKey k = source.ledger();
        Described d = source.described();
        String arn = k != null ? k.arn() : d.metadata() == null ? null : d.metadata().arn();
        String kmsState = k != null ? k.keyState() : d.gone() ? KeyHistory.KMS_GONE
                : d.metadata() == null ? null : d.metadata().keyStateAsString();
        Instant createdAt = k != null ? k.createdAt() : d.metadata() == null ? null : d.metadata().creationDate();
        String ledgerState = k == null ? null : k.tag(KeyTags.STATE);
        String createdBy = k == null ? null : k.tag(KeyTags.ROTATION);
        String adoptedBy = k == null ? null : k.tag(KeyTags.ADOPTED_BY);
        Instant retiredAt = k == null ? null : tagInstant(k, KeyTags.RETIRED_AT, unreadable);
        Instant safeAfter = k == null ? null : tagInstant(k, KeyTags.SAFE_AFTER, unreadable);
        Instant rescuedAt = k == null ? null : tagInstant(k, KeyTags.RESCUED_AT, unreadable);
        String rescuedFor = k == null ? null : k.tag(KeyTags.RESCUED_FOR);
        Instant deletionDate = k != null ? k.deletionDate() : d.metadata() == null ? null : d.metadata().deletionDate();

        KeyAudit lastAudit = audits.isEmpty() ? null : audits.get(audits.size() - 1);
        if (safeAfter == null && lastAudit != null) {
            safeAfter = lastAudit.safeAfter();
        }
        KeyAudit scheduling = null;
        for (KeyAudit a : audits) {
            if ("schedule-deletion".equals(a.decision())) {
                scheduling = a;
            }
        }
        Instant deletionScheduledOn = scheduling == null ? null : scheduling.auditedAt();
        if (deletionDate == null && scheduling != null) {
            deletionDate = scheduling.deletionDate();
        }
        RotationRecord rescue = rotations.stream().filter(r -> "deletion-cancelled".equals(r.outcome()))
                .filter(r -> keyId.equals(r.newKey())).reduce((a, b) -> b).orElse(null);
        if (rescuedAt == null && rescue != null) {
            rescuedAt = rescue.at();
            rescuedFor = rescue.error() == null ? null : rescue.error().substring("used by ".length());
        }
        if (createdBy == null && k == null) {
            createdBy = rotations.stream().filter(r -> "succeeded".equals(r.outcome()) && keyId.equals(r.newKey()))
                    .map(RotationRecord::rotationId).findFirst().orElse(null);
        }

        boolean gone = KeyHistory.KMS_GONE.equals(kmsState);
        boolean pendingPassed = "PendingDeletion".equals(kmsState) && deletionDate != null && !deletionDate.isAfter(now);
        boolean destroyed = gone || pendingPassed;
        Instant destroyedAt = destroyed && deletionDate != null && !deletionDate.isAfter(now) ? deletionDate : null;
        boolean abandoned = "abandoned".equals(ledgerState);
        Instant abandonedAt = null;
        if (abandoned) {
            abandonedAt = rotations.stream().filter(r -> ("rolled-back".equals(r.outcome()) || "failed".equals(r.outcome()))
                    && keyId.equals(r.newKey())).map(RotationRecord::at).findFirst().orElse(null);
        }

        Instant activeSince = null;
        if (!abandoned && !"pending".equals(ledgerState)) {
            activeSince = rotations.stream().filter(r -> "succeeded".equals(r.outcome()) && keyId.equals(r.newKey()))
                    .map(RotationRecord::at).findFirst().orElse(null);
            if (activeSince == null && adoptedBy != null && createdBy == null) {
                activeSince = createdAt; // the key Atlas used when the rotator adopted it
            }
            if (activeSince == null && createdAt != null) {
                // the key it replaced was retired when Atlas moved to it
                Instant created = createdAt;
                activeSince = ledger.stream().filter(o -> !o.keyId().equals(keyId) && !"abandoned".equals(o.tag(KeyTags.STATE)))
                        .map(o -> parseOrNull(o.tag(KeyTags.RETIRED_AT))).filter(t -> t != null && !t.isBefore(created))
                        .min(Comparator.naturalOrder()).orElse(null);
            }
        }

        String lifecycle;
        if (destroyed) {
            lifecycle = KeyHistory.DESTROYED;
        } else if (ledgerState != null && List.of(KeyHistory.PENDING, KeyHistory.ACTIVE, KeyHistory.RETIRED,
                KeyHistory.DELETION_SCHEDULED, KeyHistory.ABANDONED).contains(ledgerState)) {
            lifecycle = ledgerState;
        } else if ("PendingDeletion".equals(kmsState)) {
            lifecycle = KeyHistory.DELETION_SCHEDULED;
        } else {
            lifecycle = KeyHistory.UNKNOWN;
        }

        List<Phase> phases = phases(createdAt, activeSince, retiredAt, abandoned, abandonedAt, deletionScheduledOn,
                deletionDate, rescuedAt, destroyed, destroyedAt, lifecycle);

        List<Event> events = new ArrayList<>();
        String origin = createdBy != null ? "created by rotation " + createdBy
                : adoptedBy != null ? "created outside the rotator; adopted by rotation " + adoptedBy + " (the key Atlas used then)"
                : k == null && gone ? "known from the evidence only: KMS has no such key any more"
                : "created (no rotation tag)";
        events.add(new Event(createdAt, keyId, "created", origin));
        if (activeSince != null) {
            events.add(new Event(activeSince, keyId, "active", "active: Atlas encrypts with it"));
        }
        if (abandoned) {
            events.add(new Event(abandonedAt, keyId, "abandoned", "abandoned: its rotation was rolled back or given up"));
        }
        if (retiredAt != null) {
            events.add(new Event(retiredAt, keyId, "retired", "retired: replaced as Atlas's key"));
        }
        for (KeyAudit a : audits) {
            events.add(new Event(a.auditedAt(), keyId, "audited", describe(a)));
        }
        if (safeAfter != null && !"schedule-deletion".equals(lastAudit == null ? null : lastAudit.decision())) {
            events.add(new Event(safeAfter, keyId, "safe-after", "safe-after: nothing known needs it from here on"));
        }
        if (deletionDate != null && (scheduling != null || "PendingDeletion".equals(kmsState)
                || KeyHistory.DELETION_SCHEDULED.equals(ledgerState) || destroyed)) {
            events.add(new Event(deletionScheduledOn, keyId, "deletion-scheduled", "deletion scheduled for " + deletionDate
                    + (deletionScheduledOn == null ? " (scheduled on: no stored audit says when)" : "")));
        }
        if (rescuedAt != null) {
            events.add(new Event(rescuedAt, keyId, "deletion-cancelled", "deletion cancelled by the tripwire"
                    + (rescuedFor == null ? "" : ": used by " + rescuedFor)));
        }
        if (destroyed) {
            events.add(new Event(destroyedAt, keyId, "destroyed", gone ? "destroyed: KMS has no such key any more"
                    : "destroyed: its deletion date has passed"));
        }
        events.sort(Comparator.comparing(Event::at, Comparator.nullsLast(Comparator.naturalOrder())));

        return new KeyHistory(keyId, arn, ledgerState, kmsState, lifecycle, k == null ? null : k.tag(KeyTags.DEPLOYMENT),
                createdBy, adoptedBy, createdAt, activeSince, retiredAt, safeAfter, deletionScheduledOn, deletionDate,
                rescuedAt, rescuedFor, destroyedAt, destroyed, abandoned, phases, audits, events);
    }

    /** The key's states over time: the bars of the timeline. */
    private static List<Phase> phases(Instant createdAt, Instant activeSince, Instant retiredAt, boolean abandoned,
                                      Instant abandonedAt, Instant scheduledOn, Instant deletionDate, Instant rescuedAt,
                                      boolean destroyed, Instant destroyedAt, String lifecycle) {
        List<Phase> phases = new ArrayList<>();
        Instant from = createdAt;
        if (abandoned) {
            if (abandonedAt != null && from != null && abandonedAt.isAfter(from)) {
                phases.add(new Phase(KeyHistory.PENDING, from, abandonedAt));
                from = abandonedAt;
            }
            Instant end = scheduledOn;
            phases.add(new Phase(KeyHistory.ABANDONED, from, end));
            from = end;
        } else {
            if (activeSince == null) {
                if (retiredAt == null) {
                    // nothing says it was ever active or retired: pending if its tag says so, else unknown (a key
                    // KMS no longer has took its tags with it)
                    String state = KeyHistory.ACTIVE.equals(lifecycle) || KeyHistory.PENDING.equals(lifecycle) ? lifecycle
                            : KeyHistory.UNKNOWN;
                    phases.add(new Phase(state, from, destroyed ? destroyedAt : null));
                    return close(phases, destroyed, destroyedAt);
                }
            } else {
                if (from != null && activeSince.isAfter(from)) {
                    phases.add(new Phase(KeyHistory.PENDING, from, activeSince));
                }
                from = activeSince;
            }
            phases.add(new Phase(KeyHistory.ACTIVE, from, retiredAt));
            if (retiredAt == null) {
                return close(phases, destroyed, destroyedAt);
            }
            from = retiredAt;
            phases.add(new Phase(KeyHistory.RETIRED, from, scheduledOn));
            from = scheduledOn;
        }
        if (scheduledOn != null || deletionDate != null) {
            Instant end = rescuedAt != null && (scheduledOn == null || rescuedAt.isAfter(scheduledOn)) ? rescuedAt
                    : destroyed ? destroyedAt : null;
            if (scheduledOn == null && phases.get(phases.size() - 1).to() == null) {
                // scheduled on an unknown date: the last known state lasts until the deletion date
                Phase last = phases.remove(phases.size() - 1);
                phases.add(new Phase(last.state(), last.from(), end != null ? end : deletionDate));
            } else if (scheduledOn != null) {
                phases.add(new Phase(KeyHistory.DELETION_SCHEDULED, scheduledOn, end));
            }
            if (rescuedAt != null && end == rescuedAt) {
                phases.add(new Phase(KeyHistory.RETIRED, rescuedAt, null));
            }
        }
        return close(phases, destroyed, destroyedAt);
    }

    private static List<Phase> close(List<Phase> phases, boolean destroyed, Instant destroyedAt) {
        if (destroyed) {
            if (!phases.isEmpty() && phases.get(phases.size() - 1).to() == null) {
                Phase last = phases.remove(phases.size() - 1);
                phases.add(new Phase(last.state(), last.from(), destroyedAt));
            }
            phases.add(new Phase(KeyHistory.DESTROYED, destroyedAt, null));
        }
        return phases;
    }

    /** One audit of a key, briefly: decision, date kept until, snapshots per cluster, first reason. */
    static String describe(KeyAudit a) {
        StringBuilder b = new StringBuilder("audited by ").append(a.rotationId()).append(": ").append(a.decision());
        if (a.safeAfter() != null) {
            b.append(" until ").append(a.safeAfter());
        }
        if (a.deletionDate() != null) {
            b.append(", deletion on ").append(a.deletionDate());
        }
        if (a.snapshotsByCluster().isEmpty()) {
            b.append("; no snapshot holds it");
        } else {
            b.append("; snapshots holding it: ").append(a.snapshotsByCluster().entrySet().stream()
                    .map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", ")))
                    .append(" (").append(a.snapshotsHoldingKey()).append(")");
        }
        if (!a.reasons().isEmpty()) {
            b.append("; ").append(a.reasons().get(0));
            if (a.reasons().size() > 1) {
                b.append(" (+").append(a.reasons().size() - 1).append(" more)");
            }
        }
        return b.toString();
    }

    // ------------------------------------------------------------------------------------------

    private static Instant tagInstant(ManagedKey k, String tag, List<Unreadable> unreadable) {
        String value = k.tag(tag);
        if (value == null) {
            return null;
        }
        Instant parsed = parseOrNull(value);
        if (parsed == null) {
            unreadable.add(new Unreadable("ledger", k.keyId() + " tag " + tag, "not an ISO-8601 instant: '" + value + "'"));
        }
        return parsed;
    }

    private static Instant parseOrNull(String value) {
        if (value == null) {
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static Instant instant(JsonNode node) {
        return node.isTextual() ? parseOrNull(node.asText()) : null;
    }

    private static String text(JsonNode node) {
        return node.isTextual() && !node.asText().isEmpty() ? node.asText() : null;
    }

    private static JsonNode firstNode(JsonNode... nodes) {
        for (JsonNode n : nodes) {
            if (!n.isMissingNode() && !n.isNull()) {
                return n;
            }
        }
        return Json.MAPPER.missingNode();
    }

    private static String firstText(JsonNode... nodes) {
        for (JsonNode n : nodes) {
            String t = text(n);
            if (t != null) {
                return t;
            }
        }
        return null;
    }

    private static String keyIdOf(String keyArn) {
        return keyArn == null ? null : io.atlascmk.rotator.kms.KeyIds.keyId(keyArn);
    }

    private static String reason(Exception e) {
        String message = e.getMessage() == null ? "" : ": " + firstLine(e.getMessage());
        return e.getClass().getSimpleName() + message;
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        String line = nl < 0 ? s : s.substring(0, nl);
        return line.length() > 300 ? line.substring(0, 300) + "..." : line;
    }
}
