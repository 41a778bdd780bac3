package io.atlascmk.rotator.atlas;

import org.junit.jupiter.api.Test;

import java.net.http.HttpHeaders;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Backoff arithmetic, Retry-After parsing and the error envelope, without HTTP. */
class AtlasRetryPolicyTest {

    private final RetryPolicy policy = new RetryPolicy(6, Duration.ofSeconds(1), Duration.ofSeconds(20),
            Duration.ofMinutes(2), Duration.ofSeconds(60));

    @Test
    void backoff_doublesFromTheBaseUpToTheCap() {
        assertThat(List.of(1, 2, 3, 4, 5, 6, 40).stream().map(n -> policy.backoff(n, 1.0)).toList())
                .containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4),
                        Duration.ofSeconds(8), Duration.ofSeconds(16), Duration.ofSeconds(20), Duration.ofSeconds(20));
    }

    @Test
    void backoff_isFullJitterBetweenZeroAndTheCeiling() {
        assertThat(policy.backoff(3, 0.0)).isEqualTo(Duration.ZERO);
        assertThat(policy.backoff(3, 0.5)).isEqualTo(Duration.ofSeconds(2));
        assertThat(policy.backoff(3, 7.0)).as("out-of-range randomness is clamped").isEqualTo(Duration.ofSeconds(4));
    }

    @Test
    void policy_rejectsNonsense() {
        assertThatThrownBy(() -> new RetryPolicy(0, Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(1),
                Duration.ofSeconds(1))).hasMessageContaining("maxAttempts");
        assertThatThrownBy(() -> new RetryPolicy(3, Duration.ZERO, Duration.ofSeconds(1), Duration.ofSeconds(1),
                Duration.ofSeconds(1))).hasMessageContaining("baseDelay");
        assertThat(RetryPolicy.noRetries().maxAttempts()).isEqualTo(1);
    }

    @Test
    void retryAfter_readsSecondsAndHttpDates() {
        MutableClock clock = new MutableClock(Instant.parse("2025-03-01T10:00:00Z"));
        String inNinetySeconds = DateTimeFormatter.RFC_1123_DATE_TIME.format(
                Instant.parse("2025-03-01T10:01:30Z").atOffset(ZoneOffset.UTC));

        assertThat(AtlasErrors.retryAfter(headers("Retry-After", "12"), clock)).isEqualTo(Duration.ofSeconds(12));
        assertThat(AtlasErrors.retryAfter(headers("Retry-After", inNinetySeconds), clock)).isEqualTo(Duration.ofSeconds(90));
        assertThat(AtlasErrors.retryAfter(headers("Retry-After", "soon"), clock)).isNull();
        assertThat(AtlasErrors.retryAfter(headers("Other", "1"), clock)).isNull();
    }

    @Test
    void errorEnvelope_isDescribedWithStatusReasonCodeDetailAndParameters() {
        AtlasErrors.ApiError error = AtlasErrors.ApiError.parse("{\"detail\":\"Cluster gone does not exist.\","
                + "\"error\":404,\"errorCode\":\"CLUSTER_NOT_FOUND\",\"parameters\":[\"gone\"],\"reason\":\"Not Found\"}");

        assertThat(error.describe(404)).isEqualTo(
                "HTTP 404 Not Found, errorCode CLUSTER_NOT_FOUND: Cluster gone does not exist. [parameters: [\"gone\"]]");
        assertThat(AtlasErrors.ApiError.parse("<html>Bad gateway</html>").describe(502))
                .isEqualTo("HTTP 502: non-JSON body: <html>Bad gateway</html>");
        assertThat(AtlasErrors.ApiError.parse("").describe(500)).isEqualTo("HTTP 500");
    }

    @Test
    void unexpectedStatus_becomesThePlainAtlasApiException() {
        AtlasApiException e = AtlasErrors.fromResponse("GET", "/api/atlas/v2/groups/g/events", "g", 402,
                "{\"error\":402,\"errorCode\":\"NO_PAYMENT_INFORMATION_FOUND\",\"reason\":\"Payment Required\"}");

        assertThat(e).isExactlyInstanceOf(AtlasApiException.class);
        assertThat(e.httpStatus()).isEqualTo(402);
        assertThat(e.errorCode()).isEqualTo("NO_PAYMENT_INFORMATION_FOUND");
    }

    private static HttpHeaders headers(String name, String value) {
        return HttpHeaders.of(Map.of(name, List.of(value)), (a, b) -> true);
    }
}
