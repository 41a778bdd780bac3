package io.atlascmk.rotator.rotation;

import static io.atlascmk.rotator.rotation.RotationWorld.PROJECT;
import static io.atlascmk.rotator.rotation.RotationWorld.ROLE_ARN;
import static io.atlascmk.rotator.rotation.RotationWorld.ROLE_ID;
import static io.atlascmk.rotator.rotation.RotationWorld.ROTATION;
import static io.atlascmk.rotator.rotation.RotationWorld.START;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.atlascmk.rotator.atlas.AwsKms;
import io.atlascmk.rotator.atlas.Snapshot.Kind;
import io.atlascmk.rotator.kms.KeyState;
import io.atlascmk.rotator.kms.KeyTags;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class PreflightStepTest {

    static final PreflightDefaults DEFAULTS = new PreflightDefaults(30, 30, 300, 21_600);

    static ExecutionInput manual() {
        return new ExecutionInput(PROJECT, "manual", false, false, null, null, null, null);
    }

    static ExecutionInput dryRun() {
        return new ExecutionInput(PROJECT, "manual", true, false, null, null, null, null);
    }

    static ExecutionInput forced() {
        return new ExecutionInput(PROJECT, "manual", false, true, null, null, null, null);
    }

    static PreflightResult preflight(RotationWorld world, ExecutionInput input) {
        return new PreflightStep(world.deps()).preflight(new PreflightRequest(ROTATION, input, DEFAULTS));
    }

    private static void assertNothingWritten(RotationWorld world) {
        assertThat(world.kms.totalWrites()).isZero();
        assertThat(world.atlas.patches()).isEmpty();
    }

    @Test
    void preflightDecidesRotate_forAManagedProjectOutsideTheCooldown_andWritesNothing() {
        RotationWorld world = RotationWorld.managed();
        world.resetRecording();

        PreflightResult result = preflight(world, manual());

        assertThat(result.decision()).isEqualTo("rotate");
        assertThat(result.mode()).isEqualTo("rotate");
        assertThat(result.projectId()).isEqualTo(PROJECT);
        assertThat(result.rotationId()).isEqualTo(ROTATION);
        assertThat(result.currentKey()).isEqualTo(new CurrentKey(world.currentKeyId(), world.currentKeyArn,
                "us-east-1", false, false));
        assertThat(result.atlasRoleArn()).isEqualTo(ROLE_ARN);
        assertThat(result.settings()).isEqualTo(new RunSettings(30, 30, 300, 21_600, List.of(), false, 30));
        assertThat(result.plan()).isNull();
        assertNothingWritten(world);
    }

    @Test
    void preflightLaysExecutionSettingsOverTheDefaults_fieldByField() {
        RotationWorld world = RotationWorld.managed();
        ExecutionInput input = new ExecutionInput(PROJECT, "schedule", false, false, null, true, null,
                new ExecutionSettings(0, 7, null, null, List.of("orders-2019-terminated")));

        PreflightResult result = preflight(world, input);

        // pendingWindowDays 7 asks for a shorter wait than the deployment's 30: an input can only lengthen it.
        assertThat(result.settings()).isEqualTo(new RunSettings(0, 30, 300, 21_600,
                List.of("orders-2019-terminated"), true, 30));
    }

    // ------------------------------------------------------------------ the deployment's per-project settings

    static final String TERMINATED = "orders-2019-terminated";

    /** What infra/rotator.config.json says about the project: cooldown, pending window, a terminated cluster. */
    static final ExecutionSettings DEPLOYMENT = new ExecutionSettings(14, 21, null, 7_200, List.of(TERMINATED));

    static PreflightResult preflight(RotationWorld world, ProjectSettings deployment, ExecutionInput input) {
        return new PreflightStep(world.deps().withProjectSettings(deployment))
                .preflight(new PreflightRequest(ROTATION, input, DEFAULTS));
    }

    @Test
    void preflightRunsWithTheDeploymentsProjectSettings_whenTheInputHasNone_likeAnAlertOrManualStart() {
        RotationWorld world = RotationWorld.managed();
        ExecutionInput alert = new ExecutionInput(PROJECT, "alert", null, null, null, null,
                "674ae1c2b3d4e5f60718293a", null);

        PreflightResult result = preflight(world, ProjectSettings.of(PROJECT, DEPLOYMENT), alert);

        assertThat(result.decision()).isEqualTo("rotate");
        // cooldown, window and deadline from the deployment; settle time from the workflow's defaults
        assertThat(result.settings()).isEqualTo(new RunSettings(14, 21, 300, 7_200, List.of(TERMINATED), false, 30));
        assertThat(result.notes()).noneMatch(n -> n.contains("extraClusterNames"));
    }

    @Test
    void preflightLaysTheInputsSettingsOverTheDeployments_andTheDeploymentsOverTheDefaults_fieldByField() {
        RotationWorld world = RotationWorld.managed();
        ExecutionInput input = new ExecutionInput(PROJECT, "manual", false, false, null, null, null,
                new ExecutionSettings(0, null, 60, null, null));

        PreflightResult result = preflight(world, ProjectSettings.of(PROJECT, DEPLOYMENT), input);

        assertThat(result.settings()).isEqualTo(new RunSettings(0, 21, 60, 7_200, List.of(TERMINATED), false, 30));
    }

    @Test
    void theInputsExtraClusterNamesAddToTheDeployments_neverReplaceThem_andTheNotesSaySo() {
        RotationWorld world = RotationWorld.managed();
        ExecutionInput input = new ExecutionInput(PROJECT, "manual", false, false, null, null, null,
                new ExecutionSettings(null, null, null, null, List.of("analytics-2021-gone")));

        PreflightResult result = preflight(world, ProjectSettings.of(PROJECT, DEPLOYMENT), input);

        assertThat(result.settings().extraClusterNames()).containsExactly(TERMINATED, "analytics-2021-gone");
        assertThat(result.notes()).anyMatch(n -> n.contains("never replaces") && n.contains(TERMINATED));
    }

    @Test
    void anEmptyExtraClusterNamesInTheInput_dropsNoConfiguredCluster() {
        RotationWorld world = RotationWorld.managed();
        ExecutionInput input = new ExecutionInput(PROJECT, "manual", false, false, null, null, null,
                new ExecutionSettings(null, null, null, null, List.of()));

        PreflightResult result = preflight(world, ProjectSettings.of(PROJECT, DEPLOYMENT), input);

        assertThat(result.settings().extraClusterNames()).containsExactly(TERMINATED);
    }

    @Test
    void aClusterNamedByBoth_isListedOnce() {
        RotationWorld world = RotationWorld.managed();
        ExecutionInput input = new ExecutionInput(PROJECT, "schedule", false, false, null, null, null,
                new ExecutionSettings(14, 21, null, null, List.of(TERMINATED)));

        PreflightResult result = preflight(world, ProjectSettings.of(PROJECT, DEPLOYMENT), input);

        assertThat(result.settings().extraClusterNames()).containsExactly(TERMINATED);
        assertThat(result.notes()).noneMatch(n -> n.contains("extraClusterNames"));
    }

    @Test
    void anotherProjectsSettings_doNotApply() {
        RotationWorld world = RotationWorld.managed();

        PreflightResult result = preflight(world, ProjectSettings.of("6a7b8c9d0e1f2a3b4c5d6e7f", DEPLOYMENT),
                manual());

        assertThat(result.settings()).isEqualTo(new RunSettings(30, 30, 300, 21_600, List.of(), false, 30));
    }

    @Test
    void aSweepWithoutSettings_stillAuditsTheConfiguredClusters_withTheProjectsPendingWindow() {
        RotationWorld world = RotationWorld.managed();
        world.resetRecording();
        ExecutionInput sweep = new ExecutionInput(PROJECT, "manual", false, false, "sweep", null, null, null);

        PreflightResult result = preflight(world, ProjectSettings.of(PROJECT, DEPLOYMENT), sweep);

        assertThat(result.decision()).isEqualTo("sweep");
        assertThat(result.settings().pendingWindowDays()).isEqualTo(21);
        assertThat(result.settings().extraClusterNames()).containsExactly(TERMINATED);
        assertThat(world.atlas.calls()).isEmpty();
    }

    @Test
    void aDryRunsPlan_showsTheSettings_andAuditsTheConfiguredTerminatedClustersSnapshots() {
        RotationWorld world = RotationWorld.managed();
        String retired = world.kms.seed().ledger(PROJECT, "r1", KeyState.RETIRED)
                .tag(KeyTags.RETIRED_AT, START.minus(Duration.ofDays(200)).toString())
                .createdAt(START.minus(Duration.ofDays(500))).create();
        world.atlas.terminated(TERMINATED).snapshot(TERMINATED, Kind.REPLICA_SET, world.kms.key(retired).keyId(),
                START.minus(Duration.ofDays(201)), START.plus(Duration.ofDays(90)));
        world.resetRecording();

        PreflightResult withSettings = preflight(world, ProjectSettings.of(PROJECT, DEPLOYMENT), dryRun());
        PreflightResult without = preflight(world, dryRun());

        assertNothingWritten(world);
        RotationPlan plan = withSettings.plan();
        assertThat(plan.settings()).isEqualTo(new RunSettings(14, 21, 300, 7_200, List.of(TERMINATED), false, 30));
        assertThat(plan.retiredKeys()).singleElement().satisfies(r -> {
            assertThat(r.deletableNow()).isFalse();
            assertThat(r.safeAfter()).isEqualTo(START.plus(Duration.ofDays(90)));
            assertThat(r.reasons()).anyMatch(text -> text.contains(TERMINATED));
        });
        // Atlas lists the deleted cluster itself (includeDeletedWithRetainedBackups): even without the
        // deployment's settings the plan keeps the key its retained snapshot needs.
        assertThat(without.plan().settings().extraClusterNames()).isEmpty();
        assertThat(without.plan().retiredKeys()).singleElement().satisfies(r -> {
            assertThat(r.deletableNow()).isFalse();
            assertThat(r.safeAfter()).isEqualTo(START.plus(Duration.ofDays(90)));
        });
    }

    @Test
    void theRequestsSettings_withoutDeploymentSettings_areTheDefaultsWithTheInputOverThem() {
        PreflightRequest request = new PreflightRequest(ROTATION, new ExecutionInput(PROJECT, null, null, null,
                null, null, null, new ExecutionSettings(null, 8, null, null, List.of("a"))), DEFAULTS);

        assertThat(request.settings()).isEqualTo(request.settings(null))
                .isEqualTo(new RunSettings(30, 30, 300, 21_600, List.of("a"), false, 30));
        assertThat(new PreflightRequest(ROTATION, new ExecutionInput(PROJECT, null, null, null, null, null, null,
                new ExecutionSettings(null, 30, null, null, null)), DEFAULTS).settings(
                new ExecutionSettings(null, 14, null, null, null)).pendingWindowDays())
                .as("an input lengthens the deployment's 14-day window").isEqualTo(30);
        assertThat(request.settings(new ExecutionSettings(null, null, null, null, null)))
                .isEqualTo(request.settings());
    }

    @Test
    void anInputCanLengthenTheMinimumRetirement_butNeverShortenIt() {
        java.util.function.BiFunction<Integer, Integer, Integer> effective = (input, deployment) ->
                new PreflightRequest(ROTATION, new ExecutionInput(PROJECT, null, null, null, null, null, null,
                        new ExecutionSettings(null, null, null, null, null, input)), DEFAULTS)
                        .settings(new ExecutionSettings(null, null, null, null, null, deployment)).minRetirementDays();

        assertThat(effective.apply(null, null)).as("the default").isEqualTo(30);
        assertThat(effective.apply(7, null)).as("shorter than the default").isEqualTo(30);
        assertThat(effective.apply(60, null)).isEqualTo(60);
        assertThat(effective.apply(null, 10)).as("the project's own").isEqualTo(10);
        assertThat(effective.apply(7, 10)).as("shorter than the project's").isEqualTo(10);
        assertThat(effective.apply(90, 10)).isEqualTo(90);
        assertThatThrownBy(() -> new ExecutionSettings(null, null, null, null, null, 6))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("minRetirementDays");
    }

    @Test
    void preflightAdoptsTheUntaggedCurrentKey_onTheProjectsFirstRotation() {
        RotationWorld world = RotationWorld.unmanaged();

        PreflightResult result = preflight(world, manual());

        assertThat(result.decision()).isEqualTo("rotate");
        assertThat(result.currentKey().adopted()).isTrue();
        assertThat(world.kms.key(world.currentKeyArn).tags())
                .containsEntry(KeyTags.PROJECT, PROJECT)
                .containsEntry(KeyTags.DEPLOYMENT, io.atlascmk.rotator.kms.FakeKmsClient.DEPLOYMENT)
                .containsEntry(KeyTags.STATE, "active")
                .containsEntry(KeyTags.ADOPTED_BY, ROTATION)
                .doesNotContainKey(KeyTags.ROTATION);
        assertThat(result.notes()).anyMatch(n -> n.contains("adopted"));
    }

    @Test
    void preflightClaimsTheCurrentKey_whenItWasTaggedBeforeDeploymentsExisted_beforeRemovingItsStaleTags() {
        RotationWorld world = RotationWorld.managed();
        world.kms.untagResource(b -> b.keyId(world.currentKeyArn).tagKeys(KeyTags.DEPLOYMENT));
        world.kms.tagResource(b -> b.keyId(world.currentKeyArn).tags(software.amazon.awssdk.services.kms.model.Tag.builder()
                .tagKey(KeyTags.SAFE_AFTER).tagValue("2026-01-01T00:00:00Z").build()));
        world.resetRecording();

        PreflightResult result = preflight(world, manual());

        assertThat(result.decision()).isEqualTo("rotate");
        assertThat(world.kms.key(world.currentKeyArn).tags())
                .containsEntry(KeyTags.DEPLOYMENT, io.atlascmk.rotator.kms.FakeKmsClient.DEPLOYMENT)
                .containsEntry(KeyTags.PROJECT, PROJECT).containsEntry(KeyTags.STATE, "active")
                .doesNotContainKey(KeyTags.SAFE_AFTER)
                .doesNotContainKey(KeyTags.ADOPTED_BY); // an earlier rotation created it: not adopted now
        // IAM lets Preflight tag a key that is no deployment's only with deployment, project and state=active at once,
        // and untag only this deployment's keys: so the claim comes first
        assertThat(world.kms.calls()).containsSubsequence("TagResource", "UntagResource");
        assertThat(world.kms.requests(software.amazon.awssdk.services.kms.model.TagResourceRequest.class).get(0).tags())
                .extracting(t -> t.tagKey()).contains(KeyTags.DEPLOYMENT, KeyTags.PROJECT, KeyTags.STATE);
        assertThat(result.notes()).anyMatch(n -> n.contains("before the deployment tag existed"));
    }

    @Test
    void preflightRefuses_whenTheCurrentKeyIsAnotherDeployments_andWritesNothing() {
        RotationWorld world = new RotationWorld();
        world.currentKeyArn = world.kms.seed().ledger(PROJECT, "x", KeyState.ACTIVE)
                .tag(KeyTags.DEPLOYMENT, "TeamBRotator").create();
        world.atlas.awsKms(world.currentKeyId(), "US_EAST_1", ROLE_ID).role(ROLE_ID, ROLE_ARN);

        assertThatThrownBy(() -> preflight(world, manual()))
                .isInstanceOf(CurrentKeyOfAnotherDeploymentException.class)
                .hasMessageContaining("TeamBRotator").hasMessageContaining("claim-keys");
        assertThat(world.kms.totalWrites()).isZero();
    }

    @Test
    void preflightDoesNotAdopt_inADryRun_butSaysItWould() {
        RotationWorld world = RotationWorld.unmanaged();
        world.resetRecording();

        PreflightResult result = preflight(world, dryRun());

        assertThat(result.decision()).isEqualTo("plan");
        assertThat(result.plan().adoptCurrentKey()).isTrue();
        assertThat(result.currentKey().adopted()).isTrue();
        assertThat(world.kms.key(world.currentKeyArn).tags()).isEmpty();
        assertNothingWritten(world);
    }

    @Test
    void preflightRefuses_whenAnotherRotationsPendingKeyIsStillRunning_evenWithForce() {
        RotationWorld world = RotationWorld.managed();
        world.kms.seed().ledger(PROJECT, "other-run", KeyState.PENDING).create();
        world.running.add("other-run");
        world.resetRecording();

        assertThatThrownBy(() -> preflight(world, forced()))
                .isInstanceOf(RotationInProgressException.class)
                .hasMessageContaining("other-run");
        assertNothingWritten(world);
    }

    @Test
    void preflightAbandonsThePendingKeyOfADeadRun_whenAtlasNeverUsedIt_andSaysSo() {
        RotationWorld world = RotationWorld.managed();
        String dead = world.kms.seed().ledger(PROJECT, "dead-run", KeyState.PENDING).create();

        PreflightResult result = preflight(world, manual());

        assertThat(result.decision()).isEqualTo("rotate");
        assertThat(world.kms.key(dead).ledgerState()).isEqualTo(KeyState.ABANDONED);
        assertThat(world.kms.key(dead).tag(KeyTags.RETIRED_AT)).isEqualTo(START.toString());
        assertThat(world.kms.key(dead).enabled()).isTrue();
        assertThat(result.notes()).anyMatch(n -> n.contains(world.kms.key(dead).keyId()) && n.contains("abandoned"));
        assertThat(world.kms.key(world.currentKeyArn).ledgerState()).isEqualTo(KeyState.ACTIVE);
    }

    @Test
    void preflightResumesADeadRun_whenAtlasAlreadyNamesItsKey_retiringThePreviousKey() {
        RotationWorld world = RotationWorld.managed();
        String previous = world.currentKeyArn;
        String dead = world.kms.seed().ledger(PROJECT, "dead-run", KeyState.PENDING).create();
        world.atlas.awsKms(world.kms.key(dead).keyId(), "US_EAST_1", ROLE_ID)
                .event(FakeAtlas.KEY_ROTATED, START.minus(Duration.ofHours(3)));

        PreflightResult result = preflight(world, manual());

        assertThat(world.kms.key(dead).ledgerState()).isEqualTo(KeyState.ACTIVE);
        assertThat(world.kms.key(dead).tags()).containsEntry(KeyTags.ROTATION, "dead-run")
                .doesNotContainKey(KeyTags.ADOPTED_BY);
        assertThat(world.kms.key(previous).ledgerState()).isEqualTo(KeyState.RETIRED);
        assertThat(world.kms.key(previous).tag(KeyTags.RETIRED_AT)).isEqualTo(START.toString());
        assertThat(result.currentKey().keyId()).isEqualTo(world.kms.key(dead).keyId());
        assertThat(result.notes()).anyMatch(n -> n.contains("resumed"));
        assertThat(result.decision()).as("the resumed run's key is inside the cooldown").isEqualTo("skip");
        assertThat(result.reason()).contains("dead-run").contains("force");
    }

    @Test
    void preflightRotatesAgainAfterResumingADeadRun_onlyWhenForced() {
        RotationWorld world = RotationWorld.managed();
        String dead = world.kms.seed().ledger(PROJECT, "dead-run", KeyState.PENDING).create();
        world.atlas.awsKms(world.kms.key(dead).keyId(), "US_EAST_1", ROLE_ID)
                .event(FakeAtlas.KEY_ROTATED, START.minus(Duration.ofHours(3)));

        PreflightResult result = preflight(world, forced());

        assertThat(result.decision()).isEqualTo("rotate");
        assertThat(world.kms.key(dead).ledgerState()).isEqualTo(KeyState.ACTIVE);
    }

    @Test
    void preflightSkips_insideTheCooldown_fromAtlasRotationEvent() {
        RotationWorld world = RotationWorld.managed();
        world.atlas.event(FakeAtlas.KEY_ROTATED, START.minus(Duration.ofDays(10)));
        world.resetRecording();

        PreflightResult result = preflight(world, manual());

        assertThat(result.decision()).isEqualTo("skip");
        assertThat(result.reason()).contains("cooldown");
        assertNothingWritten(world);
    }

    @Test
    void preflightSkips_insideTheCooldown_fromTheKeysCreationDate_whenAtlasHasNoEvent() {
        RotationWorld world = new RotationWorld();
        world.currentKeyArn = world.kms.seed().ledger(PROJECT, "recent", KeyState.ACTIVE)
                .createdAt(START.minus(Duration.ofDays(5))).create();
        world.atlas.awsKms(world.currentKeyId(), "US_EAST_1", ROLE_ID).role(ROLE_ID, ROLE_ARN).replicaSet("c", false);

        assertThat(preflight(world, manual()).decision()).isEqualTo("skip");
    }

    @Test
    void preflightRotatesInsideTheCooldown_whenForced() {
        RotationWorld world = RotationWorld.managed();
        world.atlas.event(FakeAtlas.KEY_ROTATED, START.minus(Duration.ofDays(10)));

        PreflightResult result = preflight(world, forced());

        assertThat(result.decision()).isEqualTo("rotate");
        assertThat(result.force()).isTrue();
    }

    @Test
    void preflightRefuses_whenCustomerKeyManagementIsOff_withoutTouchingKms() {
        RotationWorld world = RotationWorld.managed();
        world.atlas.awsKms(new AwsKms(false, null, null, null, null, null));
        world.resetRecording();

        assertThatThrownBy(() -> preflight(world, manual()))
                .isInstanceOf(CustomerKeyManagementDisabledException.class);
        assertThat(world.kms.calls()).isEmpty();
    }

    @Test
    void preflightRefuses_whenTheProjectUsesAzureKeyVault() {
        RotationWorld world = RotationWorld.managed();
        world.atlas.azureKeyVault();

        assertThatThrownBy(() -> preflight(world, manual())).isInstanceOf(UnsupportedKeyProviderException.class);
    }

    @Test
    void preflightRefuses_whenAtlasReportsTheCurrentKeyInvalid() {
        RotationWorld world = RotationWorld.managed();
        world.atlas.rejectKey(world.currentKeyId());
        world.resetRecording();

        assertThatThrownBy(() -> preflight(world, forced())).isInstanceOf(CurrentKeyInvalidException.class);
        assertNothingWritten(world);
    }

    @Test
    void preflightRefuses_whenTheCurrentKeyBelongsToAnotherProject() {
        RotationWorld world = new RotationWorld();
        world.currentKeyArn = world.kms.seed().ledger("6a6a6a6a6a6a6a6a6a6a6a6a", "x", KeyState.ACTIVE).create();
        world.atlas.awsKms(world.currentKeyId(), "US_EAST_1", ROLE_ID).role(ROLE_ID, ROLE_ARN);

        assertThatThrownBy(() -> preflight(world, manual()))
                .isInstanceOf(CurrentKeyOwnedByAnotherProjectException.class);
        assertThat(world.kms.totalWrites()).isZero();
    }

    @Test
    void preflightRefuses_whileAwsEncryptedClustersAreBusy() {
        RotationWorld world = RotationWorld.managed();
        world.atlas.state("Shard0", "UPDATING");

        assertThatThrownBy(() -> preflight(world, manual())).isInstanceOf(ClustersNotIdleException.class)
                .hasMessageContaining("Shard0");
    }

    @Test
    void preflightRotatesWithBusyClusters_whenAskedToWaitForThem_andSaysAwaitDeploymentWaits() {
        RotationWorld world = RotationWorld.managed();
        world.atlas.state("Shard0", "UPDATING");
        ExecutionInput input = new ExecutionInput(PROJECT, "manual", false, false, null, true, null, null);

        PreflightResult result = preflight(world, input);

        assertThat(result.decision()).isEqualTo("rotate");
        assertThat(result.settings().waitForClusters()).isTrue();
        assertThat(result.notes()).anyMatch(n -> n.contains("AwaitDeployment"));
    }

    @Test
    void preflightRefuses_whenAtlasListsNoRoleWithTheConfiguredRoleId() {
        RotationWorld world = new RotationWorld();
        world.currentKeyArn = world.kms.seed().ledger(PROJECT, "r", KeyState.ACTIVE)
                .createdAt(START.minus(Duration.ofDays(100))).create();
        world.atlas.awsKms(world.currentKeyId(), "US_EAST_1", ROLE_ID).role("aaaaaaaaaaaaaaaaaaaaaaaa", ROLE_ARN);

        assertThatThrownBy(() -> preflight(world, manual())).isInstanceOf(AtlasConfigurationException.class)
                .hasMessageContaining(ROLE_ID);
    }

    @Test
    void preflightRemovesAStaleRetiredAt_fromTheKeyAtlasUses() {
        RotationWorld world = new RotationWorld();
        world.currentKeyArn = world.kms.seed().ledger(PROJECT, "r", KeyState.RETIRED)
                .tag(KeyTags.RETIRED_AT, START.minus(Duration.ofDays(200)).toString())
                .createdAt(START.minus(Duration.ofDays(400))).create();
        world.atlas.awsKms(world.currentKeyId(), "US_EAST_1", ROLE_ID).role(ROLE_ID, ROLE_ARN);

        preflight(world, manual());

        assertThat(world.kms.key(world.currentKeyArn).tags()).containsEntry(KeyTags.STATE, "active")
                .doesNotContainKey(KeyTags.RETIRED_AT).doesNotContainKey(KeyTags.ADOPTED_BY);
    }

    @Test
    void preflightInSweepMode_onlyValidatesAndReturnsTheSettings() {
        RotationWorld world = RotationWorld.managed();
        world.resetRecording();
        ExecutionInput sweep = new ExecutionInput(PROJECT, "schedule", false, false, "sweep", null, null,
                new ExecutionSettings(null, 14, null, null, List.of("gone")));

        PreflightResult result = preflight(world, sweep);

        assertThat(result.decision()).isEqualTo("sweep");
        assertThat(result.mode()).isEqualTo("sweep");
        assertThat(result.settings().pendingWindowDays()).as("never shorter than the deployment's").isEqualTo(30);
        assertThat(result.settings().extraClusterNames()).containsExactly("gone");
        assertThat(world.atlas.calls()).isEmpty();
        assertThat(world.kms.calls()).isEmpty();
    }

    @Test
    void preflightDryRun_returnsThePlan_andWritesNothingAnywhere() {
        RotationWorld world = RotationWorld.unmanaged();
        String oldActive = world.kms.seed().ledger(PROJECT, "older", KeyState.ACTIVE).create();
        String dead = world.kms.seed().ledger(PROJECT, "dead-run", KeyState.PENDING).create();
        String retiredFree = world.kms.seed().ledger(PROJECT, "r1", KeyState.RETIRED)
                .tag(KeyTags.RETIRED_AT, START.minus(Duration.ofDays(400)).toString())
                .createdAt(START.minus(Duration.ofDays(800))).create();
        String retiredHeld = world.kms.seed().ledger(PROJECT, "r2", KeyState.RETIRED)
                .tag(KeyTags.RETIRED_AT, START.minus(Duration.ofDays(300)).toString())
                .createdAt(START.minus(Duration.ofDays(500))).create();
        world.atlas.snapshot("Shard0", Kind.SHARDED_CLUSTER, world.kms.key(retiredHeld).keyId(),
                START.minus(Duration.ofDays(301)), START.plus(Duration.ofDays(60)));
        world.resetRecording();

        PreflightResult result = preflight(world, dryRun());

        assertNothingWritten(world);
        assertThat(result.decision()).isEqualTo("plan");
        assertThat(result.dryRun()).isTrue();
        RotationPlan plan = result.plan();
        assertThat(plan.decision()).isEqualTo("rotate");
        assertThat(plan.newKey().region()).isEqualTo("us-east-1");
        assertThat(plan.newKey().multiRegion()).isFalse();
        assertThat(plan.newKey().policySummary()).contains(ROLE_ARN).contains(KeyPolicies.ATLAS_STATEMENT_SID);
        assertThat(plan.newKey().policyRefusal()).isNull();
        assertThat(plan.clustersToWaitFor()).containsExactly("Cluster0", "Shard0");
        assertThat(plan.adoptCurrentKey()).isTrue();
        assertThat(plan.activeKeysToRetire()).containsExactly(world.kms.key(oldActive).keyId());
        assertThat(plan.pendingKeys()).singleElement().satisfies(p -> {
            assertThat(p.keyId()).isEqualTo(world.kms.key(dead).keyId());
            assertThat(p.outcome()).isEqualTo("abandoned");
        });
        assertThat(plan.retiredKeys()).hasSize(2);
        assertThat(plan.retiredKeys()).filteredOn(r -> r.keyId().equals(world.kms.key(retiredFree).keyId()))
                .singleElement().satisfies(r -> {
                    assertThat(r.deletableNow()).isTrue();
                    assertThat(r.reasons()).isEmpty();
                });
        assertThat(plan.retiredKeys()).filteredOn(r -> r.keyId().equals(world.kms.key(retiredHeld).keyId()))
                .singleElement().satisfies(r -> {
                    assertThat(r.deletableNow()).isFalse();
                    assertThat(r.decision()).isEqualTo("defer");
                    assertThat(r.safeAfter()).isEqualTo(START.plus(Duration.ofDays(60)));
                    assertThat(r.reasons()).anyMatch(text -> text.contains("Shard0"));
                });
        assertThat(world.kms.key(dead).ledgerState()).isEqualTo(KeyState.PENDING);
        assertThat(world.kms.key(oldActive).ledgerState()).isEqualTo(KeyState.ACTIVE);
    }

    @Test
    void preflight_crashAfterEachWriteAndRerun_abandonsRetiresAndAdoptsExactlyOnce() {
        int crashPoints = CrashAndRerun.assertSameEndStateAfterCrashAtEveryWrite(() -> {
            RotationWorld w = RotationWorld.unmanaged();
            w.kms.seed().ledger(PROJECT, "older", KeyState.ACTIVE).create();
            w.kms.seed().ledger(PROJECT, "dead-run", KeyState.PENDING).create();
            return w;
        }, w -> preflight(w, manual()));

        assertThat(crashPoints).as("abandon, retire, adopt").isEqualTo(3);
    }

    @Test
    void preflight_crashAfterEachWriteAndRerun_resumesADeadRunExactlyOnce() {
        int crashPoints = CrashAndRerun.assertSameEndStateAfterCrashAtEveryWrite(() -> {
            RotationWorld w = RotationWorld.managed();
            String dead = w.kms.seed().ledger(PROJECT, "dead-run", KeyState.PENDING).create();
            w.kms.tagResource(b -> b.keyId(w.currentKeyArn).tags(
                    t -> t.tagKey(KeyTags.SAFE_AFTER).tagValue("2020-01-01T00:00:00Z")));
            w.atlas.awsKms(w.kms.key(dead).keyId(), "US_EAST_1", ROLE_ID);
            return w;
        }, w -> preflight(w, forced()));

        assertThat(crashPoints).as("retire previous, adopt dead run's key").isEqualTo(2);
    }
}
