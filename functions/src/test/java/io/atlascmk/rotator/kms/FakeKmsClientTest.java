package io.atlascmk.rotator.kms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.kms.model.AlreadyExistsException;
import software.amazon.awssdk.services.kms.model.KeyListEntry;
import software.amazon.awssdk.services.kms.model.KeyManagerType;
import software.amazon.awssdk.services.kms.model.KmsException;
import software.amazon.awssdk.services.kms.model.KmsInvalidStateException;
import software.amazon.awssdk.services.kms.model.ListKeysResponse;
import software.amazon.awssdk.services.kms.model.MalformedPolicyDocumentException;
import software.amazon.awssdk.services.kms.model.NotFoundException;
import software.amazon.awssdk.services.kms.model.Tag;
import software.amazon.awssdk.services.kms.model.TagException;

/** The fake's own KMS rules, so tests built on it can trust it. */
class FakeKmsClientTest {

    private static final Instant NOW = Instant.parse("2025-03-01T10:00:00Z");

    private final MutableClock clock = new MutableClock(NOW);
    private final FakeKmsClient kms = new FakeKmsClient(clock);

    @Test
    void createKey_withoutPolicy_installsDefaultPolicyGrantingAccountRoot() {
        String keyId = kms.createKey(b -> b.description("d")).keyMetadata().keyId();

        String policy = kms.getKeyPolicy(b -> b.keyId(keyId).policyName("default")).policy();
        assertThat(policy).contains("\"AWS\" : \"arn:aws:iam::111122223333:root\"").contains("\"Action\" : \"kms:*\"");
        assertThat(kms.key(keyId).keyState()).isEqualTo("Enabled");
        assertThat(kms.key(keyId).arn()).isEqualTo("arn:aws:kms:us-east-1:111122223333:key/" + keyId);
        assertThat(keyId).matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
    }

    @Test
    void createKey_multiRegion_getsMrkId() {
        String keyId = kms.createKey(b -> b.multiRegion(true)).keyMetadata().keyId();

        assertThat(keyId).matches("mrk-[0-9a-f]{32}");
        assertThat(kms.describeKey(b -> b.keyId(keyId)).keyMetadata().multiRegionConfiguration().primaryKey().arn())
                .endsWith(":key/" + keyId);
    }

    @Test
    void putKeyPolicy_returnsPolicyVerbatim() {
        String arn = kms.seedKey();
        String policy = "{\"Version\":\"2012-10-17\",  \"Statement\":[{\"Effect\":\"Allow\","
                + "\"Principal\":{\"AWS\":\"arn:aws:iam::111122223333:root\"},\"Action\":\"kms:*\",\"Resource\":\"*\"}]}";

        kms.putKeyPolicy(b -> b.keyId(arn).policyName("default").policy(policy));

        assertThat(kms.getKeyPolicy(b -> b.keyId(arn)).policy()).isEqualTo(policy);
    }

    @Test
    void putKeyPolicy_thatLocksOutTheAccount_isRefusedUnlessBypassed() {
        String arn = kms.seedKey();
        String lockout = "{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":"
                + "\"arn:aws:iam::111122223333:role/atlas\"},\"Action\":\"kms:Decrypt\",\"Resource\":\"*\"}]}";

        assertThatThrownBy(() -> kms.putKeyPolicy(b -> b.keyId(arn).policy(lockout)))
                .isInstanceOf(MalformedPolicyDocumentException.class)
                .hasMessageContaining("will not allow you to update the key policy");

        kms.putKeyPolicy(b -> b.keyId(arn).policy(lockout).bypassPolicyLockoutSafetyCheck(true));
        assertThat(kms.key(arn).policy()).isEqualTo(lockout);
    }

    @Test
    void keyPendingDeletion_refusesTagsAliasesAndStateChanges_butCanBeReadAndCancelled() {
        String arn = kms.seedKey();
        kms.scheduleKeyDeletion(b -> b.keyId(arn).pendingWindowInDays(7));

        assertThat(kms.key(arn).deletionDate()).isEqualTo(NOW.plus(Duration.ofDays(7)));
        assertThatThrownBy(() -> kms.tagResource(b -> b.keyId(arn).tags(tag("a", "b"))))
                .isInstanceOf(KmsInvalidStateException.class).hasMessageContaining("is pending deletion");
        assertThatThrownBy(() -> kms.untagResource(b -> b.keyId(arn).tagKeys("a")))
                .isInstanceOf(KmsInvalidStateException.class);
        assertThatThrownBy(() -> kms.createAlias(b -> b.aliasName("alias/x").targetKeyId(arn)))
                .isInstanceOf(KmsInvalidStateException.class);
        assertThatThrownBy(() -> kms.enableKey(b -> b.keyId(arn))).isInstanceOf(KmsInvalidStateException.class);
        assertThatThrownBy(() -> kms.scheduleKeyDeletion(b -> b.keyId(arn).pendingWindowInDays(7)))
                .isInstanceOf(KmsInvalidStateException.class);
        assertThat(kms.describeKey(b -> b.keyId(arn)).keyMetadata().keyStateAsString()).isEqualTo("PendingDeletion");
        assertThat(kms.listResourceTags(b -> b.keyId(arn)).tags()).isEmpty();

        kms.cancelKeyDeletion(b -> b.keyId(arn));

        assertThat(kms.key(arn).keyState()).isEqualTo("Disabled");
        assertThat(kms.key(arn).deletionDate()).isNull();
        assertThatThrownBy(() -> kms.cancelKeyDeletion(b -> b.keyId(arn)))
                .isInstanceOf(KmsInvalidStateException.class).hasMessageContaining("is not pending deletion");
    }

    @Test
    void scheduleKeyDeletion_outside7To30Days_isAValidationError() {
        String arn = kms.seedKey();

        assertThatThrownBy(() -> kms.scheduleKeyDeletion(b -> b.keyId(arn).pendingWindowInDays(6)))
                .isInstanceOfSatisfying(KmsException.class,
                        e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationException"));
        assertThatThrownBy(() -> kms.scheduleKeyDeletion(b -> b.keyId(arn).pendingWindowInDays(31)))
                .isInstanceOf(KmsException.class);
        assertThat(kms.key(arn).keyState()).isEqualTo("Enabled");
    }

    @Test
    void createAlias_forExistingAlias_isAlreadyExists_andUpdateAliasForMissingOne_isNotFound() {
        String a = kms.seedKey();
        String b = kms.seedKey();
        kms.createAlias(r -> r.aliasName("alias/atlas-cmk/p1").targetKeyId(a));

        assertThatThrownBy(() -> kms.createAlias(r -> r.aliasName("alias/atlas-cmk/p1").targetKeyId(b)))
                .isInstanceOf(AlreadyExistsException.class);
        assertThatThrownBy(() -> kms.updateAlias(r -> r.aliasName("alias/missing").targetKeyId(b)))
                .isInstanceOf(NotFoundException.class);
        assertThat(kms.aliasTarget("alias/atlas-cmk/p1")).contains(kms.key(a).keyId());
    }

    @Test
    void tags_beyondKmsLimits_areTagExceptions() {
        String arn = kms.seedKey();

        assertThatThrownBy(() -> kms.tagResource(b -> b.keyId(arn).tags(tag("aws:x", "v"))))
                .isInstanceOf(TagException.class);
        assertThatThrownBy(() -> kms.tagResource(b -> b.keyId(arn).tags(tag("k".repeat(129), ""))))
                .isInstanceOf(TagException.class);
        assertThatThrownBy(() -> kms.tagResource(b -> b.keyId(arn).tags(tag("k", "v".repeat(257)))))
                .isInstanceOf(TagException.class);
    }

    @Test
    void unknownKeyAndKeyOfAnotherRegion_areNotFound() {
        String arn = kms.seedKey();
        String otherRegion = arn.replace("us-east-1", "eu-west-1");

        assertThatThrownBy(() -> kms.describeKey(b -> b.keyId("1234abcd-12ab-34cd-56ef-1234567890ab")))
                .isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> kms.describeKey(b -> b.keyId(otherRegion))).isInstanceOf(NotFoundException.class);
    }

    @Test
    void listKeys_pagesWithMarkers_honouringPageSizeCap() {
        for (int i = 0; i < 5; i++) {
            kms.seedKey();
        }
        kms.capPageSize(2);

        List<String> seen = new ArrayList<>();
        String marker = null;
        int pages = 0;
        do {
            String m = marker;
            ListKeysResponse page = kms.listKeys(b -> b.limit(1000).marker(m));
            page.keys().stream().map(KeyListEntry::keyId).forEach(seen::add);
            marker = page.truncated() ? page.nextMarker() : null;
            pages++;
        } while (marker != null);

        assertThat(pages).isEqualTo(3);
        assertThat(seen).doesNotHaveDuplicates().hasSize(5);
    }

    @Test
    void crashAfterWrite_throwsOnceAfterTheNthWriteTookEffect() {
        kms.crashAfterWrite("CreateKey", 2);

        kms.createKey(b -> b.description("first"));
        assertThatThrownBy(() -> kms.createKey(b -> b.description("second")))
                .isInstanceOf(SimulatedCrashException.class)
                .hasMessageContaining("CreateKey");
        kms.createKey(b -> b.description("third"));

        assertThat(kms.keys()).extracting(FakeKmsClient.FakeKey::description)
                .containsExactly("first", "second", "third");
        assertThat(kms.writes("CreateKey")).isEqualTo(3);
    }

    @Test
    void crashAfterAnyWrite_countsEveryMutatingOperationButNoReads() {
        String arn = kms.seedKey();
        kms.crashAfterAnyWrite(2);

        kms.tagResource(b -> b.keyId(arn).tags(tag("a", "1")));
        kms.describeKey(b -> b.keyId(arn));
        assertThatThrownBy(() -> kms.createAlias(b -> b.aliasName("alias/x").targetKeyId(arn)))
                .isInstanceOfSatisfying(SimulatedCrashException.class,
                        e -> assertThat(e.operation()).isEqualTo("CreateAlias"));

        assertThat(kms.aliasTarget("alias/x")).contains(kms.key(arn).keyId());
        assertThat(kms.writeCounts()).containsEntry("TagResource", 1).containsEntry("CreateAlias", 1);
        assertThat(kms.totalWrites()).isEqualTo(2);
    }

    @Test
    void failNext_failsBeforeTheCallTakesEffect() {
        kms.failNext("CreateKey", 2, FakeKmsClient::throttling);

        assertThatThrownBy(() -> kms.createKey(b -> b.description("x"))).isInstanceOf(KmsException.class);
        assertThatThrownBy(() -> kms.createKey(b -> b.description("x"))).isInstanceOf(KmsException.class);
        kms.createKey(b -> b.description("x"));

        assertThat(kms.keys()).hasSize(1);
        assertThat(kms.callCount("CreateKey")).isEqualTo(3);
        assertThat(kms.writes("CreateKey")).isEqualTo(1);
    }

    @Test
    void seededAwsManagedKey_hasItsAwsAlias_andCannotBeTagged() {
        String arn = kms.seed().awsManaged("ebs").create();

        assertThat(kms.aliasTarget("alias/aws/ebs")).contains(kms.key(arn).keyId());
        assertThat(kms.describeKey(b -> b.keyId(arn)).keyMetadata().keyManager()).isEqualTo(KeyManagerType.AWS);
        assertThatThrownBy(() -> kms.tagResource(b -> b.keyId(arn).tags(tag("a", "b"))))
                .isInstanceOf(KmsException.class);
        assertThat(kms.calls()).containsExactly("DescribeKey", "TagResource");
    }

    @Test
    void unreadableKey_isListedButEveryCallNamingItIsDenied() {
        String arn = kms.seed().unreadable().tag("team", "payments").create();

        assertThat(kms.listKeys(b -> b.limit(10)).keys()).extracting(KeyListEntry::keyArn).containsExactly(arn);
        assertThatThrownBy(() -> kms.listResourceTags(b -> b.keyId(arn)))
                .isInstanceOfSatisfying(KmsException.class,
                        e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDeniedException"));
    }

    @Test
    void purge_deletesKeysWhoseWindowEnded_withTheirAliases() {
        String arn = kms.seed().pendingDeletion(7).alias("alias/old").create();
        String kept = kms.seed().pendingDeletion(30).create();

        clock.advance(Duration.ofDays(7));
        int purged = kms.purgeKeysPastDeletionDate();

        assertThat(purged).isEqualTo(1);
        assertThat(kms.keys()).extracting(FakeKmsClient.FakeKey::arn).containsExactly(kept);
        assertThat(kms.aliases()).isEmpty();
        assertThatThrownBy(() -> kms.describeKey(b -> b.keyId(arn))).isInstanceOf(NotFoundException.class);
    }

    @Test
    void seeding_isNotRecordedAsCallsOrWrites() {
        kms.seed().ledger("p1", "r1", KeyState.ACTIVE).create();
        kms.seedKey(Map.of("team", "payments"));

        assertThat(kms.calls()).isEmpty();
        assertThat(kms.totalWrites()).isZero();
        assertThat(kms.keys()).hasSize(2);
    }

    private static Tag tag(String key, String value) {
        return Tag.builder().tagKey(key).tagValue(value).build();
    }

    /** A clock tests move forward by hand. */
    static final class MutableClock extends Clock {
        private Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
