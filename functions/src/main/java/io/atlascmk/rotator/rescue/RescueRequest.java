package io.atlascmk.rotator.rescue;

import com.fasterxml.jackson.databind.JsonNode;
import io.atlascmk.rotator.kms.KeyIds;
import io.atlascmk.rotator.rotation.InvalidInputException;

import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * A KMS call that was refused because its key is pending deletion, as CloudTrail delivered it to
 * EventBridge ({@code detail-type} "AWS API Call via CloudTrail"; the tripwire rule's pattern is
 * {@code events/tripwire-rule-pattern.json}).
 *
 * @param keyArn       the key (from the record's resources, else its requestParameters.keyId)
 * @param region       the key's region
 * @param caller       who tried to use it (userIdentity.arn, else the account)
 * @param operation    the refused KMS operation, e.g. {@code Decrypt}
 * @param errorMessage what KMS answered
 * @param attemptedAt  when (the record's eventTime)
 */
public record RescueRequest(String keyArn, String region, String caller, String operation, String errorMessage,
                            Instant attemptedAt) {

    /** Reads the EventBridge event; a record that names no key is refused with the field named. */
    public static RescueRequest fromEvent(JsonNode event) {
        if (event == null || !event.isObject()) {
            throw new InvalidInputException("event", "is not a JSON object: the Rescue function takes the EventBridge"
                    + " event of a KMS call refused for a key pending deletion (events/tripwire-event.json).");
        }
        JsonNode detail = event.path("detail");
        if (!detail.isObject()) {
            throw new InvalidInputException("detail", "is missing: expected the CloudTrail record of the refused KMS call.");
        }
        String keyArn = null;
        for (JsonNode resource : detail.path("resources")) {
            String arn = resource.path("ARN").asText(null);
            if (arn != null && arn.startsWith("arn:") && arn.contains(":key/")) {
                keyArn = arn;
                break;
            }
        }
        if (keyArn == null) {
            String keyId = detail.path("requestParameters").path("keyId").asText(null);
            if (keyId != null && keyId.startsWith("arn:") && keyId.contains(":key/")) {
                keyArn = keyId;
            }
        }
        if (keyArn == null) {
            throw new InvalidInputException("detail.resources", "names no KMS key ARN, and requestParameters.keyId is"
                    + " no key ARN either: the key whose deletion should be cancelled cannot be told.");
        }
        String region = detail.path("awsRegion").asText(null);
        if (region == null || region.isBlank()) {
            region = KeyIds.regionOf(keyArn);
        }
        String caller = detail.path("userIdentity").path("arn").asText(null);
        if (caller == null || caller.isBlank()) {
            caller = "account " + detail.path("userIdentity").path("accountId").asText(event.path("account").asText("unknown"));
        }
        Instant at;
        try {
            at = Instant.parse(detail.path("eventTime").asText(event.path("time").asText("")));
        } catch (DateTimeParseException e) {
            throw new InvalidInputException("detail.eventTime", "is not an ISO-8601 instant.");
        }
        return new RescueRequest(keyArn, region, caller, detail.path("eventName").asText("unknown"),
                detail.path("errorMessage").asText(""), at);
    }
}
