package io.atlascmk.sandbox.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.AliasListEntry;
import software.amazon.awssdk.services.kms.model.AlreadyExistsException;
import software.amazon.awssdk.services.kms.model.DisabledException;
import software.amazon.awssdk.services.kms.model.InvalidCiphertextException;
import software.amazon.awssdk.services.kms.model.KeyListEntry;
import software.amazon.awssdk.services.kms.model.KeyManagerType;
import software.amazon.awssdk.services.kms.model.KeyMetadata;
import software.amazon.awssdk.services.kms.model.KeyState;
import software.amazon.awssdk.services.kms.model.KmsException;
import software.amazon.awssdk.services.kms.model.KmsInvalidStateException;
import software.amazon.awssdk.services.kms.model.ListKeysResponse;
import software.amazon.awssdk.services.kms.model.ListResourceTagsResponse;
import software.amazon.awssdk.services.kms.model.MalformedPolicyDocumentException;
import software.amazon.awssdk.services.kms.model.NotFoundException;
import software.amazon.awssdk.services.kms.model.ScheduleKeyDeletionResponse;
import software.amazon.awssdk.services.kms.model.Tag;
import software.amazon.awssdk.services.kms.model.TagException;

/**
 * The KMS lifecycle through the real SDK client over HTTP. Runs unchanged against an external emulator
 * when AWS_ENDPOINT_URL is set; only the assertions on the stand-in's own state need the stand-in.
 */
class AwsKmsLifecycleTest extends KmsOverHttp {

    private static final ObjectMapper JSON = new ObjectMapper();

    private KeyMetadata createKey(String description, Tag... tags) {
        return kms.createKey(r -> r.description(description).tags(tags)).keyMetadata();
    }

    private static Tag tag(String key, String value) {
        return Tag.builder().tagKey(key).tagValue(value).build();
    }

    private static String accountOf(String arn) {
        return arn.split(":")[4];
    }

    @Test
    void createKey_returnsAnEnabledCustomerManagedSymmetricKey() {
        KeyMetadata key = createKey("project p1", tag("atlas-cmk-rotator:project", "p1"));

        assertThat(key.keyId()).matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
        assertThat(key.arn()).isEqualTo("arn:aws:kms:us-east-1:" + accountOf(key.arn()) + ":key/" + key.keyId());
        assertThat(key.keyState()).isEqualTo(KeyState.ENABLED);
        assertThat(key.enabled()).isTrue();
        assertThat(key.keyManager()).isEqualTo(KeyManagerType.CUSTOMER);
        assertThat(key.description()).isEqualTo("project p1");
        assertThat(key.multiRegion()).isFalse();
        assertThat(key.creationDate()).isNotNull();
        assertThat(key.deletionDate()).isNull();
        if (target.isStandIn()) {
            assertThat(accountOf(key.arn())).isEqualTo(AwsStandIn.ACCOUNT_ID);
            assertThat(key.creationDate()).isEqualTo(AwsTarget.START);
        }
    }

    @Test
    void createKey_multiRegion_getsAnMrkId() {
        KeyMetadata key = kms.createKey(r -> r.multiRegion(true)).keyMetadata();

        assertThat(key.keyId()).matches("mrk-[0-9a-f]{32}");
        assertThat(key.multiRegion()).isTrue();
        assertThat(kms.describeKey(r -> r.keyId(key.keyId())).keyMetadata().arn()).isEqualTo(key.arn());
    }

    @Test
    void describeKey_findsTheKeyByIdArnAliasNameAndAliasArn() {
        KeyMetadata key = createKey("described");
        String alias = AwsTarget.unique("alias/sbx-describe-");
        kms.createAlias(r -> r.aliasName(alias).targetKeyId(key.keyId()));
        String aliasArn = "arn:aws:kms:us-east-1:" + accountOf(key.arn()) + ":" + alias;

        for (String reference : List.of(key.keyId(), key.arn(), alias, aliasArn)) {
            assertThat(kms.describeKey(r -> r.keyId(reference)).keyMetadata().keyId())
                    .as("DescribeKey by %s", reference).isEqualTo(key.keyId());
        }
    }

    @Test
    void describeKey_ofAnUnknownOrMalformedKey_isNotFound() {
        String unknown = UUID.randomUUID().toString();

        assertThatThrownBy(() -> kms.describeKey(r -> r.keyId(unknown))).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> kms.describeKey(r -> r.keyId("not-a-key-id"))).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> kms.describeKey(r -> r.keyId("alias/sbx-no-such-alias-" + unknown)))
                .isInstanceOf(NotFoundException.class);
    }

    @Test
    void keys_areRegional() {
        KeyMetadata key = createKey("in us-east-1");
        KmsClient euWest1 = target.kms(Region.EU_WEST_1, null);

        assertThatThrownBy(() -> euWest1.describeKey(r -> r.keyId(key.keyId()))).isInstanceOf(NotFoundException.class);
        KeyMetadata euKey = euWest1.createKey(r -> r.description("in eu-west-1")).keyMetadata();
        assertThat(euKey.arn()).startsWith("arn:aws:kms:eu-west-1:");
    }

    @Test
    void keyPolicy_isTheDefaultRootPolicy_untilPut_andThenReturnedVerbatim() throws Exception {
        KeyMetadata key = createKey("policy");
        String root = "arn:aws:iam::" + accountOf(key.arn()) + ":root";

        JsonNode defaultPolicy = JSON.readTree(kms.getKeyPolicy(r -> r.keyId(key.keyId()).policyName("default")).policy());
        assertThat(defaultPolicy.path("Statement").toString()).contains(root).contains("kms:*");

        String policy = "{\"Version\":\"2012-10-17\",  \"Id\": \"sandbox-test\",\n"
                + "  \"Statement\": [ {\"Sid\": \"Root\", \"Effect\": \"Allow\",\n"
                + "     \"Principal\": {\"AWS\": \"" + root + "\"}, \"Action\": \"kms:*\", \"Resource\": \"*\"} ]}";
        kms.putKeyPolicy(r -> r.keyId(key.keyId()).policyName("default").policy(policy));

        assertThat(kms.getKeyPolicy(r -> r.keyId(key.arn()).policyName("default")).policy()).isEqualTo(policy);
    }

    @Test
    void putKeyPolicy_rejectsInvalidJson() {
        KeyMetadata key = createKey("bad policy");

        assertThatThrownBy(() -> kms.putKeyPolicy(r -> r.keyId(key.keyId()).policyName("default").policy("{not json")))
                .isInstanceOf(MalformedPolicyDocumentException.class);
    }

    @Test
    void putKeyPolicy_thatWouldLockTheAccountOut_isRejectedUnlessTheSafetyCheckIsBypassed() {
        KeyMetadata key = createKey("lockout");
        String root = "arn:aws:iam::" + accountOf(key.arn()) + ":root";
        String lockout = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
                + "\"Principal\":{\"AWS\":\"" + root + "\"},\"Action\":\"kms:DescribeKey\",\"Resource\":\"*\"}]}";

        assertThatThrownBy(() -> kms.putKeyPolicy(r -> r.keyId(key.keyId()).policyName("default").policy(lockout)))
                .isInstanceOf(MalformedPolicyDocumentException.class);

        kms.putKeyPolicy(r -> r.keyId(key.keyId()).policyName("default").policy(lockout).bypassPolicyLockoutSafetyCheck(true));
        assertThat(kms.getKeyPolicy(r -> r.keyId(key.keyId()).policyName("default")).policy()).isEqualTo(lockout);
        if (target.isStandIn()) {
            assertThat(target.standIn().kms().key(key.keyId()).orElseThrow().policyLockoutCheckBypassed()).isTrue();
        }
    }

    @Test
    void tags_areAddedOverwrittenRemovedAndListedPageByPage() {
        KeyMetadata key = createKey("tags", tag("atlas-cmk-rotator:project", "p1"), tag("atlas-cmk-rotator:state", "pending"));
        kms.tagResource(r -> r.keyId(key.keyId()).tags(
                tag("atlas-cmk-rotator:state", "active"), tag("atlas-cmk-rotator:rotation", "r-1"),
                tag("owner", "team"), tag("empty", "")));
        kms.untagResource(r -> r.keyId(key.arn()).tagKeys("owner"));

        Map<String, String> listed = new LinkedHashMap<>();
        List<Integer> pageSizes = new ArrayList<>();
        String marker = null;
        do {
            String from = marker;
            ListResourceTagsResponse page = kms.listResourceTags(r -> r.keyId(key.keyId()).limit(2).marker(from));
            page.tags().forEach(t -> listed.put(t.tagKey(), t.tagValue()));
            pageSizes.add(page.tags().size());
            marker = page.truncated() ? page.nextMarker() : null;
        } while (marker != null);

        assertThat(listed).containsExactlyInAnyOrderEntriesOf(Map.of(
                "atlas-cmk-rotator:project", "p1", "atlas-cmk-rotator:state", "active",
                "atlas-cmk-rotator:rotation", "r-1", "empty", ""));
        assertThat(pageSizes).hasSizeGreaterThan(1).allMatch(n -> n <= 2);
        if (target.isStandIn()) {
            assertThat(target.standIn().kms().key(key.arn()).orElseThrow().tags()).isEqualTo(listed);
        }
    }

    @Test
    void tags_withTheReservedAwsPrefix_orMoreThanFifty_areTagExceptions() {
        KeyMetadata key = createKey("tag limits");
        List<Tag> fiftyOne = new ArrayList<>();
        for (int i = 0; i < 51; i++) {
            fiftyOne.add(tag("k" + i, "v"));
        }

        assertThatThrownBy(() -> kms.tagResource(r -> r.keyId(key.keyId()).tags(tag("aws:reserved", "x"))))
                .isInstanceOf(TagException.class);
        assertThatThrownBy(() -> kms.tagResource(r -> r.keyId(key.keyId()).tags(fiftyOne))).isInstanceOf(TagException.class);
        assertThatThrownBy(() -> kms.createKey(r -> r.tags(tag("AWS:reserved", "x")))).isInstanceOf(TagException.class);
        assertThat(kms.listResourceTags(r -> r.keyId(key.keyId())).tags()).isEmpty();
    }

    @Test
    void tags_longerThanTheLimits_areRejected() {
        KeyMetadata key = createKey("tag lengths");
        String key129 = "k".repeat(129);
        String value257 = "v".repeat(257);

        KmsException longKey = catchThrowableOfType(KmsException.class,
                () -> kms.tagResource(r -> r.keyId(key.keyId()).tags(tag(key129, "v"))));
        KmsException longValue = catchThrowableOfType(KmsException.class,
                () -> kms.tagResource(r -> r.keyId(key.keyId()).tags(tag("k", value257))));

        assertThat(List.of(longKey, longValue)).allSatisfy(e -> assertThat(e.statusCode()).isEqualTo(400));
        kms.tagResource(r -> r.keyId(key.keyId()).tags(tag("k".repeat(128), "v".repeat(256))));
        if (target.isStandIn()) {
            // Model constraints (lengths) are checked before KMS's own tag rules, as AWS validates requests.
            assertThat(longKey.awsErrorDetails().errorCode()).isEqualTo("ValidationException");
            assertThat(longValue.awsErrorDetails().errorCode()).isEqualTo("ValidationException");
        }
    }

    @Test
    void aliases_areCreatedOnceUpdatedListedAndDeleted() {
        KeyMetadata first = createKey("first");
        KeyMetadata second = createKey("second");
        String alias = AwsTarget.unique("alias/atlas-cmk/sbx-");

        kms.createAlias(r -> r.aliasName(alias).targetKeyId(first.keyId()));
        assertThatThrownBy(() -> kms.createAlias(r -> r.aliasName(alias).targetKeyId(second.keyId())))
                .isInstanceOf(AlreadyExistsException.class);
        assertThat(kms.describeKey(r -> r.keyId(alias)).keyMetadata().keyId()).isEqualTo(first.keyId());

        kms.updateAlias(r -> r.aliasName(alias).targetKeyId(second.arn()));
        assertThat(kms.describeKey(r -> r.keyId(alias)).keyMetadata().keyId()).isEqualTo(second.keyId());
        List<AliasListEntry> ofSecond = kms.listAliases(r -> r.keyId(second.keyId())).aliases();
        assertThat(ofSecond).extracting(AliasListEntry::aliasName).containsExactly(alias);
        assertThat(ofSecond.get(0).targetKeyId()).isEqualTo(second.keyId());
        assertThat(ofSecond.get(0).aliasArn()).endsWith(":" + alias);
        assertThat(kms.listAliases(r -> r.keyId(first.keyId())).aliases()).isEmpty();

        kms.deleteAlias(r -> r.aliasName(alias));
        assertThatThrownBy(() -> kms.describeKey(r -> r.keyId(alias))).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> kms.deleteAlias(r -> r.aliasName(alias))).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> kms.updateAlias(r -> r.aliasName(alias).targetKeyId(first.keyId())))
                .isInstanceOf(NotFoundException.class);
    }

    @Test
    void aliasNames_mustStartWithAliasSlash_andNotWithAliasAws_andTargetAKey() {
        KeyMetadata key = createKey("alias rules");
        String other = AwsTarget.unique("alias/sbx-");
        kms.createAlias(r -> r.aliasName(other).targetKeyId(key.keyId()));

        KmsException noPrefix = catchThrowableOfType(KmsException.class,
                () -> kms.createAlias(r -> r.aliasName(AwsTarget.unique("sbx-")).targetKeyId(key.keyId())));
        KmsException reserved = catchThrowableOfType(KmsException.class,
                () -> kms.createAlias(r -> r.aliasName(AwsTarget.unique("alias/aws/sbx-")).targetKeyId(key.keyId())));
        KmsException aliasTarget = catchThrowableOfType(KmsException.class,
                () -> kms.createAlias(r -> r.aliasName(AwsTarget.unique("alias/sbx-")).targetKeyId(other)));
        assertThatThrownBy(() -> kms.createAlias(r -> r.aliasName(AwsTarget.unique("alias/sbx-"))
                .targetKeyId(UUID.randomUUID().toString()))).isInstanceOf(NotFoundException.class);

        assertThat(noPrefix.awsErrorDetails().errorCode()).isEqualTo("ValidationException");
        assertThat(List.of(noPrefix, reserved, aliasTarget)).allSatisfy(e -> assertThat(e.statusCode()).isEqualTo(400));
        if (target.isStandIn()) {
            assertThat(reserved.awsErrorDetails().errorCode()).isEqualTo("NotAuthorizedException");
            assertThat(aliasTarget.awsErrorDetails().errorCode()).isEqualTo("ValidationException");
        }
    }

    @Test
    void scheduleKeyDeletion_acceptsSevenToThirtyDays_andDefaultsToThirty() {
        KeyMetadata key = createKey("deletion window");

        KmsException six = catchThrowableOfType(KmsException.class,
                () -> kms.scheduleKeyDeletion(r -> r.keyId(key.keyId()).pendingWindowInDays(6)));
        KmsException thirtyOne = catchThrowableOfType(KmsException.class,
                () -> kms.scheduleKeyDeletion(r -> r.keyId(key.keyId()).pendingWindowInDays(31)));
        assertThat(List.of(six, thirtyOne)).allSatisfy(e -> {
            assertThat(e.statusCode()).isEqualTo(400);
            assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationException");
        });
        assertThat(kms.describeKey(r -> r.keyId(key.keyId())).keyMetadata().keyState()).isEqualTo(KeyState.ENABLED);

        ScheduleKeyDeletionResponse scheduled = kms.scheduleKeyDeletion(r -> r.keyId(key.keyId()).pendingWindowInDays(7));
        assertThat(scheduled.keyState()).isEqualTo(KeyState.PENDING_DELETION);
        assertThat(scheduled.pendingWindowInDays()).isEqualTo(7);
        assertThat(scheduled.keyId()).isEqualTo(key.arn());
        KeyMetadata pending = kms.describeKey(r -> r.keyId(key.keyId())).keyMetadata();
        assertThat(pending.keyState()).isEqualTo(KeyState.PENDING_DELETION);
        assertThat(pending.enabled()).isFalse();
        assertThat(pending.deletionDate()).isEqualTo(scheduled.deletionDate());
        if (target.isStandIn()) {
            assertThat(scheduled.deletionDate()).isEqualTo(AwsTarget.START.plus(Duration.ofDays(7)));
        }

        KeyMetadata other = createKey("default window");
        ScheduleKeyDeletionResponse byDefault = kms.scheduleKeyDeletion(r -> r.keyId(other.arn()));
        assertThat(byDefault.pendingWindowInDays()).isEqualTo(30);
    }

    @Test
    void aKeyPendingDeletion_rejectsChangesWithKmsInvalidState_butCanBeReadAndCancelled() {
        KeyMetadata key = createKey("pending", tag("atlas-cmk-rotator:state", "retired"));
        kms.scheduleKeyDeletion(r -> r.keyId(key.keyId()).pendingWindowInDays(7));
        String alias = AwsTarget.unique("alias/sbx-pending-");

        List<Runnable> rejected = List.of(
                () -> kms.enableKey(r -> r.keyId(key.keyId())),
                () -> kms.disableKey(r -> r.keyId(key.keyId())),
                () -> kms.scheduleKeyDeletion(r -> r.keyId(key.keyId()).pendingWindowInDays(7)),
                () -> kms.tagResource(r -> r.keyId(key.keyId()).tags(tag("atlas-cmk-rotator:state", "deletion-scheduled"))),
                () -> kms.untagResource(r -> r.keyId(key.keyId()).tagKeys("atlas-cmk-rotator:state")),
                () -> kms.createAlias(r -> r.aliasName(alias).targetKeyId(key.keyId())),
                () -> kms.encrypt(r -> r.keyId(key.keyId()).plaintext(SdkBytes.fromUtf8String("x"))));
        for (Runnable call : rejected) {
            assertThatThrownBy(call::run).isInstanceOf(KmsInvalidStateException.class);
        }

        assertThat(kms.describeKey(r -> r.keyId(key.keyId())).keyMetadata().keyState()).isEqualTo(KeyState.PENDING_DELETION);
        assertThat(kms.getKeyPolicy(r -> r.keyId(key.keyId()).policyName("default")).policy()).contains("Statement");
        assertThat(kms.listResourceTags(r -> r.keyId(key.keyId())).tags()).containsExactly(tag("atlas-cmk-rotator:state", "retired"));

        kms.cancelKeyDeletion(r -> r.keyId(key.keyId()));
        KeyMetadata cancelled = kms.describeKey(r -> r.keyId(key.keyId())).keyMetadata();
        assertThat(cancelled.keyState()).isEqualTo(KeyState.DISABLED);
        assertThat(cancelled.deletionDate()).isNull();
        assertThatThrownBy(() -> kms.cancelKeyDeletion(r -> r.keyId(key.keyId()))).isInstanceOf(KmsInvalidStateException.class);

        kms.enableKey(r -> r.keyId(key.keyId()));
        assertThat(kms.describeKey(r -> r.keyId(key.keyId())).keyMetadata().keyState()).isEqualTo(KeyState.ENABLED);
    }

    @Test
    void aKeyIsDeleted_whenTheSandboxClockPassesItsDeletionDate() {
        KeyMetadata key = createKey("to delete");
        String alias = AwsTarget.unique("alias/sbx-deleted-");
        kms.createAlias(r -> r.aliasName(alias).targetKeyId(key.keyId()));
        kms.scheduleKeyDeletion(r -> r.keyId(key.keyId()).pendingWindowInDays(7));
        AwsStandIn standIn = target.standIn();

        target.clock().advance(Duration.ofDays(7).minusSeconds(1));
        assertThat(kms.describeKey(r -> r.keyId(key.keyId())).keyMetadata().keyState()).isEqualTo(KeyState.PENDING_DELETION);

        target.clock().advance(Duration.ofSeconds(1));
        assertThatThrownBy(() -> kms.describeKey(r -> r.keyId(key.keyId()))).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> kms.describeKey(r -> r.keyId(alias))).isInstanceOf(NotFoundException.class);
        assertThat(standIn.kms().keys()).extracting(KmsKeyView::keyId).doesNotContain(key.keyId());
        assertThat(standIn.kms().deletedKeys()).extracting(KmsKeyView::keyId).containsExactly(key.keyId());
    }

    @Test
    void listKeys_pagesThroughEveryKeyOfTheRegion() {
        List<String> created = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            created.add(createKey("listed " + i).keyId());
        }

        List<String> listed = new ArrayList<>();
        int pages = 0;
        String marker = null;
        do {
            String from = marker;
            ListKeysResponse page = kms.listKeys(r -> r.limit(1).marker(from));
            page.keys().stream().map(KeyListEntry::keyId).forEach(listed::add);
            assertThat(page.keys()).hasSizeLessThanOrEqualTo(1);
            pages++;
            marker = page.truncated() ? page.nextMarker() : null;
        } while (marker != null);

        assertThat(listed).containsAll(created).doesNotHaveDuplicates();
        assertThat(pages).isGreaterThanOrEqualTo(3);
        assertThat(kms.listKeysPaginator(r -> r.limit(2)).keys()).extracting(KeyListEntry::keyId).containsAll(created);
    }

    @Test
    void encryptAndDecrypt_roundTrip_onlyWithAnEnabledKeyAndTheSameContext() {
        KeyMetadata key = createKey("crypto");
        SdkBytes plaintext = SdkBytes.fromUtf8String("master key material");

        SdkBytes ciphertext = kms.encrypt(r -> r.keyId(key.keyId()).plaintext(plaintext)
                .encryptionContext(Map.of("project", "p1"))).ciphertextBlob();
        assertThat(kms.decrypt(r -> r.ciphertextBlob(ciphertext).encryptionContext(Map.of("project", "p1"))).plaintext())
                .isEqualTo(plaintext);
        assertThatThrownBy(() -> kms.decrypt(r -> r.ciphertextBlob(ciphertext).encryptionContext(Map.of("project", "p2"))))
                .isInstanceOf(InvalidCiphertextException.class);

        kms.disableKey(r -> r.keyId(key.keyId()));
        assertThatThrownBy(() -> kms.encrypt(r -> r.keyId(key.keyId()).plaintext(plaintext))).isInstanceOf(DisabledException.class);
        assertThatThrownBy(() -> kms.decrypt(r -> r.ciphertextBlob(ciphertext).encryptionContext(Map.of("project", "p1"))))
                .isInstanceOf(DisabledException.class);
    }

    @Test
    void inspection_showsKeysWithStateTagsPolicyAliasesAndDeletionDate() {
        KeyMetadata key = createKey("inspected", tag("atlas-cmk-rotator:project", "p1"));
        String alias = AwsTarget.unique("alias/sbx-inspect-");
        kms.createAlias(r -> r.aliasName(alias).targetKeyId(key.keyId()));
        kms.scheduleKeyDeletion(r -> r.keyId(key.keyId()).pendingWindowInDays(10));

        KmsKeyView view = target.standIn().kms().key(alias).orElseThrow();

        assertThat(view.keyId()).isEqualTo(key.keyId());
        assertThat(view.region()).isEqualTo("us-east-1");
        assertThat(view.state()).isEqualTo(KmsKeyState.PENDING_DELETION);
        assertThat(view.tags()).containsExactly(Map.entry("atlas-cmk-rotator:project", "p1"));
        assertThat(view.aliases()).containsExactly(alias);
        assertThat(view.policy()).contains("arn:aws:iam::111122223333:root");
        assertThat(view.deletionDate()).isEqualTo(AwsTarget.START.plus(Duration.ofDays(10)));
        assertThat(view.policyLockoutCheckBypassed()).isFalse();
        assertThat(target.standIn().kms().aliases()).extracting(KmsAliasView::aliasName).containsExactly(alias);
    }
}
