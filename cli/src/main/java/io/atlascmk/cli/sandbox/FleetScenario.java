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
        List<String> fresh = new ArrayList<>();
        List<String> all = new ArrayList<>();
        for (int i = 0; i < projects; i++) {
            String id = projectId(i);
            String account = ACCOUNTS.get(i % ACCOUNTS.size());
            String region = REGIONS.get((i / ACCOUNTS.size()) % REGIONS.size());
            KeyAccount member = AwsStandIn.ACCOUNT_ID.equals(account) ? null : memberAccount(account);
            KmsStandIn kms = world.aws().kms(account);
            String keyArn = kms.createKey(region, "Atlas encryption at rest for project " + id + " (created by hand)",
                    Map.of(), SandboxSeed.initialPolicy(account)).arn();
            AtlasProject project = world.atlas().createProject(id);
            project.configureAwsKms(keyArn, region.toUpperCase(Locale.ROOT).replace('-', '_'),
                    project.addAwsIamRole(SandboxWorld.ATLAS_ROLE_ARN));
            shape(project, i, keyArn, world);
            world.registry().put(new RegisteredProject(id, region, "rate(90 days)", null, null,
                    RegisteredProject.SOURCE_CLI, world.clock().instant(),
                    member == null ? null : member.roleArn(), member == null ? null : member.externalId()));
            all.add(id);
            if (i % 10 == 9) {
                fresh.add(id);
            }
        }
        out.println("-- " + projects + " projects registered with rate(90 days) across accounts " + ACCOUNTS + " and regions "
                + REGIONS + "; " + UNRELATED_KEYS + " unrelated keys in " + SandboxWorld.REGION + " of "
                + AwsStandIn.ACCOUNT_ID + "; their keys were made by hand; 100 days pass");
        world.clock().advance(Duration.ofDays(100));
        // one project in ten was rotated today: its key is this deployment's active key, made today
        List<String[]> freshKeys = new ArrayList<>();
        for (String id : fresh) {
            int i = all.indexOf(id);
            String account = ACCOUNTS.get(i % ACCOUNTS.size());
            String region = REGIONS.get((i / ACCOUNTS.size()) % REGIONS.size());
            String keyArn = world.aws().kms(account).createKey(region, "the key rotated today for " + id, Map.of(),
                    SandboxSeed.initialPolicy(account)).arn();
            world.atlas().project(id).configureAwsKms(keyArn, region.toUpperCase(Locale.ROOT).replace('-', '_'),
                    world.atlas().project(id).awsKms().roleId());
            freshKeys.add(new String[] {id, account, region, keyArn});
        }
        world.clock().advance(Duration.ofMinutes(10)); // a new key's tags count for IAM only minutes later
        for (String[] f : freshKeys) {
            KeyAccount member = AwsStandIn.ACCOUNT_ID.equals(f[1]) ? null : memberAccount(f[1]);
            world.keys(new io.atlascmk.rotator.aws.KeyPlace(f[2], member)).tag(f[3], Map.of(KeyTags.PROJECT, f[0],
                    KeyTags.DEPLOYMENT, SandboxWorld.DEPLOYMENT, KeyTags.STATE, "active"));
        }
        out.println("-- " + fresh.size() + " of them were rotated today; " + (projects - fresh.size()) + " are due");
        return all.stream().filter(id -> !fresh.contains(id)).toList();
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
