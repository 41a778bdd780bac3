package io.atlascmk.sandbox.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.atlascmk.sandbox.KeyAccess;
import io.atlascmk.sandbox.SandboxClock;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The KMS stand-in ({@code TrentService.*}), enforcing KMS's rules for symmetric customer managed keys:
 * key states, the 7-30 day pending window, alias and tag rules, key policies (stored verbatim, with
 * the policy lockout safety check), {@code KMSInvalidStateException} for a key in the wrong state.
 * Keys are regional: a request sees only the keys of the region its signature names.
 *
 * <p>Operations: CreateKey, DescribeKey, ListKeys, GetKeyPolicy, PutKeyPolicy, TagResource,
 * UntagResource, ListResourceTags, CreateAlias, UpdateAlias, DeleteAlias, ListAliases,
 * ScheduleKeyDeletion, CancelKeyDeletion, EnableKey, DisableKey, UpdateKeyDescription, Encrypt, Decrypt,
 * CreateGrant, ListGrants, RetireGrant, RevokeGrant, EnableKeyRotation, DisableKeyRotation,
 * GetKeyRotationStatus.
 *
 * <p>Key states, as the KMS key-state table has them: a key {@code PendingDeletion} rejects with
 * {@code KMSInvalidStateException} EnableKey, DisableKey, ScheduleKeyDeletion, TagResource,
 * UntagResource, CreateAlias/UpdateAlias onto it, UpdateKeyDescription, Encrypt, Decrypt, CreateGrant,
 * EnableKeyRotation and DisableKeyRotation; it still answers DescribeKey, GetKeyPolicy, PutKeyPolicy,
 * ListResourceTags, ListAliases, DeleteAlias, ListGrants, RetireGrant, RevokeGrant,
 * GetKeyRotationStatus and CancelKeyDeletion (which leaves it {@code Disabled}). A {@code Disabled} key
 * rejects Encrypt, Decrypt, CreateGrant, EnableKeyRotation and DisableKeyRotation with
 * {@code DisabledException}. {@code PendingImport} and {@code Unavailable} keys: see below. When the sandbox clock passes a key's deletion date the key is deleted
 * (with its aliases and grants) and is then {@code NotFoundException}.
 *
 * <p>Automatic key rotation, as KMS does it: a new key starts with rotation disabled. EnableKeyRotation
 * takes an optional {@code RotationPeriodInDays} of 90-2560 (else {@code ValidationException}); without
 * one the period is 365 days, also for a key whose rotation was already enabled with another period.
 * The first rotation comes one period after rotation was enabled, the next one period after each
 * rotation. DisableKeyRotation turns it off. Both refuse a key pending deletion with
 * {@code KMSInvalidStateException} and a {@code Disabled} key with {@code DisabledException}; all three
 * take a key id or key ARN, not an alias. GetKeyRotationStatus answers {@code KeyRotationEnabled}, {@code KeyId} (the
 * ARN) and, while enabled, {@code RotationPeriodInDays} and {@code NextRotationDate}; for a key pending
 * deletion it answers {@code false}, and cancelling the deletion brings the setting back. All three
 * refuse a key with Origin {@code EXTERNAL} or {@code AWS_CLOUDHSM} with
 * {@code UnsupportedOperationException} ({@code "<key ARN> origin is EXTERNAL which is not valid for
 * this operation."}), checked before the key state. Rotation happens as the sandbox clock passes the
 * rotation dates, only while the key is {@code Enabled}; a key enabled again after its date has passed
 * (or given a period that has already run out) rotates at once. A rotation is only recorded
 * ({@link #rotation}): the key material stays the same, which no implemented operation can tell apart
 * from KMS's, as KMS decrypts with whichever material encrypted. RotateKeyOnDemand rotates at once (at most
 * {@value #MAX_ON_DEMAND_ROTATIONS} times per key, then {@code LimitExceededException}) and ListKeyRotations lists
 * every rotation, automatic and on demand; the {@code RotateKey} service event in CloudTrail is not modelled.
 *
 * <p>Origins: CreateKey takes Origin {@code AWS_KMS} (the default), {@code EXTERNAL} or
 * {@code AWS_CLOUDHSM}, and DescribeKey reports it. A key for imported key material
 * ({@code EXTERNAL}) is created {@code PendingImport} with no key material. The sandbox does not
 * import key material (no GetParametersForImport, ImportKeyMaterial or DeleteImportedKeyMaterial), so
 * such a key stays {@code PendingImport}: Encrypt, Decrypt, CreateGrant, EnableKey and DisableKey
 * refuse it with {@code KMSInvalidStateException} ({@code "<key ARN> is pending import."}), and
 * CancelKeyDeletion returns it to {@code PendingImport}. Origin {@code EXTERNAL_KEY_STORE} and
 * {@code XksKeyId} are {@code UnsupportedOperationException}: the sandbox has no external key stores.
 *
 * <p>CloudHSM key stores are registered from Java ({@link #addCloudHsmKeyStore}, connected; there is no
 * CreateCustomKeyStore, DescribeCustomKeyStores, ConnectCustomKeyStore or DisconnectCustomKeyStore over
 * HTTP) and disconnected or connected from Java. CreateKey with {@code CustomKeyStoreId} and Origin
 * {@code AWS_CLOUDHSM} makes an enabled key in the key store of the caller's region, and DescribeKey
 * reports its {@code CustomKeyStoreId} and {@code CloudHsmClusterId}. A key store unknown in the region
 * is {@code CustomKeyStoreNotFoundException}, a disconnected one
 * {@code CustomKeyStoreInvalidStateException}; {@code CustomKeyStoreId} with another Origin (given or
 * the default {@code AWS_KMS}), Origin {@code AWS_CLOUDHSM} without {@code CustomKeyStoreId}, and
 * {@code MultiRegion} in a key store are {@code UnsupportedOperationException}. While its key store is
 * disconnected a key is {@code Unavailable} (one pending deletion stays {@code PendingDeletion}):
 * Encrypt and Decrypt refuse it with {@code KMSInvalidStateException} ({@code "<key ARN> is
 * unavailable."}); the other operations work, and EnableKey or DisableKey change the key state that
 * shows once the key store is connected again. Deletion is not held up by a disconnected key store.
 *
 * <p>Grants, as KMS keeps them: CreateGrant takes a key id or key ARN (not an alias), a grantee and an
 * optional retiring principal (ARNs of an account root, IAM user or role, assumed-role or federated
 * session; else {@code InvalidArnException}), operations from KMS's grant operations that suit a
 * symmetric encryption key (not only CreateGrant), an optional name, encryption context constraints (at
 * most 8 pairs and 384 characters each) and grant tokens; it answers a grant id (64 hex digits) and a
 * grant token new on every call. The same name with the same terms returns the existing grant's id.
 * ListGrants pages 1-100 (default 50) grants of a key in creation order, filtered by grant id or
 * grantee. RetireGrant takes a grant token or the key and grant id, RevokeGrant the key and grant id; a
 * malformed grant id is {@code InvalidGrantIdException}, an unknown one {@code NotFoundException}.
 * {@code DryRun} is answered {@code DryRunOperationException} (HTTP 412) when the call would have
 * succeeded. Grants authorize nothing here: the stand-in checks no caller's permissions, and
 * {@link #atlasRoleCanUse} reads only the key policy.
 *
 * <p>Every call served over HTTP, successful or refused, is recorded in the {@link CloudTrailStandIn}
 * as a management event naming the keys the call resolved, with the request's members as
 * {@code requestParameters} (never {@code Plaintext} or {@code CiphertextBlob}) and, when refused, the
 * error exactly as answered.
 *
 * <p>The Java side: seed keys ({@link #createExternalKey} for one pending import,
 * {@link #createCloudHsmKey} for one in a key store), aliases and CloudHSM key stores
 * ({@link #addCloudHsmKeyStore}, {@link #disconnectCustomKeyStore}, {@link #connectCustomKeyStore}),
 * inspect them ({@link #keys()}, {@link #aliases()}, {@link #deletedKeys()}, {@link #grants(String)},
 * {@link #rotation(String)}, {@link #customKeyStores()}), and answer the Atlas simulator's
 * {@link KeyAccess} question (never yes for a key that is not {@code Enabled}, {@code Unavailable}
 * included).
 */
public final class KmsStandIn implements ServiceHandler, KeyAccess {

    static final int MIN_PENDING_WINDOW_DAYS = 7;
    static final int MAX_PENDING_WINDOW_DAYS = 30;
    static final int MAX_TAGS_PER_KEY = 50;
    static final int MIN_ROTATION_PERIOD_DAYS = 90;
    static final int MAX_ROTATION_PERIOD_DAYS = 2560;
    static final int DEFAULT_ROTATION_PERIOD_DAYS = 365;

    private static final Pattern KEY_ID = Pattern.compile(
            "^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|mrk-[0-9a-f]{32})$");
    private static final Pattern KMS_ARN = Pattern.compile("^arn:aws:kms:([a-z0-9-]+):(\\d{12}):(key|alias)/(.+)$");
    private static final Pattern ALIAS_CHARACTERS = Pattern.compile("^alias/[a-zA-Z0-9/_-]+$");
    private static final byte CIPHERTEXT_VERSION = 1;
    /** The values of the SDK model's {@code OriginType} enum, in the model's order. */
    private static final List<String> ORIGIN_TYPES = List.of("AWS_KMS", "EXTERNAL", "AWS_CLOUDHSM", "EXTERNAL_KEY_STORE");
    /** Request members CloudTrail never records: they carry plaintext or ciphertext. */
    private static final Set<String> UNRECORDED_MEMBERS = Set.of("Plaintext", "CiphertextBlob");
    /** Request members CloudTrail records verbatim (encryption contexts), not in lower camel case. */
    private static final Set<String> VERBATIM_MEMBERS = Set.of("EncryptionContext", "EncryptionContextEquals", "EncryptionContextSubset");

    static final int MAX_GRANTS_PER_KEY = 50_000;
    static final int MAX_GRANT_CONSTRAINT_PAIRS = 8;
    static final int MAX_GRANT_CONSTRAINT_CHARACTERS = 384;
    /** KMS's grant operations (the {@code GrantOperation} enum of the SDK's model), in the model's order. */
    static final List<String> GRANT_OPERATIONS = List.of("Decrypt", "Encrypt", "GenerateDataKey",
            "GenerateDataKeyWithoutPlaintext", "ReEncryptFrom", "ReEncryptTo", "Sign", "Verify", "GetPublicKey",
            "CreateGrant", "RetireGrant", "DescribeKey", "GenerateDataKeyPair", "GenerateDataKeyPairWithoutPlaintext",
            "GenerateMac", "VerifyMac", "DeriveSharedSecret", "Encapsulate", "Decapsulate");
    /** The grant operations a symmetric encryption key supports; the others are for asymmetric or HMAC keys. */
    private static final Set<String> SYMMETRIC_KEY_GRANT_OPERATIONS = Set.of("Decrypt", "Encrypt", "GenerateDataKey",
            "GenerateDataKeyWithoutPlaintext", "ReEncryptFrom", "ReEncryptTo", "CreateGrant", "RetireGrant", "DescribeKey",
            "GenerateDataKeyPair", "GenerateDataKeyPairWithoutPlaintext");
    private static final Pattern PRINCIPAL_ID = Pattern.compile("^[\\w+=,.@:/-]+$");
    private static final Pattern GRANT_PRINCIPAL_ARN = Pattern.compile(
            "^arn:aws:(iam::\\d{12}:(root|user/.+|role/.+)|sts::\\d{12}:(assumed-role/[^/]+/.+|federated-user/.+))$");
    private static final Pattern GRANT_NAME = Pattern.compile("^[a-zA-Z0-9:/_-]+$");
    private static final Pattern GRANT_ID = Pattern.compile("^[0-9a-f]{64}$");
    private static final String GRANT_TOKEN_PREFIX = "sandbox-grant-token:";
    /** The shape of the custom key store ids KMS issues. */
    private static final Pattern CUSTOM_KEY_STORE_ID = Pattern.compile("^cks-[0-9a-f]{17}$");

    private static final class Key {
        String region;
        String keyId;
        String arn;
        String description;
        Instant creationDate;
        KmsKeyState state;
        Instant deletionDate;
        Integer pendingWindowDays;
        final Map<String, String> tags = new LinkedHashMap<>();
        String policy;
        /** The policy before the last PutKeyPolicy, and when that call changed it. */
        String previousPolicy;
        Instant policyChangedAt;
        boolean multiRegion;
        boolean lockoutCheckBypassed;
        KmsKeyOrigin origin;
        /** The custom key store holding the key (Origin AWS_CLOUDHSM); null for any other key. */
        CustomKeyStore store;
        /** Null for a key with Origin EXTERNAL: the sandbox imports no key material. */
        byte[] material;
        /** Automatic rotation: the period while enabled, null while disabled. */
        Integer rotationPeriodDays;
        /** What the rotation period counts from: when rotation was enabled, or the last rotation. */
        Instant rotationBase;
        /** When the material rotated automatically, oldest first. */
        final List<Instant> rotationDates = new ArrayList<>();
        /** When the material was rotated on demand (RotateKeyOnDemand), oldest first. */
        final List<Instant> onDemandRotationDates = new ArrayList<>();
        /** By grant id, in creation order. */
        final Map<String, KmsGrantView> grants = new LinkedHashMap<>();
    }

    /** A CloudHSM key store, registered from Java. */
    private static final class CustomKeyStore {
        String region;
        String id;
        String name;
        String cloudHsmClusterId;
        boolean connected;
        Instant creationDate;
    }

    /** What a grant token names: the region and id of its grant. */
    private record GrantRef(String region, String grantId) {
    }

    private static final class Alias {
        String region;
        String name;
        String arn;
        Key target;
        Instant creationDate;
        Instant lastUpdatedDate;
    }

    private final SandboxClock clock;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Key> keys = new LinkedHashMap<>();
    private final Map<String, Alias> aliases = new TreeMap<>();
    /** By id, in registration order. */
    private final Map<String, CustomKeyStore> customKeyStores = new LinkedHashMap<>();
    private final List<KmsKeyView> deletedKeys = new ArrayList<>();
    private final Map<String, String> callers = new HashMap<>();
    private final CloudTrailStandIn cloudTrail;
    /** The keys the HTTP call in progress resolved, for its CloudTrail event; null between calls. */
    private List<Key> touched;
    /** How long a new key's tags take to count in tag-based authorization (zero: at once). */
    private Duration tagAuthorizationDelay = Duration.ZERO;
    /** How long a key policy change takes to reach Atlas's role (zero: at once). */
    private Duration policyPropagationDelay = Duration.ZERO;

    /** The AWS account whose keys these are (their ARNs name it; its root may do anything the key policy allows). */
    private final String accountId;

    KmsStandIn(SandboxClock clock, CloudTrailStandIn cloudTrail, String accountId) {
        this.clock = clock;
        this.cloudTrail = cloudTrail;
        this.accountId = accountId;
    }

    /** The AWS account whose keys these are. */
    public String accountId() {
        return accountId;
    }

    // ---------------------------------------------------------------------------------------------
    // Java API
    // ---------------------------------------------------------------------------------------------

    /** Seeds an enabled symmetric key with the default key policy (the account root may do anything). */
    public KmsKeyView createKey(String region, String description, Map<String, String> tags) {
        return createKey(region, description, tags, null);
    }

    /**
     * Seeds an enabled symmetric key with the given policy (null: the default policy). Tags and policy
     * follow the same rules as over the wire; the lockout safety check is not applied to seeded keys.
     */
    public synchronized KmsKeyView createKey(String region, String description, Map<String, String> tags, String policy) {
        return seedKey(region, description, tags, policy, KmsKeyOrigin.AWS_KMS, null);
    }

    /**
     * Seeds a key for imported key material (Origin {@code EXTERNAL}) with the default key policy, as
     * CreateKey makes it: {@code PendingImport}, without key material, which the sandbox never imports.
     */
    public KmsKeyView createExternalKey(String region, String description, Map<String, String> tags) {
        return seedKey(region, description, tags, null, KmsKeyOrigin.EXTERNAL, null);
    }

    /**
     * Seeds an enabled key (Origin {@code AWS_CLOUDHSM}) in a CloudHSM key store of the region, with the
     * default key policy; the key store must be registered there and connected, as for CreateKey.
     */
    public KmsKeyView createCloudHsmKey(String region, String customKeyStoreId, String description, Map<String, String> tags) {
        return seedKey(region, description, tags, null, KmsKeyOrigin.AWS_CLOUDHSM, Objects.requireNonNull(customKeyStoreId));
    }

    private synchronized KmsKeyView seedKey(String region, String description, Map<String, String> tags, String policy,
            KmsKeyOrigin origin, String customKeyStoreId) {
        catchUpWithClock();
        CustomKeyStore store;
        try {
            store = customKeyStoreId == null ? null : connectedKeyStore(region, customKeyStoreId);
            tags.forEach(KmsStandIn::checkTag);
            if (tags.size() > MAX_TAGS_PER_KEY) {
                throw tagException("A KMS key can have at most " + MAX_TAGS_PER_KEY + " tags.");
            }
            if (policy != null) {
                KeyPolicy.parse(policy);
            }
        } catch (AwsApiException e) {
            throw new IllegalArgumentException(e.errorName() + ": " + e.getMessage(), e);
        }
        Key key = newKey(region, description == null ? "" : description, false, policy, false, origin, store);
        key.tags.putAll(tags);
        return view(key);
    }

    /**
     * Registers a CloudHSM key store in the region, as CreateCustomKeyStore and ConnectCustomKeyStore
     * would leave it: {@code CONNECTED}, with a CloudHSM cluster id the sandbox makes up from the key
     * store id. The id must have the shape of KMS's ids ({@code cks-} and 17 hexadecimal digits) and be
     * new; the name (1-256 characters) must be new in the region, as KMS requires.
     */
    public synchronized KmsCustomKeyStoreView addCloudHsmKeyStore(String region, String customKeyStoreId, String name) {
        Objects.requireNonNull(region, "region");
        if (customKeyStoreId == null || !CUSTOM_KEY_STORE_ID.matcher(customKeyStoreId).matches()) {
            throw new IllegalArgumentException("A custom key store id is cks- and 17 hexadecimal digits, as KMS issues them "
                    + "(e.g. cks-1234567890abcdef0); got " + customKeyStoreId + ".");
        }
        if (name == null || name.isEmpty() || name.length() > 256) {
            throw new IllegalArgumentException("A custom key store name is 1-256 characters; got " + name + ".");
        }
        if (customKeyStores.containsKey(customKeyStoreId)) {
            throw new IllegalArgumentException("CustomKeyStoreAlreadyExists: " + customKeyStoreId + " is already registered.");
        }
        if (customKeyStores.values().stream().anyMatch(s -> s.region.equals(region) && s.name.equals(name))) {
            throw new IllegalArgumentException("CustomKeyStoreNameInUseException: a custom key store named " + name
                    + " already exists in " + region + ".");
        }
        CustomKeyStore store = new CustomKeyStore();
        store.region = region;
        store.id = customKeyStoreId;
        store.name = name;
        store.cloudHsmClusterId = "cluster-" + HexFormat.of().formatHex(sha256(customKeyStoreId)).substring(0, 11);
        store.connected = true;
        store.creationDate = clock.instant();
        customKeyStores.put(customKeyStoreId, store);
        return view(store);
    }

    /**
     * Disconnects a custom key store, as DisconnectCustomKeyStore does: CreateKey in it is
     * {@code CustomKeyStoreInvalidStateException}, and its keys are {@code Unavailable} (unless pending
     * deletion) until it is connected again.
     */
    public synchronized KmsCustomKeyStoreView disconnectCustomKeyStore(String customKeyStoreId) {
        return setConnected(customKeyStoreId, false);
    }

    /** Connects a custom key store again: its keys show their own key state again. */
    public synchronized KmsCustomKeyStoreView connectCustomKeyStore(String customKeyStoreId) {
        return setConnected(customKeyStoreId, true);
    }

    /** Every custom key store of every region, in registration order. */
    public synchronized List<KmsCustomKeyStoreView> customKeyStores() {
        return customKeyStores.values().stream().map(KmsStandIn::view).toList();
    }

    private KmsCustomKeyStoreView setConnected(String customKeyStoreId, boolean connected) {
        catchUpWithClock();
        CustomKeyStore store = customKeyStores.get(customKeyStoreId);
        if (store == null) {
            throw new IllegalArgumentException("CustomKeyStoreNotFoundException: no custom key store " + customKeyStoreId
                    + " is registered; register it with addCloudHsmKeyStore.");
        }
        store.connected = connected;
        return view(store);
    }

    /** Seeds an alias; the same rules as CreateAlias. */
    public synchronized KmsAliasView createAlias(String region, String aliasName, String targetKeyIdOrArn) {
        catchUpWithClock();
        try {
            return view(addAlias(region, aliasName, targetKeyIdOrArn));
        } catch (AwsApiException e) {
            throw new IllegalArgumentException(e.errorName() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Tag-based authorization is eventually consistent: AWS says a key's tags can take up to five
     * minutes to count. From now on, for {@code delay} after a key's creation, the key-changing
     * operations ({@link #TAG_AUTHORIZED}) on it answer {@code AccessDeniedException}, as they do for a
     * role whose IAM policy allows them only on keys carrying certain tags. Reads are not affected (the
     * rotator's roles read keys without tag conditions). Zero (the default) turns it off.
     */
    public synchronized void tagAuthorizationDelay(Duration delay) {
        if (delay.isNegative()) {
            throw new IllegalArgumentException("delay must not be negative");
        }
        this.tagAuthorizationDelay = delay;
    }

    /**
     * Key policy changes are eventually consistent: for {@code delay} after PutKeyPolicy,
     * {@link #atlasRoleCanUse} answers from the policy the key had before (the less kind of the two
     * answers a KMS host may give meanwhile). Zero (the default) turns it off.
     */
    public synchronized void policyPropagationDelay(Duration delay) {
        if (delay.isNegative()) {
            throw new IllegalArgumentException("delay must not be negative");
        }
        this.policyPropagationDelay = delay;
    }

    /**
     * Tells the stand-in which principal signs with this access key id, for the policy lockout safety
     * check. Callers not registered count as the account root.
     */
    public synchronized void registerCaller(String accessKeyId, String principalArn) {
        callers.put(Objects.requireNonNull(accessKeyId), Objects.requireNonNull(principalArn));
    }

    /** Every existing key of every region, in creation order. */
    public synchronized List<KmsKeyView> keys() {
        catchUpWithClock();
        List<KmsKeyView> out = new ArrayList<>();
        keys.values().forEach(k -> out.add(view(k)));
        return out;
    }

    /** A key by id, multi-Region id, key ARN, alias ARN or (in any region) alias name. */
    public synchronized Optional<KmsKeyView> key(String reference) {
        catchUpWithClock();
        return Optional.ofNullable(findAnyRegion(reference)).map(this::view);
    }

    /** Every alias of every region, sorted by ARN. */
    public synchronized List<KmsAliasView> aliases() {
        catchUpWithClock();
        List<KmsAliasView> out = new ArrayList<>();
        aliases.values().forEach(a -> out.add(view(a)));
        return out;
    }

    /**
     * The grants on a key (by id, multi-Region id, key ARN, alias ARN or, in any region, alias name), in
     * creation order: every grant CreateGrant made and nobody retired or revoked. Empty when no such key
     * exists (any more). Grants do not enter {@link #atlasRoleCanUse}: that answer stays the key policy's.
     */
    public synchronized List<KmsGrantView> grants(String keyReference) {
        catchUpWithClock();
        Key key = findAnyRegion(keyReference);
        return key == null ? List.of() : List.copyOf(key.grants.values());
    }

    /**
     * The automatic rotation of a key (by id, multi-Region id, key ARN, alias ARN or, in any region,
     * alias name): whether it is enabled, its period, its next date and the rotations so far. Empty when
     * no such key exists (any more).
     */
    public synchronized Optional<KmsKeyRotationView> rotation(String keyReference) {
        catchUpWithClock();
        Key key = findAnyRegion(keyReference);
        if (key == null) {
            return Optional.empty();
        }
        return Optional.of(new KmsKeyRotationView(key.arn, key.rotationPeriodDays != null, key.rotationPeriodDays,
                key.rotationPeriodDays == null ? null : nextRotation(key), key.rotationDates));
    }

    /** Keys whose pending window has run out, as they were just before deletion, in deletion order. */
    public synchronized List<KmsKeyView> deletedKeys() {
        catchUpWithClock();
        return List.copyOf(deletedKeys);
    }

    /**
     * True only when the key exists, is {@code Enabled}, and its policy has an {@code Allow} statement
     * naming the role ARN (or {@code "*"}) for both {@code kms:Encrypt} and {@code kms:Decrypt} (exact,
     * list, {@code kms:*}, wildcards), with no {@code Deny} for them. The account-root statement does not
     * count: the sandbox has no IAM policies to delegate to.
     */
    @Override
    public synchronized boolean atlasRoleCanUse(String keyReference, String roleArn) {
        if (keyReference == null || roleArn == null) {
            return false;
        }
        catchUpWithClock();
        Key key = findAnyRegion(keyReference);
        if (key == null || effectiveState(key) != KmsKeyState.ENABLED) {
            return false;
        }
        boolean propagating = key.policyChangedAt != null
                && clock.instant().isBefore(key.policyChangedAt.plus(policyPropagationDelay));
        KeyPolicy policy = KeyPolicy.parse(propagating && key.previousPolicy != null ? key.previousPolicy : key.policy);
        Set<String> principals = Set.of(roleArn);
        return policy.allows(principals, "kms:Encrypt") && policy.allows(principals, "kms:Decrypt");
    }

    // ---------------------------------------------------------------------------------------------
    // Wire protocol
    // ---------------------------------------------------------------------------------------------

    @Override
    public synchronized JsonNode handle(String operation, CallContext context, Params params) {
        catchUpWithClock();
        touched = new ArrayList<>();
        try {
            refuseWhileTagsDoNotCountYet(operation, context, params);
            JsonNode response = serve(operation, context, params);
            cloudTrail.recordKmsCall(context, operation, requestParameters(params.body()), touchedKeyArns(), null);
            return response;
        } catch (AwsApiException e) {
            cloudTrail.recordKmsCall(context, operation, requestParameters(params.body()), touchedKeyArns(), e);
            throw e;
        } finally {
            touched = null;
        }
    }

    /** Key-changing operations a tag-conditioned IAM policy governs; see {@link #tagAuthorizationDelay}. */
    static final Set<String> TAG_AUTHORIZED = Set.of("PutKeyPolicy", "EnableKeyRotation", "DisableKeyRotation",
            "RotateKeyOnDemand",
            "TagResource", "UntagResource", "ScheduleKeyDeletion", "CancelKeyDeletion", "EnableKey", "DisableKey",
            "UpdateKeyDescription", "CreateAlias", "UpdateAlias");

    private void refuseWhileTagsDoNotCountYet(String operation, CallContext context, Params params) {
        if (tagAuthorizationDelay.isZero() || !TAG_AUTHORIZED.contains(operation)) {
            return;
        }
        String reference = params.has("TargetKeyId") ? params.optString("TargetKeyId") : params.optString("KeyId");
        if (reference == null) {
            return; // the operation reports the missing parameter itself
        }
        Key key;
        try {
            key = resolve(context.region(), reference, false);
        } catch (AwsApiException e) {
            return; // nor is authorization the first thing wrong with an unknown key
        }
        if (clock.instant().isBefore(key.creationDate.plus(tagAuthorizationDelay))) {
            String caller = context.accessKeyId() == null ? null : callers.get(context.accessKeyId());
            String who = caller != null ? caller : "arn:aws:sts::" + accountId + ":assumed-role/sandbox/sandbox";
            throw AwsApiException.client("AccessDeniedException", "User: " + who + " is not authorized to perform: kms:"
                    + operation + " on resource: " + key.arn + " because no identity-based policy allows the kms:"
                    + operation + " action");
        }
    }

    private JsonNode serve(String operation, CallContext context, Params params) {
        String region = context.region();
        switch (operation) {
            case "CreateKey":
                return createKey(context, params);
            case "DescribeKey":
                return keyMetadataResponse(resolve(region, params.string("KeyId"), true));
            case "ListKeys":
                return listKeys(region, params);
            case "GetKeyPolicy":
                return getKeyPolicy(region, params);
            case "PutKeyPolicy":
                return putKeyPolicy(context, params);
            case "TagResource":
                return tagResource(region, params);
            case "UntagResource":
                return untagResource(region, params);
            case "ListResourceTags":
                return listResourceTags(region, params);
            case "CreateAlias":
                addAlias(region, params.string("AliasName"), params.string("TargetKeyId"));
                return AwsJson.object();
            case "UpdateAlias":
                return updateAlias(region, params);
            case "DeleteAlias":
                return deleteAlias(region, params);
            case "ListAliases":
                return listAliases(region, params);
            case "ScheduleKeyDeletion":
                return scheduleKeyDeletion(region, params);
            case "CancelKeyDeletion":
                return cancelKeyDeletion(region, params);
            case "EnableKey":
                return setEnabled(region, params, true);
            case "DisableKey":
                return setEnabled(region, params, false);
            case "UpdateKeyDescription":
                return updateKeyDescription(region, params);
            case "EnableKeyRotation":
                return enableKeyRotation(region, params);
            case "DisableKeyRotation":
                return disableKeyRotation(region, params);
            case "GetKeyRotationStatus":
                return getKeyRotationStatus(region, params);
            case "RotateKeyOnDemand":
                return rotateKeyOnDemand(region, params);
            case "ListKeyRotations":
                return listKeyRotations(region, params);
            case "Encrypt":
                return encrypt(region, params);
            case "Decrypt":
                return decrypt(region, params);
            case "CreateGrant":
                return createGrant(region, params);
            case "ListGrants":
                return listGrants(region, params);
            case "RetireGrant":
                return retireGrant(region, params);
            case "RevokeGrant":
                return revokeGrant(region, params);
            default:
                throw ServiceHandler.unknownOperation(AwsService.KMS, operation);
        }
    }

    private JsonNode createKey(CallContext context, Params params) {
        String keySpec = Optional.ofNullable(params.optString("KeySpec"))
                .orElse(Optional.ofNullable(params.optString("CustomerMasterKeySpec")).orElse("SYMMETRIC_DEFAULT"));
        String keyUsage = Optional.ofNullable(params.optString("KeyUsage")).orElse("ENCRYPT_DECRYPT");
        String origin = Optional.ofNullable(params.optString("Origin")).orElse("AWS_KMS");
        if (!ORIGIN_TYPES.contains(origin)) {
            throw AwsApiException.constraint("Origin", origin, "Member must satisfy enum value set: " + ORIGIN_TYPES);
        }
        if (!keySpec.equals("SYMMETRIC_DEFAULT")) {
            throw AwsApiException.client("UnsupportedOperationException",
                    "The sandbox's KMS supports only KeySpec SYMMETRIC_DEFAULT; got " + keySpec + ".");
        }
        if (!keyUsage.equals("ENCRYPT_DECRYPT")) {
            throw AwsApiException.validation("KeyUsage " + keyUsage + " is not valid for KeySpec SYMMETRIC_DEFAULT; use ENCRYPT_DECRYPT.");
        }
        if (origin.equals("EXTERNAL_KEY_STORE") || params.has("XksKeyId")) {
            throw AwsApiException.client("UnsupportedOperationException", "The sandbox's KMS has no external key "
                    + "stores (XKS): Origin EXTERNAL_KEY_STORE and XksKeyId are not supported. Use Origin AWS_KMS or "
                    + "EXTERNAL (imported key material).");
        }
        String customKeyStoreId = params.optString("CustomKeyStoreId");
        if (customKeyStoreId != null) {
            checkLength("CustomKeyStoreId", customKeyStoreId, 1, 64);
        }
        boolean multiRegion = params.optBoolean("MultiRegion", false);
        CustomKeyStore store = null;
        if (origin.equals("AWS_CLOUDHSM") || customKeyStoreId != null) {
            if (customKeyStoreId == null) {
                throw AwsApiException.client("UnsupportedOperationException", "Origin AWS_CLOUDHSM makes the key in a "
                        + "CloudHSM key store: name the key store in CustomKeyStoreId.");
            }
            if (!origin.equals("AWS_CLOUDHSM")) {
                throw AwsApiException.client("UnsupportedOperationException", "CustomKeyStoreId " + customKeyStoreId
                        + " names a CloudHSM key store, which takes only keys with Origin AWS_CLOUDHSM; got Origin " + origin
                        + (params.has("Origin") ? "." : " (the default)."));
            }
            if (multiRegion) {
                throw AwsApiException.client("UnsupportedOperationException",
                        "A KMS key in a custom key store cannot be a multi-Region key; create it with MultiRegion false.");
            }
            store = connectedKeyStore(context.region(), customKeyStoreId);
        }
        String description = Optional.ofNullable(params.optString("Description")).orElse("");
        if (description.length() > 8192) {
            throw AwsApiException.constraint("Description", "...", "Member must have length less than or equal to 8192");
        }
        Map<String, String> tags = tagsOf(params.optArray("Tags"));
        if (tags.size() > MAX_TAGS_PER_KEY) {
            throw tagException("A KMS key can have at most " + MAX_TAGS_PER_KEY + " tags; the request has " + tags.size() + ".");
        }
        boolean bypass = params.optBoolean("BypassPolicyLockoutSafetyCheck", false);
        String policy = params.optString("Policy");
        if (policy != null) {
            checkPolicy(context, policy, bypass);
        }
        Key key = newKey(context.region(), description, multiRegion, policy, bypass, KmsKeyOrigin.valueOf(origin), store);
        key.tags.putAll(tags);
        touched.add(key);
        return keyMetadataResponse(key);
    }

    private Key newKey(String region, String description, boolean multiRegion, String policy, boolean bypass,
            KmsKeyOrigin origin, CustomKeyStore store) {
        Key key = new Key();
        key.region = Objects.requireNonNull(region, "region");
        key.keyId = multiRegion
                ? "mrk-" + HexFormat.of().formatHex(randomBytes(16))
                : UUID.randomUUID().toString();
        key.arn = keyArn(region, key.keyId);
        key.description = description;
        key.creationDate = clock.instant();
        key.state = origin == KmsKeyOrigin.EXTERNAL ? KmsKeyState.PENDING_IMPORT : KmsKeyState.ENABLED;
        key.policy = policy == null ? KeyPolicy.defaultPolicy(accountId) : policy;
        key.multiRegion = multiRegion;
        key.lockoutCheckBypassed = bypass;
        key.origin = origin;
        key.store = store;
        key.material = origin == KmsKeyOrigin.EXTERNAL ? null : randomBytes(32);
        keys.put(key.arn, key);
        return key;
    }

    private JsonNode listKeys(String region, Params params) {
        List<Key> inRegion = new ArrayList<>();
        keys.values().stream().filter(k -> k.region.equals(region)).forEach(inRegion::add);
        ObjectNode response = AwsJson.object();
        ArrayNode out = response.putArray("Keys");
        Page page = Page.of(inRegion.size(), params.limit("Limit", 1, 1000, 100), params.optString("Marker"));
        for (int i = page.from(); i < page.to(); i++) {
            ObjectNode entry = out.addObject();
            entry.put("KeyId", inRegion.get(i).keyId);
            entry.put("KeyArn", inRegion.get(i).arn);
        }
        page.writeTo(response);
        return response;
    }

    private JsonNode getKeyPolicy(String region, Params params) {
        Key key = resolve(region, params.string("KeyId"), false);
        String policyName = Optional.ofNullable(params.optString("PolicyName")).orElse("default");
        if (!policyName.equals("default")) {
            throw notFound("No such policy exists: " + policyName + ". A KMS key has only the policy named default.");
        }
        ObjectNode response = AwsJson.object();
        response.put("Policy", key.policy);
        response.put("PolicyName", "default");
        return response;
    }

    private JsonNode putKeyPolicy(CallContext context, Params params) {
        Key key = resolve(context.region(), params.string("KeyId"), false);
        String policyName = Optional.ofNullable(params.optString("PolicyName")).orElse("default");
        if (!policyName.equals("default")) {
            throw notFound("No such policy exists: " + policyName + ". A KMS key has only the policy named default.");
        }
        String policy = params.string("Policy");
        boolean bypass = params.optBoolean("BypassPolicyLockoutSafetyCheck", false);
        checkPolicy(context, policy, bypass);
        if (!policy.equals(key.policy)) {
            key.previousPolicy = key.policy;
            key.policyChangedAt = clock.instant();
        }
        key.policy = policy;
        key.lockoutCheckBypassed |= bypass;
        return AwsJson.object();
    }

    private void checkPolicy(CallContext context, String policy, boolean bypass) {
        KeyPolicy parsed = KeyPolicy.parse(policy);
        if (bypass) {
            return;
        }
        String caller = context.accessKeyId() == null ? null : callers.get(context.accessKeyId());
        String root = "arn:aws:iam::" + accountId + ":root";
        Set<String> principals = caller == null ? Set.of(root, accountId) : Set.of(root, accountId, caller);
        if (!parsed.allows(principals, "kms:PutKeyPolicy")) {
            throw AwsApiException.client("MalformedPolicyDocumentException",
                    "The new key policy will not allow you to update the key policy in the future.");
        }
    }

    private JsonNode tagResource(String region, Params params) {
        Key key = resolve(region, params.string("KeyId"), false);
        requireNotPendingDeletion(key);
        Map<String, String> tags = tagsOf(params.array("Tags"));
        Map<String, String> merged = new LinkedHashMap<>(key.tags);
        merged.putAll(tags);
        if (merged.size() > MAX_TAGS_PER_KEY) {
            throw tagException("A KMS key can have at most " + MAX_TAGS_PER_KEY + " tags; this request would leave "
                    + merged.size() + " on " + key.arn + ".");
        }
        key.tags.putAll(tags);
        return AwsJson.object();
    }

    private JsonNode untagResource(String region, Params params) {
        Key key = resolve(region, params.string("KeyId"), false);
        requireNotPendingDeletion(key);
        ArrayNode tagKeys = params.array("TagKeys");
        for (JsonNode tagKey : tagKeys) {
            if (!tagKey.isTextual()) {
                throw AwsApiException.serialization("TagKeys must hold strings.");
            }
            if (isReservedTagKey(tagKey.textValue())) {
                throw tagException("Tag keys beginning with aws: are reserved for AWS and cannot be removed.");
            }
        }
        tagKeys.forEach(tagKey -> key.tags.remove(tagKey.textValue()));
        return AwsJson.object();
    }

    private JsonNode listResourceTags(String region, Params params) {
        Key key = resolve(region, params.string("KeyId"), false);
        List<Map.Entry<String, String>> tags = new ArrayList<>(key.tags.entrySet());
        ObjectNode response = AwsJson.object();
        ArrayNode out = response.putArray("Tags");
        Page page = Page.of(tags.size(), params.limit("Limit", 1, 50, 50), params.optString("Marker"));
        for (int i = page.from(); i < page.to(); i++) {
            ObjectNode tag = out.addObject();
            tag.put("TagKey", tags.get(i).getKey());
            tag.put("TagValue", tags.get(i).getValue());
        }
        page.writeTo(response);
        return response;
    }

    private Alias addAlias(String region, String aliasName, String targetKeyId) {
        checkAliasName(aliasName);
        Key target = resolveAliasTarget(region, targetKeyId);
        String arn = aliasArn(region, aliasName);
        if (aliases.containsKey(arn)) {
            throw AwsApiException.client("AlreadyExistsException", "An alias with the name " + arn + " already exists");
        }
        requireNotPendingDeletion(target);
        Alias alias = new Alias();
        alias.region = region;
        alias.name = aliasName;
        alias.arn = arn;
        alias.target = target;
        alias.creationDate = clock.instant();
        alias.lastUpdatedDate = alias.creationDate;
        aliases.put(arn, alias);
        return alias;
    }

    private JsonNode updateAlias(String region, Params params) {
        String aliasName = params.string("AliasName");
        checkAliasName(aliasName);
        Key target = resolveAliasTarget(region, params.string("TargetKeyId"));
        Alias alias = aliases.get(aliasArn(region, aliasName));
        if (alias == null) {
            throw notFound("Alias " + aliasArn(region, aliasName) + " is not found.");
        }
        requireNotPendingDeletion(target);
        alias.target = target;
        alias.lastUpdatedDate = clock.instant();
        return AwsJson.object();
    }

    private JsonNode deleteAlias(String region, Params params) {
        String aliasName = params.string("AliasName");
        checkAliasName(aliasName);
        if (aliases.remove(aliasArn(region, aliasName)) == null) {
            throw notFound("Alias " + aliasArn(region, aliasName) + " is not found.");
        }
        return AwsJson.object();
    }

    private JsonNode listAliases(String region, Params params) {
        String keyId = params.optString("KeyId");
        Key only = keyId == null ? null : resolve(region, keyId, false);
        List<Alias> selected = new ArrayList<>();
        aliases.values().stream()
                .filter(a -> a.region.equals(region))
                .filter(a -> only == null || a.target == only)
                .forEach(selected::add);
        ObjectNode response = AwsJson.object();
        ArrayNode out = response.putArray("Aliases");
        Page page = Page.of(selected.size(), params.limit("Limit", 1, 100, 50), params.optString("Marker"));
        for (int i = page.from(); i < page.to(); i++) {
            Alias alias = selected.get(i);
            ObjectNode entry = out.addObject();
            entry.put("AliasName", alias.name);
            entry.put("AliasArn", alias.arn);
            entry.put("TargetKeyId", alias.target.keyId);
            entry.set("CreationDate", AwsJson.epochSeconds(alias.creationDate));
            entry.set("LastUpdatedDate", AwsJson.epochSeconds(alias.lastUpdatedDate));
        }
        page.writeTo(response);
        return response;
    }

    private JsonNode scheduleKeyDeletion(String region, Params params) {
        Key key = resolve(region, params.string("KeyId"), false);
        Integer days = params.optInt("PendingWindowInDays");
        if (days != null && days < MIN_PENDING_WINDOW_DAYS) {
            throw AwsApiException.constraint("PendingWindowInDays", days,
                    "Member must have value greater than or equal to " + MIN_PENDING_WINDOW_DAYS);
        }
        if (days != null && days > MAX_PENDING_WINDOW_DAYS) {
            throw AwsApiException.constraint("PendingWindowInDays", days,
                    "Member must have value less than or equal to " + MAX_PENDING_WINDOW_DAYS);
        }
        requireNotPendingDeletion(key);
        int window = days == null ? MAX_PENDING_WINDOW_DAYS : days;
        key.state = KmsKeyState.PENDING_DELETION;
        key.pendingWindowDays = window;
        key.deletionDate = clock.instant().plus(Duration.ofDays(window));
        ObjectNode response = AwsJson.object();
        response.put("KeyId", key.arn);
        response.set("DeletionDate", AwsJson.epochSeconds(key.deletionDate));
        response.put("KeyState", key.state.wireName());
        response.put("PendingWindowInDays", window);
        return response;
    }

    private JsonNode cancelKeyDeletion(String region, Params params) {
        Key key = resolve(region, params.string("KeyId"), false);
        if (key.state != KmsKeyState.PENDING_DELETION) {
            throw invalidState(key.arn + " is not pending deletion.");
        }
        // A key for imported key material has none in the sandbox: it goes back to waiting for it.
        key.state = key.origin == KmsKeyOrigin.EXTERNAL ? KmsKeyState.PENDING_IMPORT : KmsKeyState.DISABLED;
        key.deletionDate = null;
        key.pendingWindowDays = null;
        ObjectNode response = AwsJson.object();
        response.put("KeyId", key.arn);
        return response;
    }

    private JsonNode setEnabled(String region, Params params, boolean enabled) {
        Key key = resolve(region, params.string("KeyId"), false);
        requireNotPendingDeletion(key);
        if (key.state == KmsKeyState.PENDING_IMPORT) {
            throw invalidState(key.arn + " is pending import.");
        }
        key.state = enabled ? KmsKeyState.ENABLED : KmsKeyState.DISABLED;
        rotateIfOverdue(key);
        return AwsJson.object();
    }

    // ---------------------------------------------------------------------------------------------
    // Automatic key rotation
    // ---------------------------------------------------------------------------------------------

    private JsonNode enableKeyRotation(String region, Params params) {
        String keyId = params.string("KeyId");
        Integer days = params.optInt("RotationPeriodInDays");
        if (days != null && days < MIN_ROTATION_PERIOD_DAYS) {
            throw AwsApiException.constraint("RotationPeriodInDays", days,
                    "Member must have value greater than or equal to " + MIN_ROTATION_PERIOD_DAYS);
        }
        if (days != null && days > MAX_ROTATION_PERIOD_DAYS) {
            throw AwsApiException.constraint("RotationPeriodInDays", days,
                    "Member must have value less than or equal to " + MAX_ROTATION_PERIOD_DAYS);
        }
        Key key = resolve(region, keyId, false);
        requireRotatable(key);
        requireEnabled(key);
        if (key.rotationPeriodDays == null) {
            key.rotationBase = clock.instant();
        }
        key.rotationPeriodDays = days == null ? DEFAULT_ROTATION_PERIOD_DAYS : days;
        rotateIfOverdue(key); // a shorter period that has already run out since the last rotation
        return AwsJson.object();
    }

    private JsonNode disableKeyRotation(String region, Params params) {
        Key key = resolve(region, params.string("KeyId"), false);
        requireRotatable(key);
        requireEnabled(key);
        key.rotationPeriodDays = null;
        key.rotationBase = null;
        return AwsJson.object();
    }

    private JsonNode getKeyRotationStatus(String region, Params params) {
        Key key = resolve(region, params.string("KeyId"), false);
        requireRotatable(key);
        // While a key is pending deletion KMS reports rotation off; cancelling the deletion restores the setting.
        boolean enabled = key.rotationPeriodDays != null && key.state != KmsKeyState.PENDING_DELETION;
        ObjectNode response = AwsJson.object();
        response.put("KeyRotationEnabled", enabled);
        response.put("KeyId", key.arn);
        if (enabled) {
            response.put("RotationPeriodInDays", key.rotationPeriodDays);
            response.set("NextRotationDate", AwsJson.epochSeconds(nextRotation(key)));
        }
        return response;
    }

    /** How many on-demand rotations KMS allows a key over its life. */
    static final int MAX_ON_DEMAND_ROTATIONS = 10;

    /**
     * RotateKeyOnDemand: new key material at once, the key id unchanged, whatever automatic rotation does. Refused as
     * KMS refuses it: imported or custom-store material ({@code UnsupportedOperationException}), a key pending deletion
     * ({@code KMSInvalidStateException}), a disabled key ({@code DisabledException}), and past
     * {@value #MAX_ON_DEMAND_ROTATIONS} on-demand rotations of the key ({@code LimitExceededException}).
     */
    private JsonNode rotateKeyOnDemand(String region, Params params) {
        Key key = resolve(region, params.string("KeyId"), false);
        requireRotatable(key);
        requireEnabled(key);
        if (key.onDemandRotationDates.size() >= MAX_ON_DEMAND_ROTATIONS) {
            throw AwsApiException.client("LimitExceededException", "The on-demand rotations of " + key.arn
                    + " have reached the limit of " + MAX_ON_DEMAND_ROTATIONS + ".");
        }
        key.onDemandRotationDates.add(clock.instant());
        ObjectNode response = AwsJson.object();
        response.put("KeyId", key.arn);
        return response;
    }

    /** ListKeyRotations: every completed rotation of the key's material, automatic and on demand, oldest first. */
    private JsonNode listKeyRotations(String region, Params params) {
        Key key = resolve(region, params.string("KeyId"), false);
        requireRotatable(key);
        List<Map.Entry<Instant, String>> all = new ArrayList<>();
        key.rotationDates.forEach(d -> all.add(Map.entry(d, "AUTOMATIC")));
        key.onDemandRotationDates.forEach(d -> all.add(Map.entry(d, "ON_DEMAND")));
        all.sort(Map.Entry.comparingByKey());
        ObjectNode response = AwsJson.object();
        com.fasterxml.jackson.databind.node.ArrayNode rotations = response.putArray("Rotations");
        for (Map.Entry<Instant, String> r : all) {
            ObjectNode item = rotations.addObject();
            item.put("KeyId", key.arn);
            item.set("RotationDate", AwsJson.epochSeconds(r.getKey()));
            item.put("RotationType", r.getValue());
        }
        response.put("Truncated", false);
        return response;
    }

    /** Automatic rotation is for keys whose material KMS makes itself: not imported, not in a custom key store. */
    private static void requireRotatable(Key key) {
        if (key.origin != KmsKeyOrigin.AWS_KMS) {
            throw AwsApiException.client("UnsupportedOperationException",
                    key.arn + " origin is " + key.origin + " which is not valid for this operation.");
        }
    }

    private static Instant nextRotation(Key key) {
        return key.rotationBase.plus(Duration.ofDays(key.rotationPeriodDays));
    }

    /**
     * A key that becomes {@code Enabled} again (or gets a shorter period) after its rotation date has
     * passed rotates at once; the period then counts from now.
     */
    private void rotateIfOverdue(Key key) {
        Instant now = clock.instant();
        if (key.rotationPeriodDays != null && effectiveState(key) == KmsKeyState.ENABLED && !nextRotation(key).isAfter(now)) {
            rotate(key, now);
        }
    }

    /** Rotates on every rotation date the clock has passed while the key was {@code Enabled}. */
    private void rotateDue(Instant now) {
        for (Key key : keys.values()) {
            if (key.rotationPeriodDays != null && effectiveState(key) == KmsKeyState.ENABLED) {
                while (!nextRotation(key).isAfter(now)) {
                    rotate(key, nextRotation(key));
                }
            }
        }
    }

    /**
     * Records a rotation. The material itself stays: KMS decrypts with whichever material encrypted, so
     * no caller of the implemented operations can tell old material from new.
     */
    private static void rotate(Key key, Instant at) {
        key.rotationDates.add(at);
        key.rotationBase = at;
    }

    private JsonNode updateKeyDescription(String region, Params params) {
        Key key = resolve(region, params.string("KeyId"), false);
        String description = params.string("Description");
        if (description.length() > 8192) {
            throw AwsApiException.constraint("Description", "...", "Member must have length less than or equal to 8192");
        }
        requireNotPendingDeletion(key);
        key.description = description;
        return AwsJson.object();
    }

    private JsonNode encrypt(String region, Params params) {
        Key key = resolve(region, params.string("KeyId"), true);
        byte[] plaintext = blob(params, "Plaintext");
        if (plaintext.length < 1 || plaintext.length > 4096) {
            throw AwsApiException.constraint("Plaintext", "***", "Member must have length between 1 and 4096");
        }
        requireUsable(key);
        checkAlgorithm(params);
        byte[] aad = encryptionContext(params.optObject("EncryptionContext"));
        byte[] arn = key.arn.getBytes(StandardCharsets.UTF_8);
        byte[] iv = randomBytes(12);
        byte[] sealed = gcm(Cipher.ENCRYPT_MODE, key, iv, aad, plaintext);
        ByteBuffer blob = ByteBuffer.allocate(1 + 2 + arn.length + iv.length + sealed.length);
        blob.put(CIPHERTEXT_VERSION).putShort((short) arn.length).put(arn).put(iv).put(sealed);
        ObjectNode response = AwsJson.object();
        response.put("CiphertextBlob", Base64.getEncoder().encodeToString(blob.array()));
        response.put("KeyId", key.arn);
        response.put("EncryptionAlgorithm", "SYMMETRIC_DEFAULT");
        return response;
    }

    private JsonNode decrypt(String region, Params params) {
        byte[] blob = blob(params, "CiphertextBlob");
        ByteBuffer in = ByteBuffer.wrap(blob);
        Key key;
        byte[] iv = new byte[12];
        byte[] sealed;
        try {
            if (in.get() != CIPHERTEXT_VERSION) {
                throw invalidCiphertext();
            }
            byte[] arn = new byte[in.getShort()];
            in.get(arn).get(iv);
            sealed = new byte[in.remaining()];
            in.get(sealed);
            key = keys.get(new String(arn, StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
            if (e instanceof AwsApiException) {
                throw e;
            }
            throw invalidCiphertext();
        }
        if (key == null || !key.region.equals(region)) {
            throw invalidCiphertext();
        }
        touched.add(key);
        String requested = params.optString("KeyId");
        if (requested != null && resolve(region, requested, true) != key) {
            throw AwsApiException.client("IncorrectKeyException",
                    "The key ID in the request does not identify a KMS key that can perform this operation.");
        }
        requireUsable(key);
        checkAlgorithm(params);
        byte[] plaintext;
        try {
            plaintext = gcm(Cipher.DECRYPT_MODE, key, iv, encryptionContext(params.optObject("EncryptionContext")), sealed);
        } catch (IllegalStateException e) {
            throw invalidCiphertext();
        }
        ObjectNode response = AwsJson.object();
        response.put("KeyId", key.arn);
        response.put("Plaintext", Base64.getEncoder().encodeToString(plaintext));
        response.put("EncryptionAlgorithm", "SYMMETRIC_DEFAULT");
        return response;
    }

    // ---------------------------------------------------------------------------------------------
    // Grants
    // ---------------------------------------------------------------------------------------------

    private JsonNode createGrant(String region, Params params) {
        String keyId = params.string("KeyId");
        String grantee = principalId(params, "GranteePrincipal", true);
        String retiring = principalId(params, "RetiringPrincipal", false);
        List<String> operations = grantOperations(params.array("Operations"));
        String name = params.optString("Name");
        if (name != null) {
            checkLength("Name", name, 1, 256);
            if (!GRANT_NAME.matcher(name).matches()) {
                throw AwsApiException.constraint("Name", name,
                        "Member must satisfy regular expression pattern: " + GRANT_NAME.pattern());
            }
        }
        ObjectNode constraints = params.optObject("Constraints");
        Params constraintMembers = new Params(constraints == null ? AwsJson.object() : constraints);
        Map<String, String> contextEquals = grantConstraint(constraintMembers, "EncryptionContextEquals");
        Map<String, String> contextSubset = grantConstraint(constraintMembers, "EncryptionContextSubset");
        checkGrantTokens(params.optArray("GrantTokens"));
        boolean dryRun = params.optBoolean("DryRun", false);
        if (params.has("GranteeServicePrincipal") || params.has("RetiringServicePrincipal")) {
            throw AwsApiException.client("UnsupportedOperationException", "The sandbox's KMS supports grants to "
                    + "GranteePrincipal and RetiringPrincipal only, not to GranteeServicePrincipal or RetiringServicePrincipal.");
        }
        Key key = resolve(region, keyId, false);
        checkGrantPrincipal(grantee);
        if (retiring != null) {
            checkGrantPrincipal(retiring);
        }
        checkGrantOperations(operations);
        requireEnabled(key);
        if (dryRun) {
            throw dryRun();
        }
        KmsGrantView requested = new KmsGrantView(key.arn, HexFormat.of().formatHex(randomBytes(32)), name, clock.instant(),
                grantee, retiring, "arn:aws:iam::" + accountId + ":root", operations, contextEquals, contextSubset);
        KmsGrantView grant = name == null ? null
                : key.grants.values().stream().filter(g -> sameTerms(g, requested)).findFirst().orElse(null);
        if (grant == null) {
            if (key.grants.size() >= MAX_GRANTS_PER_KEY) {
                throw AwsApiException.client("LimitExceededException", key.arn + " already has " + MAX_GRANTS_PER_KEY
                        + " grants, the most a KMS key can have: retire or revoke the grants no longer needed.");
            }
            grant = requested;
            key.grants.put(grant.grantId(), grant);
        }
        ObjectNode response = AwsJson.object();
        response.put("GrantToken", grantToken(region, grant.grantId()));
        response.put("GrantId", grant.grantId());
        return response;
    }

    private JsonNode listGrants(String region, Params params) {
        String keyId = params.string("KeyId");
        int limit = params.limit("Limit", 1, 100, 50);
        String marker = params.optString("Marker");
        String grantId = grantIdMember(params, false);
        String grantee = principalId(params, "GranteePrincipal", false);
        Key key = resolve(region, keyId, false);
        if (grantId != null) {
            checkGrantIdFormat(grantId);
        }
        List<KmsGrantView> selected = key.grants.values().stream()
                .filter(g -> grantId == null || g.grantId().equals(grantId))
                .filter(g -> grantee == null || g.granteePrincipal().equals(grantee))
                .toList();
        ObjectNode response = AwsJson.object();
        ArrayNode out = response.putArray("Grants");
        Page page = Page.of(selected.size(), limit, marker);
        for (int i = page.from(); i < page.to(); i++) {
            writeGrant(out.addObject(), selected.get(i));
        }
        page.writeTo(response);
        return response;
    }

    private JsonNode retireGrant(String region, Params params) {
        String token = params.optString("GrantToken");
        if (token != null) {
            checkLength("GrantToken", token, 1, 8192);
        }
        String keyId = params.optString("KeyId");
        String grantId = grantIdMember(params, false);
        boolean dryRun = params.optBoolean("DryRun", false);
        Key key;
        KmsGrantView grant;
        if (token != null) {
            GrantRef ref = decodeGrantToken(token);
            key = keyHoldingGrant(region, ref);
            touched.add(key);
            grant = key.grants.get(ref.grantId());
            if ((keyId != null && resolve(region, keyId, false) != key) || (grantId != null && !grantId.equals(ref.grantId()))) {
                throw AwsApiException.validation("The GrantToken names grant " + ref.grantId() + " on " + key.arn
                        + "; a KeyId or GrantId given with it must name the same grant.");
            }
        } else if (keyId != null && grantId != null) {
            key = resolve(region, keyId, false);
            grant = existingGrant(key, grantId);
        } else {
            throw AwsApiException.validation("RetireGrant identifies the grant by its GrantToken, or by both KeyId and GrantId.");
        }
        if (dryRun) {
            throw dryRun();
        }
        key.grants.remove(grant.grantId());
        return AwsJson.object();
    }

    private JsonNode revokeGrant(String region, Params params) {
        String keyId = params.string("KeyId");
        String grantId = grantIdMember(params, true);
        boolean dryRun = params.optBoolean("DryRun", false);
        Key key = resolve(region, keyId, false);
        existingGrant(key, grantId);
        if (dryRun) {
            throw dryRun();
        }
        key.grants.remove(grantId);
        return AwsJson.object();
    }

    /** A principal member: 1-256 characters of {@code [\w+=,.@:/-]} (the model's constraints). */
    private static String principalId(Params params, String field, boolean required) {
        String value = required ? params.string(field) : params.optString(field);
        if (value != null) {
            checkLength(field, value, 1, 256);
            if (!PRINCIPAL_ID.matcher(value).matches()) {
                throw AwsApiException.constraint(field, value, "Member must satisfy regular expression pattern: " + PRINCIPAL_ID.pattern());
            }
        }
        return value;
    }

    /** KMS's own check: a grant names an account root, IAM user or role, assumed-role or federated session by ARN. */
    private static void checkGrantPrincipal(String principal) {
        if (!GRANT_PRINCIPAL_ARN.matcher(principal).matches()) {
            throw AwsApiException.client("InvalidArnException", "ARN does not refer to a valid principal: " + principal);
        }
    }

    /** The Operations member, each a value of the GrantOperation enum; repeats dropped, order kept. */
    private static List<String> grantOperations(ArrayNode array) {
        Set<String> operations = new LinkedHashSet<>();
        List<String> given = new ArrayList<>();
        for (JsonNode operation : array) {
            if (!operation.isTextual()) {
                throw AwsApiException.serialization("Operations must hold strings.");
            }
            given.add(operation.textValue());
            operations.add(operation.textValue());
        }
        if (!GRANT_OPERATIONS.containsAll(operations)) {
            throw AwsApiException.constraint("Operations", given,
                    "Member must satisfy constraint: [Member must satisfy enum value set: " + GRANT_OPERATIONS + "]");
        }
        return List.copyOf(operations);
    }

    /** The operations must make a grant, and suit a symmetric encryption key (the only kind the sandbox has). */
    private static void checkGrantOperations(List<String> operations) {
        if (operations.isEmpty()) {
            throw AwsApiException.validation("A grant must allow at least one operation; Operations is empty.");
        }
        if (operations.equals(List.of("CreateGrant"))) {
            throw AwsApiException.validation("Grants must not contain only the CreateGrant operation.");
        }
        List<String> unsupported = operations.stream().filter(o -> !SYMMETRIC_KEY_GRANT_OPERATIONS.contains(o)).toList();
        if (!unsupported.isEmpty()) {
            throw AwsApiException.validation("Grant operations " + unsupported + " are not valid for a symmetric encryption "
                    + "KMS key (KeySpec SYMMETRIC_DEFAULT, KeyUsage ENCRYPT_DECRYPT).");
        }
    }

    /** One encryption context constraint: string pairs, at most 8, at most 384 characters of keys and values. */
    private static Map<String, String> grantConstraint(Params constraints, String member) {
        ObjectNode context = constraints.optObject(member);
        if (context == null) {
            return null;
        }
        Map<String, String> out = new LinkedHashMap<>();
        int characters = 0;
        Iterator<Map.Entry<String, JsonNode>> pairs = context.fields();
        while (pairs.hasNext()) {
            Map.Entry<String, JsonNode> pair = pairs.next();
            if (!pair.getValue().isTextual()) {
                throw AwsApiException.serialization(member + " must map strings to strings.");
            }
            out.put(pair.getKey(), pair.getValue().textValue());
            characters += pair.getKey().length() + pair.getValue().textValue().length();
        }
        if (out.size() > MAX_GRANT_CONSTRAINT_PAIRS) {
            throw AwsApiException.validation(member + " has " + out.size() + " encryption context pairs; a grant constraint "
                    + "can have at most " + MAX_GRANT_CONSTRAINT_PAIRS + ".");
        }
        if (characters > MAX_GRANT_CONSTRAINT_CHARACTERS) {
            throw AwsApiException.validation(member + " has " + characters + " characters of keys and values; a grant "
                    + "constraint can have at most " + MAX_GRANT_CONSTRAINT_CHARACTERS + ".");
        }
        return out;
    }

    /** GrantTokens: at most 10, each 1-8192 characters and a token this KMS issued. */
    private static void checkGrantTokens(ArrayNode tokens) {
        if (tokens == null) {
            return;
        }
        if (tokens.size() > 10) {
            throw AwsApiException.constraint("GrantTokens", tokens.size() + " tokens", "Member must have length less than or equal to 10");
        }
        for (JsonNode token : tokens) {
            if (!token.isTextual()) {
                throw AwsApiException.serialization("GrantTokens must hold strings.");
            }
            checkLength("GrantTokens", token.textValue(), 1, 8192);
            decodeGrantToken(token.textValue());
        }
    }

    private static String grantIdMember(Params params, boolean required) {
        String grantId = required ? params.string("GrantId") : params.optString("GrantId");
        if (grantId != null) {
            checkLength("GrantId", grantId, 1, 128);
        }
        return grantId;
    }

    private static void checkGrantIdFormat(String grantId) {
        if (!GRANT_ID.matcher(grantId).matches()) {
            throw AwsApiException.client("InvalidGrantIdException", "Invalid grant ID " + grantId + ": a grant ID is 64 hexadecimal digits.");
        }
    }

    private static KmsGrantView existingGrant(Key key, String grantId) {
        checkGrantIdFormat(grantId);
        KmsGrantView grant = key.grants.get(grantId);
        if (grant == null) {
            throw notFound("Grant " + grantId + " does not exist on " + key.arn + ": it was never made, or was retired or revoked.");
        }
        return grant;
    }

    private Key keyHoldingGrant(String region, GrantRef ref) {
        for (Key key : keys.values()) {
            if (key.region.equals(region) && ref.region().equals(region) && key.grants.containsKey(ref.grantId())) {
                return key;
            }
        }
        throw notFound("The grant this grant token names (" + ref.grantId() + ") does not exist in " + region
                + ": it was retired or revoked, or its key was deleted.");
    }

    /** The same grant again, for CreateGrant's idempotency: same name, principals, operations and constraints. */
    private static boolean sameTerms(KmsGrantView a, KmsGrantView b) {
        return Objects.equals(a.name(), b.name())
                && a.granteePrincipal().equals(b.granteePrincipal())
                && Objects.equals(a.retiringPrincipal(), b.retiringPrincipal())
                && Set.copyOf(a.operations()).equals(Set.copyOf(b.operations()))
                && Objects.equals(a.encryptionContextEquals(), b.encryptionContextEquals())
                && Objects.equals(a.encryptionContextSubset(), b.encryptionContextSubset());
    }

    /** A new token for the grant, different on every CreateGrant (as KMS's are); it names the grant's region and id. */
    private String grantToken(String region, String grantId) {
        String text = GRANT_TOKEN_PREFIX + region + ":" + grantId + ":" + HexFormat.of().formatHex(randomBytes(16));
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    private static GrantRef decodeGrantToken(String token) {
        String text;
        try {
            text = new String(Base64.getDecoder().decode(token), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw invalidGrantToken();
        }
        String[] parts = text.startsWith(GRANT_TOKEN_PREFIX) ? text.substring(GRANT_TOKEN_PREFIX.length()).split(":") : new String[0];
        if (parts.length != 3 || !GRANT_ID.matcher(parts[1]).matches()) {
            throw invalidGrantToken();
        }
        return new GrantRef(parts[0], parts[1]);
    }

    private static void writeGrant(ObjectNode entry, KmsGrantView grant) {
        entry.put("KeyId", grant.keyArn());
        entry.put("GrantId", grant.grantId());
        if (grant.name() != null) {
            entry.put("Name", grant.name());
        }
        entry.set("CreationDate", AwsJson.epochSeconds(grant.creationDate()));
        entry.put("GranteePrincipal", grant.granteePrincipal());
        if (grant.retiringPrincipal() != null) {
            entry.put("RetiringPrincipal", grant.retiringPrincipal());
        }
        entry.put("IssuingAccount", grant.issuingAccount());
        ArrayNode operations = entry.putArray("Operations");
        grant.operations().forEach(operations::add);
        if (grant.encryptionContextEquals() != null || grant.encryptionContextSubset() != null) {
            ObjectNode constraints = entry.putObject("Constraints");
            if (grant.encryptionContextSubset() != null) {
                ObjectNode subset = constraints.putObject("EncryptionContextSubset");
                grant.encryptionContextSubset().forEach(subset::put);
            }
            if (grant.encryptionContextEquals() != null) {
                ObjectNode equals = constraints.putObject("EncryptionContextEquals");
                grant.encryptionContextEquals().forEach(equals::put);
            }
        }
    }

    private static void checkLength(String field, String value, int min, int max) {
        if (value.length() < min) {
            throw AwsApiException.constraint(field, value, "Member must have length greater than or equal to " + min);
        }
        if (value.length() > max) {
            throw AwsApiException.constraint(field, value, "Member must have length less than or equal to " + max);
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Rules
    // ---------------------------------------------------------------------------------------------

    /**
     * Resolves a KeyId parameter in the caller's region. Key ids, multi-Region ids and key ARNs always;
     * alias names and alias ARNs only where KMS accepts them ({@code acceptAlias}).
     */
    private Key resolve(String region, String reference, boolean acceptAlias) {
        Key key = resolveReference(region, reference, acceptAlias);
        if (touched != null) {
            touched.add(key);
        }
        return key;
    }

    private Key resolveReference(String region, String reference, boolean acceptAlias) {
        Matcher arn = KMS_ARN.matcher(reference);
        if (arn.matches()) {
            boolean isAlias = arn.group(3).equals("alias");
            if (isAlias && !acceptAlias) {
                throw notFound("Invalid keyId " + reference + ": this operation takes a key ID or key ARN, not an alias.");
            }
            if (!arn.group(1).equals(region) || !arn.group(2).equals(accountId)) {
                throw notFound((isAlias ? "Alias " : "Key '") + reference + (isAlias ? " is not found." : "' does not exist"));
            }
            return isAlias ? aliasTarget(reference) : existingKey(reference);
        }
        if (reference.startsWith("alias/")) {
            if (!acceptAlias) {
                throw notFound("Invalid keyId " + reference + ": this operation takes a key ID or key ARN, not an alias.");
            }
            return aliasTarget(aliasArn(region, reference));
        }
        if (!KEY_ID.matcher(reference).matches()) {
            throw notFound("Invalid keyId " + reference);
        }
        return existingKey(keyArn(region, reference));
    }

    private Key resolveAliasTarget(String region, String targetKeyId) {
        if (targetKeyId.startsWith("alias/") || targetKeyId.contains(":alias/")) {
            throw AwsApiException.validation("TargetKeyId must be a key ID or key ARN, not an alias: " + targetKeyId);
        }
        return resolve(region, targetKeyId, false);
    }

    private Key existingKey(String arn) {
        Key key = keys.get(arn);
        if (key == null) {
            throw notFound("Key '" + arn + "' does not exist");
        }
        return key;
    }

    private Key aliasTarget(String aliasArn) {
        Alias alias = aliases.get(aliasArn);
        if (alias == null) {
            throw notFound("Alias " + aliasArn + " is not found.");
        }
        return alias.target;
    }

    private Key findAnyRegion(String reference) {
        Matcher arn = KMS_ARN.matcher(reference);
        if (arn.matches()) {
            if (arn.group(3).equals("alias")) {
                Alias alias = aliases.get(reference);
                return alias == null ? null : alias.target;
            }
            return keys.get(reference);
        }
        for (Key key : keys.values()) {
            if (key.keyId.equals(reference)) {
                return key;
            }
        }
        for (Alias alias : aliases.values()) {
            if (alias.name.equals(reference)) {
                return alias.target;
            }
        }
        return null;
    }

    private List<String> touchedKeyArns() {
        return touched.stream().map(k -> k.arn).distinct().toList();
    }

    /**
     * The request as CloudTrail records it: the members in lower camel case ({@code keyId},
     * {@code pendingWindowInDays}, {@code tags: [{tagKey, tagValue}]}), encryption contexts verbatim
     * ({@code constraints: {encryptionContextSubset: {...}}}), without {@link #UNRECORDED_MEMBERS}.
     */
    private static ObjectNode requestParameters(ObjectNode body) {
        ObjectNode out = AwsJson.object();
        body.fields().forEachRemaining(member -> {
            if (!UNRECORDED_MEMBERS.contains(member.getKey())) {
                out.set(AwsApiException.lowerCamel(member.getKey()), recorded(member.getKey(), member.getValue()));
            }
        });
        return out;
    }

    /** A member's value as recorded: encryption contexts (also a grant's constraints) verbatim, the rest in lower camel case. */
    private static JsonNode recorded(String member, JsonNode value) {
        return VERBATIM_MEMBERS.contains(member) ? value.deepCopy() : lowerCamelMembers(value);
    }

    private static JsonNode lowerCamelMembers(JsonNode node) {
        if (node.isObject()) {
            ObjectNode out = AwsJson.object();
            node.fields().forEachRemaining(f -> out.set(AwsApiException.lowerCamel(f.getKey()), recorded(f.getKey(), f.getValue())));
            return out;
        }
        if (node.isArray()) {
            ArrayNode out = AwsJson.MAPPER.createArrayNode();
            node.forEach(element -> out.add(lowerCamelMembers(element)));
            return out;
        }
        return node.deepCopy();
    }

    private static void checkAliasName(String aliasName) {
        if (aliasName.length() > 256) {
            throw AwsApiException.constraint("AliasName", aliasName, "Member must have length less than or equal to 256");
        }
        if (!aliasName.startsWith("alias/")) {
            throw AwsApiException.validation("Alias must start with the prefix \"alias/\".");
        }
        if (aliasName.startsWith("alias/aws/")) {
            throw AwsApiException.client("NotAuthorizedException",
                    "The alias/aws/ prefix is reserved for AWS managed keys: " + aliasName);
        }
        if (!ALIAS_CHARACTERS.matcher(aliasName).matches()) {
            throw AwsApiException.validation("Alias " + aliasName
                    + " must be alias/ followed by letters, digits, slashes (/), underscores (_) and dashes (-).");
        }
    }

    private static Map<String, String> tagsOf(ArrayNode tags) {
        Map<String, String> out = new LinkedHashMap<>();
        if (tags == null) {
            return out;
        }
        for (JsonNode tag : tags) {
            if (!tag.isObject()) {
                throw AwsApiException.serialization("Tags must hold {TagKey, TagValue} structures.");
            }
            Params p = new Params((ObjectNode) tag);
            String key = p.string("TagKey");
            String value = p.string("TagValue");
            checkTag(key, value);
            out.put(key, value);
        }
        return out;
    }

    private static void checkTag(String key, String value) {
        if (key == null || key.isEmpty()) {
            throw AwsApiException.constraint("TagKey", key, "Member must have length greater than or equal to 1");
        }
        if (key.length() > 128) {
            throw AwsApiException.constraint("TagKey", key, "Member must have length less than or equal to 128");
        }
        if (value == null) {
            throw AwsApiException.constraint("TagValue", null, "Member must not be null");
        }
        if (value.length() > 256) {
            throw AwsApiException.constraint("TagValue", value, "Member must have length less than or equal to 256");
        }
        if (isReservedTagKey(key)) {
            throw tagException("Tag keys beginning with aws: are reserved for AWS: " + key);
        }
    }

    private static boolean isReservedTagKey(String key) {
        return key.regionMatches(true, 0, "aws:", 0, 4);
    }

    private static void requireNotPendingDeletion(Key key) {
        if (key.state == KmsKeyState.PENDING_DELETION) {
            throw invalidState(key.arn + " is pending deletion.");
        }
    }

    /** For a cryptographic operation the key must be {@code Enabled}, and not {@code Unavailable}. */
    private static void requireUsable(Key key) {
        requireEnabled(key, effectiveState(key));
    }

    /**
     * The key must be {@code Enabled}; else the error the KMS key-state table names for its state. Only
     * cryptographic operations see {@code Unavailable} ({@link #requireUsable}); CreateGrant, for one, works
     * on a key in a disconnected key store.
     */
    private static void requireEnabled(Key key) {
        requireEnabled(key, key.state);
    }

    private static void requireEnabled(Key key, KmsKeyState state) {
        switch (state) {
            case PENDING_DELETION:
                throw invalidState(key.arn + " is pending deletion.");
            case PENDING_IMPORT:
                throw invalidState(key.arn + " is pending import.");
            case UNAVAILABLE:
                throw invalidState(key.arn + " is unavailable.");
            case DISABLED:
                throw AwsApiException.client("DisabledException", key.arn + " is disabled.");
            default:
                return;
        }
    }

    private static void checkAlgorithm(Params params) {
        String algorithm = params.optString("EncryptionAlgorithm");
        if (algorithm != null && !algorithm.equals("SYMMETRIC_DEFAULT")) {
            throw AwsApiException.client("InvalidKeyUsageException",
                    "A symmetric encryption key supports only the SYMMETRIC_DEFAULT algorithm; got " + algorithm + ".");
        }
    }

    private static byte[] blob(Params params, String field) {
        try {
            return Base64.getDecoder().decode(params.string(field));
        } catch (IllegalArgumentException e) {
            throw AwsApiException.serialization(field + " is not valid base64.");
        }
    }

    private static byte[] encryptionContext(ObjectNode context) {
        if (context == null) {
            return new byte[0];
        }
        Map<String, String> sorted = new TreeMap<>();
        Iterator<Map.Entry<String, JsonNode>> fields = context.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            sorted.put(field.getKey(), field.getValue().asText());
        }
        ObjectNode canonical = AwsJson.object();
        sorted.forEach(canonical::put);
        return AwsJson.write(canonical).getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] gcm(int mode, Key key, byte[] iv, byte[] aad, byte[] input) {
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(mode, new SecretKeySpec(key.material, "AES"), new GCMParameterSpec(128, iv));
            cipher.updateAAD(aad);
            return cipher.doFinal(input);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM failed: " + e.getMessage(), e);
        }
    }

    /**
     * Brings the keys up to the sandbox clock, first thing in every call: rotates the material of enabled
     * keys whose rotation dates it has passed, and deletes keys whose deletion date it has reached, with
     * their aliases. Keys change state only in calls, so a key's state has held since the last call.
     */
    private void catchUpWithClock() {
        Instant now = clock.instant();
        rotateDue(now);
        Iterator<Key> it = keys.values().iterator();
        while (it.hasNext()) {
            Key key = it.next();
            if (key.state == KmsKeyState.PENDING_DELETION && !key.deletionDate.isAfter(now)) {
                deletedKeys.add(view(key));
                aliases.values().removeIf(a -> a.target == key);
                it.remove();
            }
        }
    }

    private byte[] randomBytes(int n) {
        byte[] bytes = new byte[n];
        random.nextBytes(bytes);
        return bytes;
    }

    private String keyArn(String region, String keyId) {
        return "arn:aws:kms:" + region + ":" + accountId + ":key/" + keyId;
    }

    private String aliasArn(String region, String aliasName) {
        return "arn:aws:kms:" + region + ":" + accountId + ":" + aliasName;
    }

    private JsonNode keyMetadataResponse(Key key) {
        ObjectNode response = AwsJson.object();
        ObjectNode m = response.putObject("KeyMetadata");
        m.put("AWSAccountId", accountId);
        m.put("KeyId", key.keyId);
        m.put("Arn", key.arn);
        m.set("CreationDate", AwsJson.epochSeconds(key.creationDate));
        KmsKeyState state = effectiveState(key);
        m.put("Enabled", state == KmsKeyState.ENABLED);
        m.put("Description", key.description);
        m.put("KeyUsage", "ENCRYPT_DECRYPT");
        m.put("KeyState", state.wireName());
        if (key.deletionDate != null) {
            m.set("DeletionDate", AwsJson.epochSeconds(key.deletionDate));
            m.put("PendingDeletionWindowInDays", key.pendingWindowDays);
        }
        m.put("Origin", key.origin.name());
        if (key.store != null) {
            m.put("CustomKeyStoreId", key.store.id);
            m.put("CloudHsmClusterId", key.store.cloudHsmClusterId);
        }
        m.put("KeyManager", "CUSTOMER");
        m.put("CustomerMasterKeySpec", "SYMMETRIC_DEFAULT");
        m.put("KeySpec", "SYMMETRIC_DEFAULT");
        m.putArray("EncryptionAlgorithms").add("SYMMETRIC_DEFAULT");
        m.put("MultiRegion", key.multiRegion);
        if (key.multiRegion) {
            ObjectNode mrc = m.putObject("MultiRegionConfiguration");
            mrc.put("MultiRegionKeyType", "PRIMARY");
            mrc.putObject("PrimaryKey").put("Arn", key.arn).put("Region", key.region);
            mrc.putArray("ReplicaKeys");
        }
        return response;
    }

    private KmsKeyView view(Key key) {
        List<String> names = new ArrayList<>();
        aliases.values().stream().filter(a -> a.target == key).forEach(a -> names.add(a.name));
        names.sort(null);
        return new KmsKeyView(key.keyId, key.arn, key.region, effectiveState(key), key.description, key.creationDate,
                key.deletionDate, key.tags, key.policy, names, key.multiRegion, key.lockoutCheckBypassed, key.origin,
                key.store == null ? null : key.store.id);
    }

    private static KmsCustomKeyStoreView view(CustomKeyStore store) {
        return new KmsCustomKeyStoreView(store.id, store.name, store.region, store.cloudHsmClusterId, store.connected,
                store.creationDate);
    }

    /**
     * The key state KMS reports: {@code Unavailable} for a key whose custom key store is disconnected,
     * unless it is pending deletion (which it stays, so that its deletion can be cancelled); else its own.
     */
    private static KmsKeyState effectiveState(Key key) {
        if (key.store != null && !key.store.connected && key.state != KmsKeyState.PENDING_DELETION) {
            return KmsKeyState.UNAVAILABLE;
        }
        return key.state;
    }

    /** A CloudHSM key store of the region that can take a new key: it exists there and is connected. */
    private CustomKeyStore connectedKeyStore(String region, String customKeyStoreId) {
        CustomKeyStore store = customKeyStores.get(customKeyStoreId);
        if (store == null || !store.region.equals(region)) {
            throw AwsApiException.client("CustomKeyStoreNotFoundException",
                    "Custom key store " + customKeyStoreId + " does not exist in " + region + ".");
        }
        if (!store.connected) {
            throw AwsApiException.client("CustomKeyStoreInvalidStateException", "Custom key store " + customKeyStoreId
                    + " is DISCONNECTED; it must be CONNECTED to its CloudHSM cluster to create a KMS key in it.");
        }
        return store;
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private static KmsAliasView view(Alias alias) {
        return new KmsAliasView(alias.name, alias.arn, alias.region, alias.target.keyId, alias.creationDate,
                alias.lastUpdatedDate);
    }

    private static AwsApiException notFound(String message) {
        return AwsApiException.client("NotFoundException", message);
    }

    private static AwsApiException invalidState(String message) {
        return AwsApiException.client("KMSInvalidStateException", message);
    }

    private static AwsApiException tagException(String message) {
        return AwsApiException.client("TagException", message);
    }

    private static AwsApiException invalidGrantToken() {
        return AwsApiException.client("InvalidGrantTokenException", "The request was rejected because the specified grant token is not valid.");
    }

    /** What KMS answers (HTTP 412) when a request that would have succeeded asked {@code DryRun: true}. */
    private static AwsApiException dryRun() {
        return new AwsApiException("DryRunOperationException", 412, "The request was rejected because the DryRun parameter was specified.");
    }

    private static AwsApiException invalidCiphertext() {
        return AwsApiException.client("InvalidCiphertextException", "The ciphertext is not valid for any key of this region.");
    }

}
