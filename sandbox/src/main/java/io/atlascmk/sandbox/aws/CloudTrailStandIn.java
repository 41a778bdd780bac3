package io.atlascmk.sandbox.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.atlascmk.sandbox.SandboxClock;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The CloudTrail stand-in ({@code com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.*}): the
 * account's event history of KMS management events, and {@code LookupEvents} over it, as strict as
 * CloudTrail.
 *
 * <p>What is recorded: every call the KMS stand-in serves over HTTP, successful or refused (calls a fault
 * switch throttles or fails never reach KMS and are not recorded), and every use recorded from Java with
 * {@link #recordKmsUse} (the Atlas simulator uses keys without calling the KMS HTTP API). Each is a
 * record shaped like CloudTrail's: {@code eventVersion, userIdentity} (from the signing access key id,
 * see {@link Principals}), {@code eventTime} (the sandbox clock, to the second), {@code eventSource
 * kms.amazonaws.com, eventName, awsRegion, sourceIPAddress, userAgent}, {@code errorCode} and
 * {@code errorMessage} (exactly what KMS answered) when refused, {@code requestParameters} (the request's
 * members in lower camel case, never {@code Plaintext} or {@code CiphertextBlob}), {@code
 * responseElements} (always null here), {@code requestID, eventID, readOnly, resources} (each key the call
 * named, as {@code AWS::KMS::Key}), {@code eventType AwsApiCall, managementEvent, recipientAccountId,
 * eventCategory Management}.
 *
 * <p>LookupEvents, as CloudTrail answers it:
 * <ul>
 * <li>Events are regional: a lookup sees the events of the region its signature names.</li>
 * <li>Delivery delay: an event becomes visible {@link #deliveryDelay()} after its event time (default
 *     {@link #DEFAULT_DELIVERY_DELAY}, CloudTrail's "typically within 5 minutes"; zero allowed), by the
 *     sandbox clock. Until the clock moves that far, a lookup does not see it.</li>
 * <li>Retention: only the last {@link #RETENTION} (90 days) of the sandbox clock are kept and returned;
 *     older events are dropped.</li>
 * <li>At most one {@code LookupAttributes} entry; {@code AttributeKey} one of EventId, EventName, ReadOnly,
 *     Username, ResourceType, ResourceName, EventSource, AccessKeyId, matched exactly (ResourceName against
 *     the key ARN); anything else is {@code InvalidLookupAttributesException}.</li>
 * <li>{@code StartTime}/{@code EndTime} (inclusive; default: 90 days ago / now); a start after the end is
 *     {@code InvalidTimeRangeException}.</li>
 * <li>{@code MaxResults} 1..50, default 50, else {@code InvalidMaxResultsException}.</li>
 * <li>Newest first. {@code NextToken} is opaque and stable (it names the last event returned, so events
 *     that arrive meanwhile neither repeat nor shift a page); it is valid only with the same lookup
 *     attribute, times and category it was issued for, else {@code InvalidNextTokenException}.</li>
 * <li>{@code EventCategory} may only be {@code insight} ({@code InvalidEventCategoryException}); the
 *     sandbox records no Insights events, so such a lookup is empty.</li>
 * <li>Rate limit: {@value #LOOKUP_EVENTS_PER_SECOND} requests per second per account and region, counted
 *     on the sandbox clock (a request is refused when two were accepted in the second before it); beyond
 *     it {@code ThrottlingException}. The clock only moves when told to, so a scenario that looks up more
 *     often must move it, or switch the limit off ({@link #rateLimitEnabled(boolean)}).</li>
 * </ul>
 */
public final class CloudTrailStandIn implements ServiceHandler {

    /** How long after its event time an event becomes visible to LookupEvents, unless set otherwise. */
    public static final Duration DEFAULT_DELIVERY_DELAY = Duration.ofMinutes(5);
    /** How long the event history keeps events. */
    public static final Duration RETENTION = Duration.ofDays(90);
    /** LookupEvents requests accepted per second per account and region. */
    public static final int LOOKUP_EVENTS_PER_SECOND = 2;

    static final String KMS_EVENT_SOURCE = "kms.amazonaws.com";
    static final String KMS_KEY_TYPE = "AWS::KMS::Key";
    static final String EVENT_VERSION = "1.11";
    /** The address recorded for uses recorded from Java (a documentation address, RFC 5737). */
    static final String RECORDED_USE_SOURCE_IP = "198.51.100.7";
    static final String RECORDED_USE_USER_AGENT = "atlas-cmk-sandbox (recorded use)";

    private static final int MAX_RESULTS = 50;
    private static final List<String> ATTRIBUTE_KEYS = List.of(
            "EventId", "EventName", "ReadOnly", "Username", "ResourceType", "ResourceName", "EventSource", "AccessKeyId");
    private static final Set<String> READ_ONLY_KMS_OPERATIONS = Set.of(
            "Encrypt", "Decrypt", "ReEncrypt", "Sign", "Verify", "VerifyMac");
    private static final Pattern KEY_ARN = Pattern.compile("^arn:aws:kms:([a-z0-9-]+):(\\d{12}):key/(.+)$");
    private static final String TOKEN_PREFIX = "sandbox-cloudtrail:";
    private static final DateTimeFormatter EVENT_TIME = DateTimeFormatter.ISO_INSTANT;
    private static final Comparator<Stored> NEWEST_FIRST =
            Comparator.comparing(Stored::eventTime).thenComparingLong(Stored::sequence).reversed();

    /** One event in the history; the sequence orders events recorded within the same second. */
    private record Stored(long sequence, Instant eventTime, CloudTrailEvent event) {
    }

    /** Where the previous page ended: the last event it returned. */
    private record Cursor(long epochSecond, long sequence) {

        boolean isBefore(Stored event) {
            long second = event.eventTime().getEpochSecond();
            return second < epochSecond || (second == epochSecond && event.sequence() < sequence);
        }
    }

    /** One KMS call, as recorded. */
    private record KmsCall(String principalArn, String accessKeyId, String region, Instant eventTime,
            String sourceIpAddress, String userAgent, String requestId, String eventName,
            ObjectNode requestParameters, List<String> keyArns, String errorCode, String errorMessage) {
    }

    private final SandboxClock clock;
    private final Principals principals;
    private final SecureRandom random = new SecureRandom();
    private final List<Stored> events = new ArrayList<>();
    /** Sequence numbers below this have been handed to EventBridge (a trail delivers each event once). */
    private long deliveredToEventBridgeUntil;
    private final Map<String, Deque<Instant>> acceptedLookups = new HashMap<>();
    private long nextSequence;
    private Duration deliveryDelay = DEFAULT_DELIVERY_DELAY;
    private boolean rateLimitEnabled = true;

    /** The AWS account whose event history this is. */
    private final String accountId;

    CloudTrailStandIn(SandboxClock clock, Principals principals, String accountId) {
        this.clock = clock;
        this.principals = principals;
        this.accountId = accountId;
    }

    // ---------------------------------------------------------------------------------------------
    // Java API
    // ---------------------------------------------------------------------------------------------

    /**
     * Records a successful use of a KMS key that did not go through the KMS HTTP API, e.g. the Atlas
     * role decrypting with the customer key: {@code recordKmsUse(roleArn, "Decrypt", keyArn, instant)}.
     * The event is in the key's region, signed with a fresh temporary access key id ({@code ASIA...});
     * a role ARN is recorded as a session of that role.
     *
     * @param principalArn who used the key (root, IAM user, role or role session ARN)
     * @param eventName    the KMS operation, e.g. {@code Decrypt}, {@code Encrypt}, {@code GenerateDataKey}
     * @param keyArn       the key ARN ({@code arn:aws:kms:<region>:<account>:key/<id>})
     * @param eventTime    when it happened (may be in the past; visible after the delivery delay from then)
     */
    public CloudTrailEvent recordKmsUse(String principalArn, String eventName, String keyArn, Instant eventTime) {
        return recordKmsUse(principalArn, eventName, keyArn, eventTime, null, null);
    }

    /**
     * Records a use of a KMS key outside the KMS HTTP API that KMS refused, e.g. {@code Decrypt} on a
     * key pending deletion with {@code KMSInvalidStateException} and {@code "<key ARN> is pending
     * deletion."}. Both error arguments null: a successful use.
     */
    public synchronized CloudTrailEvent recordKmsUse(String principalArn, String eventName, String keyArn, Instant eventTime,
            String errorCode, String errorMessage) {
        CallerIdentity.check(principalArn);
        if (eventName == null || eventName.isBlank()) {
            throw new IllegalArgumentException("eventName must name the KMS operation, e.g. Decrypt.");
        }
        Matcher arn = KEY_ARN.matcher(Objects.requireNonNull(keyArn, "keyArn"));
        if (!arn.matches()) {
            throw new IllegalArgumentException("Not a KMS key ARN: " + keyArn + ". Use arn:aws:kms:<region>:<account>:key/<key id>.");
        }
        Objects.requireNonNull(eventTime, "eventTime");
        if ((errorCode == null) != (errorMessage == null)) {
            throw new IllegalArgumentException("errorCode and errorMessage go together: give both or neither.");
        }
        ObjectNode requestParameters = AwsJson.object();
        requestParameters.put("keyId", keyArn);
        return add(new KmsCall(principalArn, temporaryAccessKeyId(), arn.group(1), eventTime, RECORDED_USE_SOURCE_IP,
                RECORDED_USE_USER_AGENT, UUID.randomUUID().toString(), eventName, requestParameters, List.of(keyArn),
                errorCode, errorMessage));
    }

    /** Every event kept (the last 90 days), delivered or not, in the order recorded. */
    /**
     * The events recorded since the last call and visible by now (after the delivery delay), oldest
     * first: what a trail that logs management events delivers to EventBridge. See
     * {@link AwsStandIn#deliverTrailToEventBridge()}.
     */
    synchronized List<CloudTrailEvent> takeUndeliveredForEventBridge() {
        Instant visibleUntil = clock.instant().minus(deliveryDelay);
        List<CloudTrailEvent> out = new ArrayList<>();
        long next = deliveredToEventBridgeUntil;
        for (Stored stored : events) {
            if (stored.sequence() >= deliveredToEventBridgeUntil && !stored.eventTime().isAfter(visibleUntil)) {
                out.add(stored.event());
                next = Math.max(next, stored.sequence() + 1);
            }
        }
        deliveredToEventBridgeUntil = next;
        return out;
    }

    public synchronized List<CloudTrailEvent> events() {
        dropExpired(clock.instant());
        return events.stream().map(Stored::event).toList();
    }

    /** Sets how long after its event time an event becomes visible to LookupEvents; zero: at once. */
    public synchronized void deliveryDelay(Duration delay) {
        Objects.requireNonNull(delay, "delay");
        if (delay.isNegative()) {
            throw new IllegalArgumentException("A delivery delay cannot be negative; got " + delay + ".");
        }
        this.deliveryDelay = delay;
    }

    public synchronized Duration deliveryDelay() {
        return deliveryDelay;
    }

    /** Switches the LookupEvents rate limit (2 per second per account and region) on (the default) or off. */
    public synchronized void rateLimitEnabled(boolean enabled) {
        this.rateLimitEnabled = enabled;
        acceptedLookups.clear();
    }

    public synchronized boolean rateLimitEnabled() {
        return rateLimitEnabled;
    }

    /**
     * Records one call the KMS stand-in served over HTTP; {@code refusal} is the error it answered with
     * (null: it succeeded). {@code requestParameters} must already be free of secrets.
     */
    synchronized void recordKmsCall(CallContext context, String operation, ObjectNode requestParameters,
            List<String> keyArns, AwsApiException refusal) {
        add(new KmsCall(principals.principalArn(context.accessKeyId()), context.accessKeyId(), context.region(),
                clock.instant(), context.sourceIpAddress(), context.userAgent(), context.requestId(), operation,
                requestParameters, keyArns, refusal == null ? null : refusal.errorName(),
                refusal == null ? null : refusal.getMessage()));
    }

    // ---------------------------------------------------------------------------------------------
    // Wire protocol
    // ---------------------------------------------------------------------------------------------

    @Override
    public synchronized JsonNode handle(String operation, CallContext context, Params params) {
        switch (operation) {
            case "LookupEvents":
                return lookupEvents(context, params);
            default:
                throw ServiceHandler.unknownOperation(AwsService.CLOUDTRAIL, operation);
        }
    }

    private JsonNode lookupEvents(CallContext context, Params params) {
        Instant now = clock.instant();
        checkRate(context.region(), now);
        dropExpired(now);

        ArrayNode attributes = params.optArray("LookupAttributes");
        String attributeKey = null;
        String attributeValue = null;
        if (attributes != null && !attributes.isEmpty()) {
            if (attributes.size() > 1) {
                throw invalidLookupAttributes("LookupEvents takes at most one lookup attribute; got " + attributes.size() + ".");
            }
            if (!attributes.get(0).isObject()) {
                throw AwsApiException.serialization("LookupAttributes must hold {AttributeKey, AttributeValue} structures.");
            }
            Params attribute = new Params((ObjectNode) attributes.get(0));
            attributeKey = attribute.optString("AttributeKey");
            attributeValue = attribute.optString("AttributeValue");
            if (attributeKey == null || !ATTRIBUTE_KEYS.contains(attributeKey)) {
                throw invalidLookupAttributes("AttributeKey " + attributeKey + " is not valid; use one of "
                        + String.join(", ", ATTRIBUTE_KEYS) + ".");
            }
            if (attributeValue == null || attributeValue.isEmpty() || attributeValue.length() > 2000) {
                throw invalidLookupAttributes("AttributeValue for " + attributeKey + " must be 1 to 2000 characters long.");
            }
        }

        Instant startTime = params.optInstant("StartTime");
        Instant endTime = params.optInstant("EndTime");
        Instant from = startTime == null ? now.minus(RETENTION) : startTime;
        Instant to = endTime == null ? now : endTime;
        if (from.isAfter(to)) {
            throw AwsApiException.client("InvalidTimeRangeException", "The StartTime " + EVENT_TIME.format(from)
                    + " is after the EndTime " + EVENT_TIME.format(to) + (endTime == null ? " (now, as no EndTime was given)" : "")
                    + ": the start of the time range must not be after its end.");
        }

        Integer maxResults = params.optInt("MaxResults");
        if (maxResults != null && (maxResults < 1 || maxResults > MAX_RESULTS)) {
            throw AwsApiException.client("InvalidMaxResultsException",
                    "MaxResults must be between 1 and " + MAX_RESULTS + "; got " + maxResults + ".");
        }
        int limit = maxResults == null ? MAX_RESULTS : maxResults;

        String category = params.optString("EventCategory");
        if (category != null && !category.equals("insight")) {
            throw AwsApiException.client("InvalidEventCategoryException",
                    "EventCategory " + category + " is not valid; the only event category LookupEvents takes is insight.");
        }

        String fingerprint = Integer.toHexString(Objects.hash(context.region(), attributeKey, attributeValue, startTime, endTime, category));
        String nextToken = params.optString("NextToken");
        Cursor after = nextToken == null ? null : decodeToken(nextToken, fingerprint);

        List<Stored> matching = new ArrayList<>();
        if (category == null) {
            for (Stored stored : events) {
                CloudTrailEvent event = stored.event();
                if (event.awsRegion().equals(context.region())
                        && !stored.eventTime().plus(deliveryDelay).isAfter(now)
                        && !stored.eventTime().isBefore(from) && !stored.eventTime().isAfter(to)
                        && (attributeKey == null || matches(event, attributeKey, attributeValue))
                        && (after == null || after.isBefore(stored))) {
                    matching.add(stored);
                }
            }
        }
        matching.sort(NEWEST_FIRST);

        ObjectNode response = AwsJson.object();
        ArrayNode out = response.putArray("Events");
        List<Stored> page = matching.subList(0, Math.min(limit, matching.size()));
        page.forEach(stored -> writeEvent(out.addObject(), stored.event()));
        if (matching.size() > page.size()) {
            Stored last = page.get(page.size() - 1);
            response.put("NextToken", encodeToken(fingerprint, new Cursor(last.eventTime().getEpochSecond(), last.sequence())));
        }
        return response;
    }

    private void checkRate(String region, Instant now) {
        if (!rateLimitEnabled) {
            return;
        }
        Deque<Instant> accepted = acceptedLookups.computeIfAbsent(region, r -> new ArrayDeque<>());
        Instant windowStart = now.minusSeconds(1);
        while (!accepted.isEmpty() && !accepted.peekFirst().isAfter(windowStart)) {
            accepted.removeFirst();
        }
        if (accepted.size() >= LOOKUP_EVENTS_PER_SECOND) {
            throw AwsApiException.client("ThrottlingException", "Rate exceeded: LookupEvents accepts "
                    + LOOKUP_EVENTS_PER_SECOND + " requests per second per account and region.");
        }
        accepted.addLast(now);
    }

    private static boolean matches(CloudTrailEvent event, String key, String value) {
        switch (key) {
            case "EventId":
                return value.equals(event.eventId());
            case "EventName":
                return value.equals(event.eventName());
            case "ReadOnly":
                return value.equals(String.valueOf(event.readOnly()));
            case "Username":
                return value.equals(event.username());
            case "ResourceType":
                return event.resources().stream().anyMatch(r -> value.equals(r.type()));
            case "ResourceName":
                return event.resources().stream().anyMatch(r -> value.equals(r.arn()));
            case "EventSource":
                return value.equals(event.eventSource());
            case "AccessKeyId":
                return value.equals(event.accessKeyId());
            default:
                throw new IllegalStateException("Unchecked attribute key " + key);
        }
    }

    private static void writeEvent(ObjectNode out, CloudTrailEvent event) {
        out.put("EventId", event.eventId());
        out.put("EventName", event.eventName());
        out.put("ReadOnly", String.valueOf(event.readOnly()));
        if (event.accessKeyId() != null) {
            out.put("AccessKeyId", event.accessKeyId());
        }
        out.set("EventTime", AwsJson.epochSeconds(event.eventTime()));
        out.put("EventSource", event.eventSource());
        out.put("Username", event.username());
        ArrayNode resources = out.putArray("Resources");
        event.resources().forEach(r -> resources.addObject().put("ResourceType", r.type()).put("ResourceName", r.arn()));
        out.put("CloudTrailEvent", event.json());
    }

    // ---------------------------------------------------------------------------------------------
    // Recording
    // ---------------------------------------------------------------------------------------------

    private CloudTrailEvent add(KmsCall call) {
        Instant eventTime = call.eventTime().truncatedTo(ChronoUnit.SECONDS);
        CallerIdentity identity = CallerIdentity.of(call.principalArn(), call.accessKeyId(), eventTime.minus(Duration.ofMinutes(15)));
        ObjectNode record = AwsJson.object();
        record.put("eventVersion", EVENT_VERSION);
        record.set("userIdentity", identity.userIdentity());
        record.put("eventTime", EVENT_TIME.format(eventTime));
        record.put("eventSource", KMS_EVENT_SOURCE);
        record.put("eventName", call.eventName());
        record.put("awsRegion", call.region());
        record.put("sourceIPAddress", call.sourceIpAddress());
        record.put("userAgent", call.userAgent());
        if (call.errorCode() != null) {
            record.put("errorCode", call.errorCode());
            record.put("errorMessage", call.errorMessage());
        }
        if (call.requestParameters() == null || call.requestParameters().isEmpty()) {
            record.putNull("requestParameters");
        } else {
            record.set("requestParameters", call.requestParameters().deepCopy());
        }
        record.putNull("responseElements");
        record.put("requestID", call.requestId());
        record.put("eventID", UUID.randomUUID().toString());
        record.put("readOnly", isReadOnly(call.eventName()));
        ArrayNode resources = record.putArray("resources");
        for (String keyArn : call.keyArns()) {
            Matcher arn = KEY_ARN.matcher(keyArn);
            ObjectNode resource = resources.addObject();
            resource.put("accountId", arn.matches() ? arn.group(2) : accountId);
            resource.put("type", KMS_KEY_TYPE);
            resource.put("ARN", keyArn);
        }
        record.put("eventType", "AwsApiCall");
        record.put("managementEvent", true);
        record.put("recipientAccountId", accountId);
        record.put("eventCategory", "Management");
        CloudTrailEvent event = new CloudTrailEvent(record, identity.username());
        events.add(new Stored(nextSequence++, eventTime, event));
        return event;
    }

    /** KMS's read-only operations: Describe*, Get*, List*, Generate* and the cryptographic ones. */
    private static boolean isReadOnly(String operation) {
        return operation.startsWith("Describe") || operation.startsWith("Get") || operation.startsWith("List")
                || operation.startsWith("Generate") || READ_ONLY_KMS_OPERATIONS.contains(operation);
    }

    private void dropExpired(Instant now) {
        Instant oldestKept = now.minus(RETENTION);
        events.removeIf(stored -> stored.eventTime().isBefore(oldestKept));
    }

    private String temporaryAccessKeyId() {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        StringBuilder id = new StringBuilder("ASIA");
        for (int i = 0; i < 16; i++) {
            id.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return id.toString();
    }

    private static String encodeToken(String fingerprint, Cursor cursor) {
        String text = TOKEN_PREFIX + fingerprint + ":" + cursor.epochSecond() + ":" + cursor.sequence();
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    private static Cursor decodeToken(String token, String fingerprint) {
        String text;
        try {
            text = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw invalidNextToken("The NextToken is not one LookupEvents issued.");
        }
        String[] parts = text.startsWith(TOKEN_PREFIX) ? text.substring(TOKEN_PREFIX.length()).split(":") : new String[0];
        if (parts.length != 3) {
            throw invalidNextToken("The NextToken is not one LookupEvents issued.");
        }
        if (!parts[0].equals(fingerprint)) {
            throw invalidNextToken("The NextToken was issued for other parameters: pass the same LookupAttributes, "
                    + "StartTime, EndTime and EventCategory as the call that returned it (and sign for the same region).");
        }
        try {
            return new Cursor(Long.parseLong(parts[1]), Long.parseLong(parts[2]));
        } catch (NumberFormatException e) {
            throw invalidNextToken("The NextToken is not one LookupEvents issued.");
        }
    }

    private static AwsApiException invalidLookupAttributes(String message) {
        return AwsApiException.client("InvalidLookupAttributesException", message);
    }

    private static AwsApiException invalidNextToken(String message) {
        return AwsApiException.client("InvalidNextTokenException", message);
    }
}
