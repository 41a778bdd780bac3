package io.atlascmk.cli;

import io.atlascmk.rotator.aws.AwsClients;
import io.atlascmk.rotator.kms.DynamoDbKeyIndex;
import io.atlascmk.rotator.kms.KeyIds;
import io.atlascmk.rotator.kms.KeyIndex;
import io.atlascmk.rotator.kms.KeyService;
import io.atlascmk.rotator.kms.ManagedKey;
import java.io.PrintWriter;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.services.kms.KmsClient;

/**
 * {@code rotator reindex --project ID}: rebuilds a project's key index from the keys' tags (the ledger), reading
 * every key of the region once, and reports each disagreement: a key the tags name that the index missed (it would
 * not have been audited), a key the index names that its tags do not (gone, or another owner's), and creations
 * whose record a crash interrupted.
 */
@Command(name = "reindex", mixinStandardHelpOptions = true,
        description = "Rebuilds a project's key index from the keys' tags and reports every disagreement.")
public final class ReindexCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--project", required = true, description = "Atlas project (group) id, 24 hex characters.")
    String projectId;

    @Option(names = "--region", required = true, description = "The region of the project's keys.")
    String region;

    @Option(names = "--deployment", defaultValue = "${env:ROTATOR_DEPLOYMENT:-AtlasCmkRotator}",
            description = "The deployment (the stack's name) whose index is rebuilt (default: $ROTATOR_DEPLOYMENT, else ${DEFAULT-VALUE}).")
    String deployment;

    @Option(names = "--lock-table", defaultValue = "${env:ROTATOR_LOCK_TABLE:-atlas-cmk-rotator-locks}",
            description = "The deployment's table (the stack's LockTableName output; default: $ROTATOR_LOCK_TABLE, else ${DEFAULT-VALUE}).")
    String lockTable;

    private final Function<String, KmsClient> kmsClients;
    private final Function<String, KeyIndex> indexes;

    public ReindexCommand() {
        this(AwsClients::kms, table -> new DynamoDbKeyIndex(AwsClients.dynamoDb(), table));
    }

    /**
     * @param kmsClients the KMS client of a region
     * @param indexes    the key index in a table
     */
    ReindexCommand(Function<String, KmsClient> kmsClients, Function<String, KeyIndex> indexes) {
        this.kmsClients = kmsClients;
        this.indexes = indexes;
    }

    @Override
    public Integer call() {
        Arguments.requireProjectId(spec, projectId);
        Arguments.requireDeployment(spec, "--deployment", deployment);
        KeyIndex index = indexes.apply(lockTable);
        // The index first, then the tags: a key created meanwhile is among the tagged ones (and added, which is
        // harmless), never taken for stale.
        KeyIndex.Entry entry = index.read(projectId);
        // no index given: the service reads every key's tags, which is what a rebuild must trust
        KeyService keys = new KeyService(kmsClients.apply(region), deployment);
        Set<String> tagged = keys.findProjectKeys(projectId).stream()
                .map(ManagedKey::arn).collect(Collectors.toCollection(LinkedHashSet::new));
        Set<String> indexed = entry.keyArns().stream().filter(arn -> region.equals(KeyIds.regionOf(arn)))
                .collect(Collectors.toCollection(LinkedHashSet::new));
        Set<String> missed = new LinkedHashSet<>(tagged);
        missed.removeAll(indexed);
        Set<String> stale = new LinkedHashSet<>(indexed);
        stale.removeAll(tagged);
        // a stale-looking key is read once more before it is dropped: only its own tags may drop it
        stale.removeIf(arn -> stillTheProjects(keys, arn));

        PrintWriter out = spec.commandLine().getOut();
        out.println("Key index of project " + projectId + " (deployment " + deployment + ", " + region + "): "
                + tagged.size() + " key(s) tagged, " + indexed.size() + " indexed.");
        missed.forEach(arn -> out.println("  added   " + arn + "  (tagged as the project's key, missing from the index:"
                + " it was not being audited)"));
        stale.forEach(arn -> out.println("  removed " + arn + "  (in the index, but its tags do not name it this"
                + " project's key of this deployment, or it is gone)"));
        if (!entry.openIntents().isEmpty()) {
            out.println("  closed  " + entry.openIntents() + "  (key creations whose record was interrupted: the keys"
                    + " they made are among the tagged ones)");
        }
        index.record(projectId, missed, entry.openIntents());
        index.forget(projectId, stale);
        int disagreements = missed.size() + stale.size() + entry.openIntents().size();
        out.println(disagreements == 0 ? "The index agreed with the tags; nothing changed."
                : "Rebuilt: " + disagreements + " disagreement(s) fixed.");
        return 0;
    }

    private boolean stillTheProjects(KeyService keys, String arn) {
        try {
            ManagedKey key = keys.describe(arn);
            return key.ownedBy(projectId) && deployment.equals(key.tag(io.atlascmk.rotator.kms.KeyTags.DEPLOYMENT));
        } catch (io.atlascmk.rotator.kms.KeyNotFoundException gone) {
            return false;
        }
    }
}
