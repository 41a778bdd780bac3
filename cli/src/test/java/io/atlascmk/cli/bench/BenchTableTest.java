package io.atlascmk.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class BenchTableTest {

    @Test
    void oneMarkdownTableWithEveryColumnPaddedToItsWidestCell() {
        String table = BenchTable.format(List.of(
                BenchRow.judged("cold start X", "1,200 ms = 6.0x", "FloorHandler 200 ms", "≤ 3x floor", false),
                BenchRow.info("jar", "24.5 MB", null)));

        List<String> lines = table.lines().toList();
        assertThat(lines).hasSize(4);
        assertThat(lines.get(0)).isEqualTo("| measure      | figure          | baseline (same run) | goal       | verdict |");
        assertThat(lines.get(1)).isEqualTo("|--------------|-----------------|---------------------|------------|---------|");
        assertThat(lines.get(2)).isEqualTo("| cold start X | 1,200 ms = 6.0x | FloorHandler 200 ms | ≤ 3x floor | SHORT   |");
        assertThat(lines.get(3)).isEqualTo("| jar          | 24.5 MB         | —                   | —          | info    |");
    }

    @Test
    void pipesAndNewlinesInACellDoNotBreakTheTable() {
        String table = BenchTable.format(List.of(BenchRow.failed("a|b", "line one\nline two")));

        assertThat(table.lines().toList().get(2)).startsWith("| a\\|b    | line one line two |").endsWith("| FAILED  |");
    }

    @Test
    void figuresAreFormattedForReading() {
        assertThat(BenchTable.ms(1234.5)).isEqualTo("1,235 ms");
        assertThat(BenchTable.ratio(640, 200)).isEqualTo("3.2x");
        assertThat(BenchTable.ratio(1, 0)).isEqualTo("n/a");
    }

    @Test
    void aRowWithoutAGoalIsInformationOnly() {
        assertThat(BenchRow.info("m", "f", "b")).isEqualTo(new BenchRow("m", "f", "b", "—", "info"));
        assertThat(BenchRow.judged("m", "f", "b", "g", true).verdict()).isEqualTo("met");
    }
}
