package io.atlascmk.sandbox.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One CloudTrail management event as the stand-in recorded it: the whole record (the JSON that
 * LookupEvents returns as {@code CloudTrailEvent}) and the {@code Username} LookupEvents shows with it.
 *
 * @param record   the record ({@code eventVersion, userIdentity, eventTime, eventSource, eventName, ...});
 *                 the accessor returns a copy
 * @param username the LookupEvents {@code Username}: the role session name, IAM user name or {@code root}
 */
public record CloudTrailEvent(ObjectNode record, String username) {

    /** An entry of the record's {@code resources}, e.g. {@code AWS::KMS::Key} and the key ARN. */
    public record Resource(String type, String arn) {
    }

    public CloudTrailEvent {
        record = record.deepCopy();
    }

    @Override
    public ObjectNode record() {
        return record.deepCopy();
    }

    public String eventId() {
        return record.path("eventID").asText();
    }

    public String eventName() {
        return record.path("eventName").asText();
    }

    public String eventSource() {
        return record.path("eventSource").asText();
    }

    /** When the call was made, to the second (CloudTrail's precision). */
    public Instant eventTime() {
        return Instant.parse(record.path("eventTime").asText());
    }

    public String awsRegion() {
        return record.path("awsRegion").asText();
    }

    public boolean readOnly() {
        return record.path("readOnly").asBoolean();
    }

    /** The ARN of the caller ({@code userIdentity.arn}). */
    public String principalArn() {
        return record.path("userIdentity").path("arn").asText();
    }

    /** The access key id the call was signed with; null for an unsigned call. */
    public String accessKeyId() {
        return textOrNull(record.path("userIdentity").path("accessKeyId"));
    }

    public List<Resource> resources() {
        List<Resource> out = new ArrayList<>();
        record.path("resources").forEach(r -> out.add(new Resource(r.path("type").asText(), r.path("ARN").asText())));
        return out;
    }

    /** The AWS error the call was refused with (e.g. {@code KMSInvalidStateException}); null when it succeeded. */
    public String errorCode() {
        return textOrNull(record.path("errorCode"));
    }

    /** The message of that error, exactly as the service answered it; null when the call succeeded. */
    public String errorMessage() {
        return textOrNull(record.path("errorMessage"));
    }

    /** The record as compact JSON, as LookupEvents returns it in {@code CloudTrailEvent}. */
    public String json() {
        return AwsJson.write(record);
    }

    private static String textOrNull(JsonNode node) {
        return node.isTextual() ? node.textValue() : null;
    }
}
