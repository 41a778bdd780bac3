package io.atlascmk.logging;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;
import org.slf4j.spi.MDCAdapter;

/** One logger of {@link JsonLines}: a call at or above the level writes one JSON line to the current standard output. */
final class JsonLineLogger extends LegacyAbstractLogger {

    private static final long serialVersionUID = 1L;
    /** The MDC keys written, in this order. */
    static final String[] CONTEXT = {"rotationId", "projectId"};

    private final int threshold;
    private final transient MDCAdapter mdc;

    JsonLineLogger(String name, int threshold, MDCAdapter mdc) {
        this.name = name;
        this.threshold = threshold;
        this.mdc = mdc;
    }

    @Override
    public boolean isTraceEnabled() {
        return Level.TRACE.toInt() >= threshold;
    }

    @Override
    public boolean isDebugEnabled() {
        return Level.DEBUG.toInt() >= threshold;
    }

    @Override
    public boolean isInfoEnabled() {
        return Level.INFO.toInt() >= threshold;
    }

    @Override
    public boolean isWarnEnabled() {
        return Level.WARN.toInt() >= threshold;
    }

    @Override
    public boolean isErrorEnabled() {
        return Level.ERROR.toInt() >= threshold;
    }

    @Override
    protected String getFullyQualifiedCallerName() {
        return null;
    }

    @Override
    protected void handleNormalizedLoggingCall(Level level, Marker marker, String messagePattern, Object[] arguments,
            Throwable throwable) {
        String message = MessageFormatter.basicArrayFormat(messagePattern, arguments);
        String line = line(System.currentTimeMillis(), level, name, message, mdc.get(CONTEXT[0]), mdc.get(CONTEXT[1]),
                throwable);
        // System.out as it is now (a test may have replaced it), written whole so lines never interleave
        PrintStream out = System.out;
        byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
        synchronized (out) {
            out.write(bytes, 0, bytes.length);
            out.flush();
        }
    }

    /** The JSON line of one event, newline included. */
    static String line(long epochMilli, Level level, String logger, String message, String rotationId, String projectId,
            Throwable throwable) {
        StringBuilder json = new StringBuilder(160 + (message == null ? 0 : message.length()));
        json.append("{\"timestamp\":\"");
        timestamp(json, epochMilli);
        json.append("\",\"level\":\"").append(level.name()).append('"');
        field(json, "logger", logger);
        field(json, "message", message);
        field(json, "rotationId", rotationId);
        field(json, "projectId", projectId);
        if (throwable != null) {
            field(json, "error", throwable.getClass().getName());
            StringWriter trace = new StringWriter();
            throwable.printStackTrace(new PrintWriter(trace));
            field(json, "stackTrace", trace.toString());
        }
        return json.append("}\n").toString();
    }

    /** {@code yyyy-MM-dd'T'HH:mm:ss.SSS'Z'}, UTC. */
    static void timestamp(StringBuilder out, long epochMilli) {
        LocalDateTime t = LocalDateTime.ofEpochSecond(Math.floorDiv(epochMilli, 1000L),
                (int) Math.floorMod(epochMilli, 1000L) * 1_000_000, ZoneOffset.UTC);
        pad(out, t.getYear(), 4).append('-');
        pad(out, t.getMonthValue(), 2).append('-');
        pad(out, t.getDayOfMonth(), 2).append('T');
        pad(out, t.getHour(), 2).append(':');
        pad(out, t.getMinute(), 2).append(':');
        pad(out, t.getSecond(), 2).append('.');
        pad(out, t.getNano() / 1_000_000, 3).append('Z');
    }

    private static StringBuilder pad(StringBuilder out, int value, int digits) {
        String s = Integer.toString(value);
        for (int i = s.length(); i < digits; i++) {
            out.append('0');
        }
        return out.append(s);
    }

    /** {@code ,"name":"value"} with the value escaped as JSON requires; nothing for a null value. */
    private static void field(StringBuilder json, String name, String value) {
        if (value == null) {
            return;
        }
        json.append(",\"").append(name).append("\":\"");
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> json.append("\\\"");
                case '\\' -> json.append("\\\\");
                case '\n' -> json.append("\\n");
                case '\r' -> json.append("\\r");
                case '\t' -> json.append("\\t");
                case '\b' -> json.append("\\b");
                case '\f' -> json.append("\\f");
                default -> {
                    if (c < 0x20 || c == '\u2028' || c == '\u2029') {
                        json.append(String.format("\\u%04x", (int) c));
                    } else {
                        json.append(c);
                    }
                }
            }
        }
        json.append('"');
    }
}
