package io.atlascmk.cli.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import io.atlascmk.cli.ExecutionResult;
import io.atlascmk.rotator.kms.KeyTags;
import io.atlascmk.sandbox.atlas.AtlasProject;
import io.atlascmk.sandbox.atlas.ClusterView;
import io.atlascmk.sandbox.atlas.SnapshotRecord;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awssdk.services.kms.model.KeyMetadata;

/** The closing summary of a sandbox run: what Atlas uses now, every key of the project, what each run did. */
final class SandboxSummary {

    private final SandboxWorld world;

    SandboxSummary(SandboxWorld world) {
        this.world = world;
    }

    void print(PrintStream out, List<ExecutionResult> results) {
        AtlasProject project = world.project();
        out.println("Summary (sandbox time " + world.clock().instant() + ")");
        out.println("  Atlas project " + project.groupId() + " uses key " + project.awsKms().keyId()
                + " (valid: " + project.awsKms().valid() + ")");
        out.println("  Clusters:");
        Map<String, List<SnapshotRecord>> snapshots = project.snapshotsByCluster();
        for (ClusterView c : project.clusters()) {
            Map<String, Integer> perKey = new TreeMap<>();
            snapshots.getOrDefault(c.name(), List.of()).forEach(s -> perKey.merge(String.valueOf(s.masterKeyUUID()), 1, Integer::sum));
            out.printf("    %-10s %-10s %-8s%s  snapshots per key: %s%n", c.name(), c.clusterType(), c.stateName(),
                    c.pitEnabled() ? "  continuous backup " + c.restoreWindowDays() + " d" : "", perKey);
        }
        out.println("  Keys of the project (from their tags in KMS):");
        for (var key : world.kms().listKeysPaginator(b -> { }).keys()) {
            Map<String, String> tags = SandboxSeed.tags(world, key.keyId());
            if (!SandboxWorld.PROJECT_ID.equals(tags.get(KeyTags.PROJECT))) {
                continue;
            }
            KeyMetadata meta = world.kms().describeKey(b -> b.keyId(key.keyId())).keyMetadata();
            out.printf("    %s  %-18s KMS %-15s%s%s%s%n", key.keyId(), tags.get(KeyTags.STATE), meta.keyStateAsString(),
                    label(" retired-at ", tags.get(KeyTags.RETIRED_AT)), label(" safe-after ", tags.get(KeyTags.SAFE_AFTER)),
                    meta.deletionDate() == null ? "" : " deletion on " + meta.deletionDate());
        }
        out.println("  Executions:");
        for (ExecutionResult r : results) {
            if (r.succeeded()) {
                out.printf("    %-12s %s%n", r.name(), r.output().path("outcome").asText());
                printAudit(out, r.output().path("audit"));
                printPlan(out, r.output().path("plan"));
                if (r.output().hasNonNull("reason")) {
                    out.println("                 reason: " + r.output().path("reason").asText());
                }
            } else {
                out.printf("    %-12s FAILED %s: %s%n", r.name(), r.error(), r.cause());
            }
        }
    }

    private static void printAudit(PrintStream out, JsonNode audit) {
        if (audit.isMissingNode() || audit.isNull()) {
            return;
        }
        out.printf("                 audited %d snapshot(s) in %d cluster(s)%n", audit.path("snapshotsAudited").asInt(),
                audit.path("clustersAudited").asInt());
        for (JsonNode key : audit.path("keys")) {
            String decision = key.path("decision").asText();
            String when = "schedule-deletion".equals(decision)
                    ? "deletion scheduled for " + key.path("deletionDate").asText()
                    : "defer".equals(decision) ? "deletion deferred until " + key.path("safeAfter").asText()
                    : "deletion refused";
            out.printf("                 key %s: %s; snapshots holding it: %s%n", key.path("keyId").asText(), when,
                    key.path("evidence"));
            for (JsonNode reason : key.path("reasons")) {
                out.println("                   - " + reason.asText());
            }
            if (key.hasNonNull("usage")) {
                out.println("                   usage: " + key.path("usage").asText());
            }
        }
    }

    private static void printPlan(PrintStream out, JsonNode plan) {
        if (!plan.isMissingNode() && !plan.isNull()) {
            out.println("                 plan: " + plan.toPrettyString().replace("\n", "\n                 "));
        }
    }

    private static String label(String name, String value) {
        return value == null ? "" : name + value;
    }
}
