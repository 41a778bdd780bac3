package io.atlascmk.rotator.kms;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.atlascmk.rotator.json.Json;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.AliasListEntry;
import software.amazon.awssdk.services.kms.model.AlreadyExistsException;
import software.amazon.awssdk.services.kms.model.KeyListEntry;
import software.amazon.awssdk.services.kms.model.KeyManagerType;
import software.amazon.awssdk.services.kms.model.KeyMetadata;
import software.amazon.awssdk.services.kms.model.KeySpec;
import software.amazon.awssdk.services.kms.model.KeyUsageType;
import software.amazon.awssdk.services.kms.model.KmsInvalidStateException;
import software.amazon.awssdk.services.kms.model.ListAliasesResponse;
import software.amazon.awssdk.services.kms.model.ListKeysResponse;
import software.amazon.awssdk.services.kms.model.ListResourceTagsResponse;
import software.amazon.awssdk.services.kms.model.Tag;

/**
 * The KMS operations the rotation needs, over one {@link KmsClient} (one region). Every method
 * validates what it can before calling KMS, compares keys by key id whatever form they were given
 * in ({@link KeyIds}), and turns SDK exceptions into the typed exceptions of this package
 * ({@link KeyNotFoundException}, {@link KeyStateException}, {@link KmsAccessDeniedException},
 * {@link KmsLimitExceededException}, {@link KmsUnavailableException},
 * {@link KmsRequestRejectedException}); local validation failures are
 * {@link InvalidKmsRequestException} and mean nothing was sent.
 *
 * <p>No method ever sets {@code BypassPolicyLockoutSafetyCheck} to true.
 */
public final class KeyService {

    private static final Logger LOG = LoggerFactory.getLogger(KeyService.class);

    /** The only key policy name KMS supports. */
    public static final String POLICY_NAME = "default";
    /** Shortest pending window KMS accepts for ScheduleKeyDeletion. */
    public static final int MIN_PENDING_WINDOW_DAYS = 7;
    /** Longest pending window KMS accepts for ScheduleKeyDeletion. */
    public static final int MAX_PENDING_WINDOW_DAYS = 30;

    static final int LIST_KEYS_PAGE_SIZE = 1000;
    static final int LIST_TAGS_PAGE_SIZE = 50;
    static final int LIST_ALIASES_PAGE_SIZE = 100;
    static final int MAX_TAGS_PER_KEY = 50;
    static final int MAX_POLICY_BYTES = 32 * 1024;
    static final int MAX_DESCRIPTION_LENGTH = 8192;

    private static final String AWS_MANAGED_ALIAS_PREFIX = "alias/aws/";
    private static final Pattern ALIAS_NAME = Pattern.compile("alias/[a-zA-Z0-9/_-]+");
    private static final int MAX_ALIAS_LENGTH = 256;
    /** Characters AWS allows in tag keys and values. */
    private static final Pattern TAG_TEXT = Pattern.compile("[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*");

    private final KmsClient kms;
    private final String region;
    private final String deployment;
    /** Which keys are each project's; null: find them by reading every key's tags in the region. */
    private final KeyIndex index;

    /**
     * @param kms        a client for the region the keys live in; built once by the caller and reused
     * @param deployment this deployment's name ({@link KeyTags#DEPLOYMENT}): the keys it creates carry it, and the
     *                   project keys it finds are only those that carry it
     */
    public KeyService(KmsClient kms, String deployment) {
        this(kms, deployment, null);
    }

    /**
     * As {@link #KeyService(KmsClient, String)}, finding a project's keys through {@code index} (kept up to date by
     * this service's writes) instead of reading the tags of every key in the region; the tags stay the ledger, and
     * every indexed key's tags are verified.
     */
    public KeyService(KmsClient kms, String deployment, KeyIndex index) {
        this.kms = Objects.requireNonNull(kms, "kms");
        this.region = regionOf(kms);
        this.deployment = requireDeployment(deployment);
        this.index = index;
    }

    /**
     * A deployment name as a tag value and as the stack's name allows it: 1-128 letters, digits and hyphens,
     * starting with a letter.
     *
     * @throws InvalidKmsRequestException naming what is wrong and where the name comes from
     */
    public static String requireDeployment(String deployment) {
        if (deployment == null || !DEPLOYMENT_NAME.matcher(deployment).matches()) {
            throw new InvalidKmsRequestException("The deployment name " + (deployment == null ? "is missing"
                    : "'" + deployment + "' is not valid") + ": it is the stack's name (ROTATOR_DEPLOYMENT, or"
                    + " --deployment), 1-128 letters, digits and hyphens, starting with a letter. The functions get it"
                    + " from the stack; a local run must give the deployed stack's name.");
        }
        return deployment;
    }

    private static final Pattern DEPLOYMENT_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9-]{0,127}");

    /**
     * A service that reads the keys of every deployment ({@link #findProjectKeysOfEveryDeployment}), as an operator's
     * tool does; being no deployment, it creates no key and finds no deployment's project keys.
     */
    public static KeyService reader(KmsClient kms) {
        return new KeyService(kms);
    }

    private KeyService(KmsClient kms) {
        this.kms = Objects.requireNonNull(kms, "kms");
        this.region = regionOf(kms);
        this.deployment = null;
        this.index = null;
    }

    private String requireOwnDeployment(String what) {
        if (deployment == null) {
            throw new IllegalStateException("A reader of every deployment's keys cannot " + what
                    + ": build the KeyService with the deployment's name.");
        }
        return deployment;
    }

    /** This deployment's name, as its keys carry it in {@link KeyTags#DEPLOYMENT}. */
    public String deployment() {
        return deployment;
    }

    /** The AWS region this service's KMS client calls, or null when the client does not say. */
    public String region() {
        return region;
    }

    // ---------------------------------------------------------------- keys

    /**
     * Creates a customer managed symmetric encryption key ({@code SYMMETRIC_DEFAULT},
     * {@code ENCRYPT_DECRYPT}) with the default key policy, which grants the account root
     * {@code kms:*}, tagged with this deployment ({@link KeyTags#DEPLOYMENT}) and {@code tags}.
     * The tags are part of the CreateKey call itself, so the key never exists, not
     * even for a moment, without them: a crash right after this call leaves a key that a re-run
     * finds by its tags ({@link #findByRotation}), never an orphan.
     *
     * @param description the key description (may be empty)
     * @param tags        the tags to create the key with
     * @param multiRegion create a multi-Region primary key ({@code mrk-} id)
     */
    public ManagedKey createKey(String description, Map<String, String> tags, boolean multiRegion) {
        return createKey(description, tags, multiRegion, null);
    }

    /**
     * As {@link #createKey(String, Map, boolean)}, in a CloudHSM custom key store when
     * {@code customKeyStoreId} is given (Origin {@code AWS_CLOUDHSM}; such keys are never multi-Region).
     */
    public ManagedKey createKey(String description, Map<String, String> tags, boolean multiRegion, String customKeyStoreId) {
        String desc = description == null ? "" : description;
        if (desc.length() > MAX_DESCRIPTION_LENGTH) {
            throw new InvalidKmsRequestException("A KMS key description has at most " + MAX_DESCRIPTION_LENGTH
                    + " characters; this one has " + desc.length() + ". Shorten it.");
        }
        Map<String, String> tagMap = new LinkedHashMap<>(tags == null ? Map.of() : tags);
        tagMap.put(KeyTags.DEPLOYMENT, requireOwnDeployment("create a key"));
        validateTags(tagMap);
        String project = tagMap.get(KeyTags.PROJECT);
        String intent = tagMap.getOrDefault(KeyTags.ROTATION, "create-" + java.util.UUID.randomUUID());
        if (index != null && project != null) {
            index.intend(project, intent); // a crash before the record below leaves it open: readers then scan
        }
        KeyMetadata metadata = call("CreateKey", null, () -> kms.createKey(b -> {
            b.description(desc)
                    .keySpec(KeySpec.SYMMETRIC_DEFAULT)
                    .keyUsage(KeyUsageType.ENCRYPT_DECRYPT)
                    .multiRegion(multiRegion)
                    .tags(toTags(tagMap))
                    .bypassPolicyLockoutSafetyCheck(false);
            if (customKeyStoreId != null) {
                b.customKeyStoreId(customKeyStoreId).origin(KeyMaterial.AWS_CLOUDHSM);
            }
        })).keyMetadata();
        LOG.info("Created KMS key {} (multiRegion={})", metadata.arn(), multiRegion);
        if (index != null && project != null) {
            index.record(project, Set.of(metadata.arn()), Set.of(intent));
        }
        return toManagedKey(metadata, tagMap);
    }

    /**
     * The key with its KMS state and every tag (all ListResourceTags pages).
     *
     * @param keyRef key id, key ARN, {@code mrk-} id, or alias name / alias ARN
     */
    public ManagedKey describe(String keyRef) {
        String ref = requireReference(keyRef, true);
        KeyMetadata metadata = call("DescribeKey", ref, () -> kms.describeKey(b -> b.keyId(ref))).keyMetadata();
        return toManagedKey(metadata, listTagsOf(metadata.keyId(), ref));
    }

    /** The key's policy document, exactly as KMS stores it. */
    public String getPolicy(String keyRef) {
        String ref = requireReference(keyRef, false);
        return call("GetKeyPolicy", ref, () -> kms.getKeyPolicy(b -> b.keyId(ref).policyName(POLICY_NAME))).policy();
    }

    /**
     * Replaces the key's policy. The policy lockout safety check is always on
     * ({@code BypassPolicyLockoutSafetyCheck=false}, sent explicitly): KMS refuses a policy that
     * would stop the caller from changing the policy again, and that refusal surfaces as
     * {@link KmsRequestRejectedException}.
     */
    public void putPolicy(String keyRef, String policyJson) {
        String ref = requireReference(keyRef, false);
        validatePolicy(policyJson);
        call("PutKeyPolicy", ref, () -> kms.putKeyPolicy(b -> b
                .keyId(ref)
                .policyName(POLICY_NAME)
                .policy(policyJson)
                .bypassPolicyLockoutSafetyCheck(false)));
    }

    /** Adds or overwrites tags; an empty map sends nothing. */
    public void tag(String keyRef, Map<String, String> tags) {
        String ref = requireReference(keyRef, false);
        Objects.requireNonNull(tags, "tags");
        validateTags(tags);
        if (tags.isEmpty()) {
            return;
        }
        call("TagResource", ref, () -> kms.tagResource(b -> b.keyId(ref).tags(toTags(tags))));
        String project = tags.get(KeyTags.PROJECT);
        if (index != null && project != null && deployment != null
                && deployment.equals(tags.get(KeyTags.DEPLOYMENT))) {
            // adopted or claimed: from now on the project's key (the index takes key ARNs)
            String arn = ref.startsWith("arn:") && ref.contains(":key/") ? ref
                    : call("DescribeKey", ref, () -> kms.describeKey(b -> b.keyId(ref))).keyMetadata().arn();
            index.record(project, Set.of(arn), Set.of());
        }
    }

    /**
     * Makes sure the index names {@code key} as its project's key (Preflight does so for the key Atlas uses, which
     * an adoption interrupted before its record would otherwise leave out). Nothing without an index, nor for a key
     * that is not this deployment's.
     */
    public void keepIndexed(ManagedKey key) {
        String project = key.tag(KeyTags.PROJECT);
        if (index != null && project != null && deployment != null && deployment.equals(key.tag(KeyTags.DEPLOYMENT))
                && key.arn() != null) {
            index.record(project, Set.of(key.arn()), Set.of());
        }
    }

    /** Removes tags (absent ones are ignored by KMS); an empty collection sends nothing. */
    public void untag(String keyRef, Collection<String> tagKeys) {
        String ref = requireReference(keyRef, false);
        Objects.requireNonNull(tagKeys, "tagKeys");
        Set<String> keys = new LinkedHashSet<>();
        for (String k : tagKeys) {
            if (k == null || k.isEmpty()) {
                throw new InvalidKmsRequestException("Tag keys to remove must not be null or empty: " + tagKeys);
            }
            keys.add(k);
        }
        if (keys.isEmpty()) {
            return;
        }
        call("UntagResource", ref, () -> kms.untagResource(b -> b.keyId(ref).tagKeys(keys)));
    }

    /** Every tag on the key (all ListResourceTags pages). */
    public Map<String, String> listTags(String keyRef) {
        String ref = requireReference(keyRef, false);
        return listTagsOf(ref, ref);
    }

    // ---------------------------------------------------------------- aliases

    /**
     * Makes the alias point at the key: creates it when missing, moves it (UpdateAlias) when it
     * points elsewhere, and writes nothing when it already points at the key (compared by key id,
     * so an ARN and a bare id are the same key). If another writer creates the alias between the
     * lookup and CreateAlias, the alias is moved instead.
     *
     * @param aliasName {@code alias/...}: letters, digits, {@code / _ -}, at most 256 characters,
     *                  not {@code alias/aws/...} (reserved for AWS managed keys)
     * @param keyRef    key id, key ARN or {@code mrk-} id
     */
    public AliasChange pointAlias(String aliasName, String keyRef) {
        validateAliasName(aliasName);
        String ref = requireReference(keyRef, false);
        Optional<AliasListEntry> existing = findAlias(aliasName);
        if (existing.isPresent()) {
            String target = existing.get().targetKeyId();
            if (KeyIds.sameKey(target, ref)) {
                return AliasChange.UNCHANGED;
            }
            updateAlias(aliasName, ref);
            return AliasChange.MOVED;
        }
        boolean created = call("CreateAlias", ref, () -> {
            try {
                kms.createAlias(b -> b.aliasName(aliasName).targetKeyId(ref));
                return true;
            } catch (AlreadyExistsException createdMeanwhile) {
                return false;
            }
        });
        if (created) {
            LOG.info("Created alias {} -> {}", aliasName, ref);
            return AliasChange.CREATED;
        }
        updateAlias(aliasName, ref);
        return AliasChange.MOVED;
    }

    /** The key id the alias points at, or empty when the alias does not exist. */
    public Optional<String> aliasTarget(String aliasName) {
        validateAliasName(aliasName);
        return findAlias(aliasName).map(AliasListEntry::targetKeyId);
    }

    // ---------------------------------------------------------------- deletion

    /**
     * Schedules the key's deletion after a pending window of 7 to 30 days and returns the deletion
     * date. A window outside 7-30 is refused with {@link InvalidKmsRequestException} before KMS is
     * called. Idempotent: when the key is already pending deletion (a re-run after a crash), the
     * existing deletion date is returned and nothing is written.
     *
     * <p>KMS refuses TagResource on a key pending deletion, so a caller that records
     * {@code deletion-scheduled} in the ledger must tag the key before calling this method.
     */
    public Instant scheduleDeletion(String keyRef, int pendingWindowDays) {
        if (pendingWindowDays < MIN_PENDING_WINDOW_DAYS || pendingWindowDays > MAX_PENDING_WINDOW_DAYS) {
            throw new InvalidKmsRequestException("The pending window for deleting a KMS key must be "
                    + MIN_PENDING_WINDOW_DAYS + " to " + MAX_PENDING_WINDOW_DAYS + " days, not " + pendingWindowDays
                    + ". Fix pendingWindowDays in the configuration; no deletion was scheduled.");
        }
        String ref = requireReference(keyRef, false);
        try {
            Instant date = kms.scheduleKeyDeletion(b -> b.keyId(ref).pendingWindowInDays(pendingWindowDays))
                    .deletionDate();
            LOG.info("Scheduled deletion of KMS key {} for {}", ref, date);
            return date;
        } catch (KmsInvalidStateException invalidState) {
            ManagedKey key = describe(ref);
            if ("PendingDeletion".equals(key.keyState()) && key.deletionDate() != null) {
                LOG.info("KMS key {} was already pending deletion (until {})", ref, key.deletionDate());
                return key.deletionDate();
            }
            throw KmsErrors.translate("ScheduleKeyDeletion", ref, invalidState);
        } catch (SdkException e) {
            throw KmsErrors.translate("ScheduleKeyDeletion", ref, e);
        }
    }

    /**
     * Cancels the key's scheduled deletion; KMS leaves it {@code Disabled}. Idempotent: a key that is
     * not pending deletion (already cancelled) is left as it is.
     */
    public void cancelDeletion(String keyRef) {
        String ref = requireReference(keyRef, false);
        try {
            kms.cancelKeyDeletion(b -> b.keyId(ref));
            LOG.warn("Cancelled the scheduled deletion of KMS key {}", ref);
        } catch (KmsInvalidStateException invalidState) {
            if ("PendingDeletion".equals(describe(ref).keyState())) {
                throw KmsErrors.translate("CancelKeyDeletion", ref, invalidState);
            }
            LOG.info("KMS key {} was not pending deletion (already cancelled)", ref);
        } catch (SdkException e) {
            throw KmsErrors.translate("CancelKeyDeletion", ref, e);
        }
    }

    /** Enables the key (idempotent: enabling an enabled key changes nothing). */
    public void enable(String keyRef) {
        String ref = requireReference(keyRef, false);
        call("EnableKey", ref, () -> kms.enableKey(b -> b.keyId(ref)));
        LOG.info("Enabled KMS key {}", ref);
    }

    /**
     * The key's origin, key store, automatic rotation and description. A key whose rotation KMS cannot tell
     * (a custom key store or imported material answer UnsupportedOperationException) is reported not rotated.
     */
    public KeyMaterial material(String keyRef) {
        String ref = requireReference(keyRef, false);
        KeyMetadata metadata = call("DescribeKey", ref, () -> kms.describeKey(b -> b.keyId(ref))).keyMetadata();
        String origin = metadata.originAsString() == null ? KeyMaterial.AWS_KMS : metadata.originAsString();
        boolean rotated = false;
        Integer period = null;
        if (KeyMaterial.AWS_KMS.equals(origin) && metadata.customKeyStoreId() == null) {
            var status = call("GetKeyRotationStatus", ref, () -> kms.getKeyRotationStatus(b -> b.keyId(ref)));
            rotated = Boolean.TRUE.equals(status.keyRotationEnabled());
            period = rotated ? status.rotationPeriodInDays() : null;
        }
        return new KeyMaterial(origin, metadata.customKeyStoreId(), rotated, period,
                metadata.description() == null ? "" : metadata.description());
    }

    /** Turns on automatic rotation (idempotent), with this period in days (null: KMS's default, 365). */
    public void enableRotation(String keyRef, Integer periodInDays) {
        String ref = requireReference(keyRef, false);
        call("EnableKeyRotation", ref, () -> kms.enableKeyRotation(b -> b.keyId(ref).rotationPeriodInDays(periodInDays)));
        LOG.info("Enabled automatic rotation of KMS key {}{}", ref, periodInDays == null ? "" : " every " + periodInDays + " days");
    }

    /**
     * New key material now (RotateKeyOnDemand): the key id and every alias stay, data encrypted before still
     * decrypts. KMS caps on-demand rotations per key: past the cap it answers {@link KmsLimitExceededException}.
     */
    public void rotateOnDemand(String keyRef) {
        String ref = requireReference(keyRef, false);
        call("RotateKeyOnDemand", ref, () -> kms.rotateKeyOnDemand(b -> b.keyId(ref)));
        LOG.info("Rotated the material of KMS key {} on demand", ref);
    }

    /** When the key's material last rotated, automatically or on demand (all ListKeyRotations pages); empty if never. */
    public Optional<Instant> lastRotation(String keyRef) {
        String ref = requireReference(keyRef, false);
        Instant last = null;
        String marker = null;
        do {
            String pageMarker = marker;
            var page = call("ListKeyRotations", ref, () -> kms.listKeyRotations(b -> b.keyId(ref).marker(pageMarker)));
            for (var rotation : page.rotations()) {
                if (rotation.rotationDate() != null && (last == null || rotation.rotationDate().isAfter(last))) {
                    last = rotation.rotationDate();
                }
            }
            marker = Boolean.TRUE.equals(page.truncated()) ? page.nextMarker() : null;
        } while (marker != null);
        return Optional.ofNullable(last);
    }

    /** Every grant on the key (all ListGrants pages); works on a key pending deletion too. */
    public List<KeyGrant> listGrants(String keyRef) {
        String ref = requireReference(keyRef, false);
        List<KeyGrant> out = new ArrayList<>();
        String marker = null;
        do {
            String page = marker;
            var response = call("ListGrants", ref, () -> kms.listGrants(b -> b.keyId(ref).limit(100).marker(page)));
            response.grants().forEach(g -> out.add(new KeyGrant(g.grantId(), g.granteePrincipal(),
                    g.operationsAsStrings())));
            marker = Boolean.TRUE.equals(response.truncated()) ? response.nextMarker() : null;
        } while (marker != null);
        return List.copyOf(out);
    }

    // ---------------------------------------------------------------- lookup

    /** {@link #findProjectKeys(String, boolean)} including keys pending deletion. */
    public List<ManagedKey> findProjectKeys(String projectId) {
        return findProjectKeys(projectId, true);
    }

    /**
     * Every customer managed key in this account and region tagged
     * {@code atlas-cmk-rotator:project=projectId} and {@code atlas-cmk-rotator:deployment=} this deployment, oldest
     * first. A key of the project that another deployment owns is not this deployment's to change (its IAM would
     * refuse) and is left out; so is a key tagged before the deployment tag existed, with a warning that says how to
     * claim it ({@code ./rotator claim-keys}): until then nothing of this deployment deletes it.
     *
     * <p>Why KMS itself and not the Resource Groups Tagging API ({@code GetResources} filtered by
     * tag): that client is not available at AWS SDK 2.57.x in this project's registry, and, more
     * importantly, its index is eventually consistent: a key tagged a moment ago may not be returned
     * yet. CreateKey's crash-and-re-run idempotency (find the key this rotation already created
     * before creating one) and the one-rotation-per-project lock (a {@code pending} key is the lock)
     * both need to see a key the instant it exists. So this method pages through ListKeys (up to
     * 1000 keys a page) and reads each key's tags with ListResourceTags, which is strongly
     * consistent, then DescribeKey for the matching keys only. Its cost is one ListResourceTags call
     * per key in the region.
     *
     * <p>Skipped: AWS managed keys (recognised by their {@code alias/aws/...} aliases, without
     * reading their tags, and by their key manager); keys that vanish or whose tags this role may
     * not read during the scan (a key policy or IAM condition that denies us a key means it is not
     * one of ours; the role's IAM policy must therefore allow {@code kms:ListResourceTags} on the
     * project's keys); and keys pending deletion when {@code includePendingDeletion} is false.
     */
    public List<ManagedKey> findProjectKeys(String projectId, boolean includePendingDeletion) {
        requireText(projectId, "projectId");
        String deployment = requireOwnDeployment("tell this deployment's keys");
        if (index != null) {
            KeyIndex.Entry entry = index.read(projectId);
            if (entry.openIntents().isEmpty()) {
                return fromIndex(projectId, entry, includePendingDeletion);
            }
            LOG.warn("The key index of project {} has creations without their record ({}): reading every key's tags"
                    + " in {} instead, and recording what is found", projectId, entry.openIntents(), region);
            List<ManagedKey> found = scanProjectKeys(projectId, deployment, true);
            index.record(projectId, found.stream().map(ManagedKey::arn).collect(Collectors.toSet()), entry.openIntents());
            return includePendingDeletion ? found
                    : found.stream().filter(k -> !"PendingDeletion".equals(k.keyState())).toList();
        }
        return scanProjectKeys(projectId, deployment, includePendingDeletion);
    }

    /**
     * The indexed keys of this region, each read (DescribeKey, ListResourceTags) and kept only when its tags still
     * say it is the project's key of this deployment; a key that is gone, or whose tags disagree, is dropped from
     * the index (and said so).
     */
    private List<ManagedKey> fromIndex(String projectId, KeyIndex.Entry entry, boolean includePendingDeletion) {
        List<ManagedKey> found = new ArrayList<>();
        Set<String> stale = new LinkedHashSet<>();
        for (String arn : entry.keyArns()) {
            if (region != null && !region.equals(KeyIds.regionOf(arn))) {
                continue; // another region's key: that region's service reads it
            }
            ManagedKey key;
            try {
                key = describe(arn);
            } catch (KeyNotFoundException gone) {
                stale.add(arn);
                continue;
            }
            if (!projectId.equals(key.tag(KeyTags.PROJECT)) || !deployment.equals(key.tag(KeyTags.DEPLOYMENT))) {
                LOG.warn("The key index names {} as project {}'s key of deployment {}, but its tags say project {} of"
                        + " deployment {}: the tags decide; dropped from the index", arn, projectId, deployment,
                        key.tag(KeyTags.PROJECT), key.tag(KeyTags.DEPLOYMENT));
                stale.add(arn);
                continue;
            }
            if (!includePendingDeletion && "PendingDeletion".equals(key.keyState())) {
                continue;
            }
            found.add(key);
        }
        index.forget(projectId, stale);
        found.sort(Comparator.comparing(ManagedKey::createdAt, Comparator.nullsLast(Comparator.naturalOrder()))
                .thenComparing(ManagedKey::keyId));
        return List.copyOf(found);
    }

    /** {@link #findProjectKeys(String, boolean)} by reading the tags of every key in the region. */
    private List<ManagedKey> scanProjectKeys(String projectId, String deployment, boolean includePendingDeletion) {
        return scan((keyArn, tags) -> {
            if (!projectId.equals(tags.get(KeyTags.PROJECT))) {
                return false;
            }
            String owner = tags.get(KeyTags.DEPLOYMENT);
            if (owner == null) {
                LOG.warn("KMS key {} is tagged as project {}'s but carries no {} tag (it was tagged before that tag"
                        + " existed): this deployment ({}) leaves it alone and never deletes it. Claim it with"
                        + " './rotator claim-keys --deployment {} --region {} --project {}'.", keyArn,
                        projectId, KeyTags.DEPLOYMENT, deployment, deployment, region, projectId);
                return false;
            }
            if (!owner.equals(deployment)) {
                LOG.info("KMS key {} of project {} belongs to deployment {}, not {}: left out", keyArn, projectId,
                        owner, deployment);
                return false;
            }
            return true;
        }, includePendingDeletion);
    }

    /**
     * Every key of the project whatever deployment manages it (or none yet), oldest first: what {@code ./rotator
     * status} shows. Never the basis of a change: the steps use {@link #findProjectKeys(String, boolean)}.
     */
    public List<ManagedKey> findProjectKeysOfEveryDeployment(String projectId) {
        requireText(projectId, "projectId");
        return scan((keyArn, tags) -> projectId.equals(tags.get(KeyTags.PROJECT)), true);
    }

    /**
     * The keys this deployment may claim ({@code ./rotator claim-keys}): keys with a project tag (one of
     * {@code projectIds}, or any when empty) and no deployment tag, or, when {@code fromDeployment} is given, that
     * deployment's tag. Keys pending deletion included (KMS refuses to tag them; the caller says so), oldest first.
     */
    public List<ManagedKey> findClaimableKeys(Set<String> projectIds, String fromDeployment) {
        Set<String> projects = Set.copyOf(projectIds);
        return scan((keyArn, tags) -> {
            String project = tags.get(KeyTags.PROJECT);
            return project != null && (projects.isEmpty() || projects.contains(project))
                    && Objects.equals(tags.get(KeyTags.DEPLOYMENT), fromDeployment);
        }, true);
    }

    /**
     * Every customer managed key of this account and region whose tags {@code wanted} accepts, oldest first: ListKeys
     * pages, one ListResourceTags per key (strongly consistent), DescribeKey for the accepted ones only.
     */
    private List<ManagedKey> scan(java.util.function.BiPredicate<String, Map<String, String>> wanted,
                                  boolean includePendingDeletion) {
        Set<String> awsManaged = awsManagedKeyIds();
        List<ManagedKey> found = new ArrayList<>();
        String marker = null;
        do {
            String pageMarker = marker;
            ListKeysResponse page = call("ListKeys", null,
                    () -> kms.listKeys(b -> b.limit(LIST_KEYS_PAGE_SIZE).marker(pageMarker)));
            for (KeyListEntry entry : page.keys()) {
                if (awsManaged.contains(KeyIds.keyId(entry.keyId()))) {
                    continue;
                }
                Map<String, String> tags;
                try {
                    tags = listTagsOf(entry.keyId(), entry.keyArn());
                } catch (KeyNotFoundException | KmsAccessDeniedException notOurs) {
                    LOG.debug("Skipping KMS key {}: {}", entry.keyArn(), notOurs.getClass().getSimpleName());
                    continue;
                }
                if (!wanted.test(entry.keyArn(), tags)) {
                    continue;
                }
                KeyMetadata metadata;
                try {
                    metadata = call("DescribeKey", entry.keyArn(),
                            () -> kms.describeKey(b -> b.keyId(entry.keyId()))).keyMetadata();
                } catch (KeyNotFoundException deletedMeanwhile) {
                    continue;
                }
                if (metadata.keyManager() == KeyManagerType.AWS) {
                    continue;
                }
                if (!includePendingDeletion && "PendingDeletion".equals(metadata.keyStateAsString())) {
                    continue;
                }
                found.add(toManagedKey(metadata, tags));
            }
            marker = Boolean.TRUE.equals(page.truncated()) ? page.nextMarker() : null;
        } while (marker != null);
        found.sort(Comparator.comparing(ManagedKey::createdAt, Comparator.nullsLast(Comparator.naturalOrder()))
                .thenComparing(ManagedKey::keyId));
        return List.copyOf(found);
    }

    /**
     * The key the rotation created for the project (tagged with both ids), including a key pending
     * deletion; empty when the rotation has not created one yet. See
     * {@link #findProjectKeys(String, boolean)} for why the lookup is strongly consistent.
     *
     * @throws DuplicateRotationKeyException when more than one key claims the rotation
     */
    public Optional<ManagedKey> findByRotation(String projectId, String rotationId) {
        requireText(rotationId, "rotationId");
        List<ManagedKey> matches = findProjectKeys(projectId, true).stream()
                .filter(k -> rotationId.equals(k.tag(KeyTags.ROTATION)))
                .collect(Collectors.toList());
        if (matches.size() > 1) {
            List<String> arns = matches.stream().map(ManagedKey::arn).collect(Collectors.toList());
            throw new DuplicateRotationKeyException("Project " + projectId + " has " + matches.size()
                    + " keys tagged " + KeyTags.ROTATION + "=" + rotationId + " (" + String.join(", ", arns)
                    + "), but a rotation creates exactly one key. Decide which one the rotation created (the"
                    + " one Atlas uses, if any), remove the " + KeyTags.ROTATION + " tag from the others and tag"
                    + " them " + KeyTags.STATE + "=" + KeyState.ABANDONED.tagValue() + ", then run again.", arns);
        }
        return matches.stream().findFirst();
    }

    // ---------------------------------------------------------------- helpers

    private Map<String, String> listTagsOf(String keyId, String refForErrors) {
        Map<String, String> tags = new LinkedHashMap<>();
        String marker = null;
        do {
            String pageMarker = marker;
            ListResourceTagsResponse page = call("ListResourceTags", refForErrors,
                    () -> kms.listResourceTags(b -> b.keyId(keyId).limit(LIST_TAGS_PAGE_SIZE).marker(pageMarker)));
            for (Tag t : page.tags()) {
                tags.put(t.tagKey(), t.tagValue());
            }
            marker = Boolean.TRUE.equals(page.truncated()) ? page.nextMarker() : null;
        } while (marker != null);
        return tags;
    }

    private Optional<AliasListEntry> findAlias(String aliasName) {
        return listAliases().stream().filter(a -> aliasName.equals(a.aliasName())).findFirst();
    }

    private List<AliasListEntry> listAliases() {
        List<AliasListEntry> all = new ArrayList<>();
        String marker = null;
        do {
            String pageMarker = marker;
            ListAliasesResponse page = call("ListAliases", null,
                    () -> kms.listAliases(b -> b.limit(LIST_ALIASES_PAGE_SIZE).marker(pageMarker)));
            all.addAll(page.aliases());
            marker = Boolean.TRUE.equals(page.truncated()) ? page.nextMarker() : null;
        } while (marker != null);
        return all;
    }

    private Set<String> awsManagedKeyIds() {
        Set<String> ids = new HashSet<>();
        for (AliasListEntry alias : listAliases()) {
            if (alias.aliasName() != null && alias.aliasName().startsWith(AWS_MANAGED_ALIAS_PREFIX)
                    && alias.targetKeyId() != null) {
                ids.add(KeyIds.keyId(alias.targetKeyId()));
            }
        }
        return ids;
    }

    private void updateAlias(String aliasName, String ref) {
        call("UpdateAlias", ref, () -> kms.updateAlias(b -> b.aliasName(aliasName).targetKeyId(ref)));
        LOG.info("Moved alias {} -> {}", aliasName, ref);
    }

    private <T> T call(String operation, String keyRef, Supplier<T> request) {
        try {
            return request.get();
        } catch (SdkException e) {
            throw KmsErrors.translate(operation, keyRef, e);
        }
    }

    /**
     * A trimmed key reference. Key ids, key ARNs and {@code mrk-} ids always; alias names and alias
     * ARNs only when {@code aliasAllowed} (DescribeKey takes them, the write operations do not). A
     * key ARN must be in this service's region.
     */
    private String requireReference(String keyRef, boolean aliasAllowed) {
        if (keyRef == null || keyRef.isBlank()) {
            throw new InvalidKmsRequestException("A KMS key reference is required: pass a key id, key ARN or mrk- id.");
        }
        String ref = keyRef.trim();
        boolean alias = ref.startsWith("alias/") || (ref.startsWith("arn:") && ref.contains(":alias/"));
        if (alias && !aliasAllowed) {
            throw new InvalidKmsRequestException("'" + ref + "' is an alias; this operation needs the key itself."
                    + " Pass the key id or key ARN (describe the alias to find it).");
        }
        if (!alias) {
            try {
                KeyIds.keyId(ref);
            } catch (IllegalArgumentException notAKey) {
                throw new InvalidKmsRequestException(notAKey.getMessage());
            }
        }
        String refRegion = KeyIds.isArn(ref) ? ref.split(":", 6)[3] : null;
        if (refRegion != null && region != null && !refRegion.isEmpty() && !refRegion.equals(region)) {
            throw new InvalidKmsRequestException("'" + ref + "' is in region " + refRegion
                    + " but this KeyService calls KMS in " + region
                    + ". Build the KMS client for the key's region (AwsClients.kms(region)).");
        }
        return ref;
    }

    private static void requireText(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new InvalidKmsRequestException(name + " is required and must not be blank.");
        }
    }

    static void validateAliasName(String aliasName) {
        if (aliasName == null) {
            throw new InvalidKmsRequestException("An alias name is required, e.g. alias/atlas-cmk/<projectId>.");
        }
        if (aliasName.length() > MAX_ALIAS_LENGTH) {
            throw new InvalidKmsRequestException("Alias names have at most " + MAX_ALIAS_LENGTH + " characters; '"
                    + aliasName + "' has " + aliasName.length() + ".");
        }
        if (!ALIAS_NAME.matcher(aliasName).matches()) {
            throw new InvalidKmsRequestException("'" + aliasName + "' is not a valid KMS alias name: it must start"
                    + " with alias/ followed by letters, digits, '/', '_' or '-', e.g. alias/atlas-cmk/<projectId>.");
        }
        if (aliasName.startsWith(AWS_MANAGED_ALIAS_PREFIX)) {
            throw new InvalidKmsRequestException("'" + aliasName + "' is reserved: alias/aws/ names belong to AWS"
                    + " managed keys. Choose another name, e.g. alias/atlas-cmk/<projectId>.");
        }
    }

    static void validateTags(Map<String, String> tags) {
        if (tags.size() > MAX_TAGS_PER_KEY) {
            throw new InvalidKmsRequestException("A KMS key carries at most " + MAX_TAGS_PER_KEY + " tags; "
                    + tags.size() + " were given.");
        }
        for (Map.Entry<String, String> tag : tags.entrySet()) {
            String key = tag.getKey();
            String value = tag.getValue();
            if (key == null || key.isEmpty() || key.length() > 128 || !TAG_TEXT.matcher(key).matches()) {
                throw new InvalidKmsRequestException("Invalid tag key '" + key + "': tag keys are 1-128 letters,"
                        + " digits, spaces or _ . : / = + - @.");
            }
            if (key.regionMatches(true, 0, "aws:", 0, 4)) {
                throw new InvalidKmsRequestException("Invalid tag key '" + key + "': the aws: prefix is reserved"
                        + " for AWS.");
            }
            if (value == null || value.length() > 256 || !TAG_TEXT.matcher(value).matches()) {
                throw new InvalidKmsRequestException("Invalid value for tag '" + key + "': tag values are 0-256"
                        + " letters, digits, spaces or _ . : / = + - @ (null is not allowed; use \"\").");
            }
        }
    }

    private static void validatePolicy(String policyJson) {
        if (policyJson == null || policyJson.isBlank()) {
            throw new InvalidKmsRequestException("A key policy document is required.");
        }
        if (policyJson.getBytes(StandardCharsets.UTF_8).length > MAX_POLICY_BYTES) {
            throw new InvalidKmsRequestException("A key policy has at most " + MAX_POLICY_BYTES + " bytes.");
        }
        try {
            JsonNode doc = Json.MAPPER.readTree(policyJson);
            if (doc == null || !doc.isObject() || !doc.has("Statement")) {
                throw new InvalidKmsRequestException("A key policy must be a JSON object with a Statement.");
            }
        } catch (JsonProcessingException e) {
            throw new InvalidKmsRequestException("The key policy is not valid JSON: " + e.getOriginalMessage());
        }
    }

    private static List<Tag> toTags(Map<String, String> tags) {
        List<Tag> list = new ArrayList<>(tags.size());
        tags.forEach((k, v) -> list.add(Tag.builder().tagKey(k).tagValue(v).build()));
        return list;
    }

    private static ManagedKey toManagedKey(KeyMetadata m, Map<String, String> tags) {
        return new ManagedKey(
                m.keyId(),
                m.arn(),
                KeyIds.regionOf(m.arn()),
                m.keyStateAsString(),
                Boolean.TRUE.equals(m.multiRegion()),
                m.creationDate(),
                m.deletionDate(),
                tags);
    }

    private static String regionOf(KmsClient client) {
        try {
            var config = client.serviceClientConfiguration();
            return config == null || config.region() == null ? null : config.region().id();
        } catch (UnsupportedOperationException notSupported) {
            return null;
        }
    }
}
