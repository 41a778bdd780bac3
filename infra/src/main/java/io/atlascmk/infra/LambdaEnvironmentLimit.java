package io.atlascmk.infra;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.atlascmk.infra.config.RotatorConfig;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awscdk.Token;

/**
 * Lambda refuses a function whose environment variables together exceed 4 KB, measured as the JSON object of
 * the variables ({@code {"NAME":"value",...}}, a quote inside a value counting as {@code \"}), and only when
 * CloudFormation deploys it. The rotator's variables are short except {@value ProjectSettingsVariable#NAME},
 * which grows with the projects and their {@code extraClusterNames}; this check refuses at synth time instead.
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
     * Refuses {@code function}'s environment when it may exceed {@value #LIMIT_BYTES} bytes.
     *
     * @throws TooLargeException naming the size, the projects and cluster names behind it, and what to do
     */
    public static void requireWithinLimit(String function, Map<String, String> environment, RotatorConfig config) {
        int bytes = measuredBytes(environment);
        if (bytes <= LIMIT_BYTES) {
            return;
        }
        int projects = config.projects().size();
        int clusterNames = config.projects().stream().mapToInt(p -> p.extraClusterNames().size()).sum();
        String settings = environment.get(ProjectSettingsVariable.NAME);
        throw new TooLargeException("The " + function + " function's environment variables would take up to "
                + bytes + " bytes (ARNs known only at deploy time counted as " + DEPLOY_TIME_VALUE_BYTES
                + " bytes each), over Lambda's limit of " + LIMIT_BYTES + " bytes (4 KB) for all of them together"
                + (settings == null ? "." : ": " + ProjectSettingsVariable.NAME + " alone, the settings of the "
                        + projects + " project" + (projects == 1 ? "" : "s") + " in the configuration with "
                        + clusterNames + " extraClusterNames in total, is " + settings.getBytes(StandardCharsets.UTF_8).length
                        + " bytes long."
                        + " Remove extraClusterNames that are no longer needed (terminated clusters whose last"
                        + " snapshot has expired), or deploy the projects in two stacks, each with its own"
                        + " configuration (-c config=FILE -c stackName=NAME)."));
    }

    /** A function's environment would exceed Lambda's limit; the stack cannot be deployed as configured. */
    public static final class TooLargeException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        TooLargeException(String message) {
            super(message);
        }
    }
}
