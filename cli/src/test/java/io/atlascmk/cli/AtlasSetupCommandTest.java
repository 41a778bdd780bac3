package io.atlascmk.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.atlascmk.cli.sandbox.SandboxSeed;
import io.atlascmk.cli.sandbox.SandboxWorld;
import io.atlascmk.rotator.alert.SecretsManagerWebhookSecret;
import io.atlascmk.rotator.json.Json;
import io.atlascmk.rotator.registry.RegisteredProject;
import io.atlascmk.rotator.rotation.ExecutionSettings;
import io.atlascmk.sandbox.atlas.AlertConfigRecord;
import io.atlascmk.sandbox.atlas.AtlasOperation;
import io.atlascmk.sandbox.atlas.AtlasProject;
import io.atlascmk.sandbox.atlas.AwsIamRole;
import io.atlascmk.sandbox.atlas.CallRecord;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code rotator atlas-setup}: the sandbox's Atlas simulator through the functions' client, the registry on dynalite,
 * the webhook secret in the sandbox's Secrets Manager, read as the webhook function reads it.
 */
class AtlasSetupCommandTest {

    private static final String PROJECT = "6a1b2c3d4e5f60718293a4b5";
    private static final String URL = "https://abc123def.lambda-url.us-east-1.on.aws/";
    private static final String SECRET_NAME = "atlas-cmk-rotator/webhook";
    private static final String SECRET = "whsec-7f3a9c1e-never-printed";

    private SandboxWorld world;
    private AtlasProject project;

    @BeforeEach
    void world() {
        world = new SandboxWorld();
        SandboxSeed.seed(world);
        SandboxSeed.seedProject(world, PROJECT, "rate(90 days)");
        project = world.atlas().project(PROJECT);
        world.secretsManager().createSecret(b -> b.name(SECRET_NAME)
                .secretString(Json.MAPPER.createObjectNode().put("webhookSecret", SECRET).toString()));
    }

    @AfterEach
    void stop() {
        try {
            // every request the command sent (lists, creates, replaces, its checks) is one our Atlas contract allows
            String version = io.atlascmk.rotator.atlas.AtlasClient.MEDIA_TYPE_2023_01_01;
            List<String> outside = new ArrayList<>();
            for (CallRecord call : world.atlas().callLog()) {
                if (call.operation() != null && !call.operation().versions().isEmpty()) {
                    String target = call.path() + (call.query() == null ? "" : "?" + call.query());
                    var headers = call.body() == null ? java.util.Map.of("Accept", List.of(version))
                            : java.util.Map.of("Accept", List.of(version), "Content-Type", List.of(version));
                    io.atlascmk.contract.AtlasContract.errors(io.atlascmk.contract.AtlasContract.shared()
                            .validateRequest(call.method(), target, headers, call.body()))
                            .forEach(e -> outside.add(call.method() + " " + target + ": " + e));
                }
            }
            assertThat(outside).isEmpty();
        } finally {
            world.close();
        }
    }

    private CliRun setup(String... more) {
        List<String> args = new ArrayList<>(List.of("atlas-setup", "--project", PROJECT, "--webhook-url", URL,
                "--webhook-secret", SECRET_NAME));
        args.addAll(List.of(more));
        return run(args);
    }

    private CliRun run(List<String> args) {
        // the process's own streams too, where the clients' logs go
        java.io.PrintStream stdout = System.out;
        java.io.PrintStream stderr = System.err;
        java.io.ByteArrayOutputStream logs = new java.io.ByteArrayOutputStream();
        CliRun run;
        try {
            System.setOut(new java.io.PrintStream(new TeeStream(stdout, logs), true, java.nio.charset.StandardCharsets.UTF_8));
            System.setErr(new java.io.PrintStream(new TeeStream(stderr, logs), true, java.nio.charset.StandardCharsets.UTF_8));
            run = CliRun.of(new AtlasSetupCommand(c -> world.atlasClient(), table -> world.registry(),
                    id -> new SecretsManagerWebhookSecret(world.secretsManager(), id).webhookSecret()), args.toArray(String[]::new));
        } finally {
            System.setOut(stdout);
            System.setErr(stderr);
        }
        assertThat(run.out() + run.err()).as("the webhook secret is never shown").doesNotContain(SECRET);
        assertThat(logs.toString(java.nio.charset.StandardCharsets.UTF_8)).as("nor logged").doesNotContain(SECRET);
        return run;
    }

    /** Writes to both. */
    private static final class TeeStream extends java.io.OutputStream {
        private final java.io.OutputStream a;
        private final java.io.OutputStream b;

        TeeStream(java.io.OutputStream a, java.io.OutputStream b) {
            this.a = a;
            this.b = b;
        }

        @Override
        public void write(int x) throws java.io.IOException {
            a.write(x);
            b.write(x);
        }

        @Override
        public void write(byte[] bytes, int off, int len) throws java.io.IOException {
            a.write(bytes, off, len);
            b.write(bytes, off, len);
        }
    }

    private List<CallRecord> writes() {
        return world.atlas().callLog().stream().filter(c -> !c.method().equals("GET") && c.operation() != AtlasOperation.CREATE_ACCESS_TOKEN)
                .toList();
    }

    private void register(String schedule, ExecutionSettings settings) {
        world.registry().put(new RegisteredProject(PROJECT, SandboxWorld.REGION, schedule, null, settings,
                RegisteredProject.SOURCE_CLI, world.clock().instant()));
    }

    @Test
    void createsTheAlertWithTheScheduleThreshold_theWebhookUrlAndSecret_andReportsEachCheck() {
        CliRun run = setup();

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(project.alertConfigs()).singleElement().satisfies(c -> {
            assertThat(c.eventTypeName()).isEqualTo("AWS_ENCRYPTION_KEY_NEEDS_ROTATION");
            assertThat(c.enabled()).isTrue();
            assertThat(c.threshold()).isEqualTo(new AlertConfigRecord.Threshold("GREATER_THAN", 90, "DAYS"));
            assertThat(c.notifications()).singleElement().satisfies(n -> {
                assertThat(n.webhookUrl()).isEqualTo(URL);
                assertThat(n.webhookSecret()).isEqualTo(SECRET);
                assertThat(n.intervalMin()).isEqualTo(60);
            });
        });
        assertThat(run.out()).contains("alert threshold 90 days (from the schedule rate(90 days))")
                .contains("check cloud provider access role").contains(": authorized ")
                .contains("check private networking: not required")
                .contains("created " + project.alertConfigs().get(0).id());
    }

    @Test
    void aSecondRun_changesNothing_andSaysSo() {
        setup();
        world.atlas().resetCallCounts();

        CliRun again = setup();

        assertThat(again.exitCode()).as(again.toString()).isZero();
        assertThat(again.out()).contains("unchanged, " + project.alertConfigs().get(0).id() + " is already as wanted");
        assertThat(writes()).isEmpty();
        assertThat(project.alertConfigs()).hasSize(1);
    }

    @Test
    void aDriftedConfiguration_isUpdated_showingEachField_andOthersOfTheTypeAreLeftAlone() {
        AlertConfigRecord drifted = project.addAlertConfig(AlertConfigRecord.webhook("AWS_ENCRYPTION_KEY_NEEDS_ROTATION", 30, URL, "old-secret"));
        AlertConfigRecord someoneElses = project.addAlertConfig(AlertConfigRecord.webhook("AWS_ENCRYPTION_KEY_NEEDS_ROTATION", 7,
                "https://pager.example.com/hooks/atlas", "theirs"));
        AlertConfigRecord duplicate = project.addAlertConfig(AlertConfigRecord.webhook("AWS_ENCRYPTION_KEY_NEEDS_ROTATION", 45, URL, "old-secret"));
        project.addAlertConfig(AlertConfigRecord.webhook("AWS_ENCRYPTION_KEY_INVALID", 0, URL, "old-secret"));
        world.atlas().resetCallCounts();

        CliRun run = setup();

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).contains("updated " + drifted.id()).contains("threshold: GREATER_THAN 30 DAYS -> GREATER_THAN 90 DAYS")
                .contains("1 more AWS_ENCRYPTION_KEY_NEEDS_ROTATION configuration(s) also notify this webhook").contains(duplicate.id())
                .contains("1 other AWS_ENCRYPTION_KEY_NEEDS_ROTATION configuration(s)").contains(someoneElses.id());
        assertThat(writes()).singleElement().satisfies(w -> {
            assertThat(w.operation()).isEqualTo(AtlasOperation.UPDATE_ALERT_CONFIG);
            assertThat(w.path()).endsWith(drifted.id());
        });
        List<AlertConfigRecord> after = project.alertConfigs();
        assertThat(after.get(0).threshold().threshold()).isEqualTo(90);
        assertThat(after.get(0).notifications().get(0).webhookSecret()).isEqualTo(SECRET);
        assertThat(after.get(1)).isEqualTo(someoneElses);
        assertThat(after.get(2)).isEqualTo(duplicate);
    }

    @Test
    void anEarlierDeploymentsFunctionUrl_isUpdatedInPlace_notDuplicated() {
        AlertConfigRecord old = project.addAlertConfig(AlertConfigRecord.webhook("AWS_ENCRYPTION_KEY_NEEDS_ROTATION", 90,
                "https://old999zzz.lambda-url.us-east-1.on.aws/", "old-secret"));
        world.atlas().resetCallCounts();

        CliRun run = setup();

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).contains("updated " + old.id())
                .contains("webhookUrl: https://old999zzz.lambda-url.us-east-1.on.aws/**** -> " + URL);
        assertThat(project.alertConfigs()).singleElement().satisfies(c -> {
            assertThat(c.id()).isEqualTo(old.id());
            assertThat(c.notifications().get(0).webhookUrl()).isEqualTo(URL);
            assertThat(c.notifications().get(0).webhookSecret()).isEqualTo(SECRET);
        });
        assertThat(writes()).extracting(CallRecord::operation).containsExactly(AtlasOperation.UPDATE_ALERT_CONFIG);

        world.atlas().resetCallCounts();
        assertThat(setup().out()).contains("unchanged, " + old.id());
        assertThat(writes()).isEmpty();
    }

    @Test
    void severalEarlierFunctionUrls_areRefused_withNothingWritten() {
        AlertConfigRecord a = project.addAlertConfig(AlertConfigRecord.webhook("AWS_ENCRYPTION_KEY_NEEDS_ROTATION", 90,
                "https://aaa111.lambda-url.us-east-1.on.aws/", "old-secret"));
        AlertConfigRecord b = project.addAlertConfig(AlertConfigRecord.webhook("AWS_ENCRYPTION_KEY_NEEDS_ROTATION", 90,
                "https://bbb222.lambda-url.us-east-1.on.aws/", "old-secret"));
        world.atlas().resetCallCounts();

        CliRun run = setup();

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains(a.id()).contains(b.id())
                .contains("cannot be told").contains("Nothing was changed");
        assertThat(writes()).isEmpty();
        assertThat(project.alertConfigs()).containsExactly(a, b);
    }

    @Test
    void resendSecret_updatesEvenWhenNothingElseDiffers() {
        project.addAlertConfig(AlertConfigRecord.webhook("AWS_ENCRYPTION_KEY_NEEDS_ROTATION", 90, URL, "old-secret"));

        CliRun run = setup("--resend-secret");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).contains("webhookSecret: **** -> **** (sent again: --resend-secret)");
        assertThat(project.alertConfigs().get(0).notifications().get(0).webhookSecret()).isEqualTo(SECRET);
    }

    @Test
    void dryRun_showsWhatItWouldCreateOrUpdate_andWritesNothing() {
        CliRun create = setup("--dry-run");
        assertThat(create.exitCode()).as(create.toString()).isZero();
        assertThat(create.out()).contains("would create it:").contains("threshold: GREATER_THAN 90 DAYS")
                .contains("webhookUrl: " + URL).contains("webhookSecret: ****").contains("Dry run: nothing was changed.");
        assertThat(project.alertConfigs()).isEmpty();

        project.addAlertConfig(AlertConfigRecord.webhook("AWS_ENCRYPTION_KEY_NEEDS_ROTATION", 30, URL, "old-secret"));
        world.atlas().resetCallCounts();
        CliRun update = setup("--dry-run", "--interval-min", "15");
        assertThat(update.out()).contains("would update").contains("threshold: GREATER_THAN 30 DAYS -> GREATER_THAN 90 DAYS")
                .contains("intervalMin: 60 -> 15");
        assertThat(writes()).isEmpty();
        assertThat(project.alertConfigs().get(0).threshold().threshold()).isEqualTo(30);
    }

    @Test
    void keyMaterial_setsTheThresholdAboveTheRotationPeriod_andRefusesOneThatIsNot() {
        register(null, new ExecutionSettings(null, null, null, null, null, null, null, null, "key-material", 180));

        CliRun run = setup();

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(project.alertConfigs().get(0).threshold().threshold()).isEqualTo(210).isGreaterThan(180);
        assertThat(run.out()).contains("key-material: rotationPeriodDays 180 + 30");

        CliRun tooLow = setup("--threshold-days", "180");
        assertThat(tooLow.exitCode()).isEqualTo(2);
        assertThat(tooLow.err()).contains("not above the project's rotationPeriodDays 180");
    }

    @Test
    void anUnauthorizedRole_isRefusedBeforeAnythingIsWritten() {
        String pending = "c".repeat(24);
        project.addAwsIamRole(new AwsIamRole(pending, "arn:aws:iam::111122223333:role/not-yet", AtlasProject.DEFAULT_ATLAS_AWS_ACCOUNT_ARN,
                "5d0f6c4e-3b2a-4c1d-9e8f-7a6b5c4d3e2f", world.clock().instant(), null));
        project.configureAwsKms(project.awsKms().customerMasterKeyID(), SandboxWorld.ATLAS_REGION, pending);

        CliRun run = setup();

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("role " + pending).contains("is not authorized").contains("Authorize");
        assertThat(project.alertConfigs()).isEmpty();
    }

    @Test
    void privateNetworking_withoutAnActiveEndpointInTheKeysRegion_isRefused_andWithOneGoesThrough() {
        project.requirePrivateNetworking(true);

        CliRun none = setup();
        assertThat(none.exitCode()).isEqualTo(1);
        assertThat(none.err()).contains("no encryption-at-rest private endpoint in the key's region US_EAST_1 is ACTIVE (there is none)");

        project.addEncryptionAtRestPrivateEndpoint("US_EAST_1", "PENDING_ACCEPTANCE");
        project.addEncryptionAtRestPrivateEndpoint("US_EAST_1", "FAILED");
        project.addEncryptionAtRestPrivateEndpoint("EU_WEST_1", "ACTIVE");

        CliRun refused = setup();
        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.err()).contains("no encryption-at-rest private endpoint in the key's region US_EAST_1 is ACTIVE")
                .contains("US_EAST_1 PENDING_ACCEPTANCE").contains("US_EAST_1 FAILED").contains("EU_WEST_1 ACTIVE");
        assertThat(project.alertConfigs()).isEmpty();
        assertThat(writes()).isEmpty();

        String active = project.addEncryptionAtRestPrivateEndpoint("US_EAST_1", "ACTIVE");
        CliRun ok = setup();
        assertThat(ok.exitCode()).as(ok.toString()).isZero();
        assertThat(ok.out()).contains("private endpoint " + active + " in US_EAST_1 is ACTIVE");
        assertThat(project.alertConfigs()).hasSize(1);
    }

    @Test
    void anUnregisteredProject_orMissingOptions_areClearUsageErrors() {
        CliRun unregistered = run(List.of("atlas-setup", "--project", "0123456789abcdef01234567", "--webhook-url", URL,
                "--webhook-secret", SECRET_NAME));
        assertThat(unregistered.exitCode()).isEqualTo(2);
        assertThat(unregistered.err()).contains("is not in the registry").contains("./rotator projects add");

        CliRun noUrl = run(List.of("atlas-setup", "--project", PROJECT, "--webhook-secret", SECRET_NAME));
        assertThat(noUrl.exitCode()).isEqualTo(2);
        assertThat(noUrl.err()).contains("No webhook URL");

        CliRun badUrl = run(List.of("atlas-setup", "--project", PROJECT, "--webhook-url", "lambda-url.on.aws",
                "--webhook-secret", SECRET_NAME));
        assertThat(badUrl.exitCode()).isEqualTo(2);
        assertThat(badUrl.err()).contains("is not an absolute http(s) URL");

        CliRun noSecret = run(List.of("atlas-setup", "--project", PROJECT, "--webhook-url", URL));
        assertThat(noSecret.exitCode()).isEqualTo(2);
        assertThat(noSecret.err()).contains("No webhook secret");

        register("cron(0 3 1 */3 ? *)", null);
        CliRun cron = setup();
        assertThat(cron.exitCode()).isEqualTo(2);
        assertThat(cron.err()).contains("give --threshold-days N");
        assertThat(setup("--threshold-days", "120").exitCode()).isZero();
        assertThat(project.alertConfigs().get(0).threshold().threshold()).isEqualTo(120);
        assertThat(writes()).extracting(CallRecord::operation).containsExactly(AtlasOperation.CREATE_ALERT_CONFIG);
    }

    @Test
    void aWebhookSecretThatCannotBeRead_failsNamingTheSecret_notItsValue() {
        CliRun run = run(List.of("atlas-setup", "--project", PROJECT, "--webhook-url", URL, "--webhook-secret",
                "no-such-secret"));

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
        assertThat(run.err()).contains("no-such-secret");
        assertThat(project.alertConfigs()).isEmpty();
    }
}
