package io.atlascmk.rotator.kms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.kms.model.CreateAliasRequest;
import software.amazon.awssdk.services.kms.model.CreateKeyRequest;
import software.amazon.awssdk.services.kms.model.KeySpec;
import software.amazon.awssdk.services.kms.model.KeyUsageType;
import software.amazon.awssdk.services.kms.model.ListResourceTagsRequest;
import software.amazon.awssdk.services.kms.model.PutKeyPolicyRequest;
import software.amazon.awssdk.services.kms.model.UpdateAliasRequest;

class KeyServiceTest {

    private static final Instant NOW = Instant.parse("2025-03-01T10:00:00Z");
    private static final String PROJECT = "5f1a2b3c4d5e6f7a8b9c0d1e";
    private static final String ALIAS = "alias/atlas-cmk/" + PROJECT;

    private final FakeKmsClient kms = new FakeKmsClient(Clock.fixed(NOW, ZoneOffset.UTC));
    private final KeyService keys = new KeyService(kms, FakeKmsClient.DEPLOYMENT);

    private static Map<String, String> ledgerTags(String rotationId, KeyState state) {
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put(KeyTags.PROJECT, PROJECT);
        tags.put(KeyTags.DEPLOYMENT, FakeKmsClient.DEPLOYMENT);
        tags.put(KeyTags.ROTATION, rotationId);
        tags.put(KeyTags.STATE, state.tagValue());
        return tags;
    }

    @Nested
    class CreateKey {

        @Test
        void createKey_appliesTagsInTheCreateKeyCallItself() {
            ManagedKey key = keys.createKey("Atlas CMK", ledgerTags("rot-1", KeyState.PENDING), false);

            assertThat(kms.calls()).containsExactly("CreateKey");
            assertThat(kms.requests(CreateKeyRequest.class).get(0).tags())
                    .extracting(t -> t.tagKey() + "=" + t.tagValue())
                    .containsExactly(KeyTags.PROJECT + "=" + PROJECT, KeyTags.DEPLOYMENT + "=" + FakeKmsClient.DEPLOYMENT,
                            KeyTags.ROTATION + "=rot-1",
                            KeyTags.STATE + "=pending");
            assertThat(kms.key(key.arn()).tags()).isEqualTo(ledgerTags("rot-1", KeyState.PENDING));
            assertThat(key.tags()).isEqualTo(ledgerTags("rot-1", KeyState.PENDING));
            assertThat(key.state()).isEqualTo(KeyState.PENDING);
        }

        @Test
        void createKey_crashRightAfterCreateKey_leavesAKeyThatAlreadyCarriesItsTags() {
            kms.crashAfterWrite("CreateKey", 1);

            assertThatThrownBy(() -> keys.createKey("Atlas CMK", ledgerTags("rot-1", KeyState.PENDING), false))
                    .isInstanceOf(SimulatedCrashException.class);

            assertThat(keys.findByRotation(PROJECT, "rot-1"))
                    .hasValueSatisfying(k -> assertThat(k.state()).isEqualTo(KeyState.PENDING));
        }

        @Test
        void createKey_isSymmetricEncryptDecrypt_andNeverBypassesTheLockoutCheck() {
            ManagedKey key = keys.createKey("d", Map.of(), false);

            CreateKeyRequest sent = kms.requests(CreateKeyRequest.class).get(0);
            assertThat(sent.keySpec()).isEqualTo(KeySpec.SYMMETRIC_DEFAULT);
            assertThat(sent.keyUsage()).isEqualTo(KeyUsageType.ENCRYPT_DECRYPT);
            assertThat(sent.bypassPolicyLockoutSafetyCheck()).isFalse();
            assertThat(sent.policy()).as("the default policy keeps the account root in control").isNull();
            assertThat(key.keyState()).isEqualTo("Enabled");
            assertThat(key.region()).isEqualTo("us-east-1");
            assertThat(key.createdAt()).isEqualTo(NOW);
            assertThat(key.multiRegion()).isFalse();
        }

        @Test
        void createKey_multiRegion_returnsMrkKey() {
            ManagedKey key = keys.createKey("d", Map.of(), true);

            assertThat(key.keyId()).startsWith("mrk-");
            assertThat(key.multiRegion()).isTrue();
            assertThat(KeyIds.isMultiRegion(key.arn())).isTrue();
        }

        @Test
        void createKey_rejectsInvalidTags_beforeCallingKms() {
            assertThatThrownBy(() -> keys.createKey("d", Map.of("aws:owner", "x"), false))
                    .isInstanceOf(InvalidKmsRequestException.class).hasMessageContaining("aws:");
            assertThatThrownBy(() -> keys.createKey("d", Map.of("k".repeat(129), "x"), false))
                    .isInstanceOf(InvalidKmsRequestException.class);
            assertThatThrownBy(() -> keys.createKey("d", Map.of("k", "v".repeat(257)), false))
                    .isInstanceOf(InvalidKmsRequestException.class);
            assertThatThrownBy(() -> keys.createKey("d", Map.of("k", "no#hash"), false))
                    .isInstanceOf(InvalidKmsRequestException.class);

            assertThat(kms.calls()).isEmpty();
        }
    }

    @Nested
    class DescribeAndTags {

        @Test
        void describe_readsEveryTagPage() {
            Map<String, String> many = new LinkedHashMap<>();
            for (int i = 0; i < 20; i++) {
                many.put("tag-" + i, "value-" + i);
            }
            String arn = kms.seedKey(many);
            kms.capPageSize(7);

            ManagedKey key = keys.describe(arn);

            assertThat(key.tags()).isEqualTo(many);
            assertThat(kms.requests(ListResourceTagsRequest.class)).hasSize(3);
        }

        @Test
        void describe_sameKeyByArnBareIdUpperCaseIdAndAlias() {
            String arn = kms.seedKey(Map.of("team", "payments"));
            String id = KeyIds.keyId(arn);
            kms.seedAlias("alias/payments", arn);

            for (String ref : List.of(arn, id, id.toUpperCase(), " " + arn + " ", "alias/payments")) {
                ManagedKey key = keys.describe(ref);
                assertThat(key.arn()).as(ref).isEqualTo(arn);
                assertThat(KeyIds.sameKey(key.keyId(), ref.startsWith("alias/") ? arn : ref)).isTrue();
            }
        }

        @Test
        void describe_multiRegionKeyByMrkIdAndArn() {
            String arn = kms.seed().multiRegion().create();
            String mrkId = KeyIds.keyId(arn);

            assertThat(keys.describe(mrkId).arn()).isEqualTo(arn);
            assertThat(keys.describe(arn).keyId()).isEqualTo(mrkId);
            assertThat(keys.describe(arn).multiRegion()).isTrue();
        }

        @Test
        void describe_keyOfAnotherRegion_isRefusedBeforeCallingKms() {
            String elsewhere = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";

            assertThatThrownBy(() -> keys.describe(elsewhere))
                    .isInstanceOf(InvalidKmsRequestException.class)
                    .hasMessageContaining("eu-west-1").hasMessageContaining("us-east-1");
            assertThat(kms.calls()).isEmpty();
        }

        @Test
        void describe_unknownKey_isKeyNotFound_withWhatToCheck() {
            assertThatThrownBy(() -> keys.describe("1234abcd-12ab-34cd-56ef-1234567890ab"))
                    .isInstanceOfSatisfying(KeyNotFoundException.class, e -> {
                        assertThat(e.operation()).isEqualTo("DescribeKey");
                        assertThat(e.keyReference()).isEqualTo("1234abcd-12ab-34cd-56ef-1234567890ab");
                        assertThat(e.awsErrorCode()).isEqualTo("NotFoundException");
                    })
                    .hasMessageContaining("region");
        }

        @Test
        void tag_thenUntag_changesOnlyTheNamedTags() {
            String arn = kms.seedKey(Map.of("team", "payments"));

            keys.tag(arn, Map.of(KeyTags.STATE, "active", KeyTags.PROJECT, PROJECT));
            keys.untag(arn, List.of(KeyTags.STATE, KeyTags.STATE));

            assertThat(keys.listTags(arn)).containsOnly(Map.entry("team", "payments"), Map.entry(KeyTags.PROJECT, PROJECT));
            assertThat(kms.writes("TagResource")).isEqualTo(1);
            assertThat(kms.writes("UntagResource")).isEqualTo(1);
        }

        @Test
        void tagAndUntag_withNothingToDo_sendNothing() {
            String arn = kms.seedKey();

            keys.tag(arn, Map.of());
            keys.untag(arn, List.of());

            assertThat(kms.calls()).isEmpty();
        }

        @Test
        void tag_aliasInsteadOfKey_isRefusedBeforeCallingKms() {
            assertThatThrownBy(() -> keys.tag("alias/atlas-cmk/p", Map.of("a", "b")))
                    .isInstanceOf(InvalidKmsRequestException.class).hasMessageContaining("alias");
            assertThat(kms.calls()).isEmpty();
        }

        @Test
        void tag_keyPendingDeletion_isKeyStateException_sayingHowToRecover() {
            String arn = kms.seed().pendingDeletion(7).create();

            assertThatThrownBy(() -> keys.tag(arn, Map.of(KeyTags.STATE, "retired")))
                    .isInstanceOf(KeyStateException.class)
                    .hasMessageContaining("pending deletion")
                    .hasMessageContaining("CancelKeyDeletion");
        }
    }

    @Nested
    class Policies {

        private static final String POLICY = "{\n \"Version\": \"2012-10-17\",\n \"Statement\": [\n"
                + "  {\"Sid\": \"Account\", \"Effect\": \"Allow\", \"Principal\": {\"AWS\": \"arn:aws:iam::111122223333:root\"},"
                + " \"Action\": \"kms:*\", \"Resource\": \"*\"},\n"
                + "  {\"Sid\": \"Atlas\", \"Effect\": \"Allow\", \"Principal\": {\"AWS\": \"arn:aws:iam::111122223333:role/atlas\"},"
                + " \"Action\": [\"kms:Encrypt\", \"kms:Decrypt\", \"kms:DescribeKey\"], \"Resource\": \"*\"}\n ]\n}";

        @Test
        void getPolicy_ofANewKey_isTheDefaultPolicyGrantingTheAccountRoot() {
            ManagedKey key = keys.createKey("d", Map.of(), false);

            assertThat(keys.getPolicy(key.arn())).contains(FakeKmsClient.ACCOUNT_ROOT_ARN).contains("kms:*");
        }

        @Test
        void putPolicy_storesThePolicyVerbatim_andNeverSetsBypass() {
            String arn = kms.seedKey();

            keys.putPolicy(arn, POLICY);

            assertThat(keys.getPolicy(arn)).isEqualTo(POLICY);
            PutKeyPolicyRequest sent = kms.requests(PutKeyPolicyRequest.class).get(0);
            assertThat(sent.bypassPolicyLockoutSafetyCheck()).isFalse();
            assertThat(sent.policyName()).isEqualTo("default");
        }

        @Test
        void putPolicy_thatWouldLockTheAccountOut_isRejectedByKms_andSaysWhatToKeep() {
            String arn = kms.seedKey();
            String onlyAtlas = "{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":"
                    + "\"arn:aws:iam::111122223333:role/atlas\"},\"Action\":\"kms:Decrypt\",\"Resource\":\"*\"}]}";

            assertThatThrownBy(() -> keys.putPolicy(arn, onlyAtlas))
                    .isInstanceOfSatisfying(KmsRequestRejectedException.class,
                            e -> assertThat(e.awsErrorCode()).isEqualTo("MalformedPolicyDocumentException"))
                    .hasMessageContaining("account root");
            assertThat(kms.requests(PutKeyPolicyRequest.class))
                    .allSatisfy(r -> assertThat(r.bypassPolicyLockoutSafetyCheck()).isFalse());
            assertThat(kms.key(arn).policy()).doesNotContain("role/atlas");
        }

        @ParameterizedTest
        @ValueSource(strings = {"", "  ", "not json", "[1,2]", "{\"Version\":\"2012-10-17\"}"})
        void putPolicy_rejectsMalformedDocuments_beforeCallingKms(String policy) {
            String arn = kms.seedKey();

            assertThatThrownBy(() -> keys.putPolicy(arn, policy)).isInstanceOf(InvalidKmsRequestException.class);
            assertThat(kms.calls()).isEmpty();
        }
    }

    @Nested
    class Aliases {

        @Test
        void pointAlias_createsTheAlias_whenItDoesNotExist() {
            String arn = kms.seedKey();

            AliasChange change = keys.pointAlias(ALIAS, arn);

            assertThat(change).isEqualTo(AliasChange.CREATED);
            assertThat(kms.aliasTarget(ALIAS)).contains(KeyIds.keyId(arn));
            assertThat(kms.writeCounts()).isEqualTo(Map.of("CreateAlias", 1));
        }

        @Test
        void pointAlias_movesTheAlias_whenItPointsElsewhere() {
            String oldKey = kms.seedKey();
            String newKey = kms.seedKey();
            kms.seedAlias(ALIAS, oldKey);

            AliasChange change = keys.pointAlias(ALIAS, newKey);

            assertThat(change).isEqualTo(AliasChange.MOVED);
            assertThat(kms.aliasTarget(ALIAS)).contains(KeyIds.keyId(newKey));
            assertThat(kms.writeCounts()).isEqualTo(Map.of("UpdateAlias", 1));
        }

        @Test
        void pointAlias_writesNothing_whenTheAliasAlreadyPointsThere_givenArnOrIdOrUpperCaseId() {
            String arn = kms.seedKey();
            kms.seedAlias(ALIAS, arn);

            for (String ref : List.of(arn, KeyIds.keyId(arn), KeyIds.keyId(arn).toUpperCase())) {
                assertThat(keys.pointAlias(ALIAS, ref)).as(ref).isEqualTo(AliasChange.UNCHANGED);
            }
            assertThat(kms.totalWrites()).isZero();
            assertThat(kms.calls()).containsOnly("ListAliases");
        }

        @Test
        void pointAlias_findsTheAliasOnALaterListAliasesPage() {
            for (int i = 0; i < 9; i++) {
                kms.seedAlias("alias/other-" + i, kms.seedKey());
            }
            String oldKey = kms.seedKey();
            kms.seedAlias(ALIAS, oldKey);
            String newKey = kms.seedKey();
            kms.capPageSize(4);

            assertThat(keys.pointAlias(ALIAS, newKey)).isEqualTo(AliasChange.MOVED);
            assertThat(kms.callCount("ListAliases")).isEqualTo(3);
            assertThat(kms.requests(CreateAliasRequest.class)).isEmpty();
        }

        @Test
        void pointAlias_whenAnotherWriterCreatesTheAliasMeanwhile_movesItInstead() {
            String someoneElses = kms.seedKey();
            String ours = kms.seedKey();
            kms.beforeNext("CreateAlias", () -> kms.seedAlias(ALIAS, someoneElses));

            AliasChange change = keys.pointAlias(ALIAS, ours);

            assertThat(change).isEqualTo(AliasChange.MOVED);
            assertThat(kms.aliasTarget(ALIAS)).contains(KeyIds.keyId(ours));
            assertThat(kms.requests(UpdateAliasRequest.class)).hasSize(1);
        }

        @ParameterizedTest
        @ValueSource(strings = {"atlas-cmk/p1", "alias/", "alias/aws/ebs", "alias/has space", "alias/colon:x",
                "alias/dot.x", "ALIAS/upper"})
        void pointAlias_rejectsInvalidAliasNames_beforeCallingKms(String name) {
            String arn = kms.seedKey();

            assertThatThrownBy(() -> keys.pointAlias(name, arn)).isInstanceOf(InvalidKmsRequestException.class);
            assertThat(kms.calls()).isEmpty();
        }

        @Test
        void pointAlias_acceptsNamesUpTo256Characters_andRejectsLonger() {
            String arn = kms.seedKey();
            String longest = "alias/" + "a".repeat(250);

            assertThat(keys.pointAlias(longest, arn)).isEqualTo(AliasChange.CREATED);
            assertThatThrownBy(() -> keys.pointAlias(longest + "a", arn))
                    .isInstanceOf(InvalidKmsRequestException.class).hasMessageContaining("256");
        }

        @Test
        void aliasTarget_isEmptyForAMissingAlias_andTheKeyIdOtherwise() {
            String arn = kms.seedKey();

            assertThat(keys.aliasTarget(ALIAS)).isEmpty();
            kms.seedAlias(ALIAS, arn);
            assertThat(keys.aliasTarget(ALIAS)).contains(KeyIds.keyId(arn));
        }
    }

    @Nested
    class Deletion {

        @ParameterizedTest
        @ValueSource(ints = {Integer.MIN_VALUE, -7, 0, 1, 6, 31, 365})
        void scheduleDeletion_rejectsWindowOutside7To30_beforeCallingKms(int days) {
            String arn = kms.seedKey();

            assertThatThrownBy(() -> keys.scheduleDeletion(arn, days))
                    .isInstanceOf(InvalidKmsRequestException.class)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("7 to 30 days");
            assertThat(kms.calls()).isEmpty();
            assertThat(kms.key(arn).keyState()).isEqualTo("Enabled");
        }

        @ParameterizedTest
        @ValueSource(ints = {7, 30})
        void scheduleDeletion_returnsTheDeletionDate_windowDaysFromNow(int days) {
            String arn = kms.seedKey();

            Instant date = keys.scheduleDeletion(arn, days);

            assertThat(date).isEqualTo(NOW.plus(Duration.ofDays(days)));
            assertThat(kms.key(arn).keyState()).isEqualTo("PendingDeletion");
            assertThat(kms.key(arn).pendingWindowInDays()).isEqualTo(days);
        }

        @Test
        void scheduleDeletion_ofAKeyAlreadyPendingDeletion_returnsItsDeletionDate_withoutWriting() {
            String arn = kms.seedKey();
            Instant first = keys.scheduleDeletion(arn, 10);
            kms.resetRecording();

            Instant again = keys.scheduleDeletion(arn, 20);

            assertThat(again).isEqualTo(first);
            assertThat(kms.totalWrites()).isZero();
        }

        @Test
        void scheduleDeletion_ofAnUnknownKey_isKeyNotFound() {
            assertThatThrownBy(() -> keys.scheduleDeletion("1234abcd-12ab-34cd-56ef-1234567890ab", 7))
                    .isInstanceOf(KeyNotFoundException.class);
        }
    }

    @Nested
    class Lookup {

        @Test
        void findProjectKeys_readsEveryListKeysPage_andIgnoresOtherProjectsKeys() {
            List<String> ours = new ArrayList<>();
            for (int i = 0; i < 25; i++) {
                Instant created = NOW.minus(Duration.ofDays(100 - i));
                switch (i % 5) {
                    case 0 -> ours.add(kms.seed().ledger(PROJECT, "rot-" + i, KeyState.RETIRED).createdAt(created).create());
                    case 1 -> kms.seed().ledger("another-project", "rot-" + i, KeyState.ACTIVE).createdAt(created).create();
                    case 2 -> kms.seed().createdAt(created).create();
                    case 3 -> kms.seed().tag("team", "payments").tag(KeyTags.PROJECT, PROJECT.toUpperCase())
                            .createdAt(created).create();
                    default -> kms.seed().tag(KeyTags.STATE, "active").createdAt(created).create();
                }
            }
            kms.capPageSize(4);

            List<ManagedKey> found = keys.findProjectKeys(PROJECT);

            assertThat(found).extracting(ManagedKey::arn).containsExactlyElementsOf(ours);
            assertThat(found).allSatisfy(k -> assertThat(k.ownedBy(PROJECT)).isTrue());
            assertThat(kms.callCount("ListKeys")).isEqualTo(7);
            assertThat(kms.callCount("DescribeKey")).as("only matching keys are described").isEqualTo(5);
        }

        @Test
        void findProjectKeys_leavesOutTheProjectsKeysOfAnotherDeployment_andThoseTaggedBeforeDeploymentsExisted() {
            String ours = kms.seed().ledger(PROJECT, "rot-1", KeyState.ACTIVE).create();
            kms.seed().ledger(PROJECT, "rot-2", KeyState.RETIRED).tag(KeyTags.DEPLOYMENT, "TeamBRotator").create();
            Map<String, String> legacy = new LinkedHashMap<>(ledgerTags("rot-0", KeyState.RETIRED));
            legacy.remove(KeyTags.DEPLOYMENT);
            kms.seed().tags(legacy).create();

            assertThat(keys.findProjectKeys(PROJECT)).extracting(ManagedKey::arn).containsExactly(ours);
        }

        @Test
        void createKey_alwaysTagsTheKeyWithThisDeployment_whateverTheCallerPassed() {
            Map<String, String> tags = new LinkedHashMap<>(ledgerTags("rot-1", KeyState.PENDING));
            tags.put(KeyTags.DEPLOYMENT, "SomeoneElse");

            ManagedKey key = keys.createKey("Atlas CMK", tags, false);

            assertThat(kms.key(key.arn()).tags()).containsEntry(KeyTags.DEPLOYMENT, FakeKmsClient.DEPLOYMENT);
            assertThat(keys.findProjectKeys(PROJECT)).extracting(ManagedKey::arn).containsExactly(key.arn());
        }

        @Test
        void aDeploymentNameThatIsNoStackName_isRefusedWithWhereItComesFrom() {
            for (String bad : new String[] {null, "", "1stack", "has space", "a".repeat(129)}) {
                assertThatThrownBy(() -> new KeyService(kms, bad)).as(String.valueOf(bad))
                        .isInstanceOf(InvalidKmsRequestException.class).hasMessageContaining("ROTATOR_DEPLOYMENT");
            }
        }

        @Test
        void findProjectKeys_returnsOldestFirst_withKmsStateAndTags() {
            String newer = kms.seed().ledger(PROJECT, "rot-2", KeyState.ACTIVE).createdAt(NOW).create();
            String older = kms.seed().ledger(PROJECT, "rot-1", KeyState.RETIRED).createdAt(NOW.minusSeconds(3600))
                    .disabled().create();

            List<ManagedKey> found = keys.findProjectKeys(PROJECT);

            assertThat(found).extracting(ManagedKey::arn).containsExactly(older, newer);
            assertThat(found.get(0).keyState()).isEqualTo("Disabled");
            assertThat(found.get(0).state()).isEqualTo(KeyState.RETIRED);
            assertThat(found.get(1).tag(KeyTags.ROTATION)).isEqualTo("rot-2");
        }

        @Test
        void findProjectKeys_includesKeysPendingDeletion_unlessAskedNotTo() {
            String live = kms.seed().ledger(PROJECT, "rot-2", KeyState.ACTIVE).create();
            String dying = kms.seed().ledger(PROJECT, "rot-1", KeyState.DELETION_SCHEDULED).pendingDeletion(7).create();

            assertThat(keys.findProjectKeys(PROJECT)).extracting(ManagedKey::arn).containsExactlyInAnyOrder(live, dying);
            assertThat(keys.findProjectKeys(PROJECT, false)).extracting(ManagedKey::arn).containsExactly(live);
            assertThat(keys.findProjectKeys(PROJECT).stream().filter(k -> k.arn().equals(dying)).findFirst())
                    .hasValueSatisfying(k -> assertThat(k.deletionDate()).isEqualTo(NOW.plus(Duration.ofDays(7))));
        }

        @Test
        void findProjectKeys_skipsAwsManagedKeys_withoutReadingTheirTags() {
            String awsManaged = kms.seed().awsManaged("ebs").create();
            String ours = kms.seed().ledger(PROJECT, "rot-1", KeyState.ACTIVE).create();

            assertThat(keys.findProjectKeys(PROJECT)).extracting(ManagedKey::arn).containsExactly(ours);
            assertThat(kms.requests(ListResourceTagsRequest.class)).extracting(ListResourceTagsRequest::keyId)
                    .containsExactly(KeyIds.keyId(ours))
                    .doesNotContain(KeyIds.keyId(awsManaged));
        }

        @Test
        void findProjectKeys_skipsKeysWhoseTagsItMayNotRead() {
            kms.seed().unreadable().tag("team", "payments").create();
            String ours = kms.seed().ledger(PROJECT, "rot-1", KeyState.ACTIVE).create();

            assertThat(keys.findProjectKeys(PROJECT)).extracting(ManagedKey::arn).containsExactly(ours);
        }

        @Test
        void findProjectKeys_failsLoudly_whenKmsCannotListKeys() {
            kms.seed().ledger(PROJECT, "rot-1", KeyState.ACTIVE).create();
            kms.failNext("ListKeys", FakeKmsClient.accessDenied("ListKeys"));

            assertThatThrownBy(() -> keys.findProjectKeys(PROJECT)).isInstanceOf(KmsAccessDeniedException.class)
                    .hasMessageContaining("kms:ListKeys");
        }

        @Test
        void findProjectKeys_seesAKeyTheMomentItIsCreated() {
            ManagedKey created = keys.createKey("d", ledgerTags("rot-9", KeyState.PENDING), false);

            assertThat(keys.findProjectKeys(PROJECT)).extracting(ManagedKey::arn).containsExactly(created.arn());
        }

        @Test
        void findByRotation_returnsTheKeyTaggedWithTheRotation() {
            kms.seed().ledger(PROJECT, "rot-1", KeyState.RETIRED).create();
            String second = kms.seed().ledger(PROJECT, "rot-2", KeyState.PENDING).create();
            kms.seed().ledger("another-project", "rot-2", KeyState.PENDING).create();

            assertThat(keys.findByRotation(PROJECT, "rot-2")).map(ManagedKey::arn).contains(second);
            assertThat(keys.findByRotation(PROJECT, "rot-3")).isEmpty();
        }

        @Test
        void findByRotation_ignoresTheKeyTheRotationAdopted() {
            kms.seed().tag(KeyTags.PROJECT, PROJECT).tag(KeyTags.ADOPTED_BY, "rot-1")
                    .tag(KeyTags.STATE, KeyState.ACTIVE.tagValue()).create();

            assertThat(keys.findByRotation(PROJECT, "rot-1")).isEmpty();
        }

        @Test
        void findByRotation_refusesToGuess_whenTwoKeysClaimTheRotation() {
            String a = kms.seed().ledger(PROJECT, "rot-1", KeyState.PENDING).create();
            String b = kms.seed().ledger(PROJECT, "rot-1", KeyState.PENDING).create();

            assertThatThrownBy(() -> keys.findByRotation(PROJECT, "rot-1"))
                    .isInstanceOfSatisfying(DuplicateRotationKeyException.class,
                            e -> assertThat(e.keyArns()).containsExactlyInAnyOrder(a, b))
                    .hasMessageContaining("rot-1");
        }

        @Test
        void lookups_requireAProjectAndRotation() {
            assertThatThrownBy(() -> keys.findProjectKeys(" ")).isInstanceOf(InvalidKmsRequestException.class);
            assertThatThrownBy(() -> keys.findByRotation(PROJECT, null)).isInstanceOf(InvalidKmsRequestException.class);
            assertThat(kms.calls()).isEmpty();
        }
    }

    @Nested
    class ErrorMapping {

        static Stream<Arguments> kmsErrors() {
            return Stream.of(
                    Arguments.of("throttling", (Supplier<SdkException>) FakeKmsClient::throttling,
                            KmsUnavailableException.class),
                    Arguments.of("KMS internal error", (Supplier<SdkException>) FakeKmsClient::internalFailure,
                            KmsUnavailableException.class),
                    Arguments.of("dependency timeout", (Supplier<SdkException>) FakeKmsClient::dependencyTimeout,
                            KmsUnavailableException.class),
                    Arguments.of("network failure", (Supplier<SdkException>) FakeKmsClient::networkFailure,
                            KmsUnavailableException.class),
                    Arguments.of("access denied", (Supplier<SdkException>) () -> FakeKmsClient.accessDenied("TagResource"),
                            KmsAccessDeniedException.class),
                    Arguments.of("quota", (Supplier<SdkException>) FakeKmsClient::limitExceeded,
                            KmsLimitExceededException.class));
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource("kmsErrors")
        void sdkErrors_becomeTypedExceptions_namingTheOperationAndKey_withTheCauseKept(
                String name, Supplier<SdkException> error, Class<? extends KmsOperationException> expected) {
            String arn = kms.seedKey();
            SdkException thrown = error.get();
            kms.failNext("TagResource", thrown);

            assertThatThrownBy(() -> keys.tag(arn, Map.of("a", "b")))
                    .isExactlyInstanceOf(expected)
                    .hasMessageContaining("TagResource")
                    .hasMessageContaining(arn)
                    .hasCause(thrown);
        }

        @Test
        void unavailable_saysItIsTransient() {
            kms.failNext("CreateKey", FakeKmsClient.throttling());

            assertThatThrownBy(() -> keys.createKey("d", Map.of(), false))
                    .isInstanceOf(KmsUnavailableException.class)
                    .hasMessageContaining("transient");
        }

        @Test
        void keyStateErrors_becomeKeyStateException() {
            String arn = kms.seed().pendingDeletion(7).create();

            assertThatThrownBy(() -> keys.pointAlias(ALIAS, arn))
                    .isInstanceOfSatisfying(KeyStateException.class,
                            e -> assertThat(e.awsErrorCode()).isEqualTo("KMSInvalidStateException"));
        }

        @Test
        void simulatedCrash_isNotTranslated() {
            String arn = kms.seedKey();
            kms.crashAfterWrite("TagResource", 1);

            assertThatThrownBy(() -> keys.tag(arn, Map.of("a", "b"))).isExactlyInstanceOf(SimulatedCrashException.class);
            assertThat(kms.key(arn).tags()).containsEntry("a", "b");
        }
    }
}
