package io.atlascmk.cli;

import io.atlascmk.rotator.alert.SecretsManagerWebhookSecret;
import io.atlascmk.rotator.atlas.AlertConfig;
import io.atlascmk.rotator.atlas.AlertNotification;
import io.atlascmk.rotator.atlas.AlertThreshold;
import io.atlascmk.rotator.atlas.AtlasClient;
import io.atlascmk.rotator.atlas.AwsKms;
import io.atlascmk.rotator.atlas.CloudProviderAccessRole;
import io.atlascmk.rotator.atlas.EncryptionAtRest;
import io.atlascmk.rotator.atlas.EncryptionAtRestPrivateEndpoint;
import io.atlascmk.rotator.aws.AwsClients;
import io.atlascmk.rotator.kms.KeyIds;
import io.atlascmk.rotator.registry.DynamoDbProjectRegistry;
import io.atlascmk.rotator.registry.ProjectRegistry;
import io.atlascmk.rotator.registry.RegisteredProject;
import io.atlascmk.rotator.rotation.Inputs;
import java.io.PrintWriter;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code rotator atlas-setup --project ID}: sets up Atlas's side of one registered project through the Admin API. First
 * it checks, changing nothing, that the cloud provider access role the project's encryption at rest names is authorized
 * and, when that configuration requires private networking, that an encryption-at-rest private endpoint in the key's
 * region is ACTIVE; then it creates or updates the project's {@code AWS_ENCRYPTION_KEY_NEEDS_ROTATION} alert
 * configuration with a WEBHOOK notification to the deployed webhook, its threshold taken from the project's schedule (or
 * above the rotation period for {@code key-material}). Idempotent: a configuration of that event type that already
 * notifies the webhook is updated only when it differs. {@code --dry-run} shows what would change and changes nothing.
 *
 * <p>The webhook secret is read from Secrets Manager as the webhook function reads it, sent to Atlas only, and shown as
 * {@code ****}: never printed, logged or put in a message.
 */
@Command(name = "atlas-setup", mixinStandardHelpOptions = true,
        description = "Checks a registered project's Atlas role and private endpoint, then creates or updates its"
                + " key-needs-rotation alert with a webhook to the rotator (--dry-run: changes nothing).")
public final class AtlasSetupCommand implements Callable<Integer> {

    /** For {@code key-material}: the alert's threshold is this many days above the rotation period. */
    static final int KEY_MATERIAL_MARGIN_DAYS = 30;
    /** Atlas's smallest notification interval. */
    static final int MIN_INTERVAL_MIN = 5;
    static final String SHOWN_SECRET = "****";

    private static final Pattern RATE = Pattern.compile("rate\\(([1-9]\\d*) (minute|minutes|hour|hours|day|days)\\)");

    @Spec
    CommandSpec spec;

    @Option(names = "--project", required = true, description = "The Atlas project id (24 hex characters); it must be in the registry.")
    String projectId;

    @Option(names = "--webhook-url", defaultValue = "${env:ROTATOR_WEBHOOK_URL}",
            description = "The deployed webhook's URL (the stack's WebhookUrl output; default: $ROTATOR_WEBHOOK_URL).")
    String webhookUrl;

    @Option(names = "--webhook-secret", defaultValue = "${env:ROTATOR_WEBHOOK_SECRET_ARN}",
            description = "Name or ARN of the webhook secret in Secrets Manager (the stack's WebhookSecretArn output;"
                    + " default: $ROTATOR_WEBHOOK_SECRET_ARN). Its value is sent to Atlas, never shown.")
    String webhookSecretId;

    @Mixin
    AtlasOptions atlasOptions = new AtlasOptions();

    @Option(names = "--lock-table", defaultValue = "${env:ROTATOR_LOCK_TABLE:-atlas-cmk-rotator-locks}",
            description = "The deployment's table, whose registry holds the project's schedule and method (default: $ROTATOR_LOCK_TABLE, else ${DEFAULT-VALUE}).")
    String lockTable;

    @Option(names = "--threshold-days", description = "The alert's threshold in days, instead of the one derived from the"
            + " project's schedule (needed for a cron schedule or none); for key-material it must be above rotationPeriodDays.")
    Integer thresholdDays;

    @Option(names = "--interval-min", defaultValue = "60",
            description = "Minutes between Atlas's repeated notifications of an open alert (at least 5; default ${DEFAULT-VALUE}).")
    int intervalMin;

    @Option(names = "--resend-secret", description = "Send the webhook secret again even when nothing else differs"
            + " (after changing the secret: Atlas shows it redacted, so a change cannot be seen).")
    boolean resendSecret;

    @Option(names = "--dry-run", description = "Show what would be created or updated; change nothing.")
    boolean dryRun;

    private final Function<AtlasSetupCommand, AtlasClient> atlasClients;
    private final Function<String, ProjectRegistry> registries;
    private final Function<String, String> webhookSecrets;

    public AtlasSetupCommand() {
        this(c -> c.atlasOptions.client(c.spec, AwsClients::secretsManager),
                table -> new DynamoDbProjectRegistry(AwsClients.dynamoDb(), table),
                secretId -> new SecretsManagerWebhookSecret(AwsClients.secretsManager(), secretId).webhookSecret());
    }

    /**
     * @param webhookSecrets the webhook secret's value by its name or ARN (throws, naming the secret but never its value,
     *                       when it cannot be read or has the wrong shape)
     */
    AtlasSetupCommand(Function<AtlasSetupCommand, AtlasClient> atlasClients, Function<String, ProjectRegistry> registries,
                      Function<String, String> webhookSecrets) {
        this.atlasClients = atlasClients;
        this.registries = registries;
        this.webhookSecrets = webhookSecrets;
    }

    /** The alert's threshold and where it came from. */
    record Threshold(int days, String reason) {
    }

    @Override
    public Integer call() {
        Arguments.requireProjectId(spec, projectId);
        String url = requireWebhookUrl();
        if (webhookSecretId == null || webhookSecretId.isBlank()) {
            throw Arguments.invalid(spec, "No webhook secret: give --webhook-secret (the name or ARN of the secret the"
                    + " stack created, output WebhookSecretArn) or set ROTATOR_WEBHOOK_SECRET_ARN. Without that output the stack is"
                    + " not deployed: deploy it first (README: Deploy to AWS).");
        }
        if (intervalMin < MIN_INTERVAL_MIN) {
            throw Arguments.invalid(spec, "--interval-min " + intervalMin + ": Atlas repeats a notification at most every "
                    + MIN_INTERVAL_MIN + " minutes; give " + MIN_INTERVAL_MIN + " or more.");
        }
        if (thresholdDays != null && thresholdDays < 1) {
            throw Arguments.invalid(spec, "--threshold-days " + thresholdDays + ": give a whole number of days, 1 or more.");
        }
        RegisteredProject registered = registries.apply(lockTable).find(projectId).orElseThrow(() -> Arguments.invalid(spec,
                "Project " + projectId + " is not in the registry of table " + lockTable + ": register it first"
                        + " (./rotator projects add --project " + projectId + " --region REGION --schedule 'rate(90 days)'),"
                        + " or give the deployment's table with --lock-table or $ROTATOR_LOCK_TABLE."));
        Threshold threshold = threshold(registered);
        String secret = webhookSecrets.apply(webhookSecretId.trim());
        PrintWriter out = spec.commandLine().getOut();
        out.println("project " + projectId + ": " + method(registered) + ", schedule "
                + (registered.schedule() == null ? "none" : registered.schedule()) + "; alert threshold " + threshold.days()
                + " days (" + threshold.reason() + ")");

        AtlasClient atlas = atlasClients.apply(this);
        EncryptionAtRest ear = atlas.getEncryptionAtRest(projectId);
        AwsKms kms = ear.awsKms();
        if (kms == null || !kms.isEnabled()) {
            throw new AtlasSetupNotPossibleException("Project " + projectId + " does not use Encryption at Rest with AWS KMS"
                    + " (awsKms.enabled is not true): there is no key for the alert to watch. Enable it in Atlas (Advanced >"
                    + " Encryption at Rest) with an AWS KMS key, then run atlas-setup again. Nothing was changed.");
        }
        checkRole(atlas, kms, out);
        checkPrivateNetworking(atlas, kms, out);
        setUpAlert(atlas, url, secret, threshold, out);
        if (dryRun) {
            out.println("Dry run: nothing was changed. Run again without --dry-run to apply.");
        }
        return 0;
    }

    // ------------------------------------------------------------------ arguments and threshold

    private String requireWebhookUrl() {
        if (webhookUrl == null || webhookUrl.isBlank()) {
            throw Arguments.invalid(spec, "No webhook URL: give --webhook-url (the stack's WebhookUrl output) or set"
                    + " ROTATOR_WEBHOOK_URL. Without that output the stack is not deployed: deploy it first (README: Deploy"
                    + " to AWS).");
        }
        String url = webhookUrl.trim();
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            uri = null;
        }
        if (uri == null || !("https".equals(uri.getScheme()) || "http".equals(uri.getScheme())) || uri.getHost() == null
                || url.contains("*")) {
            throw Arguments.invalid(spec, "--webhook-url '" + url + "' is not an absolute http(s) URL such as"
                    + " https://abc123.lambda-url.us-east-1.on.aws/ (the stack's WebhookUrl output).");
        }
        return url;
    }

    private static String method(RegisteredProject p) {
        String m = p.settings().method();
        return "method " + (m == null ? Inputs.METHOD_NEW_KEY : m);
    }

    /**
     * {@code new-key}: {@code --threshold-days}, else the schedule's {@code rate(N days)} (hours and minutes rounded up
     * to whole days); a cron schedule or none needs {@code --threshold-days}. {@code key-material}: the key id never
     * changes, so Atlas's alert never resets: above {@code rotationPeriodDays}.
     */
    Threshold threshold(RegisteredProject p) {
        if (Inputs.METHOD_KEY_MATERIAL.equals(p.settings().method())) {
            int period = p.settings().rotationPeriodDays() != null ? p.settings().rotationPeriodDays()
                    : Inputs.DEFAULT_ROTATION_PERIOD_DAYS;
            if (thresholdDays != null) {
                if (thresholdDays <= period) {
                    throw Arguments.invalid(spec, "--threshold-days " + thresholdDays + " is not above the project's"
                            + " rotationPeriodDays " + period + ": with key-material the key id never changes, so Atlas's"
                            + " alert never resets once it opens; give more than " + period + " days, or leave the option out"
                            + " (" + (period + KEY_MATERIAL_MARGIN_DAYS) + ").");
                }
                return new Threshold(thresholdDays, "--threshold-days, above rotationPeriodDays " + period);
            }
            return new Threshold(period + KEY_MATERIAL_MARGIN_DAYS, "key-material: rotationPeriodDays " + period + " + "
                    + KEY_MATERIAL_MARGIN_DAYS + ", as the key id never changes and Atlas's alert never resets");
        }
        if (thresholdDays != null) {
            return new Threshold(thresholdDays, "--threshold-days");
        }
        String schedule = p.schedule();
        Matcher m = schedule == null ? null : RATE.matcher(schedule);
        if (m == null || !m.matches()) {
            throw Arguments.invalid(spec, "Project " + p.projectId() + " has " + (schedule == null ? "no schedule"
                    : "the schedule " + schedule) + ", from which no alert threshold follows: give --threshold-days N"
                    + " (days since the key last changed after which Atlas alerts, e.g. your rotation period).");
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2);
        long days = unit.startsWith("day") ? n : unit.startsWith("hour") ? (n + 23) / 24 : (n + 1439) / 1440;
        return new Threshold((int) Math.min(Integer.MAX_VALUE, days), "from the schedule " + schedule);
    }

    // ------------------------------------------------------------------ checks

    /** The role {@code awsKms.roleId} names is among the project's roles and authorized. */
    private void checkRole(AtlasClient atlas, AwsKms kms, PrintWriter out) {
        String roleId = kms.roleId();
        if (roleId == null) {
            throw new AtlasRoleNotAuthorizedException("Project " + projectId + "'s encryption at rest names no roleId, so"
                    + " Atlas has no IAM role to reach the key with: set one in Atlas (Advanced > Encryption at Rest), then run"
                    + " atlas-setup again. Nothing was changed.");
        }
        CloudProviderAccessRole role = atlas.listCloudProviderAccessRoles(projectId).stream()
                .filter(r -> roleId.equals(r.roleId())).findFirst()
                .orElseThrow(() -> new AtlasRoleNotAuthorizedException("The cloud provider access role " + roleId
                        + " that project " + projectId + "'s encryption at rest names is not among the project's roles"
                        + " (GET cloudProviderAccess): add the IAM role in Atlas (Project > Integrations > AWS IAM Role"
                        + " Access), authorize it, and select it for Encryption at Rest; then run atlas-setup again. Nothing"
                        + " was changed."));
        if (!role.isAuthorized()) {
            throw new AtlasRoleNotAuthorizedException("The cloud provider access role " + roleId + " ("
                    + role.iamAssumedRoleArn() + ") of project " + projectId + " is not authorized (no authorizedDate):"
                    + " Atlas cannot assume it to use the key. Give the IAM role the trust policy Atlas shows for it"
                    + " (principal " + role.atlasAWSAccountArn() + " with the role's external id), then authorize it in"
                    + " Atlas (Project > Integrations > AWS IAM Role Access > Authorize, or PATCH cloudProviderAccess/"
                    + roleId + " with its ARN); then run atlas-setup again. Nothing was changed.");
        }
        out.println("check cloud provider access role " + roleId + " (" + role.iamAssumedRoleArn() + "): authorized "
                + role.authorizedDate());
    }

    /** With {@code requirePrivateNetworking}, an ACTIVE encryption-at-rest private endpoint in the key's region. */
    private void checkPrivateNetworking(AtlasClient atlas, AwsKms kms, PrintWriter out) {
        if (!Boolean.TRUE.equals(kms.requirePrivateNetworking())) {
            out.println("check private networking: not required (requirePrivateNetworking is not true)");
            return;
        }
        String region = atlasRegion(kms);
        if (region == null) {
            throw new PrivateEndpointNotActiveException("Project " + projectId + " requires private networking, and the"
                    + " key's region cannot be told (awsKms.region is not set and the key is not an ARN): set the region in"
                    + " Atlas's Encryption at Rest configuration, then run atlas-setup again. Nothing was changed.");
        }
        List<EncryptionAtRestPrivateEndpoint> endpoints = atlas.listEncryptionAtRestPrivateEndpoints(projectId, "AWS");
        EncryptionAtRestPrivateEndpoint active = endpoints.stream()
                .filter(e -> region.equals(e.regionName()) && e.isActive()).findFirst().orElse(null);
        if (active == null) {
            List<String> seen = new ArrayList<>();
            for (EncryptionAtRestPrivateEndpoint e : endpoints) {
                seen.add(e.regionName() + " " + e.status() + (e.errorMessage() == null ? "" : " (" + e.errorMessage() + ")"));
            }
            throw new PrivateEndpointNotActiveException("Project " + projectId + " requires private networking"
                    + " (requirePrivateNetworking), but no encryption-at-rest private endpoint in the key's region " + region
                    + " is ACTIVE (" + (seen.isEmpty() ? "there is none" : "found: " + String.join(", ", seen)) + "), so"
                    + " Atlas cannot reach KMS. Create one (POST encryptionAtRest/AWS/privateEndpoints with regionName "
                    + region + ", or Atlas's Encryption at Rest page), wait until it is ACTIVE, then run atlas-setup"
                    + " again. Nothing was changed.");
        }
        out.println("check private networking: required; encryption-at-rest private endpoint " + active.id() + " in "
                + region + " is ACTIVE");
    }

    /** The key's region as Atlas spells it: {@code awsKms.region}, else from the key's ARN. */
    private static String atlasRegion(AwsKms kms) {
        if (kms.region() != null && !kms.region().isBlank()) {
            return kms.region();
        }
        String ref = kms.customerMasterKeyID();
        String aws = ref == null ? null : KeyIds.regionOf(ref);
        return aws == null ? null : aws.toUpperCase(Locale.ROOT).replace('-', '_');
    }

    // ------------------------------------------------------------------ the alert

    private void setUpAlert(AtlasClient atlas, String url, String secret, Threshold threshold, PrintWriter out) {
        AlertConfig wanted = new AlertConfig(null, AlertConfig.AWS_ENCRYPTION_KEY_NEEDS_ROTATION, true,
                AlertThreshold.greaterThanDays(threshold.days()), List.of(AlertNotification.webhook(url, secret, intervalMin)));
        List<AlertConfig> ofType = atlas.listAlertConfigs(projectId).stream()
                .filter(c -> AlertConfig.AWS_ENCRYPTION_KEY_NEEDS_ROTATION.equals(c.eventTypeName())).toList();
        // oldest first (Atlas's ids begin with their creation time), whatever order Atlas lists them in
        List<AlertConfig> ours = ofType.stream().filter(c -> ourWebhook(c, url) != null)
                .sorted(java.util.Comparator.comparing(AlertConfig::id)).toList();
        List<AlertConfig> stale = ours.isEmpty() ? ofType.stream().filter(c -> staleWebhook(c, url) != null).toList() : List.of();
        if (stale.size() > 1) {
            throw new AtlasSetupNotPossibleException("None of project " + projectId + "'s "
                    + AlertConfig.AWS_ENCRYPTION_KEY_NEEDS_ROTATION + " configurations notifies " + url + ", and "
                    + stale.size() + " notify only another Lambda function URL ("
                    + String.join(", ", stale.stream().map(c -> c.id() + " " + staleWebhook(c, url).webhookUrl()).toList())
                    + "): which one is an earlier deployment of this webhook cannot be told. Delete the stale ones in Atlas"
                    + " (Project > Alerts > Alert Settings), then run atlas-setup again. Nothing was changed.");
        }
        if (ours.isEmpty() && !stale.isEmpty()) {
            ours = stale;
        }
        List<AlertConfig> mine = ours;
        List<AlertConfig> others = ofType.stream().filter(c -> !mine.contains(c)).toList();
        String label = "alert " + AlertConfig.AWS_ENCRYPTION_KEY_NEEDS_ROTATION + " -> " + url;
        if (ours.isEmpty()) {
            if (dryRun) {
                out.println(label + ": would create it:");
                printFields(out, wanted);
            } else {
                AlertConfig created = atlas.createAlertConfig(projectId, wanted);
                out.println(label + ": created " + created.id() + " (" + wanted.threshold() + ", webhook every " + intervalMin
                        + " min, secret " + SHOWN_SECRET + ")");
            }
        } else {
            AlertConfig existing = ours.get(0);
            List<String> diffs = differences(existing, wanted, url);
            if (diffs.isEmpty() && !resendSecret) {
                out.println(label + ": unchanged, " + existing.id() + " is already as wanted (" + wanted.threshold()
                        + ", webhook every " + intervalMin + " min). Atlas shows the webhook secret redacted, so it is not"
                        + " compared: after changing the secret, run with --resend-secret.");
            } else {
                if (resendSecret) {
                    diffs = new ArrayList<>(diffs);
                    diffs.add("webhookSecret: " + SHOWN_SECRET + " -> " + SHOWN_SECRET + " (sent again: --resend-secret)");
                }
                requireOnlyOurWebhook(existing, url);
                if (dryRun) {
                    out.println(label + ": would update " + existing.id() + ":");
                } else {
                    atlas.updateAlertConfig(projectId, existing.id(), wanted);
                    out.println(label + ": updated " + existing.id() + ":");
                }
                diffs.forEach(d -> out.println("  " + d));
            }
            if (ours.size() > 1) {
                out.println("note: " + (ours.size() - 1) + " more " + AlertConfig.AWS_ENCRYPTION_KEY_NEEDS_ROTATION
                        + " configuration(s) also notify this webhook and were left unchanged: "
                        + String.join(", ", ours.subList(1, ours.size()).stream().map(AlertConfig::id).toList())
                        + ". Each delivers the alert again (the webhook starts nothing for a repeat); delete the duplicates"
                        + " in Atlas (Project > Alerts > Alert Settings).");
            }
        }
        if (!others.isEmpty()) {
            out.println("note: " + others.size() + " other " + AlertConfig.AWS_ENCRYPTION_KEY_NEEDS_ROTATION
                    + " configuration(s) of this project do not notify this webhook and were left unchanged: "
                    + String.join(", ", others.stream().map(AlertConfig::id).toList()) + ".");
        }
    }

    /** The configuration's WEBHOOK notification to {@code url} (as far as Atlas's redaction shows it), else null. */
    private static AlertNotification ourWebhook(AlertConfig c, String url) {
        for (AlertNotification n : c.notifications()) {
            if (n.isWebhook() && sameUrl(n.webhookUrl(), url)) {
                return n;
            }
        }
        return null;
    }

    private static final Pattern FUNCTION_URL_HOST = Pattern.compile("[a-z0-9]+\\.lambda-url\\.[a-z0-9-]+\\.on\\.aws");

    /**
     * An earlier deployment's webhook: the configuration's only notification is a WEBHOOK to another Lambda function URL
     * (a redeployed stack's function gets a new one) while {@code url} is one too; else null.
     */
    private static AlertNotification staleWebhook(AlertConfig c, String url) {
        if (c.notifications().size() != 1 || !isFunctionUrl(url)) {
            return null;
        }
        AlertNotification n = c.notifications().get(0);
        return n.isWebhook() && !sameUrl(n.webhookUrl(), url) && isFunctionUrl(n.webhookUrl()) ? n : null;
    }

    private static boolean isFunctionUrl(String url) {
        try {
            URI uri = URI.create(url.replace("*", ""));
            return "https".equals(uri.getScheme()) && uri.getHost() != null
                    && FUNCTION_URL_HOST.matcher(uri.getHost().toLowerCase(Locale.ROOT)).matches();
        } catch (IllegalArgumentException | NullPointerException e) {
            return false;
        }
    }

    /** The webhook {@code c} has for us: to {@code url}, else an earlier deployment's. */
    private static AlertNotification webhookOf(AlertConfig c, String url) {
        AlertNotification n = ourWebhook(c, url);
        return n != null ? n : staleWebhook(c, url);
    }

    /**
     * Atlas answers a webhook URL partially redacted ({@code https://host/****}): the same URL when it is shown whole and
     * equal, or when what is shown before the asterisks (scheme and host at least) begins {@code ours}.
     */
    static boolean sameUrl(String shown, String ours) {
        if (shown == null) {
            return false;
        }
        if (shown.equals(ours)) {
            return true;
        }
        int star = shown.indexOf('*');
        if (star < 0) {
            return false;
        }
        String prefix = shown.substring(0, star);
        int scheme = prefix.indexOf("://");
        return scheme > 0 && prefix.indexOf('/', scheme + 3) > 0 && ours.startsWith(prefix);
    }

    /** What differs between Atlas's configuration and the wanted one, one {@code field: was -> wanted} each. */
    private List<String> differences(AlertConfig existing, AlertConfig wanted, String url) {
        List<String> out = new ArrayList<>();
        if (!Boolean.TRUE.equals(existing.enabled())) {
            out.add("enabled: " + existing.enabled() + " -> true");
        }
        if (!Objects.equals(existing.threshold(), wanted.threshold())) {
            out.add("threshold: " + existing.threshold() + " -> " + wanted.threshold());
        }
        AlertNotification have = webhookOf(existing, url);
        AlertNotification want = wanted.notifications().get(0);
        if (!sameUrl(have.webhookUrl(), url)) {
            out.add("notifications[WEBHOOK].webhookUrl: " + have.webhookUrl() + " -> " + url
                    + " (an earlier deployment's function URL)");
        }
        if (!Objects.equals(have.intervalMin(), want.intervalMin())) {
            out.add("notifications[WEBHOOK].intervalMin: " + have.intervalMin() + " -> " + want.intervalMin());
        }
        int delay = have.delayMin() == null ? 0 : have.delayMin();
        if (delay != want.delayMin()) {
            out.add("notifications[WEBHOOK].delayMin: " + delay + " -> " + want.delayMin());
        }
        if (existing.notifications().size() > 1) {
            out.add("notifications: " + existing.notifications().size() + " -> 1 (the webhook only)");
        }
        return out;
    }

    /** A replacement carries every notification: refuse when ours holds one this command cannot copy faithfully. */
    private void requireOnlyOurWebhook(AlertConfig existing, String url) {
        List<String> foreign = new ArrayList<>();
        for (AlertNotification n : existing.notifications()) {
            if (!(n.isWebhook() && (sameUrl(n.webhookUrl(), url) || n == staleWebhook(existing, url)))) {
                foreign.add(n.typeName() + (n.webhookUrl() == null ? "" : " " + n.webhookUrl()));
            }
        }
        if (!foreign.isEmpty()) {
            throw new AtlasSetupNotPossibleException("Alert configuration " + existing.id() + " of project " + projectId
                    + " notifies this webhook and also " + String.join(", ", foreign) + ": an update replaces the whole"
                    + " configuration, and Atlas shows those notifications' secrets redacted, so they cannot be sent back"
                    + " as they are. Move them to a configuration of their own in Atlas (or delete this one), then run"
                    + " atlas-setup again. Nothing was changed.");
        }
    }

    private static void printFields(PrintWriter out, AlertConfig c) {
        AlertNotification n = c.notifications().get(0);
        out.println("  eventTypeName: " + c.eventTypeName());
        out.println("  enabled: " + c.enabled());
        out.println("  threshold: " + c.threshold());
        out.println("  notifications[WEBHOOK].webhookUrl: " + n.webhookUrl());
        out.println("  notifications[WEBHOOK].webhookSecret: " + SHOWN_SECRET);
        out.println("  notifications[WEBHOOK].intervalMin: " + n.intervalMin());
        out.println("  notifications[WEBHOOK].delayMin: " + n.delayMin());
    }
}
