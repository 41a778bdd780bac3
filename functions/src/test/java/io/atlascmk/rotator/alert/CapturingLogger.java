package io.atlascmk.rotator.alert;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;

/** An slf4j logger that keeps every formatted line, throwables and their stack traces included. */
public final class CapturingLogger extends LegacyAbstractLogger {

    private static final long serialVersionUID = 1L;

    /** One captured line. */
    public record Line(Level level, String text) {
    }

    private final List<Line> lines = new CopyOnWriteArrayList<>();

    public CapturingLogger() {
        this.name = "capturing";
    }

    public List<Line> lines() {
        return List.copyOf(lines);
    }

    /** Every line, one per row, for "contains" checks. */
    public String all() {
        StringBuilder out = new StringBuilder();
        lines.forEach(line -> out.append(line.level()).append(' ').append(line.text()).append('\n'));
        return out.toString();
    }

    @Override
    protected String getFullyQualifiedCallerName() {
        return null;
    }

    @Override
    protected void handleNormalizedLoggingCall(Level level, Marker marker, String messagePattern, Object[] arguments, Throwable throwable) {
        String text = MessageFormatter.basicArrayFormat(messagePattern, arguments);
        if (throwable != null) {
            StringWriter trace = new StringWriter();
            throwable.printStackTrace(new PrintWriter(trace));
            text = text + '\n' + trace;
        }
        lines.add(new Line(level, text));
    }

    @Override
    public boolean isTraceEnabled() {
        return true;
    }

    @Override
    public boolean isDebugEnabled() {
        return true;
    }

    @Override
    public boolean isInfoEnabled() {
        return true;
    }

    @Override
    public boolean isWarnEnabled() {
        return true;
    }

    @Override
    public boolean isErrorEnabled() {
        return true;
    }
}
