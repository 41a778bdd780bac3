package io.atlascmk.rotator.rotation;

import io.atlascmk.rotator.atlas.AtlasEvent;
import io.atlascmk.rotator.atlas.AwsKms;
import io.atlascmk.rotator.atlas.Cluster;
import io.atlascmk.rotator.atlas.EncryptionAtRest;
import io.atlascmk.rotator.json.Json;
import io.atlascmk.rotator.kms.KeyState;
import io.atlascmk.rotator.kms.KeyTags;
import io.atlascmk.rotator.kms.ManagedKey;
import io.atlascmk.rotator.rotation.PendingKeyAction.Action;
import io.atlascmk.rotator.rotation.PreflightPlan.Outcome;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.atlascmk.rotator.rotation.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PreflightRulesTest {

    private static final String ROTATION = "rotation-2025-06-01";
    private static final String CURRENT = keyId(10);
    private static final String LEFTOVER = keyId(11);
    private static final String DEPLOYMENT = "RotatorTest";
    private static final PreflightOptions DEFAULTS = new PreflightOptions(false, false, 30);
    private static final List<Cluster> IDLE = List.of(new Cluster("main", "REPLICASET", "IDLE", "AWS", true, true));

    private static EncryptionAtRest atlasUses(String keyRef, Boolean valid) {
        return new EncryptionAtRest(new AwsKms(true, keyRef, "US_EAST_1", "role-1", null, valid), false, false);
    }

    private static ManagedKey activeKey(String id) {
        return key(id, daysAgo(200), Map.of(KeyTags.PROJECT, PROJECT, KeyTags.DEPLOYMENT, DEPLOYMENT, KeyTags.STATE, "active",
                KeyTags.ROTATION, "rotation-old"));
    }

    private static ManagedKey pendingKey(String id, String rotation) {
        Map<String, String> tags = new HashMap<>(Map.of(KeyTags.PROJECT, PROJECT, KeyTags.DEPLOYMENT, DEPLOYMENT,
                KeyTags.STATE, KeyState.PENDING.tagValue()));
        if (rotation != null) {
            tags.put(KeyTags.ROTATION, rotation);
        }
        return key(id, daysAgo(1), tags);
    }

    private record Scenario(EncryptionAtRest ear, ManagedKey current, List<Cluster> clusters, List<ManagedKey> projectKeys,
                            Set<String> running, Instant activeSince, PreflightOptions options) {
        Scenario with(PreflightOptions o) {
            return new Scenario(ear, current, clusters, projectKeys, running, activeSince, o);
        }

        Scenario activeSince(Instant t) {
            return new Scenario(ear, current, clusters, projectKeys, running, t, options);
        }

        Scenario keys(List<ManagedKey> keys, Set<String> runningIds) {
            return new Scenario(ear, current, clusters, keys, runningIds, activeSince, options);
        }

        Scenario clusters(List<Cluster> c) {
            return new Scenario(ear, current, c, projectKeys, running, activeSince, options);
        }

        Scenario current(EncryptionAtRest e, ManagedKey k) {
            return new Scenario(e, k, clusters, projectKeys, running, activeSince, options);
        }

        PreflightPlan evaluate() {
            return PreflightRules.evaluate(new PreflightInput(PROJECT, ROTATION, DEPLOYMENT, ear, current, clusters, projectKeys, running,
                    activeSince, options, NOW));
        }
    }

    /** An ordinary project, rotated 90 days ago, nothing left over. */
    private static Scenario ordinary() {
        ManagedKey current = activeKey(CURRENT);
        return new Scenario(atlasUses(arn(REGION, CURRENT), true), current, IDLE, List.of(current), Set.of(ROTATION),
                daysAgo(90), DEFAULTS);
    }

    @Test
    void preflightPlansARotation_forAnOrdinaryProject() {
        PreflightPlan plan = ordinary().evaluate();

        assertThat(plan.outcome()).isEqualTo(Outcome.PROCEED);
        assertThat(plan.currentKeyId()).isEqualTo(CURRENT);
        assertThat(plan.currentKeyArn()).isEqualTo(arn(REGION, CURRENT));
        assertThat(plan.currentKeyRegion()).isEqualTo(REGION);
        assertThat(plan.roleId()).isEqualTo("role-1");
        assertThat(plan.adoptCurrentKey()).isFalse();
        assertThat(plan.pendingKeys()).isEmpty();
        assertThat(plan.cooldownEndsAt()).isNull();
        assertThat(plan.summary()).startsWith("Rotate project " + PROJECT + " away from key " + CURRENT);
    }

    @Test
    void preflightRefuses_whenCustomerKeyManagementIsOff() {
        EncryptionAtRest off = new EncryptionAtRest(new AwsKms(false, null, null, null, null, null), false, false);

        assertThatThrownBy(() -> ordinary().current(off, activeKey(CURRENT)).evaluate())
                .isInstanceOf(CustomerKeyManagementDisabledException.class)
                .hasMessageContaining(PROJECT)
                .hasMessageContaining("Enable it in Atlas");
        assertThatThrownBy(() -> ordinary().current(new EncryptionAtRest(null, false, false), activeKey(CURRENT)).evaluate())
                .isInstanceOf(CustomerKeyManagementDisabledException.class);
    }

    @Test
    void preflightRefuses_whenTheProjectUsesAzureOrGoogle() {
        assertThatThrownBy(() -> ordinary().current(new EncryptionAtRest(null, true, false), activeKey(CURRENT)).evaluate())
                .isInstanceOfSatisfying(UnsupportedKeyProviderException.class,
                        e -> assertThat(e.provider()).isEqualTo("Azure Key Vault"));
        assertThatThrownBy(() -> ordinary().current(new EncryptionAtRest(null, false, true), activeKey(CURRENT)).evaluate())
                .isInstanceOfSatisfying(UnsupportedKeyProviderException.class,
                        e -> assertThat(e.provider()).isEqualTo("Google Cloud KMS"));
    }

    @Test
    void preflightRefuses_whenAtlasReportsTheCurrentKeyInvalidOrUnconfirmed() {
        assertThatThrownBy(() -> ordinary().current(atlasUses(CURRENT, false), activeKey(CURRENT)).evaluate())
                .isInstanceOf(CurrentKeyInvalidException.class)
                .hasMessageContaining("as not valid")
                .hasMessageContaining("roll back to");
        assertThatThrownBy(() -> ordinary().current(atlasUses(CURRENT, null), activeKey(CURRENT)).evaluate())
                .isInstanceOf(CurrentKeyInvalidException.class)
                .hasMessageContaining("without saying whether it is valid");
    }

    @Test
    void preflightRefuses_whenAtlasNamesNoKeyByIdOrArn() {
        assertThatThrownBy(() -> ordinary().current(atlasUses("alias/atlas", true), activeKey(CURRENT)).evaluate())
                .isInstanceOf(CurrentKeyInvalidException.class)
                .hasMessageContaining("alias/atlas");
    }

    @Test
    void preflightRefuses_whenKmsReportsTheCurrentKeyPendingDeletion() {
        ManagedKey doomed = new ManagedKey(CURRENT, arn(REGION, CURRENT), REGION, "PendingDeletion", false, daysAgo(200),
                inDays(7), activeKey(CURRENT).tags());

        assertThatThrownBy(() -> ordinary().current(atlasUses(CURRENT, true), doomed).evaluate())
                .isInstanceOf(CurrentKeyInvalidException.class)
                .hasMessageContaining("PendingDeletion")
                .hasMessageContaining("cancel-key-deletion");
    }

    @Test
    void preflightRefuses_whenTheCurrentKeyBelongsToAnotherProject() {
        ManagedKey theirs = key(CURRENT, daysAgo(200), Map.of(KeyTags.PROJECT, OTHER_PROJECT, KeyTags.STATE, "active"));

        assertThatThrownBy(() -> ordinary().current(atlasUses(CURRENT, true), theirs).evaluate())
                .isInstanceOf(CurrentKeyOwnedByAnotherProjectException.class)
                .hasMessageContaining(OTHER_PROJECT)
                .hasMessageContaining("its own key");
    }

    @Test
    void preflightRefuses_whileAnotherRotationOfTheProjectIsRunning_evenWhenForced() {
        Scenario locked = ordinary().with(new PreflightOptions(true, true, 0))
                .keys(List.of(activeKey(CURRENT), pendingKey(LEFTOVER, "rotation-other")), Set.of(ROTATION, "rotation-other"));

        assertThatThrownBy(locked::evaluate)
                .isInstanceOfSatisfying(RotationInProgressException.class,
                        e -> assertThat(e.runningRotationId()).isEqualTo("rotation-other"))
                .hasMessageContaining(LEFTOVER)
                .hasMessageContaining("only one rotation per project");
    }

    @Test
    void preflightResumesItsOwnPendingKey_afterACrash() {
        PreflightPlan plan = ordinary()
                .keys(List.of(activeKey(CURRENT), pendingKey(LEFTOVER, ROTATION)), Set.of(ROTATION))
                .activeSince(daysAgo(1))
                .evaluate();

        assertThat(plan.outcome()).as("finishing a started rotation is not held back by the cooldown").isEqualTo(Outcome.PROCEED);
        assertThat(plan.pendingKeys()).singleElement().satisfies(p -> {
            assertThat(p.keyId()).isEqualTo(LEFTOVER);
            assertThat(p.action()).isEqualTo(Action.RESUME);
        });
    }

    @Test
    void preflightAbandonsThePendingKeyOfADeadRotation_thatAtlasNeverUsed() {
        PreflightPlan plan = ordinary()
                .keys(List.of(activeKey(CURRENT), pendingKey(LEFTOVER, "rotation-crashed")), Set.of(ROTATION))
                .evaluate();

        assertThat(plan.outcome()).isEqualTo(Outcome.PROCEED);
        assertThat(plan.pendingKeys()).singleElement().satisfies(p -> {
            assertThat(p.action()).isEqualTo(Action.ABANDON);
            assertThat(p.rotationId()).isEqualTo("rotation-crashed");
            assertThat(p.reason()).contains("abandoned");
        });
        assertThat(plan.summary()).contains("abandon " + LEFTOVER);
    }

    @Test
    void preflightAdoptsThePendingKeyOfADeadRotation_thatAtlasAlreadyUses_andRetiresThePreviousActiveKey() {
        ManagedKey switchedTo = pendingKey(LEFTOVER, "rotation-crashed");
        PreflightPlan plan = ordinary()
                .current(atlasUses(LEFTOVER, true), switchedTo)
                .keys(List.of(activeKey(CURRENT), switchedTo), Set.of(ROTATION))
                .activeSince(daysAgo(1))
                .evaluate();

        assertThat(plan.outcome()).isEqualTo(Outcome.PROCEED);
        assertThat(plan.currentKeyId()).isEqualTo(LEFTOVER);
        assertThat(plan.pendingKeys()).singleElement().extracting(PendingKeyAction::action).isEqualTo(Action.ADOPT);
        assertThat(plan.adoptCurrentKey()).isTrue();
        assertThat(plan.activeKeysToRetire()).containsExactly(CURRENT);
    }

    @Test
    void preflightRefuses_aPendingKeyThatNamesNoRotation() {
        Scenario orphan = ordinary().keys(List.of(activeKey(CURRENT), pendingKey(LEFTOVER, null)), Set.of(ROTATION));

        assertThatThrownBy(orphan::evaluate)
                .isInstanceOf(UnattributedPendingKeyException.class)
                .hasMessageContaining(LEFTOVER)
                .hasMessageContaining("state=abandoned");
    }

    @Test
    void preflightSkips_insideTheCooldown_withoutFailing() {
        PreflightPlan plan = ordinary().activeSince(daysAgo(10)).evaluate();

        assertThat(plan.outcome()).isEqualTo(Outcome.SKIP);
        assertThat(plan.cooldownEndsAt()).isEqualTo(inDays(20));
        assertThat(plan.notes()).anySatisfy(n -> assertThat(n).contains("\"force\": true"));
        assertThat(plan.summary()).startsWith("Skip project " + PROJECT);
    }

    @Test
    void preflightRotatesInsideTheCooldown_whenForced() {
        PreflightPlan plan = ordinary().activeSince(daysAgo(10)).with(new PreflightOptions(true, false, 30)).evaluate();

        assertThat(plan.outcome()).isEqualTo(Outcome.PROCEED);
        assertThat(plan.cooldownEndsAt()).isEqualTo(inDays(20));
        assertThat(plan.notes()).anySatisfy(n -> assertThat(n).contains("force"));
    }

    @Test
    void preflightProceeds_onceTheCooldownHasEnded_orWhenItIsOffOrUnknown() {
        assertThat(ordinary().activeSince(daysAgo(30)).evaluate().outcome()).isEqualTo(Outcome.PROCEED);
        assertThat(ordinary().activeSince(daysAgo(1)).with(new PreflightOptions(false, false, 0)).evaluate().outcome())
                .isEqualTo(Outcome.PROCEED);
        assertThat(ordinary().activeSince(null).evaluate().outcome()).isEqualTo(Outcome.PROCEED);
    }

    @Test
    void preflightRefuses_whenAwsEncryptedClustersAreBusy_evenWhenForced_andIgnoresOtherClusters() {
        List<Cluster> clusters = List.of(new Cluster("main", "SHARDED", "UPDATING", "AWS", true, false),
                new Cluster("scratch", "REPLICASET", "CREATING", "NONE", false, false));

        assertThatThrownBy(() -> ordinary().clusters(clusters).with(new PreflightOptions(true, false, 30)).evaluate())
                .isInstanceOfSatisfying(ClustersNotIdleException.class,
                        e -> assertThat(e.busyClusters()).containsExactly("main (UPDATING)"))
                .hasMessageContaining("\"waitForClusters\": true");
    }

    @Test
    void preflightWaitsForBusyClusters_whenAskedTo() {
        List<Cluster> clusters = List.of(new Cluster("main", "SHARDED", "UPDATING", "AWS", true, false));

        PreflightPlan plan = ordinary().clusters(clusters).with(new PreflightOptions(false, true, 30)).evaluate();

        assertThat(plan.outcome()).isEqualTo(Outcome.WAIT_FOR_CLUSTERS);
        assertThat(plan.busyClusters()).containsExactly("main (UPDATING)");
    }

    @Test
    void preflightPlansToAdoptTheCurrentKey_whenItIsNotInTheLedgerYet() {
        ManagedKey untagged = key(CURRENT, daysAgo(400), Map.of("team", "data"));

        PreflightPlan plan = ordinary().current(atlasUses(CURRENT, true), untagged).keys(List.of(), Set.of(ROTATION)).evaluate();

        assertThat(plan.outcome()).isEqualTo(Outcome.PROCEED);
        assertThat(plan.adoptCurrentKey()).isTrue();
        assertThat(plan.notes()).anySatisfy(n -> assertThat(n).contains("first rotation"));
        assertThat(plan.summary()).contains("adopt key " + CURRENT);
    }

    @Test
    void preflightPlansToReTagTheCurrentKeyActive_whenTheLedgerSaysItIsRetired() {
        ManagedKey mistagged = key(CURRENT, daysAgo(400), ledgerTags(PROJECT, KeyState.RETIRED, daysAgo(3)));

        PreflightPlan plan = ordinary().current(atlasUses(CURRENT, true), mistagged).evaluate();

        assertThat(plan.adoptCurrentKey()).isTrue();
        assertThat(plan.notes()).anySatisfy(n -> assertThat(n).contains("ledger says 'retired'"));
    }

    @Test
    void activeSinceIsTheLaterOfTheLastRotationEventAndTheKeysCreation() {
        ManagedKey current = activeKey(CURRENT); // created 200 days ago
        List<AtlasEvent> events = List.of(
                new AtlasEvent("1", PreflightRules.KEY_ROTATED_EVENT, daysAgo(300)),
                new AtlasEvent("2", PreflightRules.KEY_ROTATED_EVENT, daysAgo(100)),
                new AtlasEvent("3", "CLUSTER_UPDATE_COMPLETED", daysAgo(1)));

        assertThat(PreflightRules.activeSince(events, current)).isEqualTo(daysAgo(100));
        assertThat(PreflightRules.activeSince(events.subList(0, 1), current)).isEqualTo(daysAgo(200));
        assertThat(PreflightRules.activeSince(List.of(), current)).isEqualTo(daysAgo(200));
    }

    @Test
    void planRoundTripsThroughTheSharedMapper() throws Exception {
        PreflightPlan plan = ordinary().keys(List.of(activeKey(CURRENT), pendingKey(LEFTOVER, "rotation-crashed")), Set.of())
                .activeSince(daysAgo(10)).evaluate();

        String json = Json.MAPPER.writeValueAsString(plan);

        assertThat(Json.MAPPER.readValue(json, PreflightPlan.class)).isEqualTo(plan);
        assertThat(json).contains("\"outcome\":\"SKIP\"").contains("\"action\":\"ABANDON\"");
    }
}
