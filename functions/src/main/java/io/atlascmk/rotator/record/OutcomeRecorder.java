package io.atlascmk.rotator.record;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.atlascmk.rotator.json.Json;
import io.atlascmk.rotator.metrics.MetricLine;
import io.atlascmk.rotator.metrics.Metrics;
import io.atlascmk.rotator.rotation.InvalidInputException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The Record function's work on one event of the rotator's bus (the EventBridge envelope: {@code id}, {@code
 * detail-type}, {@code source}, {@code time}, {@code detail}): it stores the envelope whole in the evidence bucket at
 * {@code events/<projectId>/<yyyy-MM-dd'T'HH-mm-ss'Z'>-<id>.json} ({@code events/_fleet/...} for an event about no
 * project), so the history outlives Step Functions' 90 days, then writes the outcome metrics ({@code
 * RotationsSucceeded}, {@code RotationsFailed}, {@code RotationsRolledBack}). Stored first: a failed store fails the
 * invocation before any metric is written, so EventBridge's retry counts the outcome once; a retried store writes
 * the same key.
 */
public final class OutcomeRecorder {

    public static final String SUCCEEDED = "Rotation Succeeded";
    public static final String MATERIAL_ROTATED = "Key Material Rotated";
    public static final String FAILED = "Rotation Failed";
    public static final String ROLLED_BACK = "Rotation Rolled Back";
    /** The folder of the events about no project (the fleet's). */
    public static final String NO_PROJECT = "_fleet";

    private static final DateTimeFormatter KEY_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH-mm-ss'Z'")
            .withZone(ZoneOffset.UTC);
    private static final Pattern PROJECT_ID = Pattern.compile("[0-9a-f]{24}");
    private static final Pattern EVENT_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9-]{0,127}");
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(OutcomeRecorder.class);

    /** What was done with one event. */
    public record Recorded(String stored, String projectId, String detailType) {
    }

    private final EventArchive archive;
    private final Metrics metrics;

    public OutcomeRecorder(EventArchive archive, Metrics metrics) {
        this.archive = Objects.requireNonNull(archive, "archive");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
    }

    /**
     * @throws InvalidInputException            when the input is not an EventBridge event (no id, time or detail-type)
     * @throws EventArchiveUnavailableException when it could not be stored
     */
    public Recorded record(JsonNode event) {
        if (event == null || !event.isObject()) {
            throw new InvalidInputException("(input)", "must be an EventBridge event (a JSON object with id, detail-type,"
                    + " time and detail), as a rule delivers it.");
        }
        String id = text(event, "id");
        if (!EVENT_ID.matcher(id).matches()) {
            throw new InvalidInputException("id", "must be the EventBridge event id (letters, digits and dashes).");
        }
        String detailType = text(event, "detail-type");
        Instant time;
        try {
            time = Instant.parse(text(event, "time"));
        } catch (DateTimeParseException e) {
            throw new InvalidInputException("time", "must be an ISO-8601 instant such as 2026-11-30T10:02:00Z.");
        }
        String projectId = projectOf(event.path("detail"));
        String key = "events/" + (projectId == null ? NO_PROJECT : projectId) + "/" + KEY_TIME.format(time) + "-" + id
                + ".json";
        byte[] json;
        try {
            json = Json.MAPPER.writeValueAsBytes(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Could not write the event " + id, e);
        }
        String stored = archive.put(key, json);
        metrics.flush(outcome(detailType, projectId));
        return new Recorded(stored, projectId, detailType);
    }

    /** The outcome metrics of one event: none for a detail type that is no rotation's outcome. */
    static MetricLine outcome(String detailType, String projectId) {
        MetricLine line = MetricLine.of(projectId);
        String metric = switch (detailType) {
            case SUCCEEDED, MATERIAL_ROTATED -> Metrics.ROTATIONS_SUCCEEDED;
            case FAILED -> Metrics.ROTATIONS_FAILED;
            case ROLLED_BACK -> Metrics.ROTATIONS_ROLLED_BACK;
            default -> null;
        };
        return metric == null ? line : line.count(metric, 1, line.projectOrAggregate());
    }

    /**
     * The project an event is about: {@code detail.projectId}, else (a failure's event carries the execution input)
     * {@code detail.input.projectId}; null when there is none, or it is no Atlas project id (logged).
     */
    static String projectOf(JsonNode detail) {
        JsonNode project = detail.path("projectId");
        if (!project.isTextual()) {
            project = detail.path("input").path("projectId");
        }
        if (!project.isTextual()) {
            return null;
        }
        if (!PROJECT_ID.matcher(project.textValue()).matches()) {
            LOG.warn("An event names a project id that is not one (24 hex digits): kept under {}", NO_PROJECT);
            return null;
        }
        return project.textValue();
    }

    private static String text(JsonNode event, String field) {
        JsonNode value = event.path(field);
        if (!value.isTextual() || value.textValue().isBlank()) {
            throw new InvalidInputException(field, "is required: the input must be an EventBridge event as a rule"
                    + " delivers it (id, detail-type, time, detail).");
        }
        return value.textValue();
    }
}
