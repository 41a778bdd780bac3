package io.atlascmk.rotator.alert;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import io.atlascmk.rotator.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides what to do with one delivery of Atlas's webhook integration, in this order:
 *
 * <ol>
 *   <li>only {@code POST} (405);</li>
 *   <li>the body, base64-decoded when the function URL says so, is at most {@link #MAX_BODY_BYTES}
 *       (413), checked before anything parses it;</li>
 *   <li>{@code X-MMS-Signature} is present and is base64(HMAC-SHA1(secret, body bytes)) (401);</li>
 *   <li>{@code X-MMS-Event} is present and well-formed (400); anything but {@code alert.open} is
 *       ignored (200);</li>
 *   <li>the body is a JSON object (400); an {@code eventTypeName} other than
 *       {@code AWS_ENCRYPTION_KEY_NEEDS_ROTATION} is ignored (200);</li>
 *   <li>{@code groupId} and {@code id} are 24 hex digits, {@code status} and {@code created} are
 *       present (400);</li>
 *   <li>one event is published (202); a failure answers 500 so that Atlas delivers again.</li>
 * </ol>
 *
 * <p>Authentication comes first: nothing about the body is looked at, or answered, before the
 * signature has been verified. Responses and log lines say what was rejected and why, and never
 * contain the secret, the signature header or the body.
 */
public final class AtlasWebhookProcessor {

    /** Largest body accepted, in bytes after base64 decoding. Atlas alert bodies are a few KiB. */
    public static final int MAX_BODY_BYTES = 64 * 1024;

    /**
     * Largest function URL event read, in bytes: the body (base64 adds a third) plus headers and
     * request context. Longer events are refused without being parsed.
     */
    public static final int MAX_EVENT_BYTES = 256 * 1024;

    /** Header naming the kind of delivery, e.g. {@code alert.open}, {@code alert.close}. */
    public static final String EVENT_HEADER = "X-MMS-Event";

    /** The only {@link #EVENT_HEADER} value that can start a rotation. */
    public static final String ALERT_OPEN = "alert.open";

    private static final Pattern EVENT_KIND = Pattern.compile("[a-z][a-z0-9_]{0,31}(\\.[a-z][a-z0-9_]{0,31}){0,3}");
    private static final Pattern OBJECT_ID = Pattern.compile("[0-9a-f]{24}");
    private static final Pattern EVENT_TYPE_NAME = Pattern.compile("[A-Z][A-Z0-9_]{0,99}");
    private static final Pattern STATUS = Pattern.compile("[A-Z][A-Z_]{0,31}");
    private static final Pattern ISO_INSTANT = Pattern.compile(
            "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?(Z|[+-]\\d{2}:\\d{2})");

    private static final ObjectReader BODY_READER = Json.MAPPER.reader()
            .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private final WebhookSecretSource secretSource;
    private final AlertPublisher publisher;
    private AlertDeliveries deliveries = AlertDeliveries.NOT_REMEMBERED;
    /** Whether a project is the deployment's (registered); every project is, unless a registry is given. */
    private java.util.function.Predicate<String> registered = projectId -> true;
    private final Logger log;

    public AtlasWebhookProcessor(WebhookSecretSource secretSource, AlertPublisher publisher) {
        this(secretSource, publisher, LoggerFactory.getLogger(AtlasWebhookProcessor.class));
    }

    /** Publishes only an alert's first delivery ({@code deliveries}); repeats are answered 200 and start nothing. */
    public AtlasWebhookProcessor(WebhookSecretSource secretSource, AlertPublisher publisher, AlertDeliveries deliveries) {
        this(secretSource, publisher, LoggerFactory.getLogger(AtlasWebhookProcessor.class));
        this.deliveries = java.util.Objects.requireNonNull(deliveries, "deliveries");
    }

    /**
     * As above, publishing only alerts of projects {@code registered} (the deployment's project registry): an alert of
     * any other project is answered 200 and starts nothing.
     */
    public AtlasWebhookProcessor(WebhookSecretSource secretSource, AlertPublisher publisher, AlertDeliveries deliveries,
                                 java.util.function.Predicate<String> registered) {
        this(secretSource, publisher, deliveries);
        this.registered = java.util.Objects.requireNonNull(registered, "registered");
    }

    /** For tests that capture log lines. */
    public AtlasWebhookProcessor(WebhookSecretSource secretSource, AlertPublisher publisher,
                                 Logger log) {
        if (secretSource == null || publisher == null || log == null) {
            throw new IllegalArgumentException("secretSource, publisher and log are required");
        }
        this.secretSource = secretSource;
        this.publisher = publisher;
        this.log = log;
    }

    /**
     * Handles a Lambda function URL event (payload format 2.0) read from {@code event}; reads at
     * most {@link #MAX_EVENT_BYTES} + 1 bytes.
     */
    public WebhookResponse handleFunctionUrlEvent(InputStream event) {
        byte[] bytes;
        try {
            bytes = event.readNBytes(MAX_EVENT_BYTES + 1);
        } catch (IOException e) {
            return reject(400, "the request could not be read");
        }
        if (bytes.length > MAX_EVENT_BYTES) {
            return reject(413, "the request is larger than " + MAX_EVENT_BYTES + " bytes");
        }
        WebhookRequest request;
        try {
            request = WebhookRequest.fromFunctionUrlEvent(Json.MAPPER.readTree(bytes));
        } catch (IOException e) {
            return reject(400, "the invocation is not a Lambda function URL event (it is not JSON)");
        } catch (IllegalArgumentException e) {
            return reject(400, "the invocation is not a Lambda function URL event (" + e.getMessage() + ")");
        }
        return handle(request);
    }

    /** Handles one delivery. Never throws for bad input; unexpected failures answer 500. */
    public WebhookResponse handle(WebhookRequest request) {
        if (!"POST".equalsIgnoreCase(request.method())) {
            return reject(405, "only POST is accepted", Map.of("allow", "POST"));
        }

        byte[] body;
        String raw = request.body() == null ? "" : request.body();
        if (request.base64Encoded()) {
            try {
                body = Base64.getDecoder().decode(raw);
            } catch (IllegalArgumentException e) {
                return reject(400, "the body is marked isBase64Encoded but is not valid base64");
            }
        } else {
            // A UTF-8 character is at least one byte: a longer string is too large before encoding it.
            body = raw.length() > MAX_BODY_BYTES ? null : raw.getBytes(StandardCharsets.UTF_8);
        }
        if (body == null || body.length > MAX_BODY_BYTES) {
            return reject(413, "the body is larger than " + MAX_BODY_BYTES + " bytes");
        }

        String signature = request.header(WebhookSignature.HEADER);
        if (signature == null || signature.isBlank()) {
            return reject(401, "the " + WebhookSignature.HEADER + " header is missing: set a secret on the Atlas webhook integration");
        }
        String secret;
        try {
            secret = secretSource.webhookSecret();
        } catch (MalformedWebhookSecretException e) {
            log.error("Cannot verify Atlas webhook deliveries: {}", e.getMessage());
            return WebhookResponse.failed(e.getMessage());
        } catch (WebhookSecretUnavailableException e) {
            log.error("Cannot verify Atlas webhook deliveries: {}", e.getMessage());
            return WebhookResponse.failed("the webhook secret could not be read; see the function's log");
        } catch (RuntimeException e) {
            // Unknown failure: its message is not logged, it could hold anything the source read.
            log.error("Cannot verify Atlas webhook deliveries: reading the webhook secret failed with {}", e.getClass().getName());
            return WebhookResponse.failed("the webhook secret could not be read; see the function's log");
        }
        switch (WebhookSignature.verify(secret, body, signature)) {
            case MALFORMED:
                return reject(401, "the " + WebhookSignature.HEADER + " header is not a base64 signature");
            case MISMATCH:
                return reject(401, "the " + WebhookSignature.HEADER + " header does not match the body: check that the Atlas"
                        + " webhook integration and the webhook secret in Secrets Manager hold the same secret");
            case VALID:
            default:
                break;
        }

        String eventKind = request.header(EVENT_HEADER);
        if (eventKind == null || eventKind.isBlank()) {
            return reject(400, "the " + EVENT_HEADER + " header is missing");
        }
        eventKind = eventKind.strip();
        if (!EVENT_KIND.matcher(eventKind).matches()) {
            return reject(400, "the " + EVENT_HEADER + " header is not an Atlas event kind such as alert.open");
        }
        if (!ALERT_OPEN.equals(eventKind)) {
            return ignore(EVENT_HEADER + " is " + eventKind + "; only " + ALERT_OPEN + " starts a rotation");
        }

        JsonNode alert;
        try {
            alert = BODY_READER.readTree(body);
        } catch (IOException e) {
            // The parser's message may quote the body: it is not used.
            return reject(400, "the body is not valid JSON");
        }
        if (alert == null || !alert.isObject()) {
            return reject(400, "the body is not a JSON object");
        }

        JsonNode typeNode = alert.get("eventTypeName");
        if (typeNode == null || !typeNode.isTextual() || typeNode.textValue().isBlank()) {
            return reject(400, "the body has no eventTypeName");
        }
        String eventTypeName = typeNode.textValue();
        if (!RotationAlert.EVENT_TYPE_NAME.equals(eventTypeName)) {
            String shown = EVENT_TYPE_NAME.matcher(eventTypeName).matches() ? eventTypeName : "not an Atlas event type name";
            return ignore("eventTypeName is " + shown + "; only " + RotationAlert.EVENT_TYPE_NAME + " starts a rotation");
        }

        List<String> problems = new ArrayList<>();
        String groupId = field(alert, "groupId", OBJECT_ID, "24 hexadecimal digits", problems);
        String alertId = field(alert, "id", OBJECT_ID, "24 hexadecimal digits", problems);
        String status = field(alert, "status", STATUS, "an alert status such as OPEN", problems);
        String created = field(alert, "created", ISO_INSTANT, "an ISO-8601 date-time", problems);
        if (!problems.isEmpty()) {
            return reject(400, "the alert is incomplete: " + String.join("; ", problems));
        }

        RotationAlert rotationAlert = new RotationAlert(groupId, alertId, eventTypeName, status, created);
        try {
            if (!registered.test(groupId)) {
                return ignore("project " + groupId + " is not registered with this deployment (./rotator projects add);"
                        + " its alert starts nothing");
            }
        } catch (RuntimeException e) {
            log.error("Could not read whether project {} is registered: {}", groupId, e.getMessage());
            return WebhookResponse.failed("the project registry could not be read; Atlas will deliver it again");
        }
        try {
            if (!deliveries.firstDelivery(alertId)) {
                return ignore("alert " + alertId + " was delivered before; a repeat starts nothing");
            }
        } catch (RuntimeException e) {
            log.error("Could not check whether Atlas alert {} was delivered before: {}", alertId, e.getMessage());
            return WebhookResponse.failed("the delivery could not be recorded; Atlas will deliver it again");
        }
        String eventId;
        try {
            eventId = publisher.publish(rotationAlert);
        } catch (RuntimeException e) {
            // AlertPublishException and SDK messages name the bus and the error, never the body.
            log.error("Could not publish Atlas alert {} for project {}: {}", alertId, groupId, e.getMessage());
            deliveries.forget(alertId);
            return WebhookResponse.failed("the alert could not be published; Atlas will deliver it again");
        }
        log.info("Accepted Atlas alert {} ({}) for project {}: published event {}", alertId, status, groupId, eventId);
        return WebhookResponse.accepted(rotationAlert, eventId, "published to the rotator's event bus");
    }

    private static String field(JsonNode alert, String name, Pattern pattern, String expected, List<String> problems) {
        JsonNode node = alert.get(name);
        if (node == null || node.isNull()) {
            problems.add(name + " is missing");
            return null;
        }
        if (!node.isTextual() || !pattern.matcher(node.textValue()).matches()) {
            problems.add(name + " is not " + expected);
            return null;
        }
        return node.textValue();
    }

    private WebhookResponse reject(int status, String reason) {
        return reject(status, reason, Map.of());
    }

    private WebhookResponse reject(int status, String reason, Map<String, String> headers) {
        log.warn("Rejected Atlas webhook delivery with {}: {}", status, reason);
        return WebhookResponse.rejected(status, reason, headers);
    }

    private WebhookResponse ignore(String reason) {
        log.info("Ignored Atlas webhook delivery: {}", reason);
        return WebhookResponse.ignored(reason);
    }
}
