package io.atlascmk.sandbox.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * One event EventBridge accepted, as rules and targets see it: the real envelope
 * ({@code version, id, detail-type, source, account, time, region, resources, detail}).
 *
 * @param eventBusName the bus it was put on ({@code default} when the entry named none)
 * @param envelope     the envelope; the accessor returns a copy
 * @param matchedRules the rules that matched it, in the order they were added
 */
public record BusEvent(String eventBusName, ObjectNode envelope, List<String> matchedRules) {

    public BusEvent {
        envelope = envelope.deepCopy();
        matchedRules = List.copyOf(matchedRules);
    }

    @Override
    public ObjectNode envelope() {
        return envelope.deepCopy();
    }

    public String id() {
        return envelope.path("id").asText();
    }

    public String source() {
        return envelope.path("source").asText();
    }

    public String detailType() {
        return envelope.path("detail-type").asText();
    }

    /** The detail, as a JSON object (a copy). */
    public JsonNode detail() {
        return envelope.path("detail").deepCopy();
    }

    /** The envelope as compact JSON. */
    public String json() {
        return AwsJson.write(envelope);
    }
}
