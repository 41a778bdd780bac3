package io.atlascmk.infra.config;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The whole of {@code infra/rotator.config.json}: the one file a user edits before deploying.
 *
 * <p>Fields are nullable because this record is what the JSON binds into; {@link RotatorConfigValidator}
 * checks it, and {@link RotatorConfigLoader} only hands out a configuration that passed.
 *
 * @param atlasCredentialsSecretArn    an existing Secrets Manager secret with the Atlas credentials, or null
 * @param createAtlasCredentialsSecret true to have the stack create an empty secret the user fills after deploying
 * @param webhookSecretArn             an existing secret holding the Atlas webhook secret, or null
 * @param createWebhookSecret          true to have the stack create the webhook secret (a random value)
 * @param notificationEmail            where outcomes and alarms are e-mailed
 * @param atlasBaseUrl                 the Atlas Admin API base URL, or null for the functions' default
 * @param sweepSchedule                when the daily sweep of retired keys runs (default {@link #DEFAULT_SWEEP_SCHEDULE})
 * @param workflow                     optional workflow tuning, see {@link WorkflowDefaults}
 * @param projects                     the Atlas projects to rotate, at least one
 * @param createTrail                  true to have the stack create a CloudTrail trail of management events
 *                                     (read and write), which the tripwire needs; leave it out or false when the
 *                                     account already has one (an organization trail counts)
 * @param fleet                        optional: schedule the projects with one daily fleet run (at {@code sweepSchedule}, UTC)
 *                                     that rotates every registered project whose {@code rate(...)} schedule is due
 *                                     and sweeps every project with retired keys, instead of two EventBridge
 *                                     schedules per project (a project with a {@code cron(...)} schedule keeps its
 *                                     own rotation schedule); see {@link FleetConfig}
 * @param lockTableName                the DynamoDB table of the projects' rotation locks when it already exists
 *                                     (another stack of this account created it: two stacks that share one
 *                                     table never rotate one project at once); leave it out to have this stack
 *                                     create one
 * @param chatbot                      optional: deliver the outcome topic to a Slack and/or Microsoft Teams channel
 *                                     through AWS Chatbot; see {@link ChatbotConfig}
 */
public record RotatorConfig(
        String atlasCredentialsSecretArn,
        Boolean createAtlasCredentialsSecret,
        String webhookSecretArn,
        Boolean createWebhookSecret,
        String notificationEmail,
        String atlasBaseUrl,
        String sweepSchedule,
        WorkflowDefaults workflow,
        List<ProjectConfig> projects,
        Boolean createTrail,
        String lockTableName,
        FleetConfig fleet,
        ChatbotConfig chatbot) {

    /** Once a day, at 05:00 in each project's time zone. */
    public static final String DEFAULT_SWEEP_SCHEDULE = "cron(0 5 * * ? *)";

    public RotatorConfig {
        projects = projects == null ? null : Lists.copyAllowingNulls(projects);
    }

    /** A configuration without chat delivery. */
    public RotatorConfig(String atlasCredentialsSecretArn, Boolean createAtlasCredentialsSecret, String webhookSecretArn,
                         Boolean createWebhookSecret, String notificationEmail, String atlasBaseUrl, String sweepSchedule,
                         WorkflowDefaults workflow, List<ProjectConfig> projects, Boolean createTrail, String lockTableName,
                         FleetConfig fleet) {
        this(atlasCredentialsSecretArn, createAtlasCredentialsSecret, webhookSecretArn, createWebhookSecret,
                notificationEmail, atlasBaseUrl, sweepSchedule, workflow, projects, createTrail, lockTableName, fleet, null);
    }

    /** Whether the outcome topic is delivered to a chat channel through AWS Chatbot. */
    public boolean deliversToChat() {
        return chatbot != null;
    }

    /** A configuration without a fleet run: each project has its own schedules. */
    public RotatorConfig(String atlasCredentialsSecretArn, Boolean createAtlasCredentialsSecret, String webhookSecretArn,
                         Boolean createWebhookSecret, String notificationEmail, String atlasBaseUrl, String sweepSchedule,
                         WorkflowDefaults workflow, List<ProjectConfig> projects, Boolean createTrail, String lockTableName) {
        this(atlasCredentialsSecretArn, createAtlasCredentialsSecret, webhookSecretArn, createWebhookSecret,
                notificationEmail, atlasBaseUrl, sweepSchedule, workflow, projects, createTrail, lockTableName, null, null);
    }

    /** Whether the daily fleet run schedules the projects (instead of a schedule and a sweep per project). */
    public boolean runsFleet() {
        return fleet != null;
    }

    /** A configuration whose stack creates its own lock table. */
    public RotatorConfig(String atlasCredentialsSecretArn, Boolean createAtlasCredentialsSecret, String webhookSecretArn,
                         Boolean createWebhookSecret, String notificationEmail, String atlasBaseUrl, String sweepSchedule,
                         WorkflowDefaults workflow, List<ProjectConfig> projects, Boolean createTrail) {
        this(atlasCredentialsSecretArn, createAtlasCredentialsSecret, webhookSecretArn, createWebhookSecret,
                notificationEmail, atlasBaseUrl, sweepSchedule, workflow, projects, createTrail, null, null, null);
    }

    /** A configuration that creates no trail. */
    public RotatorConfig(String atlasCredentialsSecretArn, Boolean createAtlasCredentialsSecret, String webhookSecretArn,
                         Boolean createWebhookSecret, String notificationEmail, String atlasBaseUrl, String sweepSchedule,
                         WorkflowDefaults workflow, List<ProjectConfig> projects) {
        this(atlasCredentialsSecretArn, createAtlasCredentialsSecret, webhookSecretArn, createWebhookSecret,
                notificationEmail, atlasBaseUrl, sweepSchedule, workflow, projects, null, null, null, null);
    }

    public boolean createsTrail() {
        return Boolean.TRUE.equals(createTrail);
    }

    public boolean createsAtlasCredentialsSecret() {
        return Boolean.TRUE.equals(createAtlasCredentialsSecret);
    }

    public boolean createsWebhookSecret() {
        return Boolean.TRUE.equals(createWebhookSecret);
    }

    public String effectiveSweepSchedule() {
        return sweepSchedule == null ? DEFAULT_SWEEP_SCHEDULE : sweepSchedule;
    }

    public WorkflowDefaults effectiveWorkflow() {
        return workflow == null ? WorkflowDefaults.STANDARD : workflow.effective();
    }

    /** The configured project ids, sorted, for IAM conditions. */
    public List<String> projectIds() {
        return projects.stream().map(ProjectConfig::projectId).sorted().distinct().toList();
    }

    /** The AWS regions of the configured projects' keys, sorted. */
    public List<String> keyRegions() {
        Set<String> regions = new TreeSet<>();
        projects.forEach(p -> regions.add(p.awsRegion()));
        return List.copyOf(regions);
    }
}
