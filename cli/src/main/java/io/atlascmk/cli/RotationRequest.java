package io.atlascmk.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.atlascmk.rotator.json.Json;
import java.time.Instant;
import picocli.CommandLine.Option;

/** The options that say which rotation to start ({@code start} and {@code run} share them) and the input they make. */
final class RotationRequest {

    @Option(names = "--project", required = true, description = "Atlas project (group) id, 24 hex characters.")
    String projectId;

    @Option(names = "--dry-run", description = "Plan only: change nothing; the plan is the execution output.")
    boolean dryRun;

    @Option(names = "--force", description = "Rotate even inside the cooldown (never skips the lock).")
    boolean force;

    /** The execution input of a manual start, as events/manual-start.json (dryRun and force only when set). */
    ObjectNode executionInput() {
        ObjectNode input = Json.MAPPER.createObjectNode().put("projectId", projectId).put("trigger", "manual");
        if (dryRun) {
            input.put("dryRun", true);
        }
        if (force) {
            input.put("force", true);
        }
        return input;
    }

    /** A unique, valid execution name: {@code PREFIX-[dry-run-]TIMESTAMP}. */
    String executionName(String prefix) {
        return prefix + (dryRun ? "-dry-run-" : "-") + Instant.now().toString().replace(":", "-").replace(".", "-");
    }
}
