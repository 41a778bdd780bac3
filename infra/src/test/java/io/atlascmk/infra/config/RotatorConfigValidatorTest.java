package io.atlascmk.infra.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** One test per rule: a valid configuration with exactly one thing wrong names that field. */
class RotatorConfigValidatorTest {

    static ProjectConfig project() {
        return new ProjectConfig("5f1e2d3c4b5a69788796a5b4", "64b1c2d3e4f5a6b7c8d9e0f1", "us-east-1",
                "rate(90 days)", "Europe/Berlin", 30, 30,
                List.of("arn:aws:iam::111122223333:role/KeyAdministrators"), List.of("orders-2019-terminated"));
    }

    static RotatorConfig config(ProjectConfig... projects) {
        return new RotatorConfig(null, true, null, true, "ops@example.com", null, null, null, Arrays.asList(projects));
    }

    static RotatorConfig valid() {
        return config(project());
    }

    private static List<String> errorsWithProject(UnaryOperator<ProjectBuilder> change) {
        return RotatorConfigValidator.validate(config(change.apply(new ProjectBuilder()).build()));
    }

    /** Copies of {@link #project()} with one field changed. */
    static final class ProjectBuilder {
        String projectId = project().projectId();
        String atlasRoleId = project().atlasRoleId();
        String awsRegion = project().awsRegion();
        String schedule = project().schedule();
        String timeZone = project().scheduleTimeZone();
        Integer pendingWindowDays = 30;
        Integer cooldownDays = 30;
        List<String> admins = project().keyAdminPrincipals();
        List<String> clusters = project().extraClusterNames();
        Integer minRetirementDays;

        String adoptedKeys;
        List<String> copyTags;
        String keyAccountRoleArn;
        String keyAccountExternalId;

        ProjectBuilder keyAccount(String role, String externalId) {
            keyAccountRoleArn = role;
            keyAccountExternalId = externalId;
            return this;
        }

        ProjectBuilder copyTags(List<String> v) { copyTags = v; return this; }
        ProjectBuilder minRetirementDays(Integer v) { minRetirementDays = v; return this; }
        ProjectBuilder adoptedKeys(String v) { adoptedKeys = v; return this; }
        ProjectBuilder projectId(String v) { projectId = v; return this; }
        ProjectBuilder atlasRoleId(String v) { atlasRoleId = v; return this; }
        ProjectBuilder awsRegion(String v) { awsRegion = v; return this; }
        ProjectBuilder schedule(String v) { schedule = v; return this; }
        ProjectBuilder timeZone(String v) { timeZone = v; return this; }
        ProjectBuilder pendingWindowDays(Integer v) { pendingWindowDays = v; return this; }
        ProjectBuilder cooldownDays(Integer v) { cooldownDays = v; return this; }
        ProjectBuilder admins(List<String> v) { admins = v; return this; }
        ProjectBuilder clusters(List<String> v) { clusters = v; return this; }

        ProjectConfig build() {
            return new ProjectConfig(projectId, atlasRoleId, awsRegion, schedule, timeZone, pendingWindowDays,
                    cooldownDays, admins, clusters, minRetirementDays, adoptedKeys, copyTags, null, null,
                    keyAccountRoleArn, keyAccountExternalId);
        }
    }

    @Test
    void acceptsAValidConfiguration() {
        assertThat(RotatorConfigValidator.validate(valid())).isEmpty();
    }

    @Test
    void aKeyAccount_needsTheMemberRolesArnAndItsExternalId_bothOrNeither() {
        String role = "arn:aws:iam::222233334444:role/atlas-cmk-key-account-AtlasCmkRotator";
        assertThat(errorsWithProject(p -> p.keyAccount(role, "ext-7f3a9"))).isEmpty();
        assertThat(errorsWithProject(p -> p.keyAccount(null, "ext-7f3a9"))).singleElement().asString()
                .contains("keyAccountRoleArn is missing");
        assertThat(errorsWithProject(p -> p.keyAccount(role, null))).singleElement().asString()
                .contains("keyAccountExternalId is missing");
        assertThat(errorsWithProject(p -> p.keyAccount("arn:aws:iam::222233334444:user/alice", "ext-7f3a9")))
                .singleElement().asString().contains("keyAccountRoleArn").contains("KeyAccountRoleArn");
    }

    @Test
    void rejectsAnEmptyFile() {
        assertThat(RotatorConfigValidator.validate(null)).singleElement().asString().contains("empty");
    }

    @Test
    void rejectsNoProjects() {
        assertThat(RotatorConfigValidator.validate(config())).singleElement().asString()
                .startsWith("projects is missing or empty");
        assertThat(RotatorConfigValidator.validate(new RotatorConfig(null, true, null, true, "ops@example.com",
                null, null, null, null))).singleElement().asString().startsWith("projects is missing");
    }

    @Test
    void rejectsANullProjectEntry() {
        assertThat(RotatorConfigValidator.validate(config(project(), null))).singleElement().asString()
                .startsWith("projects[1] is null");
    }

    @ParameterizedTest
    @ValueSource(strings = {"5f1e2d3c4b5a69788796a5b", "5f1e2d3c4b5a69788796a5b4a", "5F1E2D3C4B5A69788796A5B4",
            "zz1e2d3c4b5a69788796a5b4", ""})
    void rejectsAProjectIdThatIsNot24LowercaseHex(String id) {
        assertThat(errorsWithProject(p -> p.projectId(id))).singleElement().asString()
                .startsWith("projects[0].projectId is \"" + id + "\": it must be 24 lowercase hexadecimal");
    }

    @Test
    void rejectsAMissingProjectId() {
        assertThat(errorsWithProject(p -> p.projectId(null))).singleElement().asString()
                .startsWith("projects[0].projectId is missing");
    }

    @Test
    void rejectsTheSameProjectTwice() {
        assertThat(RotatorConfigValidator.validate(config(project(), project()))).singleElement().asString()
                .isEqualTo("projects[1].projectId 5f1e2d3c4b5a69788796a5b4 is listed twice: keep one entry per project");
    }

    @Test
    void rejectsABadOrMissingAtlasRoleId() {
        assertThat(errorsWithProject(p -> p.atlasRoleId("role-1"))).singleElement().asString()
                .startsWith("projects[0].atlasRoleId is \"role-1\"");
        assertThat(errorsWithProject(p -> p.atlasRoleId(null))).singleElement().asString()
                .startsWith("projects[0].atlasRoleId is missing");
    }

    @ParameterizedTest
    @ValueSource(strings = {"useast1", "US-EAST-1", "us-east", "europe-west-1a", "arn:aws:kms"})
    void rejectsAnAwsRegionThatIsNotARegionCode(String region) {
        assertThat(errorsWithProject(p -> p.awsRegion(region))).singleElement().asString()
                .startsWith("projects[0].awsRegion is \"" + region + "\": it must be an AWS region code");
    }

    @ParameterizedTest
    @ValueSource(strings = {"us-east-1", "eu-central-1", "ap-southeast-4", "us-gov-west-1", "il-central-1"})
    void acceptsRealRegionCodes(String region) {
        assertThat(errorsWithProject(p -> p.awsRegion(region))).isEmpty();
    }

    @Test
    void rejectsAMissingRegion() {
        assertThat(errorsWithProject(p -> p.awsRegion(null))).singleElement().asString()
                .startsWith("projects[0].awsRegion is missing");
    }

    @ParameterizedTest
    @ValueSource(strings = {"rate(1 day)", "rate(90 days)", "rate(12 hours)", "cron(0 3 1 */3 ? *)",
            "cron(30 4 ? * MON#1 *)"})
    void acceptsRateAndCronSchedules(String schedule) {
        assertThat(errorsWithProject(p -> p.schedule(schedule))).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"every 90 days", "at(2026-12-01T03:00:00)", "rate(90 weeks)", "cron(0 3 1 * *)",
            "0 3 1 */3 ? *", "rate(days)"})
    void rejectsSchedulesThatAreNotRateOrCron(String schedule) {
        assertThat(errorsWithProject(p -> p.schedule(schedule))).singleElement().asString()
                .startsWith("projects[0].schedule is \"" + schedule + "\": it must be rate(N unit)");
    }

    @Test
    void rejectsRateSingularPluralMismatchAndZero() {
        assertThat(errorsWithProject(p -> p.schedule("rate(1 days)"))).singleElement().asString()
                .contains("rate(1 day)");
        assertThat(errorsWithProject(p -> p.schedule("rate(2 day)"))).singleElement().asString()
                .contains("rate(N days)");
        assertThat(errorsWithProject(p -> p.schedule("rate(0 days)"))).singleElement().asString()
                .contains("at least 1");
    }

    @Test
    void rejectsCronWithBothDayFieldsSet() {
        assertThat(errorsWithProject(p -> p.schedule("cron(0 3 1 * MON *)"))).singleElement().asString()
                .contains("must be ?");
    }

    @Test
    void rejectsAMissingSchedule() {
        assertThat(errorsWithProject(p -> p.schedule(null))).singleElement().asString()
                .startsWith("projects[0].schedule is missing");
    }

    @Test
    void rejectsAnUnknownTimeZoneOrAnOffset() {
        assertThat(errorsWithProject(p -> p.timeZone("Mars/Olympus"))).singleElement().asString()
                .startsWith("projects[0].scheduleTimeZone is \"Mars/Olympus\": it is not an IANA time zone");
        assertThat(errorsWithProject(p -> p.timeZone("+02:00"))).singleElement().asString()
                .contains("not an offset");
    }

    @Test
    void defaultsTheTimeZoneToUtc() {
        assertThat(errorsWithProject(p -> p.timeZone(null))).isEmpty();
        assertThat(new ProjectBuilder().timeZone(null).build().effectiveTimeZone()).isEqualTo("UTC");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 3, 6, 31, 365, -1})
    void rejectsAPendingWindowOutsideSevenToThirtyDays(int days) {
        assertThat(errorsWithProject(p -> p.pendingWindowDays(days))).containsExactly("projects[0].pendingWindowDays is "
                + days + ": it must be between 7 and 30 (KMS's pending window)");
    }

    @ParameterizedTest
    @ValueSource(ints = {7, 14, 30})
    void acceptsPendingWindowsKmsAccepts(int days) {
        assertThat(errorsWithProject(p -> p.pendingWindowDays(days))).isEmpty();
    }

    @Test
    void rejectsAMissingPendingWindow() {
        assertThat(errorsWithProject(p -> p.pendingWindowDays(null))).singleElement().asString()
                .startsWith("projects[0].pendingWindowDays is missing");
    }

    @Test
    void rejectsANegativeOrMissingCooldown_acceptsZero() {
        assertThat(errorsWithProject(p -> p.cooldownDays(-1))).containsExactly(
                "projects[0].cooldownDays is -1: it must be 0 or more");
        assertThat(errorsWithProject(p -> p.cooldownDays(null))).singleElement().asString()
                .startsWith("projects[0].cooldownDays is missing");
        assertThat(errorsWithProject(p -> p.cooldownDays(0))).isEmpty();
    }

    @Test
    void rejectsNoKeyAdmins() {
        assertThat(errorsWithProject(p -> p.admins(List.of()))).singleElement().asString()
                .startsWith("projects[0].keyAdminPrincipals is missing or empty");
        assertThat(errorsWithProject(p -> p.admins(null))).singleElement().asString()
                .startsWith("projects[0].keyAdminPrincipals is missing or empty");
    }

    @ParameterizedTest
    @ValueSource(strings = {"*", "arn:aws:iam::111122223333:role/*", "KeyAdministrators", "111122223333",
            "arn:aws:iam::1111:role/Admins", "arn:aws:s3:::bucket"})
    void rejectsKeyAdminsThatAreNotIamPrincipalArns(String admin) {
        assertThat(errorsWithProject(p -> p.admins(List.of(admin)))).singleElement().asString()
                .startsWith("projects[0].keyAdminPrincipals[0] is \"" + admin + "\": it must be an IAM principal ARN");
    }

    @ParameterizedTest
    @ValueSource(strings = {"arn:aws:iam::111122223333:root", "arn:aws:iam::111122223333:user/alice",
            "arn:aws:iam::111122223333:role/path/KeyAdmins", "arn:aws-us-gov:iam::111122223333:role/Admins"})
    void acceptsIamPrincipalArns(String admin) {
        assertThat(errorsWithProject(p -> p.admins(List.of(admin)))).isEmpty();
    }

    @Test
    void rejectsBadExtraClusterNames_acceptsNone() {
        List<String> names = new ArrayList<>();
        names.add("orders_2019");
        names.add(null);
        assertThat(errorsWithProject(p -> p.clusters(names))).hasSize(2)
                .allSatisfy(e -> assertThat(e).startsWith("projects[0].extraClusterNames["));
        assertThat(errorsWithProject(p -> p.clusters(null))).isEmpty();
        assertThat(new ProjectBuilder().clusters(null).build().extraClusterNames()).isEmpty();
    }

    @Test
    void minRetirementDays_isOptional_andAtLeastSevenDays() {
        assertThat(errorsWithProject(p -> p.minRetirementDays(null))).isEmpty();
        assertThat(errorsWithProject(p -> p.minRetirementDays(7))).isEmpty();
        assertThat(errorsWithProject(p -> p.minRetirementDays(6))).singleElement().asString()
                .startsWith("projects[0].minRetirementDays is 6").contains("between 7 and 3650").contains("30");
        assertThat(errorsWithProject(p -> p.minRetirementDays(3651))).hasSize(1);
    }

    @Test
    void copyTags_areTagKeysThatAreNeitherAwsNorTheRotatorsOwn() {
        assertThat(errorsWithProject(p -> p.copyTags(List.of("cost-center", "data-classification")))).isEmpty();
        assertThat(errorsWithProject(p -> p.copyTags(List.of("aws:cloudformation:stack-name")))).singleElement().asString()
                .startsWith("projects[0].copyTags[0] is \"aws:cloudformation:stack-name\"");
        assertThat(errorsWithProject(p -> p.copyTags(List.of("ok", "atlas-cmk-rotator:state")))).singleElement().asString()
                .startsWith("projects[0].copyTags[1]");
    }

    @Test
    void adoptedKeys_isKeepOrDeleteWhenUnused_orLeftOut() {
        assertThat(errorsWithProject(p -> p.adoptedKeys(null))).isEmpty();
        assertThat(errorsWithProject(p -> p.adoptedKeys("keep"))).isEmpty();
        assertThat(errorsWithProject(p -> p.adoptedKeys("delete-when-unused"))).isEmpty();
        assertThat(errorsWithProject(p -> p.adoptedKeys("delete"))).singleElement().asString()
                .startsWith("projects[0].adoptedKeys is \"delete\"").contains("keep").contains("delete-when-unused");
    }

    @Test
    void requiresExactlyOneSourceForTheAtlasCredentials() {
        RotatorConfig neither = new RotatorConfig(null, false, null, true, "ops@example.com", null, null, null,
                List.of(project()));
        assertThat(RotatorConfigValidator.validate(neither)).singleElement().asString()
                .startsWith("atlasCredentialsSecretArn is missing");
        RotatorConfig both = new RotatorConfig(
                "arn:aws:secretsmanager:us-east-1:111122223333:secret:atlas-AbCdEf", true, null, true,
                "ops@example.com", null, null, null, List.of(project()));
        assertThat(RotatorConfigValidator.validate(both)).singleElement().asString().contains("choose one");
    }

    @Test
    void requiresExactlyOneSourceForTheWebhookSecret() {
        RotatorConfig neither = new RotatorConfig(null, true, null, null, "ops@example.com", null, null, null,
                List.of(project()));
        assertThat(RotatorConfigValidator.validate(neither)).singleElement().asString()
                .startsWith("webhookSecretArn is missing");
    }

    @Test
    void rejectsASecretArnThatIsNotASecretsManagerArn_acceptsOne() {
        RotatorConfig wrong = new RotatorConfig("arn:aws:ssm:us-east-1:111122223333:parameter/atlas", null,
                "my-webhook-secret", null, "ops@example.com", null, null, null, List.of(project()));
        assertThat(RotatorConfigValidator.validate(wrong)).hasSize(2)
                .anySatisfy(e -> assertThat(e).startsWith("atlasCredentialsSecretArn is \"arn:aws:ssm"))
                .anySatisfy(e -> assertThat(e).startsWith("webhookSecretArn is \"my-webhook-secret\""));
        RotatorConfig right = new RotatorConfig("arn:aws:secretsmanager:us-east-1:111122223333:secret:atlas/creds",
                null, "arn:aws:secretsmanager:us-east-1:111122223333:secret:webhook-AbCdEf", null,
                "ops@example.com", null, null, null, List.of(project()));
        assertThat(RotatorConfigValidator.validate(right)).isEmpty();
    }

    @Test
    void rejectsAMissingOrMalformedNotificationEmail() {
        RotatorConfig missing = new RotatorConfig(null, true, null, true, null, null, null, null, List.of(project()));
        assertThat(RotatorConfigValidator.validate(missing)).singleElement().asString()
                .startsWith("notificationEmail is missing");
        RotatorConfig malformed = new RotatorConfig(null, true, null, true, "ops at example", null, null, null,
                List.of(project()));
        assertThat(RotatorConfigValidator.validate(malformed)).singleElement().asString()
                .startsWith("notificationEmail is \"ops at example\"");
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://cloud.mongodb.com", "cloud.mongodb.com", "https://", "https://x.example/?a=b",
            "https://bad host"})
    void rejectsAnAtlasBaseUrlThatIsNotAPlainHttpsUrl(String url) {
        RotatorConfig c = new RotatorConfig(null, true, null, true, "ops@example.com", url, null, null,
                List.of(project()));
        assertThat(RotatorConfigValidator.validate(c)).singleElement().asString()
                .startsWith("atlasBaseUrl is \"" + url + "\"");
    }

    @Test
    void acceptsTheDefaultAtlasBaseUrl() {
        RotatorConfig c = new RotatorConfig(null, true, null, true, "ops@example.com", "https://cloud.mongodb.com",
                null, null, List.of(project()));
        assertThat(RotatorConfigValidator.validate(c)).isEmpty();
    }

    @Test
    void rejectsABadSweepSchedule_defaultsToDaily() {
        RotatorConfig c = new RotatorConfig(null, true, null, true, "ops@example.com", null, "daily", null,
                List.of(project()));
        assertThat(RotatorConfigValidator.validate(c)).singleElement().asString().startsWith("sweepSchedule is \"daily\"");
        assertThat(valid().effectiveSweepSchedule()).isEqualTo("cron(0 5 * * ? *)");
    }

    @Test
    void rejectsWorkflowNumbersOutOfRange() {
        WorkflowDefaults w = new WorkflowDefaults(-1, 40, -5, 10, 0, null, 0);
        RotatorConfig c = new RotatorConfig(null, true, null, true, "ops@example.com", null, null, w,
                List.of(project()));
        assertThat(RotatorConfigValidator.validate(c)).containsExactlyInAnyOrder(
                "workflow.cooldownDays is -1: it must be 0 or more",
                "workflow.pendingWindowDays is 40: it must be between 7 and 30 (KMS's pending window)",
                "workflow.settleSeconds is -5: it must be between 0 and 3600",
                "workflow.deploymentDeadlineSeconds is 10: it must be between 60 and 86400",
                "workflow.firstWaitSeconds is 0: it must be 1 or more",
                "workflow.retryMaxDelaySeconds is 0: it must be 1 or more");
    }

    @Test
    void rejectsADeadlineOver24HoursOrASettleTimeOverAnHour_sayingTheRange() {
        WorkflowDefaults w = new WorkflowDefaults(null, null, 3_601, 86_401, null, null, null);
        RotatorConfig c = new RotatorConfig(null, true, null, true, "ops@example.com", null, null, w,
                List.of(project()));
        assertThat(RotatorConfigValidator.validate(c)).containsExactlyInAnyOrder(
                "workflow.settleSeconds is 3601: it must be between 0 and 3600",
                "workflow.deploymentDeadlineSeconds is 86401: it must be between 60 and 86400");
    }

    @Test
    void acceptsTheLargestDeadlineAndSettleTime() {
        WorkflowDefaults w = new WorkflowDefaults(null, null, 3_600, 86_400, null, null, null);
        RotatorConfig c = new RotatorConfig(null, true, null, true, "ops@example.com", null, null, w,
                List.of(project()));
        assertThat(RotatorConfigValidator.validate(c)).isEmpty();
    }

    @Test
    void rejectsAMaxWaitShorterThanTheFirstWait() {
        WorkflowDefaults w = new WorkflowDefaults(null, null, null, null, 120, 60, null);
        RotatorConfig c = new RotatorConfig(null, true, null, true, "ops@example.com", null, null, w,
                List.of(project()));
        assertThat(RotatorConfigValidator.validate(c)).singleElement().asString()
                .startsWith("workflow.maxWaitSeconds is 60: it must be at least workflow.firstWaitSeconds (120)");
    }

    @Test
    void fillsMissingWorkflowNumbersWithTheStandardOnes() {
        WorkflowDefaults partial = new WorkflowDefaults(null, 14, null, null, null, null, null);
        assertThat(partial.effective()).isEqualTo(new WorkflowDefaults(30, 14, 300, 21600, 60, 900, 60));
        assertThat(valid().effectiveWorkflow()).isEqualTo(WorkflowDefaults.STANDARD);
    }

    @Test
    void reportsEveryProblemAtOnce() {
        ProjectConfig bad = new ProjectConfig("x", "y", "z", "w", "v", 1, -1, List.of("u"), List.of("t_t"));
        RotatorConfig c = new RotatorConfig(null, null, null, null, null, null, null, null, List.of(bad));
        assertThat(RotatorConfigValidator.validate(c)).hasSize(12);
    }

    @Test
    void listsProjectIdsAndKeyRegionsSortedAndDistinct() {
        ProjectConfig other = new ProjectBuilder().projectId("0a0b0c0d0e0f0a0b0c0d0e0f").awsRegion("eu-west-1").build();
        RotatorConfig c = config(project(), other);
        assertThat(c.projectIds()).containsExactly("0a0b0c0d0e0f0a0b0c0d0e0f", "5f1e2d3c4b5a69788796a5b4");
        assertThat(c.keyRegions()).containsExactly("eu-west-1", "us-east-1");
    }

    @org.junit.jupiter.api.Test
    void aLockTableNameThatDynamoDbWouldRefuse_isNamedWithWhatToGive() {
        RotatorConfig sample = io.atlascmk.infra.config.RotatorConfigLoader.load(
                java.nio.file.Path.of("..", "infra", "rotator.config.json").toAbsolutePath().normalize());
        RotatorConfig withBadTable = new RotatorConfig(sample.atlasCredentialsSecretArn(), sample.createAtlasCredentialsSecret(),
                sample.webhookSecretArn(), sample.createWebhookSecret(), sample.notificationEmail(), sample.atlasBaseUrl(),
                sample.sweepSchedule(), sample.workflow(), sample.projects(), sample.createTrail(), "locks table!");

        assertThat(RotatorConfigValidator.validate(withBadTable)).singleElement().asString()
                .startsWith("lockTableName is \"locks table!\"").contains("LockTableName output");
    }

    @Test
    void theKeyMaterialMethod_takesAPeriodOf90To2560Days_andAPeriodWithoutItIsAMistake() {
        ProjectConfig base = project();
        java.util.function.BiFunction<String, Integer, ProjectConfig> with = (method, days) -> new ProjectConfig(
                base.projectId(), base.atlasRoleId(), base.awsRegion(), base.schedule(), base.scheduleTimeZone(),
                base.pendingWindowDays(), base.cooldownDays(), base.keyAdminPrincipals(), base.extraClusterNames(),
                base.minRetirementDays(), base.adoptedKeys(), base.copyTags(), method, days);
        assertThat(RotatorConfigValidator.validate(config(with.apply("key-material", 180)))).isEmpty();
        assertThat(RotatorConfigValidator.validate(config(with.apply("key-material", null)))).isEmpty();
        assertThat(RotatorConfigValidator.validate(config(with.apply("key-material", 30))))
                .anySatisfy(e -> assertThat(e).contains("rotationPeriodDays is 30").contains("between 90 and 2560"));
        assertThat(RotatorConfigValidator.validate(config(with.apply("rotate-often", null))))
                .anySatisfy(e -> assertThat(e).contains("method is \"rotate-often\""));
        assertThat(RotatorConfigValidator.validate(config(with.apply(null, 180))))
                .anySatisfy(e -> assertThat(e).contains("rotationPeriodDays is set but method is not"));
    }

    private static RotatorConfig withChatbot(ChatbotConfig chatbot) {
        return new RotatorConfig(null, true, null, true, "ops@example.com", null, null, null, List.of(project()), null,
                null, null, chatbot);
    }

    @Test
    void aSlackAndATeamsChannel_withTheIdsAwsChatbotShows_areValid() {
        assertThat(RotatorConfigValidator.validate(withChatbot(new ChatbotConfig(
                new ChatbotConfig.Slack("T07EA123LEP", "C07EZ1ABC23"),
                new ChatbotConfig.Teams("8a1e6f42-3c9b-4d7e-9f10-2b5c7d8e9a01", "5d2c9e1f-7a3b-4c8d-b6e0-1f2a3b4c5d6e",
                        "19%3ab6ef35dc342d56ba5654e6fc6d25a071%40thread.tacv2"))))).isEmpty();
        assertThat(valid().chatbot()).isNull();
        assertThat(valid().deliversToChat()).isFalse();
    }

    @Test
    void everyWrongChatbotId_isNamedAtOnce_withWhatToGive() {
        List<String> errors = RotatorConfigValidator.validate(withChatbot(new ChatbotConfig(
                new ChatbotConfig.Slack("my-workspace", null),
                new ChatbotConfig.Teams(null, "not-a-uuid", "General"))));
        assertThat(errors).hasSize(5);
        assertThat(errors).anySatisfy(e -> assertThat(e).startsWith("chatbot.slack.workspaceId is \"my-workspace\"")
                .contains("AWS Chatbot console"));
        assertThat(errors).anySatisfy(e -> assertThat(e).startsWith("chatbot.slack.channelId is missing")
                .contains("not its #name"));
        assertThat(errors).anySatisfy(e -> assertThat(e).startsWith("chatbot.teams.tenantId is missing").contains("UUID"));
        assertThat(errors).anySatisfy(e -> assertThat(e).startsWith("chatbot.teams.teamId is \"not-a-uuid\""));
        assertThat(errors).anySatisfy(e -> assertThat(e).startsWith("chatbot.teams.channelId is \"General\"")
                .contains("URL-encoded"));
    }
}
