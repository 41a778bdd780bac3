package io.atlascmk.cli.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import io.atlascmk.cli.ExecutionResult;
import io.atlascmk.cli.LocalLambdaEndpoint;
import io.atlascmk.rotator.aws.KeyAccount;
import io.atlascmk.rotator.kms.KeyTags;
import io.atlascmk.rotator.registry.RegisteredProject;
import io.atlascmk.sandbox.atlas.AtlasProject;
import io.atlascmk.sandbox.atlas.ClusterSpec;
import io.atlascmk.sandbox.atlas.SnapshotSeed;
import io.atlascmk.sandbox.aws.AwsStandIn;
import io.atlascmk.sandbox.aws.KmsStandIn;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A fleet of an organization's projects in the sandbox: their keys spread over three AWS accounts (this deployment's
 * and two member accounts reached through their roles) and two regions, mixed cluster shapes (replica sets, sharded
 * clusters, clusters with Cloud Backup snapshots under the current key, two clusters), one region holding 5,000
 * unrelated keys; one project in ten was rotated today, the rest are due. One fleet run rotates every due project,
 * as child executions of the real workflow, {@code maxConcurrency} at a time, and the figures say what it cost.
 */
public final class FleetScenario {

    static final List<String> ACCOUNTS = List.of(AwsStandIn.ACCOUNT_ID, "222233334444", "333344445555");
    static final List<String> REGIONS = List.of(SandboxWorld.REGION, "eu-west-1");
    static final int UNRELATED_KEYS = 5_000;

    /** What one fleet run cost. */
    public record Figures(int projects, int due, int rotated, int failed, int notDue, double wallSeconds, int atlasCalls,
            int atlas429s, int kmsKeysInBusiestRegion, LocalLambdaEndpoint.Payload largestPayload, int fleetOutputBytes,
            int stsSessions) {

        void print(PrintStream out) {
            out.println();
            out.println("Fleet figures");
            out.printf("  projects %d (accounts %d, regions %d), due %d, rotated %d, failed %d, not due %d%n",
                    projects, ACCOUNTS.size(), REGIONS.size(), due, rotated, failed, notDue);
            out.printf("  wall time of the fleet run: %.1f s%n", wallSeconds);
            out.printf("  Atlas calls: %d (%.1f per rotated project), 429 answers: %d%n", atlasCalls,
                    rotated == 0 ? 0.0 : atlasCalls / (double) rotated, atlas429s);
            out.printf("  keys in the busiest region: %d (%d unrelated)%n", kmsKeysInBusiestRegion, UNRELATED_KEYS);
            out.printf("  largest Lambda payload: %d bytes (%s %s); fleet execution output: %d bytes (limit 262,144)%n",
                    largestPayload.bytes(), largestPayload.functionName(), largestPayload.direction(), fleetOutputBytes);
            out.printf("  member-account role sessions opened: %d%n", stsSessions);
        }
    }

    private FleetScenario() {
    }

    /** The member role of an account, as the member stack names it for the sandbox's deployment. */
    static KeyAccount memberAccount(String account) {
        return new KeyAccount("arn:aws:iam::" + account + ":role/atlas-cmk-key-account-" + SandboxWorld.DEPLOYMENT,
                "sandbox-" + account);
    }

    /** A project id of the fleet: 24 hex digits, distinct per index. */
    static String projectId(int i) {
        return String.format(Locale.ROOT, "7f%06x0a1b2c3d4e5f6a7b", i);
    }

    /** Registers and seeds {@code projects} projects; returns the ids of the ones that are due. */
    static List<String> seed(SandboxWorld world, int projects, PrintStream out) {
        for (String account : ACCOUNTS.subList(1, ACCOUNTS.size())) {
            KeyAccount member = memberAccount(account);
            world.addKeyAccount(member.roleArn(), member.externalId());
        }
        KmsStandIn home = world.aws().kms();
        for (int k = 0; k < UNRELATED_KEYS; k++) {
            home.createKey(SandboxWorld.REGION, "another team's key " + k, Map.of("team", "payments-" + (k % 17)));
        }
        List<Place> fresh = new ArrayList<>();
        List<String> due = new ArrayList<>();
        for (int i = 0; i < projects; i++) {
            Place p = Place.of(i);
            String keyArn = world.aws().kms(p.account()).createKey(p.region(), "Atlas encryption at rest for project "
                    + p.projectId() + " (created by hand)", Map.of(), SandboxSeed.initialPolicy(p.account())).arn();
            AtlasProject project = world.atlas().createProject(p.projectId());
            project.configureAwsKms(keyArn, SandboxSeed.atlasRegion(p.region()),
                    project.addAwsIamRole(SandboxWorld.ATLAS_ROLE_ARN));
            shape(project, i, keyArn, world);
            world.registry().put(new RegisteredProject(p.projectId(), p.region(), "rate(90 days)", null, null,
                    RegisteredProject.SOURCE_CLI, world.clock().instant(),
                    p.member() == null ? null : p.member().roleArn(), p.member() == null ? null : p.member().externalId()));
            if (i % 10 == 9) {
                fresh.add(p);
            } else {
                due.add(p.projectId());
            }
        }
        out.println("-- " + projects + " projects registered with rate(90 days) across accounts " + ACCOUNTS + " and regions "
                + REGIONS + "; " + UNRELATED_KEYS + " unrelated keys in " + SandboxWorld.REGION + " of "
                + AwsStandIn.ACCOUNT_ID + "; their keys were made by hand; 100 days pass");
        world.clock().advance(Duration.ofDays(100));
        // one project in ten was rotated today: its key is this deployment's active key, made today
        Map<Place, String> freshKeys = new java.util.LinkedHashMap<>();
        for (Place p : fresh) {
            String keyArn = world.aws().kms(p.account()).createKey(p.region(), "the key rotated today for " + p.projectId(),
                    Map.of(), SandboxSeed.initialPolicy(p.account())).arn();
            AtlasProject project = world.atlas().project(p.projectId());
            project.configureAwsKms(keyArn, SandboxSeed.atlasRegion(p.region()), project.awsKms().roleId());
            freshKeys.put(p, keyArn);
        }
        world.clock().advance(Duration.ofMinutes(10)); // a new key's tags count for IAM only minutes later
        freshKeys.forEach((p, keyArn) -> world.keys(new io.atlascmk.rotator.aws.KeyPlace(p.region(), p.member())).tag(keyArn,
                Map.of(KeyTags.PROJECT, p.projectId(), KeyTags.DEPLOYMENT, SandboxWorld.DEPLOYMENT, KeyTags.STATE, "active")));
        out.println("-- " + fresh.size() + " of them were rotated today; " + (projects - fresh.size()) + " are due");
        return due;
    }

    /**
     * Where project {@code i} of the fleet keeps its keys: the accounts in turn, and the regions in turn every three.
     *
     * @param member the member account's role; null for this deployment's own account
     */
    record Place(String projectId, String account, String region, KeyAccount member) {
        static Place of(int i) {
            String account = ACCOUNTS.get(i % ACCOUNTS.size());
            return new Place(FleetScenario.projectId(i), account, REGIONS.get((i / ACCOUNTS.size()) % REGIONS.size()),
                    AwsStandIn.ACCOUNT_ID.equals(account) ? null : memberAccount(account));
        }
    }

    /** Mixed shapes: a replica set; one with snapshots under the current key; a sharded cluster; two clusters. */
    private static void shape(AtlasProject project, int i, String keyArn, SandboxWorld world) {
        switch (i % 4) {
            case 0 -> project.addCluster(ClusterSpec.replicaSet("app").backupEnabled(false));
            case 1 -> {
                project.addCluster(ClusterSpec.replicaSet("orders").backupEnabled(true));
                for (int s = 0; s < 3; s++) {
                    project.addSnapshot("orders", SnapshotSeed.takenAt(world.clock().instant().minus(Duration.ofDays(s + 1)))
                            .retainedFor(Duration.ofDays(7)).key(keyArn));
                }
            }
            case 2 -> project.addCluster(ClusterSpec.sharded("events", 3).backupEnabled(false));
            default -> {
                project.addCluster(ClusterSpec.replicaSet("web").backupEnabled(false));
                project.addCluster(ClusterSpec.sharded("analytics", 2).backupEnabled(false));
            }
        }
    }

    /** Seeds the fleet, runs one fleet run, prints and returns its figures. */
    public static Figures play(SandboxWorld world, PrintStream out, int projects, int maxConcurrency,
            java.util.function.Consumer<io.atlascmk.cli.ExecutionEvent> progress, List<ExecutionResult> results) {
        return run(world, out, projects, seed(world, projects, out), maxConcurrency, progress, results);
    }

    /** One fleet run over a seeded fleet ({@code due}: the projects {@link #seed} made due); prints its figures. */
    static Figures run(SandboxWorld world, PrintStream out, int projects, List<String> due, int maxConcurrency,
            java.util.function.Consumer<io.atlascmk.cli.ExecutionEvent> progress, List<ExecutionResult> results) {
        int callsBefore = world.atlas().callLog().size();
        out.println();
        out.println("== fleet run fleet-1 at " + world.clock().instant() + "  maxConcurrency " + maxConcurrency);
        long started = System.nanoTime();
        ExecutionResult run = world.executeFleet("fleet-1", maxConcurrency, progress);
        double wall = (System.nanoTime() - started) / 1e9;
        results.add(run);
        List<io.atlascmk.sandbox.atlas.CallRecord> calls = world.atlas().callLog();
        List<io.atlascmk.sandbox.atlas.CallRecord> ours;
        synchronized (calls) {
            ours = List.copyOf(calls.subList(callsBefore, calls.size()));
        }
        int rotated = 0;
        int failed = 0;
        JsonNode output = run.output();
        for (JsonNode r : output.path("results")) {
            if ("rotated".equals(r.path("outcome").asText())) {
                rotated++;
            } else {
                failed++;
                out.println("   " + r.path("projectId").asText() + "  " + r.path("status").asText() + " "
                        + r.path("outcome").asText("") + " " + r.path("error").asText(""));
            }
        }
        int busiest = 0;
        for (String account : ACCOUNTS) {
            for (String region : REGIONS) {
                busiest = Math.max(busiest, (int) world.aws().kms(account).keys().stream()
                        .filter(k -> k.arn().contains(":" + region + ":")).count());
            }
        }
        Figures figures = new Figures(projects, due.size(), rotated, failed, output.path("plan").path("notDue").asInt(),
                wall, ours.size(), (int) ours.stream().filter(c -> c.status() == 429).count(), busiest,
                world.lambda().largestPayload(), output.toString().length(), world.aws().sts().assumedCount());
        figures.print(out);
        return figures;
    }
}
