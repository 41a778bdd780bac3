package io.atlascmk.cli;

import io.atlascmk.rotator.aws.AwsClients;
import io.atlascmk.rotator.kms.DynamoDbKeyIndex;
import io.atlascmk.rotator.kms.KeyIndex;
import io.atlascmk.rotator.kms.KeyService;
import io.atlascmk.rotator.kms.KeyTags;
import io.atlascmk.rotator.kms.ManagedKey;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.services.kms.KmsClient;

/**
 * {@code rotator claim-keys}: hands keys to a deployment by tagging them {@code atlas-cmk-rotator:deployment=NAME}.
 * A deployment's functions may change only keys that carry its name (their IAM says so), so keys tagged before that
 * tag existed, or keys of a deployment that is gone ({@code --from}), are left alone, and never deleted, until an
 * operator claims them with this command, with the operator's own credentials. A dry run unless {@code --yes}.
 */
@Command(name = "claim-keys", mixinStandardHelpOptions = true,
        description = "Tags the projects' keys that no deployment (or --from's) manages as this deployment's; a dry run unless --yes.")
public final class ClaimKeysCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--deployment", required = true,
            description = "The deployment (the stack's name) to hand the keys to.")
    String deployment;

    @Option(names = "--region", required = true, description = "The region of the keys.")
    String region;

    @Option(names = "--project", paramLabel = "ID",
            description = "Claim only this project's keys (repeatable; default: every project's).")
    List<String> projects = new ArrayList<>();

    @Option(names = "--from", paramLabel = "DEPLOYMENT",
            description = "Claim keys that carry this deployment's tag (a stack that is gone) instead of keys that carry none.")
    String from;

    @Option(names = "--yes", description = "Tag the keys (without it, only list what would be tagged).")
    boolean yes;

    @Option(names = "--lock-table", defaultValue = "${env:ROTATOR_LOCK_TABLE:-atlas-cmk-rotator-locks}",
            description = "The deployment's table (the stack's LockTableName output), whose key index learns the claimed keys (default: $ROTATOR_LOCK_TABLE, else ${DEFAULT-VALUE}).")
    String lockTable;

    private final Function<String, KmsClient> kmsClients;
    private final Function<String, KeyIndex> indexes;

    public ClaimKeysCommand() {
        this(AwsClients::kms, table -> new DynamoDbKeyIndex(AwsClients.dynamoDb(), table));
    }

    /**
     * @param kmsClients the KMS client of a region (tests give one on the sandbox's stand-in)
     * @param indexes    the key index in a table (tests give one on dynalite)
     */
    ClaimKeysCommand(Function<String, KmsClient> kmsClients, Function<String, KeyIndex> indexes) {
        this.kmsClients = kmsClients;
        this.indexes = indexes;
    }

    @Override
    public Integer call() {
        projects.forEach(p -> Arguments.requireProjectId(spec, p));
        Arguments.requireDeployment(spec, "--deployment", deployment);
        if (from != null) {
            Arguments.requireDeployment(spec, "--from", from);
        }
        if (deployment.equals(from)) {
            throw Arguments.invalid(spec, "--from names the deployment the keys would be handed to (" + deployment
                    + "): there is nothing to claim.");
        }
        KeyService keys = new KeyService(kmsClients.apply(region), deployment, yes ? indexes.apply(lockTable) : null);
        PrintWriter out = spec.commandLine().getOut();
        List<ManagedKey> claimable = keys.findClaimableKeys(new LinkedHashSet<>(projects), from);
        String whose = from == null ? "carry no deployment tag" : "carry deployment " + from;
        if (claimable.isEmpty()) {
            out.println("No key in " + region + " " + whose + (projects.isEmpty() ? "" : " among projects " + projects)
                    + ": nothing to claim.");
            return 0;
        }
        out.println((yes ? "Claiming" : "Would claim") + " for deployment " + deployment + " the keys in " + region
                + " that " + whose + ":");
        int claimed = 0;
        List<String> pending = new ArrayList<>();
        for (ManagedKey key : claimable) {
            boolean pendingDeletion = "PendingDeletion".equals(key.keyState());
            out.printf("  %s  project %s  %-18s KMS %s%s%n", key.arn(), key.tag(KeyTags.PROJECT), key.tag(KeyTags.STATE),
                    key.keyState(), pendingDeletion ? "  (pending deletion: KMS cannot tag it)" : "");
            if (pendingDeletion) {
                pending.add(key.arn());
            } else if (yes) {
                keys.tag(key.arn(), Map.of(KeyTags.DEPLOYMENT, deployment));
                keys.keepIndexed(keys.describe(key.arn())); // the deployment's lookups go through its key index
                claimed++;
            }
        }
        if (!pending.isEmpty()) {
            out.println(pending.size() + " key(s) pending deletion were not claimed: deployment " + deployment
                    + "'s tripwire will not cancel their deletion. If anything may still need one, cancel it (aws kms"
                    + " cancel-key-deletion, then enable-key) and run this again.");
        }
        Set<String> done = new LinkedHashSet<>();
        claimable.forEach(k -> done.add(k.tag(KeyTags.PROJECT)));
        if (yes) {
            out.println("Claimed " + claimed + " key(s) of " + done.size() + " project(s) for deployment " + deployment
                    + ".");
        } else {
            out.println("Dry run: nothing was tagged. Run again with --yes to claim "
                    + (claimable.size() - pending.size()) + " key(s).");
        }
        return 0;
    }
}
