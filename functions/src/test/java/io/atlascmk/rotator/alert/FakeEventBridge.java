package io.atlascmk.rotator.alert;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequest;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResponse;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResultEntry;

/** An EventBridgeClient that records PutEvents requests and answers them with a function. */
public final class FakeEventBridge implements EventBridgeClient {

    private final Function<PutEventsRequest, PutEventsResponse> answer;
    private final List<PutEventsRequest> requests = new ArrayList<>();

    public FakeEventBridge(Function<PutEventsRequest, PutEventsResponse> answer) {
        this.answer = answer;
    }

    /** Accepts every entry, giving event ids event-1, event-2, ... */
    public static FakeEventBridge accepting() {
        int[] next = {0};
        return new FakeEventBridge(request -> PutEventsResponse.builder()
                .failedEntryCount(0)
                .entries(request.entries().stream()
                        .map(entry -> PutEventsResultEntry.builder().eventId("event-" + ++next[0]).build())
                        .toList())
                .build());
    }

    /** Refuses every entry the way EventBridge reports it: HTTP 200 with FailedEntryCount. */
    public static FakeEventBridge refusing() {
        return new FakeEventBridge(request -> PutEventsResponse.builder()
                .failedEntryCount(request.entries().size())
                .entries(request.entries().stream()
                        .map(entry -> PutEventsResultEntry.builder().errorCode("InternalFailure")
                                .errorMessage("the event could not be stored").build())
                        .toList())
                .build());
    }

    public List<PutEventsRequest> requests() {
        return List.copyOf(requests);
    }

    @Override
    public PutEventsResponse putEvents(PutEventsRequest request) {
        requests.add(request);
        return answer.apply(request);
    }

    @Override
    public String serviceName() {
        return SERVICE_NAME;
    }

    @Override
    public void close() {
    }
}
