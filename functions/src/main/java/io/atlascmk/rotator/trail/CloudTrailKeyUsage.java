package io.atlascmk.rotator.trail;

import com.fasterxml.jackson.databind.JsonNode;
import io.atlascmk.rotator.atlas.Sleeper;
import io.atlascmk.rotator.json.Json;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.cloudtrail.CloudTrailClient;
import software.amazon.awssdk.services.cloudtrail.model.Event;
import software.amazon.awssdk.services.cloudtrail.model.LookupAttribute;
import software.amazon.awssdk.services.cloudtrail.model.LookupAttributeKey;
import software.amazon.awssdk.services.cloudtrail.model.LookupEventsRequest;
import software.amazon.awssdk.services.cloudtrail.model.LookupEventsResponse;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A key's uses from CloudTrail's event history ({@code LookupEvents} by the key's ARN as resource name),
 * in the region of the client.
 *
 * <p>Counted as a use, served or refused: {@code Encrypt}, {@code Decrypt}, {@code GenerateDataKey*},
 * {@code ReEncrypt*}, {@code CreateGrant}; by any principal, Atlas's role included. The rotator's own
 * {@code DescribeKey}, {@code ListResourceTags}, {@code TagResource}... are not uses.
 *
 * <p>Limits respected: the event history covers the last 90 days (an older start is moved forward, and
 * the evidence says so); {@code LookupEvents} allows 2 requests per second per account and region, so
 * calls are at least {@value #MIN_INTERVAL_MILLIS} ms apart (the SDK's retries handle a throttle caused
 * by someone else); at most {@value #MAX_LOOKUPS} pages are read. Events are newest first, so the
 * search stops at the first page holding a use: one use is enough to keep the key, and it is the last.
 * CloudTrail delivers events some minutes late: the minimum retirement (at least 7 days) dwarfs that.
 */
public final class CloudTrailKeyUsage implements KeyUsageLog {

    static final Duration RETENTION = Duration.ofDays(90);
    static final long MIN_INTERVAL_MILLIS = 500;
    static final int MAX_LOOKUPS = 100;
    private static final Set<String> USES = Set.of("Encrypt", "Decrypt", "CreateGrant");
    private static final List<String> USE_PREFIXES = List.of("GenerateDataKey", "ReEncrypt");
    private static final Logger LOG = LoggerFactory.getLogger(CloudTrailKeyUsage.class);

    private final CloudTrailClient cloudTrail;
    private final Clock clock;
    private final Sleeper sleeper;
    private Instant lastCall;

    public CloudTrailKeyUsage(CloudTrailClient cloudTrail, Clock clock, Sleeper sleeper) {
        this.cloudTrail = Objects.requireNonNull(cloudTrail, "cloudTrail");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
    }

    static boolean isUse(String eventName) {
        return eventName != null && (USES.contains(eventName) || USE_PREFIXES.stream().anyMatch(eventName::startsWith));
    }

    @Override
    public synchronized UsageEvidence usesSince(String keyArn, Instant from) {
        Instant now = clock.instant();
        Instant start = from.isBefore(now.minus(RETENTION)) ? now.minus(RETENTION) : from;
        if (!start.isBefore(now)) {
            return UsageEvidence.checked(from, start, now, List.of(), 0);
        }
        List<KeyUse> uses = new ArrayList<>();
        String token = null;
        int lookups = 0;
        try {
            do {
                if (lookups == MAX_LOOKUPS) {
                    return UsageEvidence.unavailable(from, "more than " + MAX_LOOKUPS + " pages of events name the key;"
                            + " stopped rather than read on", lookups);
                }
                pace();
                LookupEventsResponse page = cloudTrail.lookupEvents(LookupEventsRequest.builder()
                        .lookupAttributes(LookupAttribute.builder()
                                .attributeKey(LookupAttributeKey.RESOURCE_NAME).attributeValue(keyArn).build())
                        .startTime(start).endTime(now).maxResults(50).nextToken(token).build());
                lookups++;
                for (Event event : page.events()) {
                    if (isUse(event.eventName())) {
                        uses.add(toUse(event));
                    }
                }
                token = uses.isEmpty() ? page.nextToken() : null;
            } while (token != null && !token.isEmpty());
        } catch (SdkException e) {
            LOG.warn("CloudTrail LookupEvents for key {} failed: {}", keyArn, e.getMessage());
            return UsageEvidence.unavailable(from, "LookupEvents failed: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : " " + e.getMessage()), lookups);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return UsageEvidence.unavailable(from, "interrupted while pacing LookupEvents", lookups);
        }
        return UsageEvidence.checked(from, start, now, uses, lookups);
    }

    /** At most two calls a second (CloudTrail's LookupEvents limit per account and region). */
    private void pace() throws InterruptedException {
        if (lastCall != null) {
            Duration since = Duration.between(lastCall, clock.instant());
            Duration wait = Duration.ofMillis(MIN_INTERVAL_MILLIS).minus(since);
            if (!wait.isNegative() && !wait.isZero()) {
                sleeper.sleep(wait);
            }
        }
        lastCall = clock.instant();
    }

    private static KeyUse toUse(Event event) {
        String principal = event.username();
        String errorCode = null;
        if (event.cloudTrailEvent() != null) {
            try {
                JsonNode record = Json.MAPPER.readTree(event.cloudTrailEvent());
                String arn = record.path("userIdentity").path("arn").asText(null);
                if (arn != null && !arn.isBlank()) {
                    principal = arn;
                }
                errorCode = record.hasNonNull("errorCode") ? record.get("errorCode").asText() : null;
            } catch (IOException unreadable) {
                // the summary fields are enough
            }
        }
        return new KeyUse(event.eventName(), principal == null ? "an unknown principal" : principal, event.eventTime(),
                errorCode);
    }
}
