package io.atlascmk.logging;

import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.ILoggerFactory;
import org.slf4j.IMarkerFactory;
import org.slf4j.event.Level;
import org.slf4j.helpers.BasicMDCAdapter;
import org.slf4j.helpers.BasicMarkerFactory;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.spi.SLF4JServiceProvider;

/**
 * The SLF4J provider of the Lambda functions (found by SLF4J through {@code META-INF/services}): every logger writes
 * one JSON object per line to standard output, as CloudWatch Logs keeps each line as an event:
 *
 * <pre>{"timestamp":"2026-01-01T00:00:00.000Z","level":"INFO","logger":"...","message":"...","rotationId":"...",
 * "projectId":"...","error":"java.lang.IllegalStateException","stackTrace":"..."}</pre>
 *
 * The rotation and project come from the MDC (set by the step handlers for a call), the error's class and stack trace
 * from the throwable; a field without a value is left out. {@code ROTATOR_LOG_LEVEL} (default {@code INFO}; {@code
 * TRACE}, {@code DEBUG}, {@code INFO}, {@code WARN}, {@code ERROR}, {@code OFF}) sets the level of every logger.
 * Messages never carry secrets: the clients and steps keep them out (the functions' AtlasSecretsNotLeakedTest).
 */
public final class JsonLines implements SLF4JServiceProvider {

    /** The environment variable that sets the level. */
    public static final String LEVEL_VARIABLE = "ROTATOR_LOG_LEVEL";

    private final Map<String, JsonLineLogger> loggers = new ConcurrentHashMap<>();
    private ILoggerFactory factory;
    private IMarkerFactory markers;
    private MDCAdapter mdc;

    @Override
    public void initialize() {
        markers = new BasicMarkerFactory();
        mdc = new BasicMDCAdapter();
        int threshold = threshold(System.getenv(LEVEL_VARIABLE));
        factory = name -> loggers.computeIfAbsent(name, n -> new JsonLineLogger(n, threshold, mdc));
    }

    @Override
    public ILoggerFactory getLoggerFactory() {
        return factory;
    }

    @Override
    public IMarkerFactory getMarkerFactory() {
        return markers;
    }

    @Override
    public MDCAdapter getMDCAdapter() {
        return mdc;
    }

    @Override
    public String getRequestedApiVersion() {
        return "2.0.99";
    }

    /** The lowest level written ({@link Level#toInt()}); above {@code ERROR} for {@code OFF}; {@code INFO} when unset. */
    static int threshold(String configured) {
        if (configured == null || configured.isBlank()) {
            return Level.INFO.toInt();
        }
        return switch (configured.trim().toUpperCase(Locale.ROOT)) {
            case "ALL", "TRACE" -> Level.TRACE.toInt();
            case "DEBUG" -> Level.DEBUG.toInt();
            case "WARN" -> Level.WARN.toInt();
            case "ERROR", "FATAL" -> Level.ERROR.toInt();
            case "OFF" -> Integer.MAX_VALUE;
            default -> Level.INFO.toInt();
        };
    }
}
