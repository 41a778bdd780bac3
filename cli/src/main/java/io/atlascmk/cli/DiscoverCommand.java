package io.atlascmk.cli;

import io.atlascmk.rotator.atlas.AtlasApi;
import io.atlascmk.rotator.atlas.AtlasEvent;
import io.atlascmk.rotator.atlas.AwsKms;
import io.atlascmk.rotator.atlas.CloudProviderAccessRole;
import io.atlascmk.rotator.atlas.EncryptionAtRest;
import io.atlascmk.rotator.atlas.ProjectRef;
import io.atlascmk.rotator.aws.AwsClients;
import io.atlascmk.rotator.kms.KeyIds;
import io.atlascmk.rotator.registry.DynamoDbProjectRegistry;
import io.atlascmk.rotator.registry.ProjectRegistry;
import io.atlascmk.rotator.registry.RegisteredProject;
import io.atlascmk.rotator.rotation.KeyLocation;
import io.atlascmk.rotator.rotation.PreflightRules;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.services.kms.KmsClient;

/**
 * {@code rotator discover --org ORG_ID}: every project of an Atlas organization (all pages), each one's
 * encryption-at-rest key, and whether the deployment's registry has it; {@code --enroll} registers the projects
 * that use an AWS KMS key and are not registered yet (a dry run unless {@code --yes}). A project whose
 * configuration cannot be read is listed with the reason, never skipped silently.
 */
@Command(name = "discover", mixinStandardHelpOptions = true,
        description = "Lists an Atlas organization's projects with their KMS keys; --enroll registers the unregistered ones.")
public final class DiscoverCommand implements Callable<Integer> {

    /** How far back the key's last rotation is looked for in the project's events. */
    static final Duration EVENT_LOOKBACK = Duration.ofDays(3 * 365);

    @Spec
    CommandSpec spec;

    @Option(names = "--org", required = true, description = "The Atlas organization id (24 hex characters).")
    String orgId;

    @Mixin
    AtlasOptions atlasOptions = new AtlasOptions();

    @Option(names = "--lock-table", defaultValue = "${env:ROTATOR_LOCK_TABLE:-atlas-cmk-rotator-locks}",
            description = "The deployment's table, whose registry says which projects are enrolled (default: $ROTATOR_LOCK_TABLE, else ${DEFAULT-VALUE}).")
    String lockTable;

    @Option(names = "--enroll", description = "Register the projects that use an AWS KMS key and are not registered (a dry run unless --yes).")
    boolean enroll;

    @Option(names = "--schedule", description = "The schedule enrolled projects get (default: none; rotated by alert or by hand).")
    String schedule;

    @Option(names = "--yes", description = "With --enroll: register them.")
    boolean yes;

    private final Function<DiscoverCommand, AtlasApi> atlasClients;
    private final Function<String, KmsClient> kmsClients;
    private final Function<String, ProjectRegistry> registries;
    private final Clock clock;

    public DiscoverCommand() {
        this(c -> c.atlasFromSecret(AwsClients::secretsManager), AwsClients::kms,
                table -> new DynamoDbProjectRegistry(AwsClients.dynamoDb(), table), Clock.systemUTC());
    }

    DiscoverCommand(Function<DiscoverCommand, AtlasApi> atlasClients, Function<String, KmsClient> kmsClients,
                    Function<String, ProjectRegistry> registries, Clock clock) {
        this.atlasClients = atlasClients;
        this.kmsClients = kmsClients;
        this.registries = registries;
        this.clock = clock;
    }

    private AtlasApi atlasFromSecret(Supplier<software.amazon.awssdk.services.secretsmanager.SecretsManagerClient> sm) {
        return atlasOptions.client(spec, sm);
    }

    /** One project as discover sees it. */
    record Found(ProjectRef project, String keyReference, String awsRegion, String account, Boolean valid,
                 String keyAge, boolean enrolled, String problem) {

        boolean usesAwsKms() {
            return keyReference != null;
        }
    }

    @Override
    public Integer call() {
        if (orgId == null || !orgId.matches("[0-9a-f]{24}")) {
            throw Arguments.invalid(spec, "--org '" + orgId + "' is not an Atlas organization id (24 lower-case hex characters).");
        }
        if (yes && !enroll) {
            throw Arguments.invalid(spec, "--yes only confirms --enroll; add --enroll to register the projects.");
        }
        ProjectRegistry registry = registries.apply(lockTable);
        if (enroll && schedule != null) {
            // checked once, before anything is read: the same rule a registration has
            ProjectsCommand.valid(spec, () -> new RegisteredProject("0".repeat(24), "us-east-1", schedule, null, null, null, null));
        }
        AtlasApi atlas = atlasClients.apply(this);
        List<ProjectRef> projects = new ArrayList<>(atlas.listOrganizationProjects(orgId));
        projects.sort(Comparator.comparing(ProjectRef::name, Comparator.nullsLast(Comparator.naturalOrder())));
        List<Found> found = new ArrayList<>();
        for (ProjectRef project : projects) {
            found.add(inspect(atlas, registry, project));
        }
        PrintWriter out = spec.commandLine().getOut();
        out.printf("%-24s  %-28s  %-60s  %-14s  %-12s  %-5s  %-14s  %s%n", "project", "name", "key", "region", "account",
                "valid", "key age", "enrolled");
        for (Found f : found) {
            out.printf("%-24s  %-28s  %-60s  %-14s  %-12s  %-5s  %-14s  %s%n", f.project().id(), f.project().name(),
                    f.problem() != null ? "(" + f.problem() + ")" : f.usesAwsKms() ? f.keyReference() : "(no AWS KMS key)",
                    dash(f.awsRegion()), dash(f.account()), f.valid() == null ? "-" : f.valid().toString(), dash(f.keyAge()),
                    f.enrolled() ? "yes" : "no");
        }
        List<Found> candidates = found.stream().filter(f -> f.usesAwsKms() && !f.enrolled() && f.awsRegion() != null).toList();
        out.println(found.size() + " project(s) in organization " + orgId + ": "
                + found.stream().filter(Found::usesAwsKms).count() + " with an AWS KMS key, "
                + found.stream().filter(Found::enrolled).count() + " enrolled, " + candidates.size() + " could be enrolled.");
        if (!enroll) {
            return 0;
        }
        for (Found f : candidates) {
            RegisteredProject registration = new RegisteredProject(f.project().id(), f.awsRegion(), schedule, null, null,
                    RegisteredProject.SOURCE_CLI, clock.instant());
            if (yes) {
                registry.put(registration);
            }
            out.println((yes ? "Enrolled " : "Would enroll ") + ProjectsCommand.describe(registration));
        }
        out.println(yes ? "Enrolled " + candidates.size() + " project(s)."
                : "Dry run: nothing was registered. Run again with --enroll --yes to register " + candidates.size() + " project(s).");
        return 0;
    }

    private Found inspect(AtlasApi atlas, ProjectRegistry registry, ProjectRef project) {
        boolean enrolled = registry.find(project.id()).isPresent();
        EncryptionAtRest ear;
        try {
            ear = atlas.getEncryptionAtRest(project.id());
        } catch (RuntimeException e) {
            return new Found(project, null, null, null, null, null, enrolled, "unreadable: " + e.getClass().getSimpleName());
        }
        AwsKms kms = ear.awsKms();
        if (!ear.awsKmsEnabled() || kms == null || kms.customerMasterKeyID() == null) {
            return new Found(project, null, null, null, null, null, enrolled, null);
        }
        String reference = kms.customerMasterKeyID();
        String region;
        try {
            region = KeyLocation.regionOf(reference, kms);
        } catch (RuntimeException e) {
            region = null;
        }
        return new Found(project, reference, region, account(atlas, project.id(), reference, kms), kms.valid(),
                keyAge(atlas, project.id(), reference, region), enrolled, null);
    }

    /** The key's account: from its ARN, else (a bare id) the account of the IAM role Atlas uses, marked so. */
    private static String account(AtlasApi atlas, String projectId, String reference, AwsKms kms) {
        if (KeyIds.isArn(reference)) {
            return KeyIds.accountOf(reference);
        }
        try {
            for (CloudProviderAccessRole role : atlas.listCloudProviderAccessRoles(projectId)) {
                if (role.roleId() != null && role.roleId().equals(kms.roleId()) && role.iamAssumedRoleArn() != null) {
                    String account = KeyIds.accountOf(role.iamAssumedRoleArn());
                    return account == null ? null : account + "*";
                }
            }
        } catch (RuntimeException unreadable) {
            return null;
        }
        return null;
    }

    /** Days since the key became Atlas's (its last rotation event), else since KMS created it; null when unknown. */
    private String keyAge(AtlasApi atlas, String projectId, String reference, String region) {
        Instant now = clock.instant();
        try {
            List<AtlasEvent> events = atlas.listEvents(projectId, PreflightRules.KEY_ROTATED_EVENT, now.minus(EVENT_LOOKBACK));
            Instant last = events.stream().map(AtlasEvent::created).filter(java.util.Objects::nonNull)
                    .max(Comparator.naturalOrder()).orElse(null);
            if (last != null) {
                return Duration.between(last, now).toDays() + "d (rotated)";
            }
        } catch (RuntimeException unreadable) {
            // fall back to the key itself
        }
        if (region == null) {
            return null;
        }
        try {
            Instant created = kmsClients.apply(region).describeKey(b -> b.keyId(reference)).keyMetadata().creationDate();
            return created == null ? null : Duration.between(created, now).toDays() + "d (created)";
        } catch (RuntimeException unreadable) {
            return null; // another account's key these credentials cannot describe
        }
    }

    private static String dash(String value) {
        return value == null ? "-" : value;
    }
}
