package io.atlascmk.sandbox.aws;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.atlascmk.sandbox.SandboxClock;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The EventBridge stand-in ({@code AWSEvents.*}): PutEvents records every entry, turns each accepted one
 * into the real event envelope, and delivers it to every matching rule's target; TestEventPattern answers
 * with the same matcher. Rules are registered from Java ({@link #addRule}); targets run synchronously,
 * one after the other, before the PutEvents response is sent, so a test sees their effect as soon as
 * the SDK call returns. A target that throws does not fail PutEvents (as in AWS, where delivery is
 * separate); its exception is kept in {@link #targetFailures()}. Any event bus name is accepted.
 */
public final class EventBridgeStandIn implements ServiceHandler {

    private static final Logger LOG = Logger.getLogger(EventBridgeStandIn.class.getName());
    private static final String DEFAULT_BUS = "default";

    private record Rule(String eventBusName, String name, EventPattern pattern, Consumer<BusEvent> target) {
    }

    private final SandboxClock clock;
    private final Map<String, Rule> rules = new LinkedHashMap<>();
    private final List<BusEvent> published = new ArrayList<>();
    private final List<RejectedEntry> rejected = new ArrayList<>();
    private final List<RuntimeException> targetFailures = new ArrayList<>();

    EventBridgeStandIn(SandboxClock clock) {
        this.clock = clock;
    }

    // ---------------------------------------------------------------------------------------------
    // Java API
    // ---------------------------------------------------------------------------------------------

    /**
     * Adds (or replaces) a rule that matches events on every bus. The pattern is validated as
     * EventBridge validates it ({@link InvalidEventPatternException}).
     */
    public void addRule(String name, String patternJson, Consumer<BusEvent> target) {
        addRule(null, name, patternJson, target);
    }

    /** Adds (or replaces) a rule on one event bus (name or ARN; null: every bus). */
    public synchronized void addRule(String eventBusName, String name, String patternJson, Consumer<BusEvent> target) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(target, "target");
        EventPattern pattern = EventPattern.parse(patternJson);
        String bus = eventBusName == null ? null : busName(eventBusName);
        rules.put(ruleKey(bus, name), new Rule(bus, name, pattern, target));
    }

    /** Removes every rule of that name; true when there was one. */
    public synchronized boolean removeRule(String name) {
        return rules.values().removeIf(rule -> rule.name().equals(name));
    }

    /**
     * An event an AWS service puts on the account's default bus itself (as CloudTrail does for API
     * calls when a trail logs them): matched against the rules of the default bus and delivered to
     * their targets on the calling thread, after the bus's lock is released.
     */
    public BusEvent deliverServiceEvent(String region, String source, String detailType, JsonNode detail, Instant time) {
        ObjectNode envelope = envelopeHead(region, source, detailType, time);
        envelope.putArray("resources");
        envelope.set("detail", detail.deepCopy());
        List<Rule> matching = new ArrayList<>();
        BusEvent event;
        synchronized (this) {
            List<String> names = new ArrayList<>();
            for (Rule rule : rules.values()) {
                if ((rule.eventBusName() == null || rule.eventBusName().equals(DEFAULT_BUS)) && rule.pattern().matches(envelope)) {
                    matching.add(rule);
                    names.add(rule.name());
                }
            }
            event = new BusEvent(DEFAULT_BUS, envelope, names);
            published.add(event);
        }
        for (Rule rule : matching) {
            try {
                rule.target().accept(event);
            } catch (RuntimeException ex) {
                LOG.log(Level.WARNING, "Target of rule " + rule.name() + " failed", ex);
                synchronized (this) {
                    targetFailures.add(ex);
                }
            }
        }
        return event;
    }

    /** Every accepted event, in the order it was put. */
    public synchronized List<BusEvent> publishedEvents() {
        return List.copyOf(published);
    }

    /** Every entry PutEvents refused (FailedEntryCount), in order. */
    public synchronized List<RejectedEntry> rejectedEntries() {
        return List.copyOf(rejected);
    }

    /** Exceptions thrown by rule targets, in order. */
    public synchronized List<RuntimeException> targetFailures() {
        return List.copyOf(targetFailures);
    }

    // ---------------------------------------------------------------------------------------------
    // Wire protocol
    // ---------------------------------------------------------------------------------------------

    @Override
    public JsonNode handle(String operation, CallContext context, Params params) {
        switch (operation) {
            case "PutEvents":
                return putEvents(context, params);
            case "TestEventPattern":
                return testEventPattern(params);
            default:
                throw ServiceHandler.unknownOperation(AwsService.EVENTBRIDGE, operation);
        }
    }

    private JsonNode putEvents(CallContext context, Params params) {
        ArrayNode entries = params.array("Entries");
        if (entries.isEmpty()) {
            throw AwsApiException.constraint("Entries", "[]", "Member must have length greater than or equal to 1");
        }
        if (entries.size() > 10) {
            throw AwsApiException.constraint("Entries", "[...]", "Member must have length less than or equal to 10");
        }
        ObjectNode response = AwsJson.object();
        ArrayNode results = response.putArray("Entries");
        List<Map.Entry<BusEvent, List<Rule>>> deliveries = new ArrayList<>();
        int failed = 0;
        synchronized (this) {
            for (JsonNode entry : entries) {
                if (!entry.isObject()) {
                    throw AwsApiException.serialization("Entries must hold PutEventsRequestEntry structures.");
                }
                Params e = new Params((ObjectNode) entry);
                String bus = busName(e.optString("EventBusName") == null ? DEFAULT_BUS : e.optString("EventBusName"));
                String source = e.optString("Source");
                String detailType = e.optString("DetailType");
                String detail = e.optString("Detail");
                String[] error = entryError(source, detailType, detail);
                ObjectNode result = results.addObject();
                if (error != null) {
                    failed++;
                    result.put("ErrorCode", error[0]);
                    result.put("ErrorMessage", error[1]);
                    rejected.add(new RejectedEntry(bus, source, detailType, detail, error[0], error[1]));
                    continue;
                }
                ObjectNode envelope = envelope(context.region(), e, source, detailType, detail);
                List<Rule> matching = new ArrayList<>();
                List<String> names = new ArrayList<>();
                for (Rule rule : rules.values()) {
                    if ((rule.eventBusName() == null || rule.eventBusName().equals(bus)) && rule.pattern().matches(envelope)) {
                        matching.add(rule);
                        names.add(rule.name());
                    }
                }
                BusEvent event = new BusEvent(bus, envelope, names);
                published.add(event);
                deliveries.add(Map.entry(event, matching));
                result.put("EventId", event.id());
            }
        }
        response.put("FailedEntryCount", failed);
        for (Map.Entry<BusEvent, List<Rule>> delivery : deliveries) {
            for (Rule rule : delivery.getValue()) {
                try {
                    rule.target().accept(delivery.getKey());
                } catch (RuntimeException ex) {
                    LOG.log(Level.WARNING, "Target of rule " + rule.name() + " failed", ex);
                    synchronized (this) {
                        targetFailures.add(ex);
                    }
                }
            }
        }
        return response;
    }

    private static String[] entryError(String source, String detailType, String detail) {
        if (source == null || source.isEmpty()) {
            return new String[] {"InvalidArgument", "Parameter Source is not valid. Reason: Source is a required argument."};
        }
        if (detailType == null || detailType.isEmpty()) {
            return new String[] {"InvalidArgument", "Parameter DetailType is not valid. Reason: DetailType is a required argument."};
        }
        if (detail == null || detail.isEmpty()) {
            return new String[] {"InvalidArgument", "Parameter Detail is not valid. Reason: Detail is a required argument."};
        }
        if (source.startsWith("aws.")) {
            return new String[] {"NotAuthorizedForSourceException", "Not authorized for the source."};
        }
        try {
            JsonNode parsed = AwsJson.parse(detail);
            if (parsed == null || !parsed.isObject()) {
                return new String[] {"MalformedDetail", "Detail is malformed."};
            }
        } catch (IOException ex) {
            return new String[] {"MalformedDetail", "Detail is malformed."};
        }
        return null;
    }

    /** The fields every event on a bus carries, before its resources and detail. */
    private static ObjectNode envelopeHead(String region, String source, String detailType, Instant time) {
        ObjectNode envelope = AwsJson.object();
        envelope.put("version", "0");
        envelope.put("id", UUID.randomUUID().toString());
        envelope.put("detail-type", detailType);
        envelope.put("source", source);
        envelope.put("account", AwsStandIn.ACCOUNT_ID);
        envelope.put("time", DateTimeFormatter.ISO_INSTANT.format(time.truncatedTo(ChronoUnit.SECONDS)));
        envelope.put("region", region);
        return envelope;
    }

    private ObjectNode envelope(String region, Params entry, String source, String detailType, String detail) {
        Instant time = entry.has("Time") ? AwsJson.instantFromEpochSeconds(entry.body().get("Time")) : clock.instant();
        ObjectNode envelope = envelopeHead(region, source, detailType, time);
        ArrayNode resources = envelope.putArray("resources");
        ArrayNode given = entry.optArray("Resources");
        if (given != null) {
            given.forEach(resources::add);
        }
        try {
            envelope.set("detail", AwsJson.parse(detail));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Detail was checked before", e);
        }
        return envelope;
    }

    private static JsonNode testEventPattern(Params params) {
        EventPattern pattern;
        try {
            pattern = EventPattern.parse(params.string("EventPattern"));
        } catch (InvalidEventPatternException e) {
            throw AwsApiException.client("InvalidEventPatternException", e.getMessage());
        }
        JsonNode event;
        try {
            event = AwsJson.parse(params.string("Event"));
        } catch (JsonProcessingException e) {
            throw AwsApiException.validation("Parameter Event is not valid: " + e.getOriginalMessage());
        }
        if (event == null || !event.isObject()) {
            throw AwsApiException.validation("Parameter Event is not valid: it must be a JSON object.");
        }
        ObjectNode response = AwsJson.object();
        response.put("Result", pattern.matches(event));
        return response;
    }

    private static String busName(String nameOrArn) {
        int slash = nameOrArn.startsWith("arn:") ? nameOrArn.lastIndexOf(":event-bus/") : -1;
        return slash < 0 ? nameOrArn : nameOrArn.substring(slash + ":event-bus/".length());
    }

    private static String ruleKey(String bus, String name) {
        return (bus == null ? "*" : bus) + "|" + name;
    }
}
