package io.atlascmk.infra;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awscdk.Token;

/**
 * Lambda refuses a function whose environment variables together exceed 4 KB, measured as the JSON object of
 * the variables ({@code {"NAME":"value",...}}, a quote inside a value counting as {@code \"}), and only when
 * CloudFormation deploys it; this check refuses at synth time instead. The rotator's variables are short
 * (names and ARNs): the project settings, which grow with the configuration, travel in a layer.
 *
 * <p>Values CloudFormation fills at deploy time (the ARNs of a created secret and of the state machine) are
 * counted as {@value #DEPLOY_TIME_VALUE_BYTES} bytes each, more than such an ARN takes.
 */
public final class LambdaEnvironmentLimit {

    /** Lambda's limit on a function's environment variables, all together. */
    public static final int LIMIT_BYTES = 4096;
    /** What a value known only at deploy time is counted as. */
    public static final int DEPLOY_TIME_VALUE_BYTES = 256;


    private LambdaEnvironmentLimit() {
    }

    /** The size Lambda measures for {@code environment}, deploy-time values counted as their allowance. */
    public static int measuredBytes(Map<String, String> environment) {
        Map<String, String> measured = new LinkedHashMap<>();
        environment.forEach((name, value) -> measured.put(name,
                Token.isUnresolved(value) ? "x".repeat(DEPLOY_TIME_VALUE_BYTES) : value));
        try {
            return InfraJson.MAPPER.writeValueAsString(measured).getBytes(StandardCharsets.UTF_8).length;
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Refuses {@code function}'s environment when it may exceed {@value #LIMIT_BYTES} bytes. (The project
     * settings, which grow with the configuration, travel in a layer, not here.)
     *
     * @throws TooLargeException naming the size
     */
    public static void requireWithinLimit(String function, Map<String, String> environment) {
        int bytes = measuredBytes(environment);
        if (bytes > LIMIT_BYTES) {
            throw new TooLargeException("The " + function + " function's environment variables would take up to "
                    + bytes + " bytes (ARNs known only at deploy time counted as " + DEPLOY_TIME_VALUE_BYTES
                    + " bytes each), over Lambda's limit of " + LIMIT_BYTES + " bytes (4 KB) for all of them together.");
        }
    }

    /** A function's environment would exceed Lambda's limit; the stack cannot be deployed as configured. */
    public static final class TooLargeException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        TooLargeException(String message) {
            super(message);
        }
    }
}
