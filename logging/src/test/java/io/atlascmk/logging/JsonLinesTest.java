package io.atlascmk.logging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.slf4j.event.Level;

/** The lines are those log4j2's JsonTemplateLayout wrote with the functions' former log4j2.xml, field for field. */
class JsonLinesTest {

    @Test
    void aLine_hasTheTimestampInUtcMillis_theLevelLoggerAndMessage_andOmitsWhatHasNoValue() {
        assertThat(JsonLineLogger.line(1_767_225_600_007L, Level.INFO, "io.x.Y", "hello 1 \"q\"", null, null, null))
                .isEqualTo("{\"timestamp\":\"2026-01-01T00:00:00.007Z\",\"level\":\"INFO\",\"logger\":\"io.x.Y\","
                        + "\"message\":\"hello 1 \\\"q\\\"\"}\n");
    }

    @Test
    void anError_carriesItsClassAndStackTrace_escaped() {
        IllegalStateException boom = new IllegalStateException("boom\u0001", new RuntimeException("inner"));
        String line = JsonLineLogger.line(0L, Level.WARN, "l", "w\\", "r-1", "p-1", boom);
        assertThat(line).startsWith("{\"timestamp\":\"1970-01-01T00:00:00.000Z\",\"level\":\"WARN\",\"logger\":\"l\","
                + "\"message\":\"w\\\\\",\"rotationId\":\"r-1\",\"projectId\":\"p-1\",\"error\":\"java.lang.IllegalStateException\","
                + "\"stackTrace\":\"java.lang.IllegalStateException: boom\\u0001\\n\\tat ");
        assertThat(line).contains("Caused by: java.lang.RuntimeException: inner\\n").endsWith("\"}\n");
        assertThat(line.indexOf('\n')).isEqualTo(line.length() - 1);
    }

    @Test
    void throughSlf4j_eachCallWritesOneLineToTheCurrentStandardOutput_withTheMdcsRotationAndProject() {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream original = System.out;
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            Logger log = LoggerFactory.getLogger("io.atlascmk.Test");
            MDC.put("rotationId", "manual-1");
            MDC.put("projectId", "5f1e2d3c4b5a69788796a5b4");
            log.info("key {} of {}", "k", 2, new IllegalArgumentException("bad"));
            log.debug("not written at INFO");
        } finally {
            MDC.clear();
            System.setOut(original);
        }
        String out = captured.toString(StandardCharsets.UTF_8);
        assertThat(out.lines()).hasSize(1);
        assertThat(out).contains("\"level\":\"INFO\",\"logger\":\"io.atlascmk.Test\",\"message\":\"key k of 2\","
                + "\"rotationId\":\"manual-1\",\"projectId\":\"5f1e2d3c4b5a69788796a5b4\",\"error\":\"java.lang.IllegalArgumentException\"");
    }

    @Test
    void theLevel_isRotatorLogLevel_infoByDefault() {
        assertThat(JsonLines.threshold(null)).isEqualTo(Level.INFO.toInt());
        assertThat(JsonLines.threshold(" debug ")).isEqualTo(Level.DEBUG.toInt());
        assertThat(JsonLines.threshold("OFF")).isGreaterThan(Level.ERROR.toInt());
        assertThat(JsonLines.threshold("fatal")).isEqualTo(Level.ERROR.toInt());
    }
}
