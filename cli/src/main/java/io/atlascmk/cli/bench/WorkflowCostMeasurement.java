package io.atlascmk.cli.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.atlascmk.cli.ExecutionResult;
import io.atlascmk.cli.LocalLambdaEndpoint;
import io.atlascmk.cli.sandbox.SandboxSeed;
import io.atlascmk.cli.sandbox.SandboxWorld;
import io.atlascmk.rotator.json.Json;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What a rotation costs in the workflow: state transitions outside the CheckDeployment wait loop (a sandbox rotation's
 * event log), the loop's iterations for a deployment that takes 40 minutes (computed from the definition's waits, and
 * seen in a sandbox rotation whose Atlas takes 40 minutes), and the monthly bill of 100 projects rotating every 90 days
 * with daily sweeps, from the counted transitions, Lambda invocations and durations, DynamoDB, S3, KMS and EventBridge
 * requests of one rotation and one sweep, at the prices in {@link CostModel.Prices#PUBLISHED}.
 */
final class WorkflowCostMeasurement implements Measurement {

    static final int TRANSITIONS_GOAL = 30;
    static final Duration SLOW_DEPLOYMENT = Duration.ofMinutes(40);
    /** The Lambda-backed states and their memory, as infra/.../RotatorStep.java deploys them. */
    static final Map<String, Integer> STEP_MEMORY_MB = Map.of("Preflight", 1024, "CreateKey", 1024, "GrantAtlasAccess", 1024,
            "SwitchAtlasKey", 1024, "CheckDeployment", 1024, "Finalize", 1024, "AuditAndRetire", 2048, "Rollback", 1024,
            "RotateKeyMaterial", 1024);
    static final int PROJECTS = 100;
    static final int ROTATION_PERIOD_DAYS = 90;
    /** The old key stays enabled (billed) at least its minimum retirement after a rotation (the deployment's default). */
    static final int MIN_RETIREMENT_DAYS = 30;
    private static final String PUT_EVENTS = "arn:aws:states:::events:putEvents";

    @Override
    public String name() {
        return "workflow cost";
    }

    @Override
    public List<BenchRow> run(BenchContext context) throws Exception {
        List<BenchRow> rows = new ArrayList<>();
        Measured rotation;
        Measured sweep;
        Map<String, List<Double>> durations;
        long firstWait;
        long maxWait;
        int defaultChecks;
        Duration defaultSwitch;
        try (SandboxWorld world = new SandboxWorld()) {
            SandboxSeed.seed(world);
            durations = timeSteps(world);
            context.say("a sandbox rotation, then 31 days, then a sweep");
            rotation = measure(world, "rotation-1", Json.MAPPER.createObjectNode().put("projectId", SandboxWorld.PROJECT_ID)
                    .put("trigger", "manual"), durations);
            context.publish("rotationWallSeconds", rotation.wallSeconds());
            world.clock().advance(Duration.ofDays(31));
            sweep = measure(world, "sweep-1", Json.MAPPER.createObjectNode().put("projectId", SandboxWorld.PROJECT_ID)
                    .put("trigger", "schedule").put("mode", "sweep"), durations);
            firstWait = ((Number) world.substitutions().get("FirstWaitSeconds")).longValue();
            maxWait = ((Number) world.substitutions().get("MaxWaitSeconds")).longValue();
            defaultChecks = io.atlascmk.cli.bench.Transitions.entered(rotation.result.events(), "CheckDeployment");
            defaultSwitch = world.atlas().keySwitchDuration();
        }
        int observedSlow;
        try (SandboxWorld world = new SandboxWorld()) {
            SandboxSeed.seed(world);
            world.atlas().keySwitchDuration(SLOW_DEPLOYMENT);
            context.say("a sandbox rotation whose Atlas deployment takes " + SLOW_DEPLOYMENT.toMinutes() + " minutes");
            ExecutionResult slow = world.execute("rotation-slow", Json.MAPPER.createObjectNode()
                    .put("projectId", SandboxWorld.PROJECT_ID).put("trigger", "manual"), e -> { });
            if (!slow.succeeded()) {
                throw new IllegalStateException("the 40-minute rotation failed: " + slow.error() + " " + slow.cause());
            }
            observedSlow = io.atlascmk.cli.bench.Transitions.entered(slow.events(), "CheckDeployment");
        }
        // Atlas starts re-encrypting 30 s after the switch (SandboxWorld's updateStartDelay), then takes the 40 minutes
        long doneAfter = SLOW_DEPLOYMENT.toSeconds() + 30;
        int computed = WaitLoop.checks(doneAfter, firstWait, maxWait);

        Transitions t = rotation.transitions;
        rows.add(BenchRow.judged("workflow: state transitions per rotation outside the wait loop",
                t.outsideLoop() + " (+ " + t.retried() + " retries)",
                "Task states entered (the work): " + t.tasksEntered(), "≤ " + TRANSITIONS_GOAL, t.outsideLoop() <= TRANSITIONS_GOAL));
        rows.add(BenchRow.info("workflow: state transitions per sweep", String.valueOf(sweep.transitions.entered()),
                "Task states entered: " + sweep.transitions.tasksEntered()));
        rows.add(BenchRow.judged("workflow: wait-loop iterations, " + SLOW_DEPLOYMENT.toMinutes() + "-min deployment",
                computed + " computed, " + observedSlow + " in the sandbox (waits " + firstWait + " s doubling to " + maxWait
                        + " s; last check at " + WaitLoop.lastCheckAt(doneAfter, firstWait, maxWait) / 60 + " min)",
                defaultChecks + " for the simulator's default " + defaultSwitch.toMinutes() + "-min deployment",
                "sandbox = computed", computed == observedSlow));

        // the bill: a rotation with the 40-minute loop, each Lambda invocation billed as measured
        String durationSource = context.figure("coldStartMs.CheckDeploymentHandler").isPresent()
                ? "cold start measured above where there is one, else in-process" : "in-process";
        CostModel.Usage r = rotation.usage(durations, context, computed, 3 * computed);
        CostModel.Usage s = sweep.usage(durations, context, 0, 0);
        double keysPerProject = 1 + (double) MIN_RETIREMENT_DAYS / ROTATION_PERIOD_DAYS;
        CostModel.Fleet fleet = new CostModel.Fleet(PROJECTS, ROTATION_PERIOD_DAYS, 1, keysPerProject);
        List<CostModel.Line> bill = CostModel.monthly(fleet, r, s, CostModel.Prices.PUBLISHED);
        String perRun = String.format(Locale.ROOT, "per rotation %.0f transitions, %.1f GB-s; per sweep %.0f, %.1f GB-s",
                r.transitions(), r.lambdaGbSeconds(), s.transitions(), s.lambdaGbSeconds());
        for (CostModel.Line line : bill) {
            rows.add(BenchRow.info("cost/month: " + line.item(), String.format(Locale.ROOT, "$%.2f (%,.0f %s)", line.dollars(),
                    line.quantity(), line.unit()), BenchRow.NONE));
        }
        context.note(String.format(Locale.ROOT, "Cost: %d projects rotating every %d days (each deployment 40 min, so %d"
                        + " wait-loop checks), one sweep per project per day; %.2f KMS keys per project (the old key stays enabled %d"
                        + " days after a rotation); transitions, Lambda invocations, DynamoDB, S3, KMS and EventBridge requests counted"
                        + " in the sandbox rotation and sweep above; Lambda at the deployed memory (RotatorStep), durations: %s."
                        + " Not counted: Secrets Manager, CloudWatch Logs, data transfer.", PROJECTS, ROTATION_PERIOD_DAYS, computed,
                keysPerProject, MIN_RETIREMENT_DAYS, durationSource));
        context.note("Prices: " + CostModel.Prices.PUBLISHED.source() + ".");
        rows.add(BenchRow.info("cost/month: total",
                String.format(Locale.ROOT, "$%.2f", CostModel.total(bill)), perRun));
        return rows;
    }

    /** Times each step's successful invocations in this process (the hooks run on the invoking thread). */
    private static Map<String, List<Double>> timeSteps(SandboxWorld world) {
        Map<String, List<Double>> durations = new ConcurrentHashMap<>();
        ThreadLocal<Long> started = new ThreadLocal<>();
        for (String step : STEP_MEMORY_MB.keySet()) {
            world.beforeStep(step, in -> started.set(System.nanoTime()));
            world.afterStep(step, out -> {
                Long t0 = started.get();
                if (t0 != null) {
                    durations.computeIfAbsent(step, k -> new java.util.concurrent.CopyOnWriteArrayList<>())
                            .add((System.nanoTime() - t0) / 1e6);
                }
            });
        }
        return durations;
    }

    private static Measured measure(SandboxWorld world, String name, JsonNode input, Map<String, List<Double>> durations) {
        world.aws().faults().resetCounts();
        world.resetDynamoRequests();
        int invocationsBefore = world.lambda().invocations().size();
        int objectsBefore = objects(world);
        long t0 = System.nanoTime();
        ExecutionResult result = world.execute(name, input, e -> { });
        double wallSeconds = (System.nanoTime() - t0) / 1e9;
        if (!result.succeeded()) {
            throw new IllegalStateException(name + " failed: " + result.error() + " " + result.cause());
        }
        List<LocalLambdaEndpoint.Invocation> invocations = world.lambda().invocations();
        int events = (int) invocations.subList(invocationsBefore, invocations.size()).stream()
                .filter(i -> PUT_EVENTS.equals(i.functionName())).count();
        int kms = world.aws().faults().callCounts().entrySet().stream().filter(e -> e.getKey().startsWith("TrentService."))
                .mapToInt(Map.Entry::getValue).sum();
        double[] units = CostModel.requestUnits(world.dynamoRequests());
        Transitions transitions = Transitions.count(result.events(), Transitions.WAIT_LOOP, STEP_MEMORY_MB.keySet());
        return new Measured(result, transitions, events, kms, units[0], units[1], objects(world) - objectsBefore, wallSeconds);
    }

    private static int objects(SandboxWorld world) {
        return world.s3().listObjectsV2(b -> b.bucket(SandboxWorld.EVIDENCE_BUCKET)).keyCount();
    }

    /** One execution's counts. */
    private record Measured(ExecutionResult result, Transitions transitions, int events, int kmsRequests,
                            double dynamoWrites, double dynamoReads, int s3Puts, double wallSeconds) {

        /**
         * Its usage, the wait loop replaced by {@code loopChecks} checks ({@code loopTransitions} transitions); each Lambda
         * invocation billed at the handler's measured cold start when the run has one, else at its in-process duration.
         */
        CostModel.Usage usage(Map<String, List<Double>> durations, BenchContext context, int loopChecks, int loopTransitions) {
            double gbSeconds = 0;
            int requests = 0;
            Set<String> steps = STEP_MEMORY_MB.keySet();
            List<String> invoked = new ArrayList<>();
            result.events().stream().filter(e -> "StateEntered".equals(e.type()) && steps.contains(e.state())
                    && !Transitions.WAIT_LOOP.contains(e.state())).forEach(e -> invoked.add(e.state()));
            for (int i = 0; i < loopChecks; i++) {
                invoked.add("CheckDeployment");
            }
            for (String step : invoked) {
                double ms = context.figure("coldStartMs." + step + "Handler").orElseGet(() -> durations.getOrDefault(step,
                        List.of(0.0)).stream().mapToDouble(Double::doubleValue).average().orElse(0));
                gbSeconds += STEP_MEMORY_MB.get(step) / 1024.0 * ms / 1000.0;
                requests++;
            }
            double transitionCount = transitions.outsideLoop() + transitions.retried() + loopTransitions
                    + (loopTransitions == 0 ? transitions.inLoop() : 0);
            return new CostModel.Usage(transitionCount, gbSeconds, requests, events, dynamoWrites, dynamoReads, s3Puts,
                    kmsRequests);
        }
    }
}
