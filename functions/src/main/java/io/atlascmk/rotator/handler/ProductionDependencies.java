package io.atlascmk.rotator.handler;

import io.atlascmk.rotator.atlas.AtlasApi;
import io.atlascmk.rotator.atlas.AtlasClient;
import io.atlascmk.rotator.atlas.Sleeper;
import io.atlascmk.rotator.aws.AwsClients;
import io.atlascmk.rotator.trail.CloudTrailKeyUsage;
import io.atlascmk.rotator.trail.KeyUsageLog;
import io.atlascmk.rotator.aws.StepFunctionsRotationRegistry;
import io.atlascmk.rotator.kms.KeyService;
import io.atlascmk.rotator.lock.DynamoDbRotationLock;
import io.atlascmk.rotator.lock.LockGrant;
import io.atlascmk.rotator.lock.LockState;
import io.atlascmk.rotator.lock.LockUnavailableException;
import io.atlascmk.rotator.lock.RotationLock;
import io.atlascmk.rotator.rotation.RotationRegistry;
import io.atlascmk.rotator.rotation.StepDependencies;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The collaborators of the deployed Lambda functions, built from the environment once per execution
 * environment (in the handlers' no-arg constructors, so before a SnapStart snapshot) and shared by
 * every invocation:
 *
 * <ul>
 *   <li>Atlas: {@code ATLAS_SECRET_ARN} (required: the Secrets Manager secret with the service account
 *       or API key) and {@code ATLAS_BASE_URL} (optional, default {@code https://cloud.mongodb.com});</li>
 *   <li>KMS: one {@link KeyService} per region, on the shared SDK clients of {@link AwsClients}, for the
 *       deployment {@code ROTATOR_DEPLOYMENT} (required: the stack's name, which its keys carry); the
 *       function's own region comes from {@code AWS_REGION};</li>
 *   <li>CloudTrail: one {@link CloudTrailKeyUsage} per region (the key's), asked before any deletion;</li>
 *   <li>the lock question: {@code ROTATOR_STATE_MACHINE_ARN}, needed by Preflight only (the other
 *       functions get a registry that says so if asked);</li>
 *   <li>the deployment's per-project settings: {@code ROTATOR_PROJECT_SETTINGS}, set on Preflight only
 *       ({@link ProjectSettingsVariable}); validated here, so a bad value stops the function at start;
 *       absent: none;</li>
 *   <li>the system clock, UTC.</li>
 * </ul>
 */
final class ProductionDependencies {

    private static final Map<io.atlascmk.rotator.aws.KeyPlace, KeyService> KEY_SERVICES = new ConcurrentHashMap<>();
    private static final Map<io.atlascmk.rotator.aws.KeyPlace, KeyUsageLog> USAGE_LOGS = new ConcurrentHashMap<>();

    private ProductionDependencies() {
    }

    /** Shared by every handler class of this JVM; built on first use. */
    static StepDependencies get() {
        return Holder.DEPS;
    }

    /** As {@link #get()}, and fails now when {@code ROTATOR_STATE_MACHINE_ARN} is missing. */
    static StepDependencies withRegistry() {
        if (Holder.DEPS.registry() instanceof MissingRegistry missing) {
            throw new IllegalStateException(missing.reason);
        }
        return Holder.DEPS;
    }

    /** The KMS operations of a place: this account's shared client of the region, or the member role's. */
    static KeyService keysFor(io.atlascmk.rotator.aws.KeyPlace place) {
        return KEY_SERVICES.computeIfAbsent(place, p -> new KeyService(p.isHome() ? AwsClients.kms(p.region())
                : AwsClients.newKmsClient(software.amazon.awssdk.regions.Region.of(p.region()),
                        memberCredentials().forAccount(p.account())),
                System.getenv(DEPLOYMENT), keyIndexFromEnvironment(System.getenv())));
    }

    /**
     * The member accounts' role sessions, under this function's source identity ({@code ROTATOR_SOURCE_IDENTITY},
     * set by the stack to the step's name). Built on the first project registered in another account.
     */
    static io.atlascmk.rotator.aws.KeyAccountCredentials memberCredentials() {
        return MemberAccounts.CREDENTIALS;
    }

    private static final class MemberAccounts {
        static final io.atlascmk.rotator.aws.KeyAccountCredentials CREDENTIALS =
                new io.atlascmk.rotator.aws.KeyAccountCredentials(AwsClients.sts(), System.getenv(SOURCE_IDENTITY));
    }

    static final String SOURCE_IDENTITY = "ROTATOR_SOURCE_IDENTITY";

    /** The key index in the lock table; none (every lookup reads the region's tags) without {@code ROTATOR_LOCK_TABLE}. */
    static io.atlascmk.rotator.kms.KeyIndex keyIndexFromEnvironment(Map<String, String> env) {
        String table = env.get(LOCK_TABLE);
        return table == null || table.isBlank() ? null
                : new io.atlascmk.rotator.kms.DynamoDbKeyIndex(AwsClients.dynamoDb(), table.trim());
    }

    static KeyUsageLog usageFor(io.atlascmk.rotator.aws.KeyPlace place) {
        return USAGE_LOGS.computeIfAbsent(place, p -> new CloudTrailKeyUsage(p.isHome() ? AwsClients.cloudTrail(p.region())
                : AwsClients.newCloudTrailClient(software.amazon.awssdk.regions.Region.of(p.region()),
                        memberCredentials().forAccount(p.account())), Clock.systemUTC(), Sleeper.SYSTEM));
    }

    private static AtlasApi atlasFromEnvironment() {
        return AtlasClient.fromEnvironment(System.getenv(), AwsClients.secretsManager());
    }

    private static RotationRegistry registryFromEnvironment() {
        try {
            return StepFunctionsRotationRegistry.fromEnvironment();
        } catch (IllegalStateException | IllegalArgumentException notConfigured) {
            return new MissingRegistry(notConfigured.getMessage());
        }
    }

    /** Stands in for the registry in functions that are not given the state machine's ARN. */
    private record MissingRegistry(String reason) implements RotationRegistry {
        @Override
        public boolean isRunning(String rotationId) {
            throw new IllegalStateException(reason);
        }
    }

    /** The lock table named by {@code ROTATOR_LOCK_TABLE}; without it, a lock that refuses every use, saying so. */
    static RotationLock lockFromEnvironment(java.util.Map<String, String> env, RotationRegistry registry) {
        String table = env.get(LOCK_TABLE);
        if (table == null || table.isBlank()) {
            return new MissingLock(LOCK_TABLE + " is not set: the function cannot take or confirm the rotation lock,"
                    + " so it changes nothing. Deploy with the stack (which sets it) or set it to the lock table's name.");
        }
        String leaseSeconds = env.getOrDefault(LOCK_LEASE, "7200");
        java.time.Duration lease;
        try {
            lease = java.time.Duration.ofSeconds(Long.parseLong(leaseSeconds.trim()));
        } catch (NumberFormatException e) {
            throw new IllegalStateException(LOCK_LEASE + " must be a whole number of seconds, not '" + leaseSeconds + "'.", e);
        }
        return new DynamoDbRotationLock(AwsClients.dynamoDb(), table.trim(), Clock.systemUTC(), lease, registry::isRunning);
    }

    /**
     * The deployment's projects and their settings: the project registry in {@code ROTATOR_LOCK_TABLE} (seeded from
     * the configuration at deploy, changed with {@code ./rotator projects}); without a table, the settings in
     * {@code ROTATOR_PROJECT_SETTINGS} (a local run's).
     */
    static io.atlascmk.rotator.rotation.ProjectSettingsSource projectSettingsFromEnvironment(Map<String, String> env) {
        String table = env.get(LOCK_TABLE);
        if (table != null && !table.isBlank()) {
            return new io.atlascmk.rotator.registry.RegistrySettings(
                    new io.atlascmk.rotator.registry.DynamoDbProjectRegistry(AwsClients.dynamoDb(), table.trim()));
        }
        return ProjectSettingsVariable.fromEnvironment(env);
    }

    /** The Rescue function's lock: it only seizes and releases, so it never asks whether an execution runs. */
    static RotationLock lockForRescue() {
        return lockFromEnvironment(System.getenv(), registryFromEnvironment());
    }

    static final String LOCK_TABLE = "ROTATOR_LOCK_TABLE";
    /** The stack's name, which the deployment's keys carry (every step and the Rescue function). */
    static final String DEPLOYMENT = "ROTATOR_DEPLOYMENT";
    static final String LOCK_LEASE = "ROTATOR_LOCK_LEASE_SECONDS";

    /** Stands in for the lock in functions deployed without a lock table: every use refuses. */
    private record MissingLock(String reason) implements RotationLock {
        @Override
        public LockGrant acquire(String projectId, String holder) {
            throw new LockUnavailableException(reason, null);
        }

        @Override
        public LockGrant seize(String projectId, String holder) {
            throw new LockUnavailableException(reason, null);
        }

        @Override
        public void confirm(LockGrant grant) {
            throw new LockUnavailableException(reason, null);
        }

        @Override
        public boolean release(LockGrant grant) {
            throw new LockUnavailableException(reason, null);
        }

        @Override
        public java.util.Optional<LockState> read(String projectId) {
            throw new LockUnavailableException(reason, null);
        }

        @Override
        public java.util.Optional<LockState> unlock(String projectId) {
            throw new LockUnavailableException(reason, null);
        }
    }

    private static final class Holder {
        static final RotationRegistry REGISTRY = registryFromEnvironment();
        static final StepDependencies DEPS = new StepDependencies(atlasFromEnvironment(),
                ProductionDependencies::keysFor, Clock.systemUTC(), REGISTRY,
                projectSettingsFromEnvironment(System.getenv()), ProductionDependencies::usageFor,
                lockFromEnvironment(System.getenv(), REGISTRY), evidenceFromEnvironment(System.getenv()));
    }

    /** The evidence bucket of the stack ({@code ROTATOR_EVIDENCE_BUCKET}, AuditAndRetire's); none without it. */
    static io.atlascmk.rotator.evidence.EvidenceStore evidenceFromEnvironment(Map<String, String> env) {
        String bucket = env.get(EVIDENCE_BUCKET);
        return bucket == null || bucket.isBlank() ? io.atlascmk.rotator.evidence.EvidenceStore.NONE
                : new io.atlascmk.rotator.evidence.S3EvidenceStore(AwsClients.s3(), bucket.trim());
    }

    static final String EVIDENCE_BUCKET = "ROTATOR_EVIDENCE_BUCKET";

    /** The functions' metrics: EMF lines on standard output, of the deployment {@code ROTATOR_DEPLOYMENT} (required). */
    static io.atlascmk.rotator.metrics.Metrics metrics() {
        return MetricsHolder.METRICS;
    }

    private static final class MetricsHolder {
        static final io.atlascmk.rotator.metrics.Metrics METRICS =
                io.atlascmk.rotator.metrics.Metrics.fromEnvironment(System.getenv());
    }
}
