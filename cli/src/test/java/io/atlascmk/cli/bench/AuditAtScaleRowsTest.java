package io.atlascmk.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The audit bench's printed rows become the table's, and the heap verdict compares the largest run with the smallest. */
class AuditAtScaleRowsTest {

    @Test
    void benchRowLinesBecomeRows_logLinesAreIgnored_andAHeapThatGrowsWithTheCountFallsShort() {
        String printed = String.join("\n",
                "{\"level\":\"INFO\",\"message\":\"a log line\"}",
                "BENCH-ROW\taudit 400,000 snapshots (fresh): Atlas calls\t915\tminimum 915\t= minimum\tmet",
                "BENCH-HEAP\t400000\t" + 24L * 1048576,
                "BENCH-HEAP\t100000\t" + 8L * 1048576);

        List<BenchRow> rows = AuditAtScaleMeasurement.rows(printed);

        assertThat(rows).hasSize(2);
        assertThat(rows.get(0)).isEqualTo(new BenchRow("audit 400,000 snapshots (fresh): Atlas calls", "915", "minimum 915",
                "= minimum", BenchRow.MET));
        assertThat(rows.get(1).verdict()).isEqualTo(BenchRow.SHORT);
        assertThat(rows.get(1).figure()).contains("24.0 MB").contains("3.0x for 4x");
    }

    @Test
    void noRowsPrinted_isAFailedRowSayingSo() {
        assertThat(AuditAtScaleMeasurement.rows("only logs")).singleElement()
                .satisfies(r -> assertThat(r.verdict()).isEqualTo(BenchRow.FAILED));
    }
}
