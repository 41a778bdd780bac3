package io.atlascmk.cli;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.atlascmk.rotator.atlas.AtlasClient;
import io.atlascmk.rotator.atlas.Sleeper;
import io.atlascmk.rotator.aws.AwsClients;
import io.atlascmk.rotator.trail.CloudTrailKeyUsage;
import io.atlascmk.rotator.trail.KeyUsageLog;
import io.atlascmk.rotator.handler.LocalHandlers;
import io.atlascmk.rotator.handler.ProjectSettingsVariable;
import io.atlascmk.rotator.json.Json;
import io.atlascmk.rotator.lock.DynamoDbRotationLock;
import io.atlascmk.rotator.lock.RotationLock;
import io.atlascmk.rotator.kms.DynamoDbKeyIndex;
import io.atlascmk.rotator.kms.KeyService;
import io.atlascmk.rotator.rotation.StepDependencies;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * {@code rotator run}: one rotation of a real project, against real AWS (the default credentials
 * chain) and real Atlas, executed on this machine by the same workflow and handlers as in AWS,
 * without deploying anything. Waits are real.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Rotates one real project's key from this machine (real AWS and Atlas, nothing deployed).")
public final class RunCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    RotationRequest request = new RotationRequest();

    @Option(names = "--atlas-secret", required = true,
            description = "Secrets Manager secret (name or ARN) with the Atlas credentials: {clientId, clientSecret} or {publicKey, privateKey}.")
    String atlasSecret;

    @Option(names = "--atlas-base-url", description = "Atlas base URL (default https://cloud.mongodb.com).")
    String atlasBaseUrl;

    @Option(names = "--event-bus", description = "EventBridge bus for the outcome events; without it they are printed here.")
    String eventBus;

    @Option(names = "--pending-window-days", defaultValue = "30", description = "KMS pending window for deletions, 7-30 (default ${DEFAULT-VALUE}).")
    int pendingWindowDays;

    @Option(names = "--extra-cluster", paramLabel = "NAME",
            description = "A terminated cluster whose snapshots may still hold old keys (repeatable); added to those in $ROTATOR_PROJECT_SETTINGS.")
    java.util.List<String> extraClusters = new java.util.ArrayList<>();

    @Option(names = "--deployment", defaultValue = "${env:ROTATOR_DEPLOYMENT:-AtlasCmkRotator}",
            description = "The deployed stack's name, which its keys carry in atlas-cmk-rotator:deployment (default: $ROTATOR_DEPLOYMENT, else ${DEFAULT-VALUE}): a local run creates and changes only that deployment's keys, as the deployed functions do.")
    String deployment;

    @Option(names = "--lock-table", defaultValue = "${env:ROTATOR_LOCK_TABLE:-atlas-cmk-rotator-locks}",
            description = "The deployment's lock table (default: $ROTATOR_LOCK_TABLE, else ${DEFAULT-VALUE}): a local run takes the same lock as the deployed workflow.")
    String lockTable;

    /**
     * Whether another holder of the lock still runs: this run's own executions are known here; a deployed
     * execution is asked of Step Functions when ROTATOR_STATE_MACHINE_ARN is set, else the answer is
     * unknown and the lock is not taken over (the run stops, saying so).
     */
    private static java.util.function.Predicate<String> executionRunning(Set<String> running) {
        // Built on first need (a lock held by another execution), once: one Step Functions client per run.
        java.util.concurrent.atomic.AtomicReference<io.atlascmk.rotator.rotation.RotationRegistry> registry =
                new java.util.concurrent.atomic.AtomicReference<>();
        return name -> {
            if (running.contains(name)) {
                return true;
            }
            try {
                return registry.updateAndGet(r -> r != null ? r
                        : io.atlascmk.rotator.aws.StepFunctionsRotationRegistry.fromEnvironment()).isRunning(name);
            } catch (IllegalStateException | IllegalArgumentException unknown) {
                throw new IllegalStateException("Cannot tell whether execution " + name + " still runs (set"
                        + " ROTATOR_STATE_MACHINE_ARN to the deployed state machine's ARN): the lock it holds is kept.", unknown);
            }
        };
    }

    @Option(names = "--cooldown-days", defaultValue = "30", description = "Skip when the key is younger than this (default ${DEFAULT-VALUE}).")
    int cooldownDays;

    private final Supplier<SecretsManagerClient> secretsManager;
    private final Function<String, KmsClient> kmsClients;

    /** The command line's: the default credentials chain, region and endpoint ({@code AWS_ENDPOINT_URL} included). */
    public RunCommand() {
        this(AwsClients::secretsManager, AwsClients::kms);
    }

    /**
     * @param secretsManager the Secrets Manager client that reads the Atlas credentials (shared: not closed)
     * @param kmsClients     the KMS client of a region (shared: not closed)
     */
    RunCommand(Supplier<SecretsManagerClient> secretsManager, Function<String, KmsClient> kmsClients) {
        this.secretsManager = secretsManager;
        this.kmsClients = kmsClients;
    }

    @Override
    public Integer call() throws IOException {
        Arguments.requireProjectId(spec, request.projectId);
        if (atlasSecret.isBlank()) {
            throw Arguments.invalid(spec, "--atlas-secret is empty: give the name or ARN of the secret with the Atlas credentials.");
        }
        if (pendingWindowDays < KeyService.MIN_PENDING_WINDOW_DAYS || pendingWindowDays > KeyService.MAX_PENDING_WINDOW_DAYS) {
            throw Arguments.invalid(spec, "--pending-window-days is " + pendingWindowDays + ": KMS accepts "
                    + KeyService.MIN_PENDING_WINDOW_DAYS + " to " + KeyService.MAX_PENDING_WINDOW_DAYS + " days.");
        }
        if (cooldownDays < 0) {
            throw Arguments.invalid(spec, "--cooldown-days is " + cooldownDays + ": give 0 (no cooldown) or more days.");
        }
        Map<String, String> env = new LinkedHashMap<>(System.getenv());
        env.put(AtlasClient.ENV_SECRET_ARN, atlasSecret);
        if (atlasBaseUrl != null) {
            env.put(AtlasClient.ENV_BASE_URL, atlasBaseUrl);
        }
        AtlasClient atlas = AtlasClient.fromEnvironment(env, secretsManager.get());
        Map<String, KeyService> keys = new ConcurrentHashMap<>();
        Set<String> running = ConcurrentHashMap.newKeySet();
        Map<String, KeyUsageLog> usage = new ConcurrentHashMap<>();
        // The deployment's lock table: a local run and the deployed workflow never rotate one project at once.
        RotationLock lock = new DynamoDbRotationLock(AwsClients.dynamoDb(), lockTable, Clock.systemUTC(),
                java.time.Duration.ofHours(2), executionRunning(running));
        StepDependencies deps = new StepDependencies(atlas,
                region -> keys.computeIfAbsent(region, r -> new KeyService(kmsClients.apply(r), deployment,
                        new DynamoDbKeyIndex(AwsClients.dynamoDb(), lockTable))), Clock.systemUTC(),
                running::contains, region -> usage.computeIfAbsent(region,
                        r -> new CloudTrailKeyUsage(AwsClients.cloudTrail(r), Clock.systemUTC(), Sleeper.SYSTEM)), lock);

        String name = request.executionName("local");
        try (LocalLambdaEndpoint endpoint = new LocalLambdaEndpoint()) {
            // The same per-project settings a deployed Preflight reads (extraClusterNames above all), if set here.
            // The settings the deployed functions read (the registry in the lock table), unless given here.
            Map<String, RequestStreamHandler> handlers = LocalHandlers.create(deps, env.containsKey(ProjectSettingsVariable.NAME)
                    ? ProjectSettingsVariable.fromEnvironment(env)
                    : new io.atlascmk.rotator.registry.RegistrySettings(
                            new io.atlascmk.rotator.registry.DynamoDbProjectRegistry(AwsClients.dynamoDb(), lockTable)));
            handlers.forEach(endpoint::register);
            endpoint.register("arn:aws:states:::events:putEvents", eventBus == null ? this::printEvents : forwardTo(eventBus));
            endpoint.register(LockReleaseIntegration.RESOURCE, LockReleaseIntegration.handler(lock));

            Map<String, Object> substitutions = LocalSubstitutions.of(handlers.keySet(),
                    eventBus == null ? "printed-locally" : eventBus, lockTable, cooldownDays, pendingWindowDays);

            ObjectNode input = request.executionInput();
            if (!extraClusters.isEmpty()) {
                input.putObject("settings").set("extraClusterNames", Json.MAPPER.valueToTree(extraClusters));
            }
            System.out.println("Local run " + name + " of project " + request.projectId + (request.dryRun ? " (dry run)" : ""));
            running.add(name);
            ExecutionResult result;
            try {
                result = new NodeEngine(NodeEngine.locateStatemachineDir(Path.of(""))).run(name, input, substitutions,
                        endpoint.endpoint(), Map.of("AWS_ACCESS_KEY_ID", "local", "AWS_SECRET_ACCESS_KEY", "local",
                                "AWS_REGION", env.getOrDefault("AWS_REGION", "us-east-1")),
                        false, new ProgressPrinter(System.out));
            } finally {
                running.remove(name);
            }
            System.out.println(result.succeeded() ? result.output().toPrettyString() : "FAILED " + result.error() + ": " + result.cause());
            return result.succeeded() ? 0 : 1;
        }
    }

    private void printEvents(java.io.InputStream in, java.io.OutputStream out, com.amazonaws.services.lambda.runtime.Context c)
            throws IOException {
        JsonNode request = Json.MAPPER.readTree(in);
        for (JsonNode entry : request.path("Entries")) {
            System.out.println("  event: " + entry.path("DetailType").asText() + " " + entry.path("Detail"));
        }
        Json.MAPPER.writeValue(out, Json.MAPPER.createObjectNode().put("FailedEntryCount", 0));
    }

    private RequestStreamHandler forwardTo(String bus) {
        EventBridgeClient events = EventBridgeClient.create();
        return (in, out, context) -> {
            JsonNode request = Json.MAPPER.readTree(in);
            java.util.List<PutEventsRequestEntry> entries = new java.util.ArrayList<>();
            for (JsonNode entry : request.path("Entries")) {
                entries.add(PutEventsRequestEntry.builder().eventBusName(bus).source(entry.path("Source").asText())
                        .detailType(entry.path("DetailType").asText()).detail(entry.path("Detail").toString()).build());
            }
            int failed = events.putEvents(b -> b.entries(entries)).failedEntryCount();
            Json.MAPPER.writeValue(out, Json.MAPPER.createObjectNode().put("FailedEntryCount", failed));
        };
    }
}
