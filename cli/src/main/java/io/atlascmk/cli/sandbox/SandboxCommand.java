package io.atlascmk.cli.sandbox;

import io.atlascmk.cli.ExecutionResult;
import io.atlascmk.cli.ProgressPrinter;
import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code rotator sandbox [SCENARIO]}: a whole rotation on this machine, against the stand-ins. */
@Command(name = "sandbox", mixinStandardHelpOptions = true,
        description = {"Runs a rotation on this machine: the real workflow and handlers against stand-ins for AWS and Atlas.",
                "Scenarios: happy (default), snapshots-hold-old-key, atlas-rejects-key, throttled, dry-run, cooldown, alert, terminated-cluster, shared-key, shared-outside, tripwire, fleet, key-material."})
public final class SandboxCommand implements Callable<Integer> {

    @Parameters(index = "0", defaultValue = "happy", paramLabel = "SCENARIO", description = "Scenario to play (default: ${DEFAULT-VALUE}).")
    String scenarioName;

    @Option(names = "--list", description = "List the scenarios and exit.")
    boolean list;

    @Option(names = "--projects", paramLabel = "N", description = "The fleet scenario's number of projects (default: 100).")
    int fleetProjects = Scenario.DEFAULT_FLEET_PROJECTS;

    @Override
    public Integer call() {
        PrintStream out = System.out;
        if (list) {
            for (Scenario s : Scenario.values()) {
                out.printf("  %-24s %s%n", s.id(), s.description());
            }
            return 0;
        }
        Scenario scenario = Scenario.byId(scenarioName);
        long started = System.nanoTime();
        out.println("Sandbox scenario '" + scenario.id() + "': " + scenario.description());
        try (SandboxWorld world = new SandboxWorld()) {
            out.println("Stand-ins: AWS (KMS, Secrets Manager, EventBridge) at " + world.aws().endpoint()
                    + ", Atlas at " + world.atlas().baseUrl() + ", Lambda at " + world.lambda().endpoint());
            if (fleetProjects < 3) {
                out.println("--projects must be at least 3 (one per simulated AWS account), not " + fleetProjects + ".");
                return 2;
            }
            List<ExecutionResult> results = scenario.playIn(world, out, new ProgressPrinter(out), fleetProjects);
            out.println();
            new SandboxSummary(world).print(out, results);
            out.printf("%nWall time: %.1f s%n", (System.nanoTime() - started) / 1e9);
            return scenario.playedAsDesigned(results) ? 0 : 1;
        }
    }
}
