package io.atlascmk.sandbox.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.EventBridgeException;
import software.amazon.awssdk.services.eventbridge.model.InvalidEventPatternException;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResponse;

/** EventBridge PutEvents through the real SDK client: recorded, enveloped, matched, delivered. */
class AwsEventBridgeTest {

    private static final String ROTATION_PATTERN = "{\"source\":[\"io.atlascmk.atlas-webhook\"],"
            + "\"detail-type\":[\"Atlas Alert\"],"
            + "\"detail\":{\"eventTypeName\":[\"AWS_ENCRYPTION_KEY_NEEDS_ROTATION\"],\"status\":[\"OPEN\"]}}";

    private AwsTarget target;
    private EventBridgeClient events;

    @BeforeEach
    void start() {
        target = AwsTarget.start();
        events = target.eventBridge();
    }

    @AfterEach
    void stop() throws Exception {
        target.close();
    }

    private static PutEventsRequestEntry alert(String bus, String eventTypeName) {
        return PutEventsRequestEntry.builder()
                .eventBusName(bus)
                .source("io.atlascmk.atlas-webhook")
                .detailType("Atlas Alert")
                .detail("{\"eventTypeName\":\"" + eventTypeName + "\",\"status\":\"OPEN\",\"groupId\":\"p1\",\"n\":3}")
                .resources("arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab")
                .build();
    }

    @Test
    void putEvents_acceptsEveryValidEntry_andAnswersAnEventIdEach() {
        PutEventsResponse response = events.putEvents(r -> r.entries(
                alert("atlas-cmk", "AWS_ENCRYPTION_KEY_NEEDS_ROTATION"), alert("atlas-cmk", "HOST_DOWN")));

        assertThat(response.failedEntryCount()).isZero();
        assertThat(response.entries()).hasSize(2).allSatisfy(e -> {
            assertThat(e.eventId()).isNotBlank();
            assertThat(e.errorCode()).isNull();
        });
    }

    @Test
    void everyAcceptedEntry_isRecordedInTheRealEnvelope() {
        AwsStandIn standIn = target.standIn();
        PutEventsResponse response = events.putEvents(r -> r.entries(alert("atlas-cmk", "AWS_ENCRYPTION_KEY_NEEDS_ROTATION")));

        BusEvent event = standIn.eventBridge().publishedEvents().get(0);
        JsonNode envelope = event.envelope();
        assertThat(event.eventBusName()).isEqualTo("atlas-cmk");
        assertThat(event.id()).isEqualTo(response.entries().get(0).eventId());
        assertThat(envelope.path("version").asText()).isEqualTo("0");
        assertThat(envelope.path("detail-type").asText()).isEqualTo("Atlas Alert");
        assertThat(envelope.path("source").asText()).isEqualTo("io.atlascmk.atlas-webhook");
        assertThat(envelope.path("account").asText()).isEqualTo(AwsStandIn.ACCOUNT_ID);
        assertThat(envelope.path("time").asText()).isEqualTo("2026-03-02T09:00:00Z");
        assertThat(envelope.path("region").asText()).isEqualTo("us-east-1");
        assertThat(envelope.path("resources").get(0).asText()).startsWith("arn:aws:kms:");
        assertThat(envelope.path("detail").isObject()).isTrue();
        assertThat(envelope.path("detail").path("n").asInt()).isEqualTo(3);
        assertThat(event.detail().path("eventTypeName").asText()).isEqualTo("AWS_ENCRYPTION_KEY_NEEDS_ROTATION");
    }

    @Test
    void theEnvelope_takesTheEntryTime_andTheSignedRegion() {
        AwsStandIn standIn = target.standIn();
        EventBridgeClient euWest1 = target.eventBridge(Region.EU_WEST_1, null);
        Instant time = Instant.parse("2026-02-01T12:34:56Z");

        euWest1.putEvents(r -> r.entries(alert("default", "X").toBuilder().time(time).build()));

        JsonNode envelope = standIn.eventBridge().publishedEvents().get(0).envelope();
        assertThat(envelope.path("time").asText()).isEqualTo("2026-02-01T12:34:56Z");
        assertThat(envelope.path("region").asText()).isEqualTo("eu-west-1");
    }

    @Test
    void matchingRules_receiveTheEvent_beforePutEventsReturns() {
        AwsStandIn standIn = target.standIn();
        List<BusEvent> rotations = new CopyOnWriteArrayList<>();
        List<BusEvent> everything = new CopyOnWriteArrayList<>();
        List<BusEvent> otherBus = new CopyOnWriteArrayList<>();
        standIn.eventBridge().addRule("atlas-cmk", "rotation-alert", ROTATION_PATTERN, rotations::add);
        standIn.eventBridge().addRule("all-atlas", "{\"source\":[{\"prefix\":\"io.atlascmk.\"}]}", everything::add);
        standIn.eventBridge().addRule("another-bus", "on-other-bus", ROTATION_PATTERN, otherBus::add);

        events.putEvents(r -> r.entries(
                alert("atlas-cmk", "AWS_ENCRYPTION_KEY_NEEDS_ROTATION"),
                alert("atlas-cmk", "HOST_DOWN"),
                alert("arn:aws:events:us-east-1:111122223333:event-bus/atlas-cmk", "AWS_ENCRYPTION_KEY_NEEDS_ROTATION")));

        assertThat(rotations).hasSize(2).allSatisfy(e -> {
            assertThat(e.detailType()).isEqualTo("Atlas Alert");
            assertThat(e.detail().path("eventTypeName").asText()).isEqualTo("AWS_ENCRYPTION_KEY_NEEDS_ROTATION");
        });
        assertThat(everything).hasSize(3);
        assertThat(otherBus).isEmpty();
        assertThat(standIn.eventBridge().publishedEvents()).extracting(BusEvent::matchedRules).containsExactly(
                List.of("rotation-alert", "all-atlas"), List.of("all-atlas"), List.of("rotation-alert", "all-atlas"));
    }

    @Test
    void aRemovedRule_receivesNothingMore() {
        AwsStandIn standIn = target.standIn();
        List<BusEvent> received = new CopyOnWriteArrayList<>();
        standIn.eventBridge().addRule("rotation-alert", ROTATION_PATTERN, received::add);
        events.putEvents(r -> r.entries(alert("default", "AWS_ENCRYPTION_KEY_NEEDS_ROTATION")));

        assertThat(standIn.eventBridge().removeRule("rotation-alert")).isTrue();
        events.putEvents(r -> r.entries(alert("default", "AWS_ENCRYPTION_KEY_NEEDS_ROTATION")));

        assertThat(received).hasSize(1);
        assertThat(standIn.eventBridge().publishedEvents()).hasSize(2);
    }

    @Test
    void aFailingTarget_doesNotFailPutEvents() {
        AwsStandIn standIn = target.standIn();
        standIn.eventBridge().addRule("broken", ROTATION_PATTERN, e -> {
            throw new IllegalStateException("target down");
        });

        PutEventsResponse response = events.putEvents(r -> r.entries(alert("default", "AWS_ENCRYPTION_KEY_NEEDS_ROTATION")));

        assertThat(response.failedEntryCount()).isZero();
        assertThat(standIn.eventBridge().targetFailures()).singleElement()
                .satisfies(e -> assertThat(e).hasMessage("target down"));
    }

    @Test
    void invalidEntries_areReportedPerEntry_andRecordedAsRejected() {
        PutEventsRequestEntry noDetail = PutEventsRequestEntry.builder().source("io.atlascmk.x").detailType("T").build();
        PutEventsRequestEntry malformed = PutEventsRequestEntry.builder().source("io.atlascmk.x").detailType("T")
                .detail("[1,2]").build();
        PutEventsRequestEntry awsSource = PutEventsRequestEntry.builder().source("aws.kms").detailType("T")
                .detail("{}").build();

        PutEventsResponse response = events.putEvents(r -> r.entries(
                noDetail, alert("default", "OK"), malformed, awsSource));

        assertThat(response.failedEntryCount()).isEqualTo(3);
        assertThat(response.entries().get(0).errorCode()).isEqualTo("InvalidArgument");
        assertThat(response.entries().get(1).eventId()).isNotBlank();
        assertThat(response.entries().get(2).errorCode()).isEqualTo("MalformedDetail");
        assertThat(response.entries().get(3).errorCode()).isEqualTo("NotAuthorizedForSourceException");
        AwsStandIn standIn = target.standIn();
        assertThat(standIn.eventBridge().rejectedEntries()).extracting(RejectedEntry::errorCode)
                .containsExactly("InvalidArgument", "MalformedDetail", "NotAuthorizedForSourceException");
        assertThat(standIn.eventBridge().publishedEvents()).hasSize(1);
    }

    @Test
    void moreThanTenEntries_isAValidationError() {
        List<PutEventsRequestEntry> eleven = java.util.Collections.nCopies(11, alert("default", "X"));

        assertThatThrownBy(() -> events.putEvents(r -> r.entries(eleven)))
                .isInstanceOfSatisfying(EventBridgeException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(400);
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationException");
                });
    }

    @Test
    void testEventPattern_answersWithTheSameMatcher() {
        String event = "{\"id\":\"1\",\"account\":\"111122223333\",\"source\":\"io.atlascmk.atlas-webhook\","
                + "\"time\":\"2026-03-02T09:00:00Z\",\"region\":\"us-east-1\",\"resources\":[],\"detail-type\":\"Atlas Alert\","
                + "\"detail\":{\"eventTypeName\":\"AWS_ENCRYPTION_KEY_NEEDS_ROTATION\",\"status\":\"OPEN\"}}";

        assertThat(events.testEventPattern(r -> r.eventPattern(ROTATION_PATTERN).event(event)).result()).isTrue();
        assertThat(events.testEventPattern(r -> r.eventPattern("{\"source\":[\"aws.kms\"]}").event(event)).result()).isFalse();
        assertThatThrownBy(() -> events.testEventPattern(r -> r.eventPattern("{\"source\":\"not-a-list\"}").event(event)))
                .isInstanceOf(InvalidEventPatternException.class);
    }

    @Test
    void addRule_refusesAnInvalidPattern() {
        AwsStandIn standIn = target.standIn();

        assertThatThrownBy(() -> standIn.eventBridge().addRule("bad", "{\"source\":\"x\"}", e -> { }))
                .isInstanceOf(io.atlascmk.sandbox.aws.InvalidEventPatternException.class);
    }
}
