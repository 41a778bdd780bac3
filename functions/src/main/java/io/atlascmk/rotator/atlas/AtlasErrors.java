package io.atlascmk.rotator.atlas;

import com.fasterxml.jackson.databind.JsonNode;
import io.atlascmk.rotator.json.Json;

import java.io.IOException;
import java.net.http.HttpHeaders;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * Turns Atlas's error answers into the typed {@link AtlasApiException}s. Atlas's error envelope is
 * {@code {"error": 404, "errorCode": "...", "detail": "...", "reason": "Not Found", "parameters": [...]}}.
 * Messages say what failed (method, path, status, errorCode, detail) and what to do; they never
 * carry request headers, so never credentials.
 */
final class AtlasErrors {

    private static final int MAX_DETAIL = 500;

    private AtlasErrors() {
    }

    /** Atlas's error envelope; every field may be missing. */
    record ApiError(String errorCode, String detail, String reason, String parameters) {

        static final ApiError NONE = new ApiError(null, null, null, null);

        static ApiError parse(String body) {
            if (body == null || body.isBlank()) {
                return NONE;
            }
            JsonNode node;
            try {
                node = Json.MAPPER.readTree(body);
            } catch (IOException e) {
                return new ApiError(null, "non-JSON body: " + shorten(body), null, null);
            }
            if (node == null || !node.isObject()) {
                return new ApiError(null, "unexpected body: " + shorten(body), null, null);
            }
            JsonNode params = node.get("parameters");
            return new ApiError(text(node, "errorCode"), text(node, "detail"), text(node, "reason"),
                    params != null && params.isArray() && !params.isEmpty() ? shorten(params.toString()) : null);
        }

        /** {@code HTTP 404 Not Found, errorCode RESOURCE_NOT_FOUND: detail [parameters: ...]}. */
        String describe(int status) {
            StringBuilder sb = new StringBuilder("HTTP ").append(status);
            if (reason != null) {
                sb.append(' ').append(reason);
            }
            if (errorCode != null) {
                sb.append(", errorCode ").append(errorCode);
            }
            if (detail != null) {
                sb.append(": ").append(shorten(detail));
            }
            if (parameters != null) {
                sb.append(" [parameters: ").append(parameters).append(']');
            }
            return sb.toString();
        }

        private static String text(JsonNode node, String field) {
            JsonNode value = node.get(field);
            return value == null || value.isNull() ? null : value.asText();
        }
    }

    /** The exception for a non-retryable error answer (every 4xx but 429, and unexpected statuses). */
    static AtlasApiException fromResponse(String method, String path, String groupId, int status, String body) {
        ApiError error = ApiError.parse(body);
        String what = "Atlas " + method + " " + path + " failed: " + error.describe(status) + ". ";
        String code = error.errorCode();
        return switch (status) {
            case 400 -> new AtlasInvalidRequestException(what + "Atlas rejected the request's values; correct what"
                    + " the detail names (for encryptionAtRest: the key id or ARN, its region, the roleId, and that"
                    + " Atlas's IAM role may use the key).", status, code, null);
            case 401 -> new AtlasAuthenticationException(what + "The credentials were rejected: check that the"
                    + " service account or API key in the Atlas secret exists, is not expired or revoked, and that the"
                    + " secret holds its current values.", status, code, null);
            case 403 -> new AtlasForbiddenException(what + "The API key or service account needs the Project Owner"
                    + " role on " + (groupId == null ? "the projects it reads" : "project " + groupId)
                    + ", and the caller's IP address must be on its API access list.", status, code, null);
            case 404 -> new AtlasNotFoundException(what + (groupId == null
                    ? "Check that what the path names exists (an organization id, say), and that ATLAS_BASE_URL is the Atlas"
                    + " Administration API and serves this operation."
                    : "Check that project " + groupId + " and the resource in the path (cluster name, role) exist and"
                    + " that the credentials belong to the project's organization."), status, code, null);
            case 409 -> new AtlasConflictException(what + "The project is busy with a conflicting change; retry once"
                    + " it has finished.", status, code, null);
            default -> new AtlasApiException(what + "Atlas answered with a status this client does not expect.",
                    status, code, null);
        };
    }

    /** A retryable answer (429 or 5xx) as a {@link TransientFailure}. */
    static TransientFailure transientFromResponse(int status, HttpHeaders headers, String body, Clock clock) {
        ApiError error = ApiError.parse(body);
        return new TransientFailure(error.describe(status), status, error.errorCode(), retryAfter(headers, clock), null);
    }

    /** The exception once retries are exhausted: rate limited (429) or unavailable (5xx, I/O, timeout). */
    static AtlasApiException exhausted(String method, String path, TransientFailure last, int attempts, String why) {
        String what = "Atlas " + method + " " + path + " failed after " + attempts
                + (attempts == 1 ? " attempt" : " attempts") + " (" + why + "); last: " + last.getMessage() + ". ";
        if (last.rateLimited()) {
            return new AtlasRateLimitedException(what + "Atlas is rate-limiting these credentials; retry later"
                    + " or make fewer concurrent calls.", 429, last.errorCode(), last.getCause());
        }
        return new AtlasUnavailableException(what + "Atlas is unavailable or unreachable from here; retry later,"
                + " and check network access to Atlas if it persists.", last.httpStatus(), last.errorCode(),
                last.getCause());
    }

    /**
     * {@code Retry-After} as a duration: delta-seconds or an HTTP date (RFC 9110 section 10.2.3); null
     * when absent or unreadable.
     */
    static Duration retryAfter(HttpHeaders headers, Clock clock) {
        String value = headers.firstValue("Retry-After").map(String::trim).orElse(null);
        if (value == null || value.isEmpty()) {
            return null;
        }
        try {
            long seconds = Long.parseLong(value);
            return seconds < 0 ? null : Duration.ofSeconds(seconds);
        } catch (NumberFormatException notSeconds) {
            try {
                Instant at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                Duration d = Duration.between(clock.instant(), at);
                return d.isNegative() ? Duration.ZERO : d;
            } catch (DateTimeParseException notDate) {
                return null;
            }
        }
    }

    static String shorten(String s) {
        String flat = s.replaceAll("\\s+", " ").trim();
        return flat.length() <= MAX_DETAIL ? flat : flat.substring(0, MAX_DETAIL) + "...";
    }
}
