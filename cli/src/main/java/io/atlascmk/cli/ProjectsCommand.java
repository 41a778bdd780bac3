package io.atlascmk.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.atlascmk.rotator.aws.AwsClients;
import io.atlascmk.rotator.json.Json;
import io.atlascmk.rotator.registry.DynamoDbProjectRegistry;
import io.atlascmk.rotator.registry.ProjectRegistry;
import io.atlascmk.rotator.registry.RegisteredProject;
import io.atlascmk.rotator.registry.RegistrySeed;
import io.atlascmk.rotator.rotation.ExecutionSettings;
import io.atlascmk.rotator.rotation.InvalidInputException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code rotator projects add|list|show|remove|import}: the deployment's project registry (in the stack's table),
 * changed without a redeploy. Every registration is validated as the stack's configuration file is; {@code
 * --dry-run} says what would change and changes nothing; an import is validated whole before anything is written.
 */
@Command(name = "projects", mixinStandardHelpOptions = true,
        description = "The deployment's project registry: add, list, show, remove, import; no redeploy needed.",
        subcommands = {ProjectsCommand.Add.class, ProjectsCommand.ListProjects.class, ProjectsCommand.Show.class,
                ProjectsCommand.Remove.class, ProjectsCommand.Import.class})
public final class ProjectsCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Option(names = "--lock-table", defaultValue = "${env:ROTATOR_LOCK_TABLE:-atlas-cmk-rotator-locks}",
            scope = picocli.CommandLine.ScopeType.INHERIT,
            description = "The deployment's table (the stack's LockTableName output; default: $ROTATOR_LOCK_TABLE, else ${DEFAULT-VALUE}).")
    String lockTable;

    private final Function<String, ProjectRegistry> registries;
    private final Clock clock;

    public ProjectsCommand() {
        this(table -> new DynamoDbProjectRegistry(AwsClients.dynamoDb(), table), Clock.systemUTC());
    }

    /** @param registries the registry in a table (tests give one on dynalite) */
    ProjectsCommand(Function<String, ProjectRegistry> registries, Clock clock) {
        this.registries = registries;
        this.clock = clock;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    ProjectRegistry registry() {
        return registries.apply(lockTable);
    }

    /** A registration from the command line's values, or a usage error naming the field. */
    static RegisteredProject valid(CommandSpec spec, java.util.function.Supplier<RegisteredProject> build) {
        try {
            return build.get();
        } catch (InvalidInputException e) {
            throw Arguments.invalid(spec, "'" + e.field() + "' " + e.problem());
        }
    }

    static String describe(RegisteredProject p) {
        ExecutionSettings s = p.settings();
        return p.projectId() + "  " + p.awsRegion() + "  " + (p.schedule() == null ? "alert/manual only" : p.schedule()
                + (p.scheduleTimeZone() == null ? "" : " " + p.scheduleTimeZone()))
                + (s.method() == null ? "" : "  method " + s.method()
                        + (s.rotationPeriodDays() == null ? "" : " every " + s.rotationPeriodDays() + " days"))
                + "  cooldown " + orDefault(s.cooldownDays()) + "  pending window " + orDefault(s.pendingWindowDays())
                + (s.extraClusterNames() == null || s.extraClusterNames().isEmpty() ? "" : "  extra clusters " + s.extraClusterNames())
                + (p.keyAccount() == null ? "" : "  keys in account " + p.keyAccount().accountId() + " via "
                        + p.keyAccount().roleArn())
                + "  source " + p.source() + (p.updatedAt() == null ? "" : "  updated " + p.updatedAt());
    }

    private static String orDefault(Integer value) {
        return value == null ? "default" : String.valueOf(value);
    }

    @Command(name = "add", mixinStandardHelpOptions = true,
            description = "Registers a project (or replaces its registration): rotated by alert or by hand at once, by its schedule with the fleet run.")
    static final class Add implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @ParentCommand
        ProjectsCommand parent;

        @Option(names = "--project", required = true, description = "Atlas project (group) id, 24 hex characters.")
        String projectId;

        @Option(names = "--region", required = true, description = "The AWS region of the project's KMS key.")
        String region;

        @Option(names = "--schedule", description = "rate(90 days) or a cron(...) expression (EventBridge Scheduler).")
        String schedule;

        @Option(names = "--time-zone", description = "The schedule's IANA time zone (default UTC).")
        String timeZone;

        @Option(names = "--cooldown-days", description = "Minimum days between two rotations.")
        Integer cooldownDays;

        @Option(names = "--pending-window-days", description = "KMS pending window of deletions, 7-30 days.")
        Integer pendingWindowDays;

        @Option(names = "--min-retirement-days", description = "No deletion sooner after retirement (at least 7; default 30).")
        Integer minRetirementDays;

        @Option(names = "--extra-cluster", paramLabel = "NAME", description = "A deleted cluster whose snapshots may hold old keys (repeatable).")
        List<String> extraClusters = new ArrayList<>();

        @Option(names = "--adopted-keys", description = "delete-when-unused (default) or keep.")
        String adoptedKeys;

        @Option(names = "--copy-tag", paramLabel = "KEY", description = "A tag each new key takes from the key it replaces (repeatable).")
        List<String> copyTags = new ArrayList<>();

        @Option(names = "--method", description = "new-key (default: a new key per rotation) or key-material (KMS rotates the key's material; the key id never changes).")
        String method;

        @Option(names = "--rotation-period-days", description = "With key-material: KMS's automatic rotation period, 90-2560 (default 365).")
        Integer rotationPeriodDays;

        @Option(names = "--key-account-role-arn", paramLabel = "ARN",
                description = "The project's keys live in another AWS account: the member stack's role there (its output KeyAccountRoleArn).")
        String keyAccountRoleArn;

        @Option(names = "--key-account-external-id", paramLabel = "ID",
                description = "The external id the member stack was deployed with (with --key-account-role-arn).")
        String keyAccountExternalId;

        @Option(names = "--dry-run", description = "Say what would change; change nothing.")
        boolean dryRun;

        @Override
        public Integer call() {
            Arguments.requireProjectId(spec, projectId);
            RegisteredProject project = valid(spec, () -> new RegisteredProject(projectId, region, schedule, timeZone,
                    new ExecutionSettings(cooldownDays, pendingWindowDays, null, null,
                            extraClusters.isEmpty() ? null : extraClusters, minRetirementDays, adoptedKeys,
                            copyTags.isEmpty() ? null : copyTags, method, rotationPeriodDays), RegisteredProject.SOURCE_CLI, null,
                    keyAccountRoleArn, keyAccountExternalId));
            ProjectRegistry registry = parent.registry();
            Optional<RegisteredProject> before = registry.find(projectId);
            PrintWriter out = spec.commandLine().getOut();
            String what = before.isEmpty() ? "register" : "replace the registration (source " + before.get().source()
                    + ", whole: a setting not given again is dropped; it was " + describe(before.get()) + ") of";
            if (dryRun) {
                out.println("Dry run: would " + what + " " + describe(project) + ". Nothing was changed.");
                return 0;
            }
            RegisteredProject written = project.writtenBy(RegisteredProject.SOURCE_CLI, parent.clock.instant());
            registry.put(written);
            before.ifPresent(old -> out.println("The registration it replaces, whole (a setting not given again is"
                    + " dropped): " + describe(old) + (old.settings().adoptedKeys() == null ? ""
                    : "  adoptedKeys " + old.settings().adoptedKeys())));
            out.println((before.isEmpty() ? "Registered " : "Replaced ") + describe(written)
                    + ". A deploy never overwrites it; remove it with './rotator projects remove --project " + projectId + "'.");
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Every registered project.")
    static final class ListProjects implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @ParentCommand
        ProjectsCommand parent;

        @Override
        public Integer call() {
            List<RegisteredProject> all = parent.registry().list();
            PrintWriter out = spec.commandLine().getOut();
            out.println(all.size() + " registered project(s):");
            all.forEach(p -> out.println("  " + describe(p)));
            return 0;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "One registered project, as JSON.")
    static final class Show implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @ParentCommand
        ProjectsCommand parent;

        @Option(names = "--project", required = true, description = "Atlas project (group) id, 24 hex characters.")
        String projectId;

        @Override
        public Integer call() throws IOException {
            Arguments.requireProjectId(spec, projectId);
            Optional<RegisteredProject> project = parent.registry().find(projectId);
            if (project.isEmpty()) {
                spec.commandLine().getErr().println("Project " + projectId + " is not registered. Register it with"
                        + " './rotator projects add --project " + projectId + " --region REGION'.");
                return 1;
            }
            spec.commandLine().getOut().println(Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(project.get()));
            return 0;
        }
    }

    @Command(name = "remove", mixinStandardHelpOptions = true,
            description = "Removes a project's registration; its keys and their ledger are left as they are.")
    static final class Remove implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @ParentCommand
        ProjectsCommand parent;

        @Option(names = "--project", required = true, description = "Atlas project (group) id, 24 hex characters.")
        String projectId;

        @Option(names = "--dry-run", description = "Say what would change; change nothing.")
        boolean dryRun;

        @Override
        public Integer call() {
            Arguments.requireProjectId(spec, projectId);
            ProjectRegistry registry = parent.registry();
            Optional<RegisteredProject> before = registry.find(projectId);
            PrintWriter out = spec.commandLine().getOut();
            if (before.isEmpty()) {
                out.println("Project " + projectId + " is not registered; nothing to do.");
                return 0;
            }
            String note = RegisteredProject.SOURCE_CONFIG.equals(before.get().source())
                    ? " It comes from the stack's configuration: the next deploy registers it again unless it is removed there too." : "";
            if (dryRun) {
                out.println("Dry run: would remove " + describe(before.get()) + "." + note + " Nothing was changed.");
                return 0;
            }
            registry.remove(projectId);
            out.println("Removed project " + projectId + ": its alerts start nothing from now on; its keys and their ledger"
                    + " tags are left as they are." + note);
            return 0;
        }
    }

    @Command(name = "import", mixinStandardHelpOptions = true,
            description = "Registers every project of FILE: a JSON array of projects, or a rotator.config.json; validated whole before anything is written.")
    static final class Import implements Callable<Integer> {

        /** The fields a project of rotator.config.json may have that the registry does not keep (records only). */
        private static final Set<String> CONFIG_ONLY_FIELDS = Set.of("atlasRoleId", "keyAdminPrincipals");
        private static final Set<String> SETTINGS_FIELDS = Set.of("cooldownDays", "pendingWindowDays", "extraClusterNames",
                "minRetirementDays", "adoptedKeys", "copyTags");

        @Spec
        CommandSpec spec;

        @ParentCommand
        ProjectsCommand parent;

        @Parameters(index = "0", paramLabel = "FILE", description = "The projects to register.")
        Path file;

        @Option(names = "--dry-run", description = "Say what would change; change nothing.")
        boolean dryRun;

        @Override
        public Integer call() {
            List<RegisteredProject> projects;
            try {
                projects = RegistrySeed.parse(asRegistryArray(Json.MAPPER.readTree(Files.readString(file))).toString());
            } catch (IOException e) {
                throw Arguments.invalid(spec, file + " cannot be read as JSON: " + e.getMessage());
            } catch (InvalidInputException e) {
                throw Arguments.invalid(spec, file + ": '" + e.field() + "' " + e.problem() + " Nothing was registered.");
            }
            ProjectRegistry registry = parent.registry();
            PrintWriter out = spec.commandLine().getOut();
            int added = 0;
            int replaced = 0;
            for (RegisteredProject p : projects) {
                boolean exists = registry.find(p.projectId()).isPresent();
                if (!dryRun) {
                    registry.put(p.writtenBy(RegisteredProject.SOURCE_CLI, parent.clock.instant()));
                }
                out.println("  " + (exists ? "replace " : "add     ") + describe(p));
                if (exists) {
                    replaced++;
                } else {
                    added++;
                }
            }
            out.println((dryRun ? "Dry run: would add " : "Added ") + added + " and " + (dryRun ? "replace " : "replaced ")
                    + replaced + " project(s) from " + file + "." + (dryRun ? " Nothing was changed." : ""));
            return 0;
        }

        /** The file's projects as the registry reads them: a rotator.config.json's flat projects are nested. */
        private ArrayNode asRegistryArray(JsonNode root) {
            if (root.isArray()) {
                return (ArrayNode) root;
            }
            if (!root.isObject() || !root.path("projects").isArray()) {
                throw new InvalidInputException("(file)", "must be a JSON array of projects, or a rotator.config.json"
                        + " with a \"projects\" array.");
            }
            ArrayNode out = Json.MAPPER.createArrayNode();
            int i = 0;
            for (JsonNode entry : root.get("projects")) {
                if (!entry.isObject()) {
                    throw new InvalidInputException("projects[" + i + "]", "must be a JSON object.");
                }
                ObjectNode project = out.addObject();
                ObjectNode settings = Json.MAPPER.createObjectNode();
                Iterator<Map.Entry<String, JsonNode>> fields = entry.fields();
                while (fields.hasNext()) {
                    Map.Entry<String, JsonNode> field = fields.next();
                    if (SETTINGS_FIELDS.contains(field.getKey())) {
                        settings.set(field.getKey(), field.getValue());
                    } else if (!CONFIG_ONLY_FIELDS.contains(field.getKey())) {
                        project.set(field.getKey(), field.getValue());
                    }
                }
                project.set("settings", settings);
                i++;
            }
            return out;
        }
    }
}
