package io.atlascmk.sandbox.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudtrail.CloudTrailClient;
import software.amazon.awssdk.services.cloudtrail.model.CloudTrailException;
import software.amazon.awssdk.services.cloudtrail.model.Event;
import software.amazon.awssdk.services.cloudtrail.model.InvalidLookupAttributesException;
import software.amazon.awssdk.services.cloudtrail.model.InvalidMaxResultsException;
import software.amazon.awssdk.services.cloudtrail.model.InvalidNextTokenException;
import software.amazon.awssdk.services.cloudtrail.model.InvalidTimeRangeException;
import software.amazon.awssdk.services.cloudtrail.model.LookupAttribute;
import software.amazon.awssdk.services.cloudtrail.model.LookupAttributeKey;
import software.amazon.awssdk.services.cloudtrail.model.LookupEventsRequest;
import software.amazon.awssdk.services.cloudtrail.model.LookupEventsResponse;
import software.amazon.awssdk.services.cloudtrail.model.ThrottlingException;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.KeyMetadata;
import software.amazon.awssdk.services.kms.model.KmsInvalidStateException;

/**
 * CloudTrail's event history of KMS calls, read through the real SDK CloudTrailClient with LookupEvents.
 * What needs the stand-in's recording, clock or switches is stand-in only; the request errors also run
 * against an external emulator (AWS_ENDPOINT_URL).
 */
class AwsCloudTrailTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ATLAS_ROLE = "arn:aws:iam::111122223333:role/atlas-ear-role";

    private AwsTarget target;
    private CloudTrailClient cloudTrail;

    @BeforeEach
    void start() {
        target = AwsTarget.start();
        cloudTrail = target.cloudTrail(Region.US_EAST_1, AwsTarget.noRetries());
    }

    @AfterEach
    void stop() throws Exception {
        target.close();
    }

    /** One LookupEvents call, in a sandbox second of its own (CloudTrail accepts 2 a second). */
    private LookupEventsResponse lookup(Consumer<LookupEventsRequest.Builder> request) {
        if (target.isStandIn()) {
            target.clock().advance(Duration.ofSeconds(1));
        }
        return cloudTrail.lookupEvents(request);
    }

    private LookupEventsResponse lookupByResourceName(String arn) {
        return lookup(r -> r.lookupAttributes(attribute(LookupAttributeKey.RESOURCE_NAME, arn)));
    }

    private static LookupAttribute attribute(LookupAttributeKey key, String value) {
        return LookupAttribute.builder().attributeKey(key).attributeValue(value).build();
    }

    private static JsonNode record(Event event) {
        try {
            return JSON.readTree(event.cloudTrailEvent());
        } catch (Exception e) {
            throw new AssertionError("CloudTrailEvent is not JSON: " + event.cloudTrailEvent(), e);
        }
    }

    private CloudTrailStandIn standInCloudTrail() {
        return target.standIn().cloudTrail();
    }

    private String keyArn(String keyId) {
        return "arn:aws:kms:us-east-1:111122223333:key/" + keyId;
    }

    @Test
    void kmsCalls_areRecorded_andFoundByResourceName_newestFirst_withTheWholeRecord() {
        CloudTrailStandIn trail = standInCloudTrail();
        KmsClient kms = target.kms();
        KeyMetadata key = kms.createKey(r -> r.description("retired key")).keyMetadata();
        kms.encrypt(r -> r.keyId(key.keyId()).plaintext(SdkBytes.fromUtf8String("a secret plaintext")));
        kms.describeKey(r -> r.keyId(key.keyId()));
        kms.createKey(r -> r.description("another key"));
        target.clock().advance(trail.deliveryDelay());

        List<Event> events = lookupByResourceName(key.arn()).events();

        assertThat(events).extracting(Event::eventName).containsExactly("DescribeKey", "Encrypt", "CreateKey");
        Event encrypt = events.get(1);
        assertThat(encrypt.eventSource()).isEqualTo("kms.amazonaws.com");
        assertThat(encrypt.readOnly()).isEqualTo("true");
        assertThat(events.get(2).readOnly()).isEqualTo("false");
        assertThat(encrypt.accessKeyId()).isEqualTo(AwsTarget.ACCESS_KEY_ID);
        assertThat(encrypt.username()).isEqualTo(AwsTarget.ACCESS_KEY_ID);
        assertThat(encrypt.eventTime()).isEqualTo(AwsTarget.START);
        assertThat(encrypt.resources()).singleElement().satisfies(resource -> {
            assertThat(resource.resourceType()).isEqualTo("AWS::KMS::Key");
            assertThat(resource.resourceName()).isEqualTo(key.arn());
        });

        JsonNode record = record(encrypt);
        assertThat(record.path("eventVersion").asText()).isNotEmpty();
        assertThat(record.path("eventTime").asText()).isEqualTo("2026-03-02T09:00:00Z");
        assertThat(record.path("eventSource").asText()).isEqualTo("kms.amazonaws.com");
        assertThat(record.path("eventName").asText()).isEqualTo("Encrypt");
        assertThat(record.path("awsRegion").asText()).isEqualTo("us-east-1");
        assertThat(record.path("sourceIPAddress").asText()).isEqualTo("127.0.0.1");
        assertThat(record.path("eventID").asText()).isEqualTo(encrypt.eventId());
        assertThat(record.path("eventType").asText()).isEqualTo("AwsApiCall");
        assertThat(record.path("readOnly").asBoolean()).isTrue();
        assertThat(record.path("recipientAccountId").asText()).isEqualTo("111122223333");
        assertThat(record.has("errorCode")).isFalse();
        JsonNode identity = record.path("userIdentity");
        assertThat(identity.path("type").asText()).isEqualTo("AssumedRole");
        assertThat(identity.path("arn").asText())
                .isEqualTo("arn:aws:sts::111122223333:assumed-role/sandbox-caller/" + AwsTarget.ACCESS_KEY_ID);
        assertThat(identity.path("accountId").asText()).isEqualTo("111122223333");
        assertThat(identity.path("principalId").asText()).matches("AROA[0-9A-F]{17}:" + AwsTarget.ACCESS_KEY_ID);
        assertThat(identity.path("accessKeyId").asText()).isEqualTo(AwsTarget.ACCESS_KEY_ID);
        assertThat(record.path("requestParameters").path("keyId").asText()).isEqualTo(key.keyId());
        assertThat(record.path("requestParameters").has("plaintext")).isFalse();
        assertThat(encrypt.cloudTrailEvent()).doesNotContain("a secret plaintext").doesNotContain("YSBzZWNyZXQgcGxhaW50ZXh0");
        assertThat(record.path("resources").get(0).path("ARN").asText()).isEqualTo(key.arn());
        assertThat(record.path("resources").get(0).path("type").asText()).isEqualTo("AWS::KMS::Key");
    }

    @Test
    void theSdkSendsCloudTrailsTargetPrefix_andTheStandInAnswersIt() {
        FaultSwitches faults = target.standIn().faults();

        lookup(r -> { });

        assertThat(AwsService.CLOUDTRAIL.targetPrefix()).isEqualTo("com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101");
        assertThat(faults.callCounts()).containsEntry("com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.LookupEvents", 1);
    }

    @Test
    void theFaultSwitches_applyToCloudTrail_withItsInternalError() {
        FaultSwitches faults = target.standIn().faults();
        faults.failNext(AwsService.CLOUDTRAIL, "LookupEvents", 1);
        faults.throttleNext(AwsService.CLOUDTRAIL, FaultSwitches.ANY_OPERATION, 1);

        assertThatThrownBy(() -> lookup(r -> { })).isInstanceOf(ThrottlingException.class);
        assertThatThrownBy(() -> lookup(r -> { })).isInstanceOfSatisfying(CloudTrailException.class, e -> {
            assertThat(e.statusCode()).isEqualTo(500);
            assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InternalFailure");
        });
        assertThat(lookup(r -> { }).events()).isEmpty();
    }

    @Test
    void theDeliveryDelay_hidesFreshEvents_untilTheSandboxClockMoves() {
        CloudTrailStandIn trail = standInCloudTrail();
        assertThat(trail.deliveryDelay()).isEqualTo(CloudTrailStandIn.DEFAULT_DELIVERY_DELAY).isEqualTo(Duration.ofMinutes(5));
        KmsClient kms = target.kms();
        String keyId = kms.createKey(r -> r.description("fresh")).keyMetadata().keyId();
        Instant calledAt = target.clock().instant();

        assertThat(lookupByResourceName(keyArn(keyId)).events()).isEmpty();
        target.clock().advance(Duration.between(target.clock().instant(), calledAt.plus(Duration.ofMinutes(5)).minusSeconds(2)));
        assertThat(lookupByResourceName(keyArn(keyId)).events()).isEmpty(); // at 4:59 after the call
        assertThat(lookupByResourceName(keyArn(keyId)).events()).extracting(Event::eventName).containsExactly("CreateKey"); // at 5:00

        trail.deliveryDelay(Duration.ZERO);
        kms.describeKey(r -> r.keyId(keyId));
        assertThat(lookupByResourceName(keyArn(keyId)).events()).extracting(Event::eventName).containsExactly("DescribeKey", "CreateKey");
    }

    @Test
    void paging_withNextToken_returnsEachEventOnce_newestFirst_evenWhenEventsArriveBetweenPages() {
        CloudTrailStandIn trail = standInCloudTrail();
        trail.deliveryDelay(Duration.ZERO);
        String keyArn = keyArn("0f4c7d1e-5b6a-4c3d-9e8f-112233445566");
        Instant now = target.clock().instant();
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            // two events per second: order within a second is the order recorded
            CloudTrailEvent event = trail.recordKmsUse(ATLAS_ROLE, "Decrypt", keyArn, now.minusSeconds(100 - i / 2));
            expected.add(0, event.eventId());
        }

        List<String> seen = new ArrayList<>();
        LookupEventsResponse page = lookup(r -> r.lookupAttributes(attribute(LookupAttributeKey.RESOURCE_NAME, keyArn)).maxResults(3));
        List<Integer> pageSizes = new ArrayList<>();
        while (true) {
            page.events().forEach(e -> seen.add(e.eventId()));
            pageSizes.add(page.events().size());
            trail.recordKmsUse(ATLAS_ROLE, "Encrypt", keyArn, target.clock().instant()); // newer: must not shift the pages
            if (page.nextToken() == null) {
                break;
            }
            String token = page.nextToken();
            page = lookup(r -> r.lookupAttributes(attribute(LookupAttributeKey.RESOURCE_NAME, keyArn)).maxResults(3).nextToken(token));
        }

        assertThat(pageSizes).containsExactly(3, 3, 1);
        assertThat(seen).containsExactlyElementsOf(expected).doesNotHaveDuplicates();
    }

    @Test
    void startAndEndTime_boundTheEventTimes_inclusively() {
        CloudTrailStandIn trail = standInCloudTrail();
        trail.deliveryDelay(Duration.ZERO);
        String keyArn = keyArn("1f4c7d1e-5b6a-4c3d-9e8f-112233445566");
        Instant retired = AwsTarget.START.minus(Duration.ofDays(10));
        trail.recordKmsUse(ATLAS_ROLE, "Decrypt", keyArn, retired.minusSeconds(1));
        CloudTrailEvent atRetirement = trail.recordKmsUse(ATLAS_ROLE, "Decrypt", keyArn, retired);
        CloudTrailEvent after = trail.recordKmsUse(ATLAS_ROLE, "Encrypt", keyArn, retired.plus(Duration.ofDays(3)));
        trail.recordKmsUse(ATLAS_ROLE, "Decrypt", keyArn, retired.plus(Duration.ofDays(5)));

        LookupEventsResponse response = lookup(r -> r.lookupAttributes(attribute(LookupAttributeKey.RESOURCE_NAME, keyArn))
                .startTime(retired).endTime(retired.plus(Duration.ofDays(3))));

        assertThat(response.events()).extracting(Event::eventId).containsExactly(after.eventId(), atRetirement.eventId());
    }

    @Test
    void onlyTheLast90Days_areKeptAndReturned() {
        CloudTrailStandIn trail = standInCloudTrail();
        trail.deliveryDelay(Duration.ZERO);
        String keyArn = keyArn("2f4c7d1e-5b6a-4c3d-9e8f-112233445566");
        Instant now = target.clock().instant();
        trail.recordKmsUse(ATLAS_ROLE, "Decrypt", keyArn, now.minus(Duration.ofDays(91)));
        CloudTrailEvent recent = trail.recordKmsUse(ATLAS_ROLE, "Decrypt", keyArn, now.minus(Duration.ofDays(89)));

        assertThat(lookup(r -> r.lookupAttributes(attribute(LookupAttributeKey.RESOURCE_NAME, keyArn))
                .startTime(now.minus(Duration.ofDays(365)))).events())
                .extracting(Event::eventId).containsExactly(recent.eventId());
        assertThat(trail.events()).extracting(CloudTrailEvent::eventId).containsExactly(recent.eventId());

        target.clock().advance(Duration.ofDays(2));
        assertThat(lookupByResourceName(keyArn).events()).isEmpty();
        assertThat(trail.events()).isEmpty();
    }

    @Test
    void aRefusedCallOnAKeyPendingDeletion_isRecordedWithTheErrorKmsAnswered() {
        standInCloudTrail().deliveryDelay(Duration.ZERO);
        KmsClient kms = target.kms(Region.US_EAST_1, AwsTarget.noRetries());
        KeyMetadata key = kms.createKey(r -> r.description("retired")).keyMetadata();
        kms.scheduleKeyDeletion(r -> r.keyId(key.keyId()).pendingWindowInDays(7));

        KmsInvalidStateException refused = catchThrowableOfType(KmsInvalidStateException.class,
                () -> kms.encrypt(r -> r.keyId(key.arn()).plaintext(SdkBytes.fromUtf8String("x"))));

        assertThat(refused.awsErrorDetails().errorMessage()).isEqualTo(key.arn() + " is pending deletion.");
        Event event = lookup(r -> r.lookupAttributes(attribute(LookupAttributeKey.EVENT_NAME, "Encrypt"))).events().get(0);
        JsonNode record = record(event);
        assertThat(record.path("errorCode").asText()).isEqualTo("KMSInvalidStateException");
        assertThat(record.path("errorMessage").asText()).isEqualTo(refused.awsErrorDetails().errorMessage());
        assertThat(event.resources()).extracting(r -> r.resourceName()).containsExactly(key.arn());
        assertThat(record(lookupByResourceName(key.arn()).events().get(1)).path("requestParameters").path("pendingWindowInDays").asInt())
                .isEqualTo(7);
    }

    @Test
    void recordKmsUse_isFoundByResourceName_asASessionOfTheRole() {
        CloudTrailStandIn trail = standInCloudTrail();
        trail.deliveryDelay(Duration.ZERO);
        String keyArn = keyArn("3f4c7d1e-5b6a-4c3d-9e8f-112233445566");
        Instant usedAt = target.clock().instant().minus(Duration.ofHours(1));

        CloudTrailEvent recorded = trail.recordKmsUse(ATLAS_ROLE, "Decrypt", keyArn, usedAt);

        Event event = lookupByResourceName(keyArn).events().get(0);
        assertThat(event.eventId()).isEqualTo(recorded.eventId());
        assertThat(event.eventName()).isEqualTo("Decrypt");
        assertThat(event.eventTime()).isEqualTo(usedAt);
        assertThat(event.accessKeyId()).matches("ASIA[A-Z2-7]{16}");
        assertThat(event.username()).isEqualTo(event.accessKeyId());
        JsonNode identity = record(event).path("userIdentity");
        assertThat(identity.path("type").asText()).isEqualTo("AssumedRole");
        assertThat(identity.path("arn").asText()).isEqualTo("arn:aws:sts::111122223333:assumed-role/atlas-ear-role/" + event.accessKeyId());
        assertThat(identity.path("sessionContext").path("sessionIssuer").path("arn").asText()).isEqualTo(ATLAS_ROLE);
        assertThat(lookup(r -> r.lookupAttributes(attribute(LookupAttributeKey.USERNAME, event.username()))).events())
                .extracting(Event::eventId).containsExactly(recorded.eventId());
    }

    @Test
    void aRegisteredAccessKey_isRecordedAsItsPrincipal() {
        AwsStandIn aws = target.standIn();
        aws.cloudTrail().deliveryDelay(Duration.ZERO);
        aws.principals().register(AwsTarget.ACCESS_KEY_ID, "arn:aws:iam::111122223333:user/rotator-operator");

        target.kms().createKey(r -> r.description("by a user"));

        Event event = lookup(r -> r.lookupAttributes(attribute(LookupAttributeKey.ACCESS_KEY_ID, AwsTarget.ACCESS_KEY_ID)))
                .events().get(0);
        assertThat(event.username()).isEqualTo("rotator-operator");
        assertThat(record(event).path("userIdentity").path("type").asText()).isEqualTo("IAMUser");
        assertThat(record(event).path("userIdentity").path("arn").asText()).isEqualTo("arn:aws:iam::111122223333:user/rotator-operator");
        assertThatThrownBy(() -> aws.principals().register("AKIAOTHER", "not-an-arn")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void events_areRegional() {
        standInCloudTrail().deliveryDelay(Duration.ZERO);
        KmsClient euKms = target.kms(Region.EU_WEST_1, null);
        String euKeyArn = euKms.createKey(r -> r.description("eu")).keyMetadata().arn();
        CloudTrailClient euTrail = target.cloudTrail(Region.EU_WEST_1, AwsTarget.noRetries());

        assertThat(lookupByResourceName(euKeyArn).events()).isEmpty();
        List<Event> inEu = euTrail.lookupEvents(r -> r.lookupAttributes(attribute(LookupAttributeKey.RESOURCE_NAME, euKeyArn))).events();
        assertThat(inEu).extracting(Event::eventName).containsExactly("CreateKey");
        assertThat(record(inEu.get(0)).path("awsRegion").asText()).isEqualTo("eu-west-1");
    }

    @Test
    void aStartTimeAfterTheEndTime_isInvalidTimeRange() {
        Instant end = Instant.parse("2026-03-01T00:00:00Z");

        assertThatThrownBy(() -> lookup(r -> r.startTime(end.plusSeconds(1)).endTime(end)))
                .isInstanceOf(InvalidTimeRangeException.class)
                .hasMessageContaining("StartTime");
    }

    @Test
    void anUnknownAttributeKey_orMoreThanOneAttribute_isInvalidLookupAttributes() {
        LookupAttribute unknown = LookupAttribute.builder().attributeKey("KeyArn").attributeValue("x").build();
        LookupAttribute byName = attribute(LookupAttributeKey.EVENT_NAME, "Decrypt");
        LookupAttribute bySource = attribute(LookupAttributeKey.EVENT_SOURCE, "kms.amazonaws.com");

        assertThatThrownBy(() -> lookup(r -> r.lookupAttributes(unknown)))
                .isInstanceOf(InvalidLookupAttributesException.class).hasMessageContaining("KeyArn");
        assertThatThrownBy(() -> lookup(r -> r.lookupAttributes(byName, bySource)))
                .isInstanceOf(InvalidLookupAttributesException.class).hasMessageContaining("at most one");
    }

    @Test
    void maxResultsOutsideOneToFifty_isInvalidMaxResults() {
        for (int maxResults : new int[] {0, 51}) {
            assertThatThrownBy(() -> lookup(r -> r.maxResults(maxResults)))
                    .as("MaxResults %d", maxResults)
                    .isInstanceOf(InvalidMaxResultsException.class);
        }
        assertThat(lookup(r -> r.maxResults(50)).events()).isNotNull();
    }

    @Test
    void aNextTokenNotIssued_orIssuedForOtherParameters_isInvalidNextToken() {
        assertThatThrownBy(() -> lookup(r -> r.nextToken("not-a-token-we-issued")))
                .isInstanceOf(InvalidNextTokenException.class);
        if (!target.isStandIn()) {
            return;
        }
        CloudTrailStandIn trail = standInCloudTrail();
        trail.deliveryDelay(Duration.ZERO);
        String keyArn = keyArn("4f4c7d1e-5b6a-4c3d-9e8f-112233445566");
        trail.recordKmsUse(ATLAS_ROLE, "Decrypt", keyArn, AwsTarget.START.minusSeconds(2));
        trail.recordKmsUse(ATLAS_ROLE, "Decrypt", keyArn, AwsTarget.START.minusSeconds(1));
        String token = lookup(r -> r.lookupAttributes(attribute(LookupAttributeKey.RESOURCE_NAME, keyArn)).maxResults(1)).nextToken();

        assertThat(token).isNotNull();
        assertThatThrownBy(() -> lookup(r -> r.lookupAttributes(attribute(LookupAttributeKey.EVENT_NAME, "Decrypt"))
                .maxResults(1).nextToken(token)))
                .isInstanceOf(InvalidNextTokenException.class).hasMessageContaining("same");
        assertThat(lookup(r -> r.lookupAttributes(attribute(LookupAttributeKey.RESOURCE_NAME, keyArn)).maxResults(1).nextToken(token))
                .events()).hasSize(1);
    }

    @Test
    void theThirdLookupInOneSandboxSecond_isThrottled_untilTheClockMoves() {
        CloudTrailStandIn trail = standInCloudTrail();
        assertThat(trail.rateLimitEnabled()).isTrue();

        cloudTrail.lookupEvents(r -> { });
        cloudTrail.lookupEvents(r -> { });
        assertThatThrownBy(() -> cloudTrail.lookupEvents(r -> { }))
                .isInstanceOfSatisfying(ThrottlingException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(400);
                    assertThat(e.isThrottlingException()).isTrue();
                });

        target.clock().advance(Duration.ofMillis(999));
        assertThatThrownBy(() -> cloudTrail.lookupEvents(r -> { })).isInstanceOf(ThrottlingException.class);
        target.clock().advance(Duration.ofMillis(1));
        cloudTrail.lookupEvents(r -> { });
        cloudTrail.lookupEvents(r -> { });

        trail.rateLimitEnabled(false);
        for (int i = 0; i < 5; i++) {
            cloudTrail.lookupEvents(r -> { });
        }
    }
}
