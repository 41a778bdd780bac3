package io.atlascmk.cli.sandbox;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.atlascmk.cli.ExecutionEvent;
import io.atlascmk.cli.ExecutionResult;
import io.atlascmk.cli.LocalLambdaEndpoint;
import io.atlascmk.cli.LocalSubstitutions;
import io.atlascmk.cli.LockReleaseIntegration;
import io.atlascmk.cli.NodeEngine;
import io.atlascmk.rotator.lock.DynamoDbRotationLock;
import io.atlascmk.rotator.lock.LockTable;
import io.atlascmk.rotator.lock.RotationLock;
import io.atlascmk.sandbox.dynamo.Dynalite;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import io.atlascmk.rotator.atlas.AtlasClient;
import io.atlascmk.rotator.atlas.AtlasClientConfig;
import io.atlascmk.rotator.atlas.SecretsManagerAtlasCredentials;
import io.atlascmk.rotator.handler.LocalHandlers;
import io.atlascmk.rotator.json.Json;
import io.atlascmk.rotator.kms.KeyService;
import io.atlascmk.rotator.rotation.ProjectSettings;
import io.atlascmk.rotator.trail.CloudTrailKeyUsage;
import io.atlascmk.rotator.trail.KeyUsageLog;
import io.atlascmk.rotator.rotation.StepDependencies;
import io.atlascmk.sandbox.KeyAccess;
import io.atlascmk.sandbox.SandboxClock;
import io.atlascmk.sandbox.atlas.AtlasProject;
import io.atlascmk.sandbox.atlas.AtlasSimulator;
import io.atlascmk.sandbox.aws.AwsStandIn;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResponse;
import software.amazon.awssdk.services.cloudtrail.CloudTrailClient;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * Everything a sandbox rotation runs on, in this JVM, on loopback ports it picks: the AWS stand-in
 * (KMS, Secrets Manager, EventBridge), the Atlas simulator, the real rotation handlers behind a local
 * Lambda Invoke endpoint, and the real {@code rotation.asl.json} on the local engine. One shared
 * {@link SandboxClock} drives Atlas (deployments, snapshots) and the handlers; waits in the workflow
 * are compressed by advancing that clock instead of sleeping.
 *
 * <p>The scenarios need one controllable clock for key ages, snapshot expiry and deletion dates, so the
 * sandbox always uses its own stand-in, whatever {@code AWS_ENDPOINT_URL} says (the stand-in's own
 * protocol tests are the ones that also run against an external emulator).
 */
public final class SandboxWorld implements AutoCloseable {

    public static final String PROJECT_ID = "5f1e2d3c4b5a69788796a5b4";
    public static final String REGION = "us-east-1";
    /** The sandbox's deployment name: the keys its rotations create or adopt carry it, as a stack's name. */
    public static final String DEPLOYMENT = "Sandbox";
    public static final String ATLAS_REGION = "US_EAST_1";
    public static final String ATLAS_ROLE_ARN = "arn:aws:iam::111122223333:role/atlas-encryption-at-rest";
    public static final String SECRET_NAME = "atlas-cmk-rotator/atlas-credentials";
    public static final String EVENT_BUS = "atlas-cmk-rotator";
    public static final String LOCK_TABLE = "atlas-cmk-rotator-locks";
    /** How long a local run's hold on a project lasts without a confirm (as deployed by default). */
    public static final java.time.Duration LOCK_LEASE = java.time.Duration.ofHours(2);
    /** How long Atlas reports a key it was just switched to as not valid (KMS propagation; up to 5 min in AWS). */
    public static final java.time.Duration KEY_PROPAGATION = java.time.Duration.ofSeconds(90);
    /** How long KMS refuses tag-authorized changes to a key just created (up to 5 min in AWS). */
    public static final java.time.Duration NEW_KEY_TAG_AUTHORIZATION = java.time.Duration.ofSeconds(60);
    /** How long a key policy takes to reach Atlas's role (up to 5 min in AWS). */
    public static final java.time.Duration POLICY_PROPAGATION = java.time.Duration.ofSeconds(45);
    /** When the sandbox's history begins: the project's key and clusters exist from here on. */
    public static final Instant SEEDED_AT = Instant.parse("2026-01-01T00:00:00Z");
    /** When the scenarios start rotating (the seed advances the clock from SEEDED_AT to here). */
    public static final Instant START = Instant.parse("2026-06-01T00:00:00Z");

    static final String CLIENT_ID = "mdb_sa_id_sandbox";
    static final String CLIENT_SECRET = "mdb_sa_sk_sandbox-not-a-real-secret";
    static final List<String> STEPS = List.of("Preflight", "CreateKey", "GrantAtlasAccess", "SwitchAtlasKey",
            "CheckDeployment", "Finalize", "AuditAndRetire", "Rollback", "RotateKeyMaterial");

    private final SandboxClock clock = new SandboxClock(SEEDED_AT);
    private final AwsStandIn aws;
    private final URI awsEndpoint;
    private final AtlasSimulator atlas;
    private final KmsClient kms;
    private final SecretsManagerClient secrets;
    private final EventBridgeClient eventBridge;
    private final LocalLambdaEndpoint lambda;
    private final NodeEngine engine;
    private final RetryPauses retryPauses;
    private final Dynalite dynalite;
    /** The evidence bucket lives in S3: s3rver, a real implementation, on a loopback port. */
    private final io.atlascmk.sandbox.s3.S3rver s3rver;
    private final software.amazon.awssdk.services.s3.S3Client s3;
    public static final String EVIDENCE_BUCKET = "sandbox-evidence";
    private final DynamoDbClient dynamo;
    private final RotationLock lock;
    private final Set<String> running = ConcurrentHashMap.newKeySet();
    private final java.util.concurrent.atomic.AtomicBoolean lockReleasesFail = new java.util.concurrent.atomic.AtomicBoolean();
    private final Set<String> keysAtlasCannotUse = ConcurrentHashMap.newKeySet();
    private final Map<io.atlascmk.rotator.aws.KeyPlace, KeyService> keyServices = new ConcurrentHashMap<>();
    private final Map<io.atlascmk.rotator.aws.KeyPlace, KeyUsageLog> usageLogs = new ConcurrentHashMap<>();
    /** Member accounts' role sessions, opened through the stand-in's STS (built on first use). */
    private io.atlascmk.rotator.aws.KeyAccountCredentials memberCredentials;
    /** Per rotation: the wait its last deployment check asked for (a fleet runs many rotations at once). */
    private final Map<String, Long> compressedWaitSeconds = new ConcurrentHashMap<>();
    private final Map<String, Object> substitutions = new LinkedHashMap<>();
    private final Map<String, List<Consumer<JsonNode>>> afterStep = new ConcurrentHashMap<>();
    /**
     * Each running execution's start on the sandbox's clock. The local engine sets {@code $$.Execution.StartTime} to
     * the wall clock, which the sandbox's compressed time has left behind: the events' {@code startedAt} is put back
     * on the sandbox's clock as they are published, as Step Functions' own would be.
     */
    private final Map<String, Instant> startedAt = new ConcurrentHashMap<>();
    /** The EMF lines the sandbox's functions wrote, in order (standard output in AWS). */
    private final List<String> metricLines = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final io.atlascmk.rotator.metrics.Metrics metrics =
            new io.atlascmk.rotator.metrics.Metrics(DEPLOYMENT, clock, metricLines::add);

    public SandboxWorld() {
        try {
            aws = new AwsStandIn(clock).start();
            awsEndpoint = aws.endpoint();
            kms = kmsClient(REGION);
            secrets = SecretsManagerClient.builder().region(Region.of(REGION)).endpointOverride(awsEndpoint)
                    .credentialsProvider(credentials()).httpClientBuilder(UrlConnectionHttpClient.builder()).build();
            eventBridge = EventBridgeClient.builder().region(Region.of(REGION)).endpointOverride(awsEndpoint)
                    .credentialsProvider(credentials()).httpClientBuilder(UrlConnectionHttpClient.builder()).build();
            atlas = new AtlasSimulator(clock, keyAccess()).start();
            atlas.addServiceAccount(CLIENT_ID, CLIENT_SECRET);
            // As in AWS, a new key's policy takes a while to apply everywhere: Atlas calls it not valid meanwhile.
            atlas.keyPropagation(KEY_PROPAGATION);
            // And clusters report UPDATING only a little after the switch, as Atlas plans the change first.
            atlas.updateStartDelay(java.time.Duration.ofSeconds(30));
            // The rotation lock lives in DynamoDB: dynalite, a real implementation, on a loopback port.
            dynalite = Dynalite.start();
            dynamo = DynamoDbClient.builder().region(Region.of(REGION)).endpointOverride(dynalite.endpoint())
                    .credentialsProvider(credentials()).httpClientBuilder(UrlConnectionHttpClient.builder())
                    .overrideConfiguration(c -> c.addExecutionInterceptor(new software.amazon.awssdk.core.interceptor
                            .ExecutionInterceptor() {
                        @Override
                        public void beforeTransmission(software.amazon.awssdk.core.interceptor.Context.BeforeTransmission
                                context, software.amazon.awssdk.core.interceptor.ExecutionAttributes attributes) {
                            dynamoRequests.computeIfAbsent(attributes.getAttribute(
                                    software.amazon.awssdk.core.interceptor.SdkExecutionAttribute.OPERATION_NAME),
                                    op -> new AtomicLong()).incrementAndGet();
                        }
                    })).build();
            LockTable.create(dynamo, LOCK_TABLE);
            lock = new DynamoDbRotationLock(dynamo, LOCK_TABLE, clock, LOCK_LEASE, running::contains);
            s3rver = io.atlascmk.sandbox.s3.S3rver.start();
            s3 = io.atlascmk.rotator.aws.AwsClients.s3Builder().region(Region.of(REGION)).endpointOverride(s3rver.endpoint())
                    .forcePathStyle(true).credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                            io.atlascmk.sandbox.s3.S3rver.ACCESS_KEY_ID, io.atlascmk.sandbox.s3.S3rver.SECRET_ACCESS_KEY)))
                    .build();
            s3.createBucket(b -> b.bucket(EVIDENCE_BUCKET));
            lambda = new LocalLambdaEndpoint();
            Path statemachineDir = NodeEngine.locateStatemachineDir(Path.of(""));
            engine = new NodeEngine(statemachineDir);
            retryPauses = RetryPauses.of(statemachineDir.resolve("rotation.asl.json"));
            // KMS, too, takes its time with a new key: its tags count for the functions' tag-conditioned
            // permissions, and its policy reaches Atlas's role, only a while after they were written.
            aws.kms().tagAuthorizationDelay(NEW_KEY_TAG_AUTHORIZATION);
            aws.kms().policyPropagationDelay(POLICY_PROPAGATION);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start the sandbox: " + e.getMessage(), e);
        }
        registry = new io.atlascmk.rotator.registry.DynamoDbProjectRegistry(dynamo, LOCK_TABLE);
        // as a deploy seeds it from the stack's configuration: the sandbox's project, with no settings of its own
        deploy(ProjectSettings.of(PROJECT_ID, new io.atlascmk.rotator.rotation.ExecutionSettings(null, null, null, null, null)));
        registerHandlers();
        defaultSubstitutions();
    }

    // ------------------------------------------------------------------------------------------
    // The pieces, for scenarios and tests
    // ------------------------------------------------------------------------------------------

    public SandboxClock clock() {
        return clock;
    }

    /** The functions' metrics, stamped by the sandbox clock, kept in {@link #metricLines()}. */
    public io.atlascmk.rotator.metrics.Metrics metrics() {
        return metrics;
    }

    /** Every EMF line the sandbox's functions wrote so far (one JSON object each), oldest first. */
    public List<String> metricLines() {
        return List.copyOf(metricLines);
    }

    /** DynamoDB (dynalite): the lock table, and the webhook's record of alert deliveries. */
    /** The sandbox's S3 (the evidence bucket), as an operator would read it. */
    public software.amazon.awssdk.services.s3.S3Client s3() {
        return s3;
    }

    public DynamoDbClient dynamo() {
        return dynamo;
    }

    /**
     * Step Functions' view of an execution for tests of what happens while it runs: reported running
     * (true) until told otherwise (false), whatever the local engine did.
     */
    public void reportRunning(String executionName, boolean runs) {
        if (runs) {
            running.add(executionName);
        } else {
            running.remove(executionName);
        }
    }

    /** Makes the workflow's ReleaseLock fail (as if DynamoDB could not be reached at the end of a run). */
    public void failLockReleases(boolean fail) {
        lockReleasesFail.set(fail);
    }

    /** Every DynamoDB request the sandbox's functions and integrations sent (retries included), by operation. */
    public Map<String, Long> dynamoRequests() {
        Map<String, Long> out = new java.util.TreeMap<>();
        dynamoRequests.forEach((op, n) -> out.put(op, n.get()));
        return out;
    }

    /** Sets {@link #dynamoRequests()} back to none. */
    public void resetDynamoRequests() {
        dynamoRequests.clear();
    }

    private final Map<String, AtomicLong> dynamoRequests = new ConcurrentHashMap<>();

    /** The projects' rotation lock (in dynalite). */
    public RotationLock lock() {
        return lock;
    }

    public AwsStandIn aws() {
        return aws;
    }

    public AtlasSimulator atlas() {
        return atlas;
    }

    public AtlasProject project() {
        return atlas.project(PROJECT_ID);
    }

    /** An SDK KMS client on the sandbox's KMS stand-in. */
    public KmsClient kms() {
        return kms;
    }

    public SecretsManagerClient secretsManager() {
        return secrets;
    }

    public EventBridgeClient eventBridge() {
        return eventBridge;
    }

    public LocalLambdaEndpoint lambda() {
        return lambda;
    }

    /** The workflow's ${...} values in the sandbox; scenarios may change tunables. */
    public Map<String, Object> substitutions() {
        return substitutions;
    }

    /** Calls {@code hook} with a step's input each time the workflow invokes the step (the benchmark keeps them). */
    public void beforeStep(String step, Consumer<JsonNode> hook) {
        beforeStep.computeIfAbsent(step, s -> new java.util.concurrent.CopyOnWriteArrayList<>()).add(hook);
    }

    private final Map<String, List<Consumer<JsonNode>>> beforeStep = new ConcurrentHashMap<>();

    /** Calls {@code hook} with a step's result each time the step succeeds (scenarios inject faults this way). */
    public void afterStep(String step, Consumer<JsonNode> hook) {
        afterStep.computeIfAbsent(step, s -> new java.util.concurrent.CopyOnWriteArrayList<>()).add(hook);
    }

    /** Makes Atlas's role unable to use a key (as an SCP or permissions boundary would). */
    public void blockAtlasFrom(String keyId) {
        keysAtlasCannotUse.add(io.atlascmk.rotator.kms.KeyIds.keyId(keyId));
    }

    // ------------------------------------------------------------------------------------------
    // Running the workflow
    // ------------------------------------------------------------------------------------------

    /** The rotation state machine's ARN as the fleet run names it in the sandbox. */
    public static final String ROTATION_STATE_MACHINE_ARN = "arn:aws:states:" + REGION + ":111122223333:stateMachine:sandbox-rotation";

    /**
     * Runs one fleet run (statemachine/fleet.asl.json): the real plan over the registry, and each due project's
     * rotation as a child execution of the real workflow, at most {@code maxConcurrency} at once.
     */
    public ExecutionResult executeFleet(String executionName, int maxConcurrency, Consumer<ExecutionEvent> listener) {
        Map<String, Object> fleetSubstitutions = Map.of("FleetPlanFunctionArn", "FleetPlan",
                "RotationStateMachineArn", ROTATION_STATE_MACHINE_ARN, "EventBusName", EVENT_BUS);
        return engine.run(executionName, Json.MAPPER.createObjectNode().put("maxConcurrency", maxConcurrency),
                fleetSubstitutions, lambda.endpoint(),
                Map.of("AWS_REGION", REGION, "AWS_ACCESS_KEY_ID", "sandbox", "AWS_SECRET_ACCESS_KEY", "sandbox"),
                true, true, listener);
    }

    /** Runs one execution of the real workflow and returns how it ended. */
    public ExecutionResult execute(String executionName, JsonNode input, Consumer<ExecutionEvent> listener) {
        running.add(executionName);
        startedAt.put(executionName, clock.instant());
        try {
            return engine.run(executionName, input, substitutions, lambda.endpoint(),
                    Map.of("AWS_REGION", REGION, "AWS_ACCESS_KEY_ID", "sandbox", "AWS_SECRET_ACCESS_KEY", "sandbox"),
                    true, listener);
        } finally {
            running.remove(executionName);
            startedAt.remove(executionName);
        }
    }

    // ------------------------------------------------------------------------------------------
    // Wiring
    // ------------------------------------------------------------------------------------------

    /**
     * Registers these projects with their settings, as a deploy seeds the registry from {@code
     * infra/rotator.config.json}: Preflight runs them with their settings, AuditAndRetire asks each of them which key
     * it uses before deleting an adopted key, and the webhook publishes their alerts.
     */
    public void deploy(ProjectSettings settings) {
        settings.byProject().forEach((projectId, s) -> registry.seed(new io.atlascmk.rotator.registry.RegisteredProject(
                projectId, REGION, null, null, s, io.atlascmk.rotator.registry.RegisteredProject.SOURCE_CONFIG,
                clock.instant())));
    }

    /** The deployment's project registry (in the sandbox's dynalite table), as the functions and the webhook read it. */
    public io.atlascmk.rotator.registry.ProjectRegistry registry() {
        return registry;
    }

    private io.atlascmk.rotator.registry.ProjectRegistry registry;

    /** An Atlas client of the sandbox's simulator, with the credentials in the sandbox's secret, as the functions build it. */
    public AtlasClient atlasClient() {
        AtlasClientConfig config = AtlasClientConfig.builder()
                .baseUrl(URI.create(atlas.baseUrl()))
                .clock(clock)
                // Retry pauses advance the sandbox clock instead of sleeping (Retry-After stays honoured).
                .sleeper(clock::advance)
                .build();
        return new AtlasClient(config, new SecretsManagerAtlasCredentials(secrets, SECRET_NAME));
    }

    private void registerHandlers() {
        AtlasClient atlasClient = atlasClient();
        StepDependencies deps = new StepDependencies(atlasClient, this::keyService, clock, running::contains,
                io.atlascmk.rotator.rotation.ProjectSettings.none(), this::keyUsage, lock,
                io.atlascmk.rotator.evidence.EvidenceStore.NONE).withEvidence(new io.atlascmk.rotator.evidence.S3EvidenceStore(s3, EVIDENCE_BUCKET));
        Map<String, RequestStreamHandler> handlers = LocalHandlers.create(deps,
                new io.atlascmk.rotator.registry.RegistrySettings(registry), metrics);
        for (String step : STEPS) {
            RequestStreamHandler handler = handlers.get(step);
            if (handler == null) {
                throw new IllegalStateException("LocalHandlers has no handler for step " + step + ".");
            }
            RequestStreamHandler hooked = hooked(step, handler);
            lambda.register(step, "CheckDeployment".equals(step) ? compressingWaits(hooked)
                    : "Rollback".equals(step) ? afterTheWorkflowsWait(hooked) : hooked);
        }
        lambda.register("arn:aws:states:::events:putEvents", this::putEvents);
        lambda.register("FleetPlan", new io.atlascmk.rotator.handler.FleetPlanHandler(registry,
                new io.atlascmk.rotator.fleet.FleetPlanner(this::keyService),
                io.atlascmk.rotator.fleet.FleetConcurrency.reading(atlasClient), clock, metrics));
        // the Record function: every event of the rotator's bus, kept in the evidence bucket and counted
        RequestStreamHandler record = LocalHandlers.record(new io.atlascmk.rotator.record.S3EventArchive(s3, EVIDENCE_BUCKET),
                metrics);
        aws.eventBridge().addRule(EVENT_BUS, RECORD_RULE, RECORD_RULE_PATTERN, event -> invoke(record, event.envelope()));
        lambda.register(io.atlascmk.cli.ChildExecutionIntegration.RESOURCE, io.atlascmk.cli.ChildExecutionIntegration
                .handler((name, input) -> execute(name, input, e -> { }), clock));
        RequestStreamHandler release = LockReleaseIntegration.handler(lock);
        lambda.register(LockReleaseIntegration.RESOURCE, (in, out, context) -> {
            if (lockReleasesFail.get()) {
                throw new IllegalStateException("DynamoDB.InternalServerErrorException: simulated: the lock table could not be reached");
            }
            release.handleRequest(in, out, context);
        });
    }

    /** The Record function's rule on the rotator's bus, as the stack deploys it. */
    public static final String RECORD_RULE = "record-every-event";
    public static final String RECORD_RULE_PATTERN = "{\"source\": [{\"prefix\": \"atlas-cmk-rotator\"}]}";

    /** A rule target's invocation: the event in, the handler's answer out (a failure is the stand-in's to keep). */
    private static JsonNode invoke(RequestStreamHandler handler, JsonNode event) {
        try {
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            handler.handleRequest(new java.io.ByteArrayInputStream(Json.MAPPER.writeValueAsBytes(event)), out, null);
            return Json.MAPPER.readTree(out.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private RequestStreamHandler hooked(String step, RequestStreamHandler handler) {
        return (in, out, context) -> {
            List<Consumer<JsonNode>> before = beforeStep.getOrDefault(step, List.of());
            if (!before.isEmpty()) {
                byte[] input = in.readAllBytes();
                JsonNode tree = Json.MAPPER.readTree(input);
                before.forEach(h -> h.accept(tree));
                in = new java.io.ByteArrayInputStream(input);
            }
            java.io.ByteArrayOutputStream buffer = new java.io.ByteArrayOutputStream();
            try {
                handler.handleRequest(in, buffer, context);
            } catch (RuntimeException | IOException failure) {
                // The engine retries at once; the sandbox clock moves on by the pause the workflow would take.
                clock.advance(retryPauses.after(step, failure.getClass().getName()));
                throw failure;
            }
            retryPauses.succeeded(step);
            byte[] result = buffer.toByteArray();
            List<Consumer<JsonNode>> hooks = afterStep.getOrDefault(step, List.of());
            if (!hooks.isEmpty()) {
                JsonNode output = Json.MAPPER.readTree(result);
                hooks.forEach(h -> h.accept(output));
            }
            out.write(result);
        };
    }

    /**
     * In AWS, CheckDeployment runs after the workflow's Wait state has let real time pass. The
     * sandbox's engine skips the wait, so time passes here instead: before each check the sandbox
     * clock moves on by the wait the workflow asked for.
     */
    private RequestStreamHandler compressingWaits(RequestStreamHandler check) {
        return (in, out, context) -> {
            JsonNode input = Json.MAPPER.readTree(in);
            long wait = input.path("attempt").asInt() == 0
                    ? input.path("firstWaitSeconds").asLong()
                    : compressedWaitSeconds.getOrDefault(input.path("rotationId").asText(), 0L);
            clock.advance(Duration.ofSeconds(Math.max(0, wait)));
            java.io.ByteArrayOutputStream buffer = new java.io.ByteArrayOutputStream();
            check.handleRequest(new java.io.ByteArrayInputStream(Json.MAPPER.writeValueAsBytes(input)), buffer, context);
            JsonNode result = Json.MAPPER.readTree(buffer.toByteArray());
            compressedWaitSeconds.put(input.path("rotationId").asText(), result.path("waitSeconds").asLong());
            out.write(buffer.toByteArray());
        };
    }

    /**
     * A step the workflow calls again after a Wait state (Rollback's checks): the engine skips the wait,
     * so before each call the sandbox clock moves on by the {@code waitSeconds} the workflow waited.
     */
    private RequestStreamHandler afterTheWorkflowsWait(RequestStreamHandler step) {
        return (in, out, context) -> {
            byte[] input = in.readAllBytes();
            long waited = Json.MAPPER.readTree(input).path("waitSeconds").asLong(0);
            clock.advance(Duration.ofSeconds(Math.max(0, waited)));
            step.handleRequest(new java.io.ByteArrayInputStream(input), out, context);
        };
    }

    /** The Step Functions EventBridge integration, served locally: forwards Notify's entries to the bus. */
    private void putEvents(java.io.InputStream in, java.io.OutputStream out,
                           com.amazonaws.services.lambda.runtime.Context context) throws IOException {
        JsonNode request = Json.MAPPER.readTree(in);
        List<PutEventsRequestEntry> entries = new java.util.ArrayList<>();
        for (JsonNode entry : request.path("Entries")) {
            JsonNode detail = entry.path("Detail");
            if (detail.isTextual()) {
                detail = Json.MAPPER.readTree(detail.asText());
            }
            Instant started = startedAt.get(detail.path("rotationId").asText(""));
            if (started != null && detail.has("startedAt") && detail.isObject()) {
                detail = ((ObjectNode) detail.deepCopy()).put("startedAt", started.toString());
            }
            entries.add(PutEventsRequestEntry.builder()
                    .eventBusName(entry.path("EventBusName").asText(EVENT_BUS))
                    .source(entry.path("Source").asText())
                    .detailType(entry.path("DetailType").asText())
                    .detail(detail.isTextual() ? detail.asText() : Json.MAPPER.writeValueAsString(detail))
                    .build());
        }
        PutEventsResponse response = eventBridge.putEvents(b -> b.entries(entries));
        ObjectNode result = Json.MAPPER.createObjectNode().put("FailedEntryCount", response.failedEntryCount());
        ArrayNode results = result.putArray("Entries");
        response.entries().forEach(e -> results.addObject().put("EventId", e.eventId()));
        Json.MAPPER.writeValue(out, result);
    }

    /** The rotator's KMS operations in a region (as the functions use them). */
    KeyService keys(String region) {
        return keyService(io.atlascmk.rotator.aws.KeyPlace.home(region));
    }

    /** The rotator's KMS operations on a place: a region of the home account or of a member account (through STS). */
    KeyService keys(io.atlascmk.rotator.aws.KeyPlace place) {
        return keyService(place);
    }

    private KeyService keyService(io.atlascmk.rotator.aws.KeyPlace place) {
        return keyServices.computeIfAbsent(place, p -> new KeyService(
                p.isHome() && REGION.equals(p.region()) ? kms : kmsClient(p.region(), credentialsFor(p)), DEPLOYMENT,
                new io.atlascmk.rotator.kms.DynamoDbKeyIndex(dynamo, LOCK_TABLE)));
    }

    /** CloudTrail's event history of the stand-in (the place's account); pauses between lookups move the sandbox clock. */
    private KeyUsageLog keyUsage(io.atlascmk.rotator.aws.KeyPlace place) {
        return usageLogs.computeIfAbsent(place, p -> new CloudTrailKeyUsage(CloudTrailClient.builder()
                .region(Region.of(p.region())).endpointOverride(awsEndpoint).credentialsProvider(credentialsFor(p))
                .httpClientBuilder(UrlConnectionHttpClient.builder()).build(), clock, clock::advance));
    }

    private KmsClient kmsClient(String region) {
        return kmsClient(region, credentials());
    }

    private KmsClient kmsClient(String region, software.amazon.awssdk.auth.credentials.AwsCredentialsProvider credentials) {
        return KmsClient.builder().region(Region.of(region)).endpointOverride(awsEndpoint)
                .credentialsProvider(credentials).httpClientBuilder(UrlConnectionHttpClient.builder()).build();
    }

    /**
     * The functions' credentials for a place: the sandbox's own, or a session of the member account's role opened with
     * the project's external id under the source identity {@value #SOURCE_IDENTITY} (the local runner serves every
     * step from one process, so one identity stands for all of them; the deployed member role tells them apart).
     */
    private synchronized software.amazon.awssdk.auth.credentials.AwsCredentialsProvider credentialsFor(
            io.atlascmk.rotator.aws.KeyPlace place) {
        if (place.isHome()) {
            return credentials();
        }
        if (memberCredentials == null) {
            memberCredentials = new io.atlascmk.rotator.aws.KeyAccountCredentials(software.amazon.awssdk.services.sts
                    .StsClient.builder().region(Region.of(REGION)).endpointOverride(awsEndpoint)
                    .credentialsProvider(credentials()).httpClientBuilder(UrlConnectionHttpClient.builder()).build(),
                    SOURCE_IDENTITY);
        }
        return memberCredentials.forAccount(place.account());
    }

    /** The source identity the sandbox's functions assume member roles under. */
    public static final String SOURCE_IDENTITY = "sandbox";

    /**
     * Adds an AWS account holding keys (its own KMS and CloudTrail) with a member role the sandbox's functions may
     * assume with {@code externalId}, as the member stack sets it up. Returns that account's KMS.
     */
    public io.atlascmk.sandbox.aws.KmsStandIn addKeyAccount(String roleArn, String externalId) {
        String account = io.atlascmk.rotator.kms.KeyIds.accountOf(roleArn);
        io.atlascmk.sandbox.aws.KmsStandIn member = aws.addAccount(account);
        member.tagAuthorizationDelay(NEW_KEY_TAG_AUTHORIZATION);
        member.policyPropagationDelay(POLICY_PROPAGATION);
        aws.sts().putRole(roleArn, externalId, Map.of("arn:aws:iam::" + AwsStandIn.ACCOUNT_ID + ":role/"
                + io.atlascmk.sandbox.aws.Principals.DEFAULT_ROLE_NAME, SOURCE_IDENTITY));
        return member;
    }

    private static StaticCredentialsProvider credentials() {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create("sandbox", "sandbox"));
    }

    /** Atlas's view of a key: usable when it exists, is enabled and its policy grants the role (and no scenario blocks it). */
    private KeyAccess keyAccess() {
        return (keyReference, roleArn) -> {
            if (keyReference == null) {
                return false;
            }
            // A key named by ARN is looked up in the account the ARN names; a bare id in the home account.
            String named = io.atlascmk.rotator.kms.KeyIds.accountOf(keyReference);
            String account = named == null ? AwsStandIn.ACCOUNT_ID : named;
            boolean served = aws.hasAccount(account);
            boolean usable = served && !keysAtlasCannotUse.contains(io.atlascmk.rotator.kms.KeyIds.keyId(keyReference))
                    && aws.kms(account).atlasRoleCanUse(keyReference, roleArn);
            if (!served) {
                return false;
            }
            // Atlas reaches KMS outside the sandbox's KMS API: its use goes into CloudTrail's history as AWS would log it.
            String keyArn = keyReference.startsWith("arn:") ? keyReference
                    : "arn:aws:kms:" + REGION + ":" + AwsStandIn.ACCOUNT_ID + ":key/" + keyReference;
            aws.cloudTrail(account).recordKmsUse(roleArn, "Decrypt", keyArn, clock.instant(),
                    usable ? null : "AccessDeniedException", usable ? null : "The role may not use this key.");
            return usable;
        };
    }

    private void defaultSubstitutions() {
        substitutions.putAll(LocalSubstitutions.of(STEPS, EVENT_BUS, LOCK_TABLE, 30, 7));
    }

    @Override
    public void close() {
        lambda.close();
        dynamo.close();
        dynalite.close();
        s3.close();
        s3rver.close();
        atlas.close();
        aws.close();
        kms.close();
        secrets.close();
        eventBridge.close();
        keyServices.clear();
    }
}
