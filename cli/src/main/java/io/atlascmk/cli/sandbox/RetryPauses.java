package io.atlascmk.cli.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import io.atlascmk.rotator.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The pause the workflow takes before it retries a step's error, read from the workflow's own Retry
 * fields. The sandbox's engine retries at once (it compresses waits), so the sandbox clock moves on by
 * this pause instead: a stand-in's "not yet" (a key KMS has not authorized by its tags yet, Atlas busy
 * with an update) then ends after as much sandbox time as it would take in AWS.
 *
 * <p>The n-th consecutive failure of a function with the same retrier pauses
 * {@code min(IntervalSeconds x BackoffRate^(n-1), MaxDelaySeconds)}, halved under full jitter (its
 * mean); beyond {@code MaxAttempts} nothing is retried and no time passes. A success resets the count.
 */
final class RetryPauses {

    private static final Pattern FUNCTION = Pattern.compile("^\\$\\{(\\w+)FunctionArn}$");

    /** A function's retriers, from the first state that calls it. */
    private final Map<String, JsonNode> retriers;
    private final Map<String, Integer> failures = new ConcurrentHashMap<>();

    private RetryPauses(Map<String, JsonNode> retriers) {
        this.retriers = retriers;
    }

    static RetryPauses of(Path definition) {
        JsonNode asl;
        try {
            asl = Json.MAPPER.readTree(definition.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the workflow definition " + definition + ": " + e.getMessage(), e);
        }
        Map<String, JsonNode> byFunction = new HashMap<>();
        asl.path("States").forEach(state -> {
            Matcher m = FUNCTION.matcher(state.path("Resource").asText());
            if (m.matches() && state.has("Retry")) {
                byFunction.putIfAbsent(m.group(1), state.get("Retry"));
            }
        });
        return new RetryPauses(byFunction);
    }

    /** How long the workflow waits before calling {@code function} again after it failed with {@code errorName}. */
    Duration after(String function, String errorName) {
        JsonNode list = retriers.get(function);
        if (list == null) {
            return Duration.ZERO;
        }
        for (int i = 0; i < list.size(); i++) {
            JsonNode r = list.get(i);
            boolean matches = false;
            for (JsonNode e : r.path("ErrorEquals")) {
                matches |= e.asText().equals(errorName) || e.asText().equals("States.ALL");
            }
            if (!matches) {
                continue;
            }
            int n = failures.merge(function + "#" + i, 1, Integer::sum);
            if (n > r.path("MaxAttempts").asInt(3)) {
                return Duration.ZERO;
            }
            double seconds = r.path("IntervalSeconds").asDouble(1) * Math.pow(r.path("BackoffRate").asDouble(2.0), n - 1);
            if (r.has("MaxDelaySeconds")) {
                seconds = Math.min(seconds, r.get("MaxDelaySeconds").asDouble());
            }
            if ("FULL".equals(r.path("JitterStrategy").asText())) {
                seconds /= 2;
            }
            return Duration.ofMillis(Math.round(seconds * 1000));
        }
        return Duration.ZERO;
    }

    /** The function succeeded: its next failure is a first one again. */
    void succeeded(String function) {
        failures.keySet().removeIf(k -> k.startsWith(function + "#"));
    }
}
