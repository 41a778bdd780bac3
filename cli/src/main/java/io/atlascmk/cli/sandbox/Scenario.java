package io.atlascmk.cli.sandbox;

import static io.atlascmk.cli.sandbox.SandboxWorld.PROJECT_ID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.atlascmk.cli.ExecutionEvent;
import io.atlascmk.cli.ExecutionResult;
import io.atlascmk.rotator.json.Json;
import io.atlascmk.sandbox.atlas.AtlasOperation;
import io.atlascmk.sandbox.aws.AwsService;
import software.amazon.awssdk.core.SdkBytes;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/** The sandbox's named scenarios: each seeds the same project, then runs the real workflow one or more times. */
public enum Scenario {

    HAPPY("happy", "rotate the project's key: create, grant, switch, await deployment, finalize, audit") {
        @Override
        void play(Play play) {
            play.run("rotation-1", rotate());
        }
    },
    SNAPSHOTS_HOLD_OLD_KEY("snapshots-hold-old-key",
            "rotate (the old key's deletion is deferred: snapshots hold it), let 31 days pass, sweep (deletion scheduled)") {
        @Override
        void play(Play play) {
            play.run("rotation-1", rotate());
            play.note("31 days pass: the old key's snapshots expire (new ones use the new key) and its minimum"
                    + " retirement of 30 days ends");
            play.world().clock().advance(Duration.ofDays(31));
            play.run("sweep-1", sweep());
        }
    },
    ATLAS_REJECTS_KEY("atlas-rejects-key",
            "Atlas's role cannot use the new key (valid: false): the workflow rolls back to the old key") {
        @Override
        void play(Play play) {
            play.world().afterStep("SwitchAtlasKey", result -> play.world().blockAtlasFrom(result.path("customerMasterKeyID").asText()));
            play.note("Right after Atlas takes the new key, its IAM role is blocked from it (as a new SCP would)");
            play.run("rotation-1", rotate());
        }

        @Override
        public boolean playedAsDesigned(List<ExecutionResult> results) {
            return results.size() == 1 && "RotationRolledBack".equals(results.get(0).error());
        }
    },
    THROTTLED("throttled", "Atlas answers 429 and KMS throttles: the client and the workflow retry, the rotation completes") {
        @Override
        void play(Play play) {
            play.world().atlas().faults().throttleNext(AtlasOperation.GET_ENCRYPTION_AT_REST, 7, 2);
            play.world().aws().faults().throttleNext(AwsService.KMS, "CreateKey", 2);
            play.note("Atlas will answer the next 7 encryption-at-rest reads with 429 (Retry-After: 2); KMS throttles CreateKey twice");
            play.run("rotation-1", rotate());
        }
    },
    DRY_RUN("dry-run", "plan a rotation without changing anything: the plan is the output") {
        @Override
        void play(Play play) {
            play.run("dry-run-1", rotate().put("dryRun", true));
        }
    },
    ALERT("alert", "Atlas's rotation alert arrives by webhook (twice): the first delivery rotates, the repeat starts nothing new") {
        @Override
        void play(Play play) {
            AlertPath alerts = new AlertPath(play.world());
            String body = alerts.exampleAlertBody();
            for (int delivery = 1; delivery <= 2; delivery++) {
                var response = alerts.deliver(body);
                play.note("Atlas delivers alert AWS_ENCRYPTION_KEY_NEEDS_ROTATION (delivery " + delivery + "): webhook answered "
                        + response.statusCode() + " " + response.outcome());
                int started = 0;
                for (ObjectNode input : alerts.takeStarts()) {
                    started++;
                    play.run("alert-delivery-" + delivery + "-" + started, input);
                }
                play.world().clock().advance(Duration.ofMinutes(30));
            }
        }
    },
    TERMINATED_CLUSTER("terminated-cluster", "a cluster deleted with retained backups (configured nowhere) keeps a"
            + " 60-day snapshot under the old key: rotate, let 31 days pass, sweep (deletion still deferred: Atlas lists"
            + " the deleted cluster and its snapshot)") {
        @Override
        void play(Play play) {
            var project = play.world().project();
            project.addCluster(io.atlascmk.sandbox.atlas.ClusterSpec.replicaSet("legacy-billing").backupEnabled(true));
            String oldKey = project.awsKms().keyId();
            project.addSnapshot("legacy-billing", io.atlascmk.sandbox.atlas.SnapshotSeed
                    .takenAt(play.world().clock().instant().minus(Duration.ofDays(1)))
                    .retainedFor(Duration.ofDays(61)).key(oldKey).snapshotType("onDemand"));
            project.deleteCluster("legacy-billing", true);
            play.note("cluster legacy-billing was deleted with retainBackups: its 60-day snapshot under " + oldKey
                    + " is kept, and no extraClusterNames mentions it");
            play.run("rotation-1", rotate());
            play.note("31 days pass");
            play.world().clock().advance(Duration.ofDays(31));
            play.run("sweep-1", sweep());
        }
    },
    SHARED_KEY("shared-key", "the project's first key is also the key of another project of the deployment (staging):"
            + " rotate, let 31 days pass, sweep (the adopted key is kept, with the reason)") {
        @Override
        void play(Play play) {
            SandboxWorld world = play.world();
            String sharedKey = world.project().awsKms().customerMasterKeyID();
            var staging = world.atlas().createProject(STAGING_PROJECT_ID);
            staging.configureAwsKms(sharedKey, SandboxWorld.ATLAS_REGION, staging.addAwsIamRole(SandboxWorld.ATLAS_ROLE_ARN));
            world.deploy(new io.atlascmk.rotator.rotation.ProjectSettings(java.util.Map.of(
                    PROJECT_ID, new io.atlascmk.rotator.rotation.ExecutionSettings(null, null, null, null, null),
                    STAGING_PROJECT_ID, new io.atlascmk.rotator.rotation.ExecutionSettings(null, null, null, null, null))));
            play.note("project " + STAGING_PROJECT_ID + " (staging), also in this deployment, uses the same key " + sharedKey);
            play.run("rotation-1", rotate());
            play.note("31 days pass");
            world.clock().advance(Duration.ofDays(31));
            play.run("sweep-1", sweep());
        }
    },
    SHARED_OUTSIDE("shared-outside", "the project's first key is also the key of a project outside this deployment that"
            + " the same Atlas credentials can read (a team's sandbox): rotate, let 31 days pass, sweep (the adopted key is"
            + " kept: the audit asked every project the credentials can list)") {
        @Override
        void play(Play play) {
            SandboxWorld world = play.world();
            String sharedKey = world.project().awsKms().customerMasterKeyID();
            var outside = world.atlas().createProject(STAGING_PROJECT_ID).name("team-sandbox");
            outside.configureAwsKms(sharedKey, SandboxWorld.ATLAS_REGION, outside.addAwsIamRole(SandboxWorld.ATLAS_ROLE_ARN));
            play.note("project " + STAGING_PROJECT_ID + " (team-sandbox), not in this deployment, uses the same key " + sharedKey);
            play.run("rotation-1", rotate());
            play.note("31 days pass");
            world.clock().advance(Duration.ofDays(31));
            play.run("sweep-1", sweep());
        }
    },
    TRIPWIRE("tripwire", "rotate, let 31 days pass, sweep (the old key's deletion is scheduled), then Atlas restores an old"
            + " snapshot: KMS refuses (pending deletion), the tripwire cancels the deletion and enables the key") {
        @Override
        void play(Play play) {
            try (TripwirePath tripwire = new TripwirePath(play.world())) {
                String oldKey = play.world().project().awsKms().keyId();
                SdkBytes dataKey = tripwire.atlasWrapsADataKey(oldKey);
                play.note("Atlas wraps a snapshot's data key under the current key " + oldKey
                        + " (an on-demand snapshot kept outside the schedule)");
                play.run("rotation-1", rotate());
                play.note("31 days pass");
                play.world().clock().advance(Duration.ofDays(31));
                play.run("sweep-1", sweep());
                play.world().clock().advance(Duration.ofDays(3));
                play.note("3 days later (inside the 7-day pending window) someone restores that snapshot: Atlas asks KMS to decrypt its data key -> "
                        + tripwire.atlasRestores(dataKey));
                play.world().clock().advance(Duration.ofMinutes(6));
                for (JsonNode rescue : tripwire.trailDelivers()) {
                    play.note("the trail delivers the refused call to EventBridge; the tripwire rule runs Rescue: "
                            + rescue.path("outcome").asText() + " key " + rescue.path("keyArn").asText()
                            + " (" + rescue.path("operation").asText() + " by " + rescue.path("caller").asText() + ")");
                }
                play.note("Atlas retries the restore -> " + tripwire.atlasRestores(dataKey));
            }
        }
    },
    FLEET("fleet", "an organization's fleet: 100 projects registered with rate(90 days), keys in three AWS accounts (two"
            + " reached through their member roles) and two regions, mixed cluster shapes, 5,000 unrelated keys in one"
            + " region; one in ten was rotated today; one fleet run rotates every due project, 10 at a time, and prints"
            + " the wall time, Atlas calls, 429s and the largest payload") {
        @Override
        void play(Play play) {
            play.fleetFigures = FleetScenario.play(play.world(), play.out, play.fleetProjects, FLEET_CONCURRENCY,
                    play.progress, play.results);
        }

        @Override
        public boolean playedAsDesigned(List<ExecutionResult> results) {
            if (results.size() != 1 || !results.get(0).succeeded()) {
                return false;
            }
            JsonNode children = results.get(0).output().path("results");
            for (JsonNode child : children) {
                if (!"rotated".equals(child.path("outcome").asText())) {
                    return false;
                }
            }
            return children.size() > 0;
        }
    },
    KEY_MATERIAL("key-material", "the project is registered with method key-material (every 180 days): a manual rotation"
            + " turns KMS's automatic rotation on and rotates the material now; the key id and Atlas stay; a second start"
            + " an hour later is skipped by the cooldown") {
        @Override
        void play(Play play) {
            SandboxWorld world = play.world();
            world.registry().put(new io.atlascmk.rotator.registry.RegisteredProject(PROJECT_ID, SandboxWorld.REGION, null,
                    null, new io.atlascmk.rotator.rotation.ExecutionSettings(null, null, null, null, null, null, null, null,
                    "key-material", 180), io.atlascmk.rotator.registry.RegisteredProject.SOURCE_CLI, world.clock().instant()));
            play.note("project " + PROJECT_ID + " registered with method key-material, rotationPeriodDays 180");
            play.run("rotation-1", rotate());
            play.note("one hour later, a second start (a repeated alert)");
            world.clock().advance(Duration.ofHours(1));
            play.run("rotation-2", rotate());
        }
    },
    COOLDOWN("cooldown", "rotate, then start again at once: the second run is skipped by the cooldown") {
        @Override
        void play(Play play) {
            play.run("rotation-1", rotate());
            play.note("one hour later, a second start (a repeated schedule or alert)");
            play.world().clock().advance(Duration.ofHours(1));
            play.run("rotation-2", rotate());
        }
    };

    /** The second project of the shared-key scenario. */
    static final String STAGING_PROJECT_ID = "6a7b8c9d0e1f2a3b4c5d6e7f";

    private final String id;
    private final String description;

    Scenario(String id, String description) {
        this.id = id;
        this.description = description;
    }

    public String id() {
        return id;
    }

    public String description() {
        return description;
    }

    abstract void play(Play play);

    /** True when every execution ended as the scenario means it to (most: all succeeded). */
    public boolean playedAsDesigned(List<ExecutionResult> results) {
        return !results.isEmpty() && results.stream().allMatch(ExecutionResult::succeeded);
    }

    public static Scenario byId(String id) {
        return Arrays.stream(values()).filter(s -> s.id.equals(id.toLowerCase(Locale.ROOT))).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("Unknown scenario '" + id + "'. Choose one of: "
                        + String.join(", ", Arrays.stream(values()).map(Scenario::id).toList()) + "."));
    }

    /** Seeds a fresh world, plays the scenario and returns every execution it ran. */
    public List<ExecutionResult> playIn(SandboxWorld world, PrintStream out, Consumer<ExecutionEvent> progress) {
        return playIn(world, out, progress, DEFAULT_FLEET_PROJECTS);
    }

    /** As {@link #playIn(SandboxWorld, PrintStream, Consumer)}, with a fleet of {@code fleetProjects} projects. */
    public List<ExecutionResult> playIn(SandboxWorld world, PrintStream out, Consumer<ExecutionEvent> progress,
            int fleetProjects) {
        SandboxSeed.seed(world);
        Play play = new Play(world, out, progress);
        play.fleetProjects = fleetProjects;
        play(play);
        return play.results;
    }

    /** The fleet scenario's size unless told otherwise, and how many of its rotations run at once. */
    public static final int DEFAULT_FLEET_PROJECTS = 100;
    static final int FLEET_CONCURRENCY = 10;

    static ObjectNode rotate() {
        return Json.MAPPER.createObjectNode().put("projectId", PROJECT_ID).put("trigger", "manual");
    }

    static ObjectNode sweep() {
        return Json.MAPPER.createObjectNode().put("projectId", PROJECT_ID).put("trigger", "schedule").put("mode", "sweep");
    }

    /** What a scenario can do: run executions and say what it is doing. */
    static final class Play {
        private final SandboxWorld world;
        private final PrintStream out;
        private final Consumer<ExecutionEvent> progress;
        private final List<ExecutionResult> results = new ArrayList<>();
        /** The fleet scenario's size, and its figures once played. */
        int fleetProjects = DEFAULT_FLEET_PROJECTS;
        FleetScenario.Figures fleetFigures;

        Play(SandboxWorld world, PrintStream out, Consumer<ExecutionEvent> progress) {
            this.world = world;
            this.out = out;
            this.progress = progress;
        }

        SandboxWorld world() {
            return world;
        }

        void note(String text) {
            out.println("-- " + text);
        }

        /** One fleet run: the plan, then each due project's rotation as a child execution, {@code width} at a time. */
        ExecutionResult runFleet(String name, int width) {
            out.println();
            out.println("== fleet run " + name + " at " + world.clock().instant() + "  maxConcurrency " + width);
            ExecutionResult result = world.executeFleet(name, width, progress);
            result.output().path("results").forEach(r -> out.println("   " + r.path("projectId").asText() + "  "
                    + r.path("status").asText() + " " + r.path("outcome").asText("") + "  (" + r.path("execution").asText() + ")"));
            if (result.succeeded()) {
                out.println("   not due: " + result.output().path("plan").path("notDue").asInt() + " project(s)");
            }
            results.add(result);
            return result;
        }

        ExecutionResult run(String name, JsonNode input) {
            out.println();
            out.println("== execution " + name + " at " + world.clock().instant() + "  input " + input);
            ExecutionResult result = world.execute(name, input, progress);
            results.add(result);
            return result;
        }
    }
}
