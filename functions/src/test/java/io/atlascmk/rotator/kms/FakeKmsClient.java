package io.atlascmk.rotator.kms;

import com.fasterxml.jackson.databind.JsonNode;
import io.atlascmk.rotator.json.Json;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.KmsServiceClientConfiguration;
import software.amazon.awssdk.services.kms.model.AliasListEntry;
import software.amazon.awssdk.services.kms.model.AlreadyExistsException;
import software.amazon.awssdk.services.kms.model.CancelKeyDeletionRequest;
import software.amazon.awssdk.services.kms.model.CancelKeyDeletionResponse;
import software.amazon.awssdk.services.kms.model.CreateAliasRequest;
import software.amazon.awssdk.services.kms.model.CreateAliasResponse;
import software.amazon.awssdk.services.kms.model.CreateKeyRequest;
import software.amazon.awssdk.services.kms.model.CreateKeyResponse;
import software.amazon.awssdk.services.kms.model.DeleteAliasRequest;
import software.amazon.awssdk.services.kms.model.DeleteAliasResponse;
import software.amazon.awssdk.services.kms.model.DependencyTimeoutException;
import software.amazon.awssdk.services.kms.model.DescribeKeyRequest;
import software.amazon.awssdk.services.kms.model.DescribeKeyResponse;
import software.amazon.awssdk.services.kms.model.DisableKeyRequest;
import software.amazon.awssdk.services.kms.model.DisableKeyResponse;
import software.amazon.awssdk.services.kms.model.EnableKeyRequest;
import software.amazon.awssdk.services.kms.model.EnableKeyResponse;
import software.amazon.awssdk.services.kms.model.EncryptionAlgorithmSpec;
import software.amazon.awssdk.services.kms.model.GetKeyPolicyRequest;
import software.amazon.awssdk.services.kms.model.GetKeyPolicyResponse;
import software.amazon.awssdk.services.kms.model.InvalidAliasNameException;
import software.amazon.awssdk.services.kms.model.InvalidArnException;
import software.amazon.awssdk.services.kms.model.InvalidMarkerException;
import software.amazon.awssdk.services.kms.model.KeyListEntry;
import software.amazon.awssdk.services.kms.model.KeyManagerType;
import software.amazon.awssdk.services.kms.model.KeyMetadata;
import software.amazon.awssdk.services.kms.model.KeySpec;
import software.amazon.awssdk.services.kms.model.KeyUsageType;
import software.amazon.awssdk.services.kms.model.KmsException;
import software.amazon.awssdk.services.kms.model.KmsInternalException;
import software.amazon.awssdk.services.kms.model.KmsInvalidStateException;
import software.amazon.awssdk.services.kms.model.KmsRequest;
import software.amazon.awssdk.services.kms.model.LimitExceededException;
import software.amazon.awssdk.services.kms.model.ListAliasesRequest;
import software.amazon.awssdk.services.kms.model.ListAliasesResponse;
import software.amazon.awssdk.services.kms.model.ListKeysRequest;
import software.amazon.awssdk.services.kms.model.ListKeysResponse;
import software.amazon.awssdk.services.kms.model.ListResourceTagsRequest;
import software.amazon.awssdk.services.kms.model.ListResourceTagsResponse;
import software.amazon.awssdk.services.kms.model.MalformedPolicyDocumentException;
import software.amazon.awssdk.services.kms.model.MultiRegionConfiguration;
import software.amazon.awssdk.services.kms.model.MultiRegionKey;
import software.amazon.awssdk.services.kms.model.MultiRegionKeyType;
import software.amazon.awssdk.services.kms.model.NotFoundException;
import software.amazon.awssdk.services.kms.model.OriginType;
import software.amazon.awssdk.services.kms.model.PutKeyPolicyRequest;
import software.amazon.awssdk.services.kms.model.PutKeyPolicyResponse;
import software.amazon.awssdk.services.kms.model.ScheduleKeyDeletionRequest;
import software.amazon.awssdk.services.kms.model.ScheduleKeyDeletionResponse;
import software.amazon.awssdk.services.kms.model.Tag;
import software.amazon.awssdk.services.kms.model.TagException;
import software.amazon.awssdk.services.kms.model.TagResourceRequest;
import software.amazon.awssdk.services.kms.model.TagResourceResponse;
import software.amazon.awssdk.services.kms.model.UntagResourceRequest;
import software.amazon.awssdk.services.kms.model.UntagResourceResponse;
import software.amazon.awssdk.services.kms.model.UpdateAliasRequest;
import software.amazon.awssdk.services.kms.model.UpdateAliasResponse;

/**
 * An in-memory AWS KMS for unit tests: a real {@link KmsClient} (the SDK interface's other methods
 * throw {@code UnsupportedOperationException}) that keeps keys, tags, policies and aliases of one
 * account ({@value #ACCOUNT_ID}) and region, and enforces the KMS rules the rotator relies on:
 *
 * <ul>
 *   <li>key states {@code Enabled}, {@code Disabled}, {@code PendingDeletion}; TagResource,
 *       UntagResource, CreateAlias, UpdateAlias (target), EnableKey, DisableKey and
 *       ScheduleKeyDeletion on a key pending deletion fail with {@code KMSInvalidStateException};
 *       CancelKeyDeletion on a key not pending deletion fails the same way, and leaves the key
 *       {@code Disabled}; DescribeKey, ListResourceTags, GetKeyPolicy and PutKeyPolicy work in any
 *       state;</li>
 *   <li>{@code NotFoundException} for unknown keys, aliases, and ARNs of another region or
 *       account;</li>
 *   <li>pending window 7-30 days ({@code ValidationException} otherwise), deletion date = now +
 *       window;</li>
 *   <li>aliases: {@code alias/} + {@code [a-zA-Z0-9/_-]}, at most 256 characters, {@code alias/aws/}
 *       reserved, CreateAlias fails with {@code AlreadyExistsException} when the alias exists,
 *       UpdateAlias with {@code NotFoundException} when it does not;</li>
 *   <li>tags: keys 1-128 and values 0-256 characters of the AWS tag alphabet, no {@code aws:}
 *       prefix, at most 50 per key ({@code TagException});</li>
 *   <li>key policies stored and returned verbatim; without one, CreateKey installs the default
 *       policy granting the account root {@code kms:*}; unless {@code BypassPolicyLockoutSafetyCheck}
 *       is true, a policy that grants neither the account root nor the caller
 *       ({@link #callerArn(String)}) {@code kms:PutKeyPolicy} is refused with
 *       {@code MalformedPolicyDocumentException} (a simplified lockout check: conditions and Deny
 *       statements are not evaluated);</li>
 *   <li>paging with opaque markers for ListKeys (Limit 1-1000, default 100), ListResourceTags
 *       (1-50, default 50) and ListAliases (1-100, default 50); {@link #capPageSize(int)} makes
 *       pages shorter than asked, as KMS is allowed to.</li>
 * </ul>
 *
 * <p><b>Seeding</b> ({@link #seed()}, {@link #seedKey()}, {@link #seedAlias}) adds keys and aliases
 * that existed before the test, without counting as calls. <b>Fault injection</b>:
 * {@link #crashAfterWrite(String, int)} and {@link #crashAfterAnyWrite(int)} throw a
 * {@link SimulatedCrashException} right after a write took effect; {@link #failNext} makes calls
 * fail before they take effect (see {@link #throttling()}, {@link #internalFailure()},
 * {@link #accessDenied(String)}, ...); {@link #beforeNext(String, Runnable)} changes the world
 * between a caller's read and its write. <b>Inspection</b>: {@link #calls()},
 * {@link #writes(String)}, {@link #totalWrites()}, {@link #requests(Class)}, {@link #key(String)},
 * {@link #keys()}, {@link #aliasTarget(String)}.
 *
 * <p>Key ids are random-looking but deterministic (seeded), so failures reproduce.
 */
public class FakeKmsClient implements KmsClient {

    public static final String ACCOUNT_ID = "111122223333";
    public static final String DEFAULT_REGION = "us-east-1";
    /** The deployment the functions' tests run as: the keys they create and find carry it. */
    public static final String DEPLOYMENT = "RotatorTest";
    public static final String ACCOUNT_ROOT_ARN = "arn:aws:iam::" + ACCOUNT_ID + ":root";
    /** The principal the fake pretends calls it (used by the lockout check). */
    public static final String DEFAULT_CALLER_ARN = "arn:aws:iam::" + ACCOUNT_ID + ":role/atlas-cmk-rotator";

    /** Operations that change state; only these count as writes and can crash after writing. */
    public static final Set<String> MUTATING_OPERATIONS = Set.of(
            "CreateKey", "PutKeyPolicy", "TagResource", "UntagResource", "CreateAlias", "UpdateAlias",
            "DeleteAlias", "ScheduleKeyDeletion", "CancelKeyDeletion", "EnableKey", "DisableKey");
    /** Every operation the fake implements. */
    public static final Set<String> OPERATIONS = Set.of(
            "CreateKey", "DescribeKey", "GetKeyPolicy", "PutKeyPolicy", "TagResource", "UntagResource",
            "ListResourceTags", "ListKeys", "ListAliases", "CreateAlias", "UpdateAlias", "DeleteAlias",
            "ScheduleKeyDeletion", "CancelKeyDeletion", "EnableKey", "DisableKey");
    /** Matches any operation in {@link #failNext} and {@link #beforeNext}. */
    public static final String ANY_OPERATION = "*";

    private static final String ENABLED = "Enabled";
    private static final String DISABLED = "Disabled";
    private static final String PENDING_DELETION = "PendingDeletion";
    private static final Pattern TAG_TEXT = Pattern.compile("[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*");
    private static final Pattern ALIAS_NAME = Pattern.compile("alias/[a-zA-Z0-9/_-]+");

    private final String region;
    private final Clock clock;
    private final Random ids = new Random(0x5eedL);
    private final Map<String, Key> keys = new LinkedHashMap<>();
    private final Map<String, Alias> aliases = new LinkedHashMap<>();
    private final List<String> calls = new ArrayList<>();
    private final List<KmsRequest> requests = new ArrayList<>();
    private final Map<String, Integer> writes = new LinkedHashMap<>();
    private final List<BeforeFault> beforeFaults = new ArrayList<>();
    private final List<CrashFault> crashFaults = new ArrayList<>();
    private String callerArn = DEFAULT_CALLER_ARN;
    private int pageSizeCap = Integer.MAX_VALUE;

    /** A fake in {@value #DEFAULT_REGION} on the system clock. */
    public FakeKmsClient() {
        this(DEFAULT_REGION, Clock.systemUTC());
    }

    /** A fake in {@value #DEFAULT_REGION} whose creation and deletion dates come from {@code clock}. */
    public FakeKmsClient(Clock clock) {
        this(DEFAULT_REGION, clock);
    }

    public FakeKmsClient(String region, Clock clock) {
        this.region = Objects.requireNonNull(region, "region");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    // =================================================================== views

    /** A read-only snapshot of a key in the fake. */
    public record FakeKey(
            String keyId,
            String arn,
            String keyState,
            boolean multiRegion,
            boolean awsManaged,
            String description,
            Instant createdAt,
            Instant deletionDate,
            Integer pendingWindowInDays,
            String policy,
            Map<String, String> tags) {

        public FakeKey {
            tags = Map.copyOf(tags);
        }

        public String tag(String name) {
            return tags.get(name);
        }

        /** The ledger state tag, or null. */
        public KeyState ledgerState() {
            return KeyState.fromTagValue(tags.get(KeyTags.STATE)).orElse(null);
        }

        public boolean enabled() {
            return ENABLED.equals(keyState);
        }

        public boolean pendingDeletion() {
            return PENDING_DELETION.equals(keyState);
        }
    }

    // =================================================================== seeding

    /** Describes a key to seed; finish with {@link #create()}. */
    public final class Seed {
        private final Map<String, String> tags = new LinkedHashMap<>();
        private final List<String> aliasNames = new ArrayList<>();
        private String state = ENABLED;
        private Instant deletionDate;
        private Integer pendingWindowInDays;
        private boolean multiRegion;
        private boolean awsManaged;
        private boolean unreadable;
        private String policy;
        private String description = "";
        private Instant createdAt;

        private Seed() {
        }

        public Seed tag(String key, String value) {
            tags.put(key, value);
            return this;
        }

        public Seed tags(Map<String, String> more) {
            tags.putAll(more);
            return this;
        }

        /** Tags the key as this system would: project, deployment, rotation (when not null) and ledger state. */
        public Seed ledger(String projectId, String rotationId, KeyState ledgerState) {
            tags.put(KeyTags.PROJECT, projectId);
            tags.put(KeyTags.DEPLOYMENT, DEPLOYMENT);
            if (rotationId != null) {
                tags.put(KeyTags.ROTATION, rotationId);
            }
            tags.put(KeyTags.STATE, ledgerState.tagValue());
            return this;
        }

        public Seed disabled() {
            state = DISABLED;
            return this;
        }

        /** Pending deletion with the given window, counted from now. */
        public Seed pendingDeletion(int windowDays) {
            state = PENDING_DELETION;
            pendingWindowInDays = windowDays;
            deletionDate = clock.instant().plus(Duration.ofDays(windowDays));
            return this;
        }

        public Seed multiRegion() {
            multiRegion = true;
            return this;
        }

        /** An AWS managed key ({@code KeyManager=AWS}) with the alias {@code alias/aws/<service>}. */
        public Seed awsManaged(String service) {
            awsManaged = true;
            aliasNames.add("alias/aws/" + service);
            return this;
        }

        /**
         * A key whose policy does not let the caller in (someone else's key): every call naming it
         * fails with {@code AccessDeniedException}; it still shows up in ListKeys.
         */
        public Seed unreadable() {
            unreadable = true;
            return this;
        }

        public Seed policy(String policyJson) {
            policy = policyJson;
            return this;
        }

        public Seed description(String text) {
            description = text;
            return this;
        }

        public Seed createdAt(Instant instant) {
            createdAt = instant;
            return this;
        }

        /** Also points this alias at the key (any name, including {@code alias/aws/...}). */
        public Seed alias(String aliasName) {
            aliasNames.add(aliasName);
            return this;
        }

        /** Adds the key; returns its ARN. Not recorded as a call or a write. */
        public String create() {
            synchronized (FakeKmsClient.this) {
                Key key = newKey(multiRegion, description, createdAt == null ? clock.instant() : createdAt);
                key.state = state;
                key.deletionDate = deletionDate;
                key.pendingWindowInDays = pendingWindowInDays;
                key.awsManaged = awsManaged;
                key.unreadable = unreadable;
                key.policy = policy == null ? defaultPolicy() : policy;
                key.tags.putAll(tags);
                for (String name : aliasNames) {
                    aliases.put(name, new Alias(key.keyId, clock.instant()));
                }
                return key.arn;
            }
        }
    }

    /** Starts describing a pre-existing key. */
    public Seed seed() {
        return new Seed();
    }

    /** An enabled, untagged customer managed key, like the one Atlas uses before the first rotation. */
    public String seedKey() {
        return seed().create();
    }

    /** An enabled customer managed key with these tags. */
    public String seedKey(Map<String, String> tags) {
        return seed().tags(tags).create();
    }

    /** Points an alias at a key without recording a call. */
    public synchronized void seedAlias(String aliasName, String keyRef) {
        Key key = seededKey(keyRef);
        aliases.put(aliasName, new Alias(key.keyId, clock.instant()));
    }

    // =================================================================== fault injection

    /**
     * After the {@code nth} successful write of {@code operation} from now on, throw a
     * {@link SimulatedCrashException} instead of returning; the write has taken effect. One-shot.
     */
    public synchronized FakeKmsClient crashAfterWrite(String operation, int nth) {
        requireMutating(operation);
        requirePositive(nth);
        crashFaults.add(new CrashFault(operation, nth));
        return this;
    }

    /** Like {@link #crashAfterWrite} for whichever mutating operation is the {@code nth} write from now on. */
    public synchronized FakeKmsClient crashAfterAnyWrite(int nth) {
        requirePositive(nth);
        crashFaults.add(new CrashFault(ANY_OPERATION, nth));
        return this;
    }

    /**
     * The next {@code times} calls of {@code operation} ({@link #ANY_OPERATION} for any) throw the
     * supplied exception before doing anything. Use {@link #throttling()} and the other factories
     * for realistic KMS errors.
     */
    public synchronized FakeKmsClient failNext(String operation, int times, Supplier<? extends RuntimeException> error) {
        requireOperation(operation);
        requirePositive(times);
        Objects.requireNonNull(error, "error");
        beforeFaults.add(new BeforeFault(operation, times, error, null));
        return this;
    }

    /** The next call of {@code operation} throws {@code error} before doing anything. */
    public FakeKmsClient failNext(String operation, RuntimeException error) {
        Objects.requireNonNull(error, "error");
        return failNext(operation, 1, () -> error);
    }

    /**
     * Runs {@code action} just before the next call of {@code operation} is served, e.g. to let
     * another writer create an alias between a caller's ListAliases and its CreateAlias. The action
     * may use the seeding methods.
     */
    public synchronized FakeKmsClient beforeNext(String operation, Runnable action) {
        requireOperation(operation);
        beforeFaults.add(new BeforeFault(operation, 1, null, Objects.requireNonNull(action, "action")));
        return this;
    }

    /** Removes every armed fault. */
    public synchronized void clearFaults() {
        beforeFaults.clear();
        crashFaults.clear();
    }

    /** KMS returns at most {@code n} items a page, whatever Limit the caller asked for. */
    public synchronized FakeKmsClient capPageSize(int n) {
        requirePositive(n);
        pageSizeCap = n;
        return this;
    }

    /** The principal whose ability to change the policy the lockout check protects. */
    public synchronized FakeKmsClient callerArn(String arn) {
        callerArn = Objects.requireNonNull(arn, "arn");
        return this;
    }

    /** KMS request throttling ({@code ThrottlingException}), as surfaced after the SDK's retries. */
    public static KmsException throttling() {
        return error(KmsException.builder(), "ThrottlingException", 400, "Rate exceeded");
    }

    /** A KMS-side failure ({@code KMSInternalException}, HTTP 500). */
    public static KmsException internalFailure() {
        return error(KmsInternalException.builder(), "KMSInternalException", 500,
                "The request was rejected because an internal exception occurred.");
    }

    /** {@code DependencyTimeoutException}, HTTP 503. */
    public static KmsException dependencyTimeout() {
        return error(DependencyTimeoutException.builder(), "DependencyTimeoutException", 503,
                "The system timed out while trying to fulfill the request.");
    }

    /** {@code AccessDeniedException} for {@code kms:<operation>}. */
    public static KmsException accessDenied(String operation) {
        return error(KmsException.builder(), "AccessDeniedException", 400, "User: " + DEFAULT_CALLER_ARN
                + " is not authorized to perform: kms:" + operation + " because no identity-based policy allows"
                + " the kms:" + operation + " action");
    }

    /** {@code LimitExceededException} (a resource quota is used up). */
    public static KmsException limitExceeded() {
        return error(LimitExceededException.builder(), "LimitExceededException", 400,
                "The request was rejected because a quota was exceeded.");
    }

    /** The SDK could not reach KMS at all. */
    public static SdkClientException networkFailure() {
        return SdkClientException.create("Unable to execute HTTP request: Connection reset");
    }

    // =================================================================== inspection

    /** Every call received, in order, by operation name (failed calls included). */
    public synchronized List<String> calls() {
        return List.copyOf(calls);
    }

    /** How many calls of {@code operation} were received. */
    public synchronized int callCount(String operation) {
        return (int) calls.stream().filter(operation::equals).count();
    }

    /** Successful writes of {@code operation}. */
    public synchronized int writes(String operation) {
        return writes.getOrDefault(operation, 0);
    }

    /** Successful writes of every operation. */
    public synchronized int totalWrites() {
        return writes.values().stream().mapToInt(Integer::intValue).sum();
    }

    /** Successful writes by operation, in the order operations first wrote. */
    public synchronized Map<String, Integer> writeCounts() {
        return Map.copyOf(writes);
    }

    /** Every request of this type received, in order. */
    public synchronized <T extends KmsRequest> List<T> requests(Class<T> type) {
        return requests.stream().filter(type::isInstance).map(type::cast).collect(Collectors.toList());
    }

    /** Forgets calls, requests and write counts (not keys, aliases or faults). */
    public synchronized void resetRecording() {
        calls.clear();
        requests.clear();
        writes.clear();
    }

    /** The key named by a key id, ARN, mrk- id or alias. */
    public synchronized FakeKey key(String ref) {
        return seededKey(ref).view();
    }

    /** Every key, in creation order (AWS managed ones included). */
    public synchronized List<FakeKey> keys() {
        return keys.values().stream().map(Key::view).collect(Collectors.toList());
    }

    /** The key id the alias points at. */
    public synchronized Optional<String> aliasTarget(String aliasName) {
        return Optional.ofNullable(aliases.get(aliasName)).map(a -> a.targetKeyId);
    }

    /** Alias name to target key id. */
    public synchronized Map<String, String> aliases() {
        Map<String, String> out = new LinkedHashMap<>();
        aliases.forEach((name, alias) -> out.put(name, alias.targetKeyId));
        return out;
    }

    /**
     * Deletes, as KMS does when the window ends, every key pending deletion whose deletion date is
     * not after the clock's now, with its aliases. Returns how many keys were deleted.
     */
    public synchronized int purgeKeysPastDeletionDate() {
        Instant now = clock.instant();
        List<String> gone = keys.values().stream()
                .filter(k -> PENDING_DELETION.equals(k.state) && !k.deletionDate.isAfter(now))
                .map(k -> k.keyId)
                .collect(Collectors.toList());
        gone.forEach(keys::remove);
        aliases.values().removeIf(a -> gone.contains(a.targetKeyId));
        return gone.size();
    }

    // =================================================================== KmsClient

    @Override
    public String serviceName() {
        return SERVICE_NAME;
    }

    @Override
    public KmsServiceClientConfiguration serviceClientConfiguration() {
        return KmsServiceClientConfiguration.builder().region(Region.of(region)).build();
    }

    @Override
    public void close() {
    }

    @Override
    public synchronized CreateKeyResponse createKey(CreateKeyRequest request) {
        begin("CreateKey", request);
        if (request.keySpec() != null && request.keySpec() != KeySpec.SYMMETRIC_DEFAULT
                || request.keyUsage() != null && request.keyUsage() != KeyUsageType.ENCRYPT_DECRYPT
                || request.origin() != null && request.origin() != OriginType.AWS_KMS) {
            throw new java.lang.UnsupportedOperationException(
                    "FakeKmsClient creates only SYMMETRIC_DEFAULT / ENCRYPT_DECRYPT keys with AWS_KMS origin");
        }
        String description = request.description() == null ? "" : request.description();
        if (description.length() > 8192) {
            throw validation("Value at 'description' failed to satisfy constraint: Member must have length less"
                    + " than or equal to 8192");
        }
        String policy = request.policy();
        if (policy != null) {
            checkPolicy(policy, Boolean.TRUE.equals(request.bypassPolicyLockoutSafetyCheck()));
        }
        Map<String, String> tags = new LinkedHashMap<>();
        for (Tag t : request.tags()) {
            tags.put(t.tagKey(), t.tagValue());
        }
        checkTags(tags);
        Key key = newKey(Boolean.TRUE.equals(request.multiRegion()), description, clock.instant());
        key.policy = policy == null ? defaultPolicy() : policy;
        key.tags.putAll(tags);
        wrote("CreateKey");
        return CreateKeyResponse.builder().keyMetadata(key.metadata()).build();
    }

    @Override
    public synchronized DescribeKeyResponse describeKey(DescribeKeyRequest request) {
        begin("DescribeKey", request);
        Key key = resolve("DescribeKey", request.keyId(), true);
        return DescribeKeyResponse.builder().keyMetadata(key.metadata()).build();
    }

    @Override
    public synchronized GetKeyPolicyResponse getKeyPolicy(GetKeyPolicyRequest request) {
        begin("GetKeyPolicy", request);
        Key key = resolve("GetKeyPolicy", request.keyId(), false);
        requireDefaultPolicyName(request.policyName());
        return GetKeyPolicyResponse.builder().policy(key.policy).policyName("default").build();
    }

    @Override
    public synchronized PutKeyPolicyResponse putKeyPolicy(PutKeyPolicyRequest request) {
        begin("PutKeyPolicy", request);
        Key key = resolve("PutKeyPolicy", request.keyId(), false);
        requireDefaultPolicyName(request.policyName());
        requireCustomerManaged(key, "PutKeyPolicy");
        if (request.policy() == null) {
            throw validation("Value null at 'policy' failed to satisfy constraint: Member must not be null");
        }
        checkPolicy(request.policy(), Boolean.TRUE.equals(request.bypassPolicyLockoutSafetyCheck()));
        key.policy = request.policy();
        wrote("PutKeyPolicy");
        return PutKeyPolicyResponse.builder().build();
    }

    @Override
    public synchronized TagResourceResponse tagResource(TagResourceRequest request) {
        begin("TagResource", request);
        Key key = resolveChangeable("TagResource", request.keyId());
        Map<String, String> merged = new LinkedHashMap<>(key.tags);
        for (Tag t : request.tags()) {
            merged.put(t.tagKey(), t.tagValue());
        }
        checkTags(merged);
        key.tags.clear();
        key.tags.putAll(merged);
        wrote("TagResource");
        return TagResourceResponse.builder().build();
    }

    @Override
    public synchronized UntagResourceResponse untagResource(UntagResourceRequest request) {
        begin("UntagResource", request);
        Key key = resolveChangeable("UntagResource", request.keyId());
        if (request.tagKeys().isEmpty()) {
            throw validation("Value at 'tagKeys' failed to satisfy constraint: Member must have at least 1 item");
        }
        request.tagKeys().forEach(key.tags::remove);
        wrote("UntagResource");
        return UntagResourceResponse.builder().build();
    }

    @Override
    public synchronized ListResourceTagsResponse listResourceTags(ListResourceTagsRequest request) {
        begin("ListResourceTags", request);
        Key key = resolve("ListResourceTags", request.keyId(), false);
        List<Tag> all = key.tags.entrySet().stream()
                .map(e -> Tag.builder().tagKey(e.getKey()).tagValue(e.getValue()).build())
                .collect(Collectors.toList());
        Page<Tag> page = page("ListResourceTags", all, request.limit(), 50, 50, request.marker());
        return ListResourceTagsResponse.builder()
                .tags(page.items).truncated(page.truncated).nextMarker(page.nextMarker).build();
    }

    /** This fake holds no grants: every key's list is empty (the sandbox's stand-in models grants). */
    @Override
    public synchronized software.amazon.awssdk.services.kms.model.ListGrantsResponse listGrants(
            software.amazon.awssdk.services.kms.model.ListGrantsRequest request) {
        begin("ListGrants", request);
        resolve("ListGrants", request.keyId(), false);
        return software.amazon.awssdk.services.kms.model.ListGrantsResponse.builder().truncated(false).build();
    }

    @Override
    public synchronized ListKeysResponse listKeys(ListKeysRequest request) {
        begin("ListKeys", request);
        List<KeyListEntry> all = keys.values().stream()
                .map(k -> KeyListEntry.builder().keyId(k.keyId).keyArn(k.arn).build())
                .collect(Collectors.toList());
        Page<KeyListEntry> page = page("ListKeys", all, request.limit(), 100, 1000, request.marker());
        return ListKeysResponse.builder()
                .keys(page.items).truncated(page.truncated).nextMarker(page.nextMarker).build();
    }

    @Override
    public synchronized ListAliasesResponse listAliases(ListAliasesRequest request) {
        begin("ListAliases", request);
        String onlyKey = request.keyId() == null ? null : resolve("ListAliases", request.keyId(), false).keyId;
        List<AliasListEntry> all = new ArrayList<>();
        aliases.forEach((name, alias) -> {
            if (onlyKey == null || onlyKey.equals(alias.targetKeyId)) {
                all.add(AliasListEntry.builder()
                        .aliasName(name)
                        .aliasArn(aliasArn(name))
                        .targetKeyId(alias.targetKeyId)
                        .creationDate(alias.createdAt)
                        .lastUpdatedDate(alias.updatedAt)
                        .build());
            }
        });
        Page<AliasListEntry> page = page("ListAliases", all, request.limit(), 50, 100, request.marker());
        return ListAliasesResponse.builder()
                .aliases(page.items).truncated(page.truncated).nextMarker(page.nextMarker).build();
    }

    @Override
    public synchronized CreateAliasResponse createAlias(CreateAliasRequest request) {
        begin("CreateAlias", request);
        String name = request.aliasName();
        checkAliasName(name);
        Key target = resolveChangeable("CreateAlias", request.targetKeyId());
        if (aliases.containsKey(name)) {
            throw error(AlreadyExistsException.builder(), "AlreadyExistsException", 400,
                    "An alias with the name " + aliasArn(name) + " already exists");
        }
        aliases.put(name, new Alias(target.keyId, clock.instant()));
        wrote("CreateAlias");
        return CreateAliasResponse.builder().build();
    }

    @Override
    public synchronized UpdateAliasResponse updateAlias(UpdateAliasRequest request) {
        begin("UpdateAlias", request);
        String name = request.aliasName();
        checkAliasName(name);
        Alias alias = aliases.get(name);
        if (alias == null) {
            throw notFound("Alias " + aliasArn(name) + " is not found.");
        }
        Key target = resolveChangeable("UpdateAlias", request.targetKeyId());
        alias.targetKeyId = target.keyId;
        alias.updatedAt = clock.instant();
        wrote("UpdateAlias");
        return UpdateAliasResponse.builder().build();
    }

    @Override
    public synchronized DeleteAliasResponse deleteAlias(DeleteAliasRequest request) {
        begin("DeleteAlias", request);
        String name = request.aliasName();
        if (name == null || !aliases.containsKey(name)) {
            throw notFound("Alias " + aliasArn(String.valueOf(name)) + " is not found.");
        }
        if (name.startsWith("alias/aws/")) {
            throw error(InvalidAliasNameException.builder(), "InvalidAliasNameException", 400,
                    "Alias names beginning with alias/aws/ are reserved.");
        }
        aliases.remove(name);
        wrote("DeleteAlias");
        return DeleteAliasResponse.builder().build();
    }

    @Override
    public synchronized ScheduleKeyDeletionResponse scheduleKeyDeletion(ScheduleKeyDeletionRequest request) {
        begin("ScheduleKeyDeletion", request);
        int days = request.pendingWindowInDays() == null ? 30 : request.pendingWindowInDays();
        if (days < 7 || days > 30) {
            throw validation("1 validation error detected: Value '" + days + "' at 'pendingWindowInDays' failed to"
                    + " satisfy constraint: Member must have value " + (days < 7 ? "greater than or equal to 7"
                    : "less than or equal to 30"));
        }
        Key key = resolveChangeable("ScheduleKeyDeletion", request.keyId());
        key.state = PENDING_DELETION;
        key.pendingWindowInDays = days;
        key.deletionDate = clock.instant().plus(Duration.ofDays(days));
        wrote("ScheduleKeyDeletion");
        return ScheduleKeyDeletionResponse.builder()
                .keyId(key.arn).deletionDate(key.deletionDate).keyState(PENDING_DELETION).pendingWindowInDays(days)
                .build();
    }

    @Override
    public synchronized CancelKeyDeletionResponse cancelKeyDeletion(CancelKeyDeletionRequest request) {
        begin("CancelKeyDeletion", request);
        Key key = resolve("CancelKeyDeletion", request.keyId(), false);
        if (!PENDING_DELETION.equals(key.state)) {
            throw invalidState(key.arn + " is not pending deletion.");
        }
        key.state = DISABLED;
        key.deletionDate = null;
        key.pendingWindowInDays = null;
        wrote("CancelKeyDeletion");
        return CancelKeyDeletionResponse.builder().keyId(key.arn).build();
    }

    @Override
    public synchronized EnableKeyResponse enableKey(EnableKeyRequest request) {
        begin("EnableKey", request);
        Key key = resolveChangeable("EnableKey", request.keyId());
        key.state = ENABLED;
        wrote("EnableKey");
        return EnableKeyResponse.builder().build();
    }

    @Override
    public synchronized software.amazon.awssdk.services.kms.model.GetKeyRotationStatusResponse getKeyRotationStatus(
            software.amazon.awssdk.services.kms.model.GetKeyRotationStatusRequest request) {
        begin("GetKeyRotationStatus", request);
        Key key = resolve("GetKeyRotationStatus", request.keyId(), false);
        return software.amazon.awssdk.services.kms.model.GetKeyRotationStatusResponse.builder()
                .keyId(key.arn).keyRotationEnabled(key.rotationPeriodInDays != null)
                .rotationPeriodInDays(key.rotationPeriodInDays).build();
    }

    @Override
    public synchronized software.amazon.awssdk.services.kms.model.EnableKeyRotationResponse enableKeyRotation(
            software.amazon.awssdk.services.kms.model.EnableKeyRotationRequest request) {
        begin("EnableKeyRotation", request);
        Key key = resolveChangeable("EnableKeyRotation", request.keyId());
        key.rotationPeriodInDays = request.rotationPeriodInDays() == null ? 365 : request.rotationPeriodInDays();
        wrote("EnableKeyRotation");
        return software.amazon.awssdk.services.kms.model.EnableKeyRotationResponse.builder().build();
    }

    @Override
    public synchronized DisableKeyResponse disableKey(DisableKeyRequest request) {
        begin("DisableKey", request);
        Key key = resolveChangeable("DisableKey", request.keyId());
        key.state = DISABLED;
        wrote("DisableKey");
        return DisableKeyResponse.builder().build();
    }

    // =================================================================== internals

    private static final class Key {
        final String keyId;
        final String arn;
        final boolean multiRegion;
        final String description;
        final Instant createdAt;
        final String region;
        final Map<String, String> tags = new LinkedHashMap<>();
        String state = ENABLED;
        Instant deletionDate;
        Integer pendingWindowInDays;
        boolean awsManaged;
        boolean unreadable;
        String policy;
        Integer rotationPeriodInDays;

        Key(String keyId, String arn, String region, boolean multiRegion, String description, Instant createdAt) {
            this.keyId = keyId;
            this.arn = arn;
            this.region = region;
            this.multiRegion = multiRegion;
            this.description = description;
            this.createdAt = createdAt;
        }

        KeyMetadata metadata() {
            return KeyMetadata.builder()
                    .awsAccountId(ACCOUNT_ID)
                    .keyId(keyId)
                    .arn(arn)
                    .creationDate(createdAt)
                    .enabled(ENABLED.equals(state))
                    .description(description)
                    .keyUsage(KeyUsageType.ENCRYPT_DECRYPT)
                    .keyState(state)
                    .deletionDate(deletionDate)
                    .pendingDeletionWindowInDays(pendingWindowInDays)
                    .origin(OriginType.AWS_KMS)
                    .keyManager(awsManaged ? KeyManagerType.AWS : KeyManagerType.CUSTOMER)
                    .keySpec(KeySpec.SYMMETRIC_DEFAULT)
                    .encryptionAlgorithms(EncryptionAlgorithmSpec.SYMMETRIC_DEFAULT)
                    .multiRegion(multiRegion)
                    .multiRegionConfiguration(multiRegion ? MultiRegionConfiguration.builder()
                            .multiRegionKeyType(MultiRegionKeyType.PRIMARY)
                            .primaryKey(MultiRegionKey.builder().arn(arn).region(region).build())
                            .replicaKeys(List.of())
                            .build() : null)
                    .build();
        }

        FakeKey view() {
            return new FakeKey(keyId, arn, state, multiRegion, awsManaged, description, createdAt, deletionDate,
                    pendingWindowInDays, policy, tags);
        }
    }

    private static final class Alias {
        String targetKeyId;
        final Instant createdAt;
        Instant updatedAt;

        Alias(String targetKeyId, Instant createdAt) {
            this.targetKeyId = targetKeyId;
            this.createdAt = createdAt;
            this.updatedAt = createdAt;
        }
    }

    private static final class BeforeFault {
        final String operation;
        int remaining;
        final Supplier<? extends RuntimeException> error;
        final Runnable action;

        BeforeFault(String operation, int remaining, Supplier<? extends RuntimeException> error, Runnable action) {
            this.operation = operation;
            this.remaining = remaining;
            this.error = error;
            this.action = action;
        }
    }

    private static final class CrashFault {
        final String operation;
        int remaining;

        CrashFault(String operation, int remaining) {
            this.operation = operation;
            this.remaining = remaining;
        }
    }

    private static final class Page<T> {
        final List<T> items;
        final boolean truncated;
        final String nextMarker;

        Page(List<T> items, boolean truncated, String nextMarker) {
            this.items = items;
            this.truncated = truncated;
            this.nextMarker = nextMarker;
        }
    }

    private void begin(String operation, KmsRequest request) {
        calls.add(operation);
        requests.add(request);
        List<Runnable> actions = new ArrayList<>();
        RuntimeException failure = null;
        Iterator<BeforeFault> it = beforeFaults.iterator();
        while (it.hasNext()) {
            BeforeFault fault = it.next();
            boolean matches = fault.operation.equals(ANY_OPERATION) || fault.operation.equals(operation);
            if (!matches || fault.error != null && failure != null) {
                continue;
            }
            if (--fault.remaining == 0) {
                it.remove();
            }
            if (fault.action != null) {
                actions.add(fault.action);
            } else {
                failure = fault.error.get();
            }
        }
        actions.forEach(Runnable::run);
        if (failure != null) {
            throw failure;
        }
    }

    private void wrote(String operation) {
        int count = writes.merge(operation, 1, Integer::sum);
        Iterator<CrashFault> it = crashFaults.iterator();
        while (it.hasNext()) {
            CrashFault fault = it.next();
            if (fault.operation.equals(ANY_OPERATION) || fault.operation.equals(operation)) {
                if (--fault.remaining == 0) {
                    it.remove();
                    throw new SimulatedCrashException(operation, count);
                }
            }
        }
    }

    private Key newKey(boolean multiRegion, String description, Instant createdAt) {
        String keyId = multiRegion ? "mrk-" + hex(32) : uuid();
        String arn = "arn:aws:kms:" + region + ":" + ACCOUNT_ID + ":key/" + keyId;
        Key key = new Key(keyId, arn, region, multiRegion, description, createdAt);
        keys.put(keyId, key);
        return key;
    }

    private String uuid() {
        long msb = (ids.nextLong() & ~0xF000L) | 0x4000L;
        long lsb = (ids.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new java.util.UUID(msb, lsb).toString();
    }

    private String hex(int digits) {
        StringBuilder sb = new StringBuilder(digits);
        for (int i = 0; i < digits; i++) {
            sb.append(Character.forDigit(ids.nextInt(16), 16));
        }
        return sb.toString();
    }

    private String defaultPolicy() {
        return "{\n  \"Version\" : \"2012-10-17\",\n  \"Id\" : \"key-default-1\",\n  \"Statement\" : [ {\n"
                + "    \"Sid\" : \"Enable IAM User Permissions\",\n    \"Effect\" : \"Allow\",\n"
                + "    \"Principal\" : {\n      \"AWS\" : \"" + ACCOUNT_ROOT_ARN + "\"\n    },\n"
                + "    \"Action\" : \"kms:*\",\n    \"Resource\" : \"*\"\n  } ]\n}";
    }

    private String aliasArn(String name) {
        return "arn:aws:kms:" + region + ":" + ACCOUNT_ID + ":" + name;
    }

    /** A key reference as KMS resolves it; aliases only where the operation accepts them. */
    private Key resolve(String operation, String ref, boolean aliasAllowed) {
        if (ref == null || ref.isBlank()) {
            throw validation("Value null at 'keyId' failed to satisfy constraint: Member must not be null");
        }
        String r = ref.trim();
        Key key;
        boolean isAlias = r.startsWith("alias/") || r.startsWith("arn:") && r.contains(":alias/");
        if (isAlias) {
            if (!aliasAllowed) {
                throw notFound("Invalid keyId '" + r + "'");
            }
            String name = r;
            if (r.startsWith("arn:")) {
                checkArnScope(r);
                name = r.substring(r.indexOf(":alias/") + 1);
            }
            Alias alias = aliases.get(name);
            if (alias == null) {
                throw notFound("Alias " + aliasArn(name) + " is not found.");
            }
            key = keys.get(alias.targetKeyId);
        } else {
            if (r.startsWith("arn:")) {
                checkArnScope(r);
            }
            String id;
            try {
                id = KeyIds.keyId(r);
            } catch (IllegalArgumentException e) {
                throw notFound("Invalid keyId '" + r + "'");
            }
            key = keys.get(id);
            if (key == null) {
                throw notFound("Key '" + "arn:aws:kms:" + region + ":" + ACCOUNT_ID + ":key/" + id
                        + "' does not exist");
            }
        }
        if (key.unreadable) {
            throw accessDenied(operation);
        }
        return key;
    }

    private void checkArnScope(String arn) {
        String[] parts = arn.split(":", 6);
        if (parts.length < 6 || !"kms".equals(parts[2])) {
            throw error(InvalidArnException.builder(), "InvalidArnException", 400, "Invalid arn " + arn);
        }
        if (!region.equals(parts[3]) || !ACCOUNT_ID.equals(parts[4])) {
            throw notFound("Key '" + arn + "' does not exist");
        }
    }

    private Key seededKey(String ref) {
        String r = ref.trim();
        if (r.startsWith("alias/")) {
            Alias alias = aliases.get(r);
            if (alias == null) {
                throw new NoSuchElementException("No alias " + r + " in the fake");
            }
            return keys.get(alias.targetKeyId);
        }
        Key key = keys.get(KeyIds.keyId(r));
        if (key == null) {
            throw new NoSuchElementException("No key " + r + " in the fake");
        }
        return key;
    }

    /**
     * A key reference (no aliases) for an operation that changes the key or points an alias at it: a
     * customer managed key not pending deletion.
     */
    private Key resolveChangeable(String operation, String ref) {
        Key key = resolve(operation, ref, false);
        requireCustomerManaged(key, operation);
        requireNotPendingDeletion(key);
        return key;
    }

    private static void requireCustomerManaged(Key key, String operation) {
        if (key.awsManaged) {
            throw error(software.amazon.awssdk.services.kms.model.UnsupportedOperationException.builder(),
                    "UnsupportedOperationException", 400,
                    operation + " is not supported for AWS managed key " + key.arn);
        }
    }

    private static void requireNotPendingDeletion(Key key) {
        if (PENDING_DELETION.equals(key.state)) {
            throw invalidState(key.arn + " is pending deletion.");
        }
    }

    private static void requireDefaultPolicyName(String policyName) {
        if (policyName != null && !"default".equals(policyName)) {
            throw notFound("No such policy exists: " + policyName);
        }
    }

    private void checkAliasName(String name) {
        if (name == null || name.length() > 256 || !ALIAS_NAME.matcher(name).matches()) {
            throw error(InvalidAliasNameException.builder(), "InvalidAliasNameException", 400,
                    "Alias must start with the prefix \"alias/\" followed by letters, digits, '/', '_' or '-'"
                            + " (at most 256 characters): " + name);
        }
        if (name.startsWith("alias/aws/")) {
            throw error(InvalidAliasNameException.builder(), "InvalidAliasNameException", 400,
                    "Alias names beginning with alias/aws/ are reserved.");
        }
    }

    private static void checkTags(Map<String, String> tags) {
        if (tags.size() > 50) {
            throw tagError("A KMS key can have at most 50 tags; the request would leave " + tags.size());
        }
        for (Map.Entry<String, String> t : tags.entrySet()) {
            String k = t.getKey();
            String v = t.getValue();
            if (k == null || k.isEmpty() || k.length() > 128 || !TAG_TEXT.matcher(k).matches()) {
                throw tagError("Tag key '" + k + "' is invalid");
            }
            if (k.regionMatches(true, 0, "aws:", 0, 4)) {
                throw tagError("Tags beginning with aws: are reserved");
            }
            if (v == null || v.length() > 256 || !TAG_TEXT.matcher(v).matches()) {
                throw tagError("Tag value for '" + k + "' is invalid");
            }
        }
    }

    private void checkPolicy(String policy, boolean bypassLockoutCheck) {
        if (policy.getBytes(StandardCharsets.UTF_8).length > 32 * 1024) {
            throw malformedPolicy("The policy exceeds 32 KB");
        }
        JsonNode doc;
        try {
            doc = Json.MAPPER.readTree(policy);
        } catch (Exception e) {
            throw malformedPolicy("The policy is not valid JSON");
        }
        if (doc == null || !doc.isObject() || doc.get("Statement") == null) {
            throw malformedPolicy("The policy has no Statement");
        }
        List<JsonNode> statements = new ArrayList<>();
        JsonNode st = doc.get("Statement");
        if (st.isArray()) {
            st.forEach(statements::add);
        } else {
            statements.add(st);
        }
        for (JsonNode s : statements) {
            String effect = s.path("Effect").asText("");
            if (!"Allow".equals(effect) && !"Deny".equals(effect)) {
                throw malformedPolicy("Every statement needs Effect Allow or Deny");
            }
        }
        if (!bypassLockoutCheck && statements.stream().noneMatch(this::letsCallerChangePolicy)) {
            throw malformedPolicy("The new key policy will not allow you to update the key policy in the future.");
        }
    }

    private boolean letsCallerChangePolicy(JsonNode statement) {
        if (!"Allow".equals(statement.path("Effect").asText())) {
            return false;
        }
        boolean principalOk = false;
        JsonNode principal = statement.get("Principal");
        if (principal != null && principal.isTextual()) {
            principalOk = "*".equals(principal.asText());
        } else if (principal != null && principal.has("AWS")) {
            for (String p : texts(principal.get("AWS"))) {
                if (p.equals("*") || p.equals(ACCOUNT_ID) || p.equals(ACCOUNT_ROOT_ARN) || p.equals(callerArn)) {
                    principalOk = true;
                }
            }
        }
        boolean actionOk = texts(statement.get("Action")).stream()
                .anyMatch(a -> a.equals("*") || a.equalsIgnoreCase("kms:*") || a.equalsIgnoreCase("kms:PutKeyPolicy"));
        return principalOk && actionOk;
    }

    private static List<String> texts(JsonNode node) {
        List<String> out = new ArrayList<>();
        if (node == null) {
            return out;
        }
        if (node.isArray()) {
            node.forEach(n -> out.add(n.asText()));
        } else {
            out.add(node.asText());
        }
        return out;
    }

    private <T> Page<T> page(String operation, List<T> all, Integer limit, int defaultLimit, int maxLimit,
            String marker) {
        if (limit != null && (limit < 1 || limit > maxLimit)) {
            throw validation("Value '" + limit + "' at 'limit' failed to satisfy constraint: Member must have value"
                    + " between 1 and " + maxLimit);
        }
        int start = 0;
        if (marker != null) {
            String decoded;
            try {
                decoded = new String(Base64.getUrlDecoder().decode(marker), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw invalidMarker(marker);
            }
            if (!decoded.startsWith(operation + ":")) {
                throw invalidMarker(marker);
            }
            try {
                start = Integer.parseInt(decoded.substring(operation.length() + 1));
            } catch (NumberFormatException e) {
                throw invalidMarker(marker);
            }
        }
        int size = Math.min(limit == null ? defaultLimit : limit, pageSizeCap);
        int end = Math.min(all.size(), start + size);
        List<T> items = start >= all.size() ? List.of() : List.copyOf(all.subList(start, end));
        boolean truncated = end < all.size();
        String next = truncated
                ? Base64.getUrlEncoder().encodeToString((operation + ":" + end).getBytes(StandardCharsets.UTF_8))
                : null;
        return new Page<>(items, truncated, next);
    }

    private static void requireMutating(String operation) {
        if (!MUTATING_OPERATIONS.contains(operation)) {
            throw new IllegalArgumentException("'" + operation + "' is not a mutating operation of the fake; use one"
                    + " of " + MUTATING_OPERATIONS);
        }
    }

    private static void requireOperation(String operation) {
        if (!ANY_OPERATION.equals(operation) && !OPERATIONS.contains(operation)) {
            throw new IllegalArgumentException("'" + operation + "' is not an operation of the fake; use one of "
                    + OPERATIONS + " or " + ANY_OPERATION);
        }
    }

    private static void requirePositive(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("must be at least 1: " + n);
        }
    }

    // =================================================================== KMS errors

    private static KmsException error(KmsException.Builder builder, String code, int status, String message) {
        // The awsErrorDetails setter is inherited from AwsServiceException.Builder and returns that type.
        return (KmsException) builder
                .message(message)
                .statusCode(status)
                .awsErrorDetails(AwsErrorDetails.builder()
                        .errorCode(code).errorMessage(message).serviceName("Kms").build())
                .build();
    }

    private static KmsException notFound(String message) {
        return error(NotFoundException.builder(), "NotFoundException", 400, message);
    }

    private static KmsException invalidState(String message) {
        return error(KmsInvalidStateException.builder(), "KMSInvalidStateException", 400, message);
    }

    private static KmsException validation(String message) {
        return error(KmsException.builder(), "ValidationException", 400, message);
    }

    private static KmsException tagError(String message) {
        return error(TagException.builder(), "TagException", 400, message);
    }

    private static KmsException malformedPolicy(String message) {
        return error(MalformedPolicyDocumentException.builder(), "MalformedPolicyDocumentException", 400, message);
    }

    private static KmsException invalidMarker(String marker) {
        return error(InvalidMarkerException.builder(), "InvalidMarkerException", 400, "Invalid marker: " + marker);
    }
}
