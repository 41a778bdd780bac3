package io.atlascmk.cli.bench;

import java.util.List;

/** The benchmark's one table: a Markdown table (readable as text, pasted as is into the README). */
public final class BenchTable {

    static final List<String> HEADERS = List.of("measure", "figure", "baseline (same run)", "goal", "verdict");

    private BenchTable() {
    }

    /** The table of {@code rows}, columns padded to their widest cell, then one line per note. */
    public static String format(List<BenchRow> rows) {
        int[] width = new int[HEADERS.size()];
        for (int c = 0; c < width.length; c++) {
            width[c] = HEADERS.get(c).length();
        }
        for (BenchRow row : rows) {
            List<String> cells = cells(row);
            for (int c = 0; c < width.length; c++) {
                width[c] = Math.max(width[c], cells.get(c).length());
            }
        }
        StringBuilder out = new StringBuilder();
        line(out, HEADERS, width);
        StringBuilder rule = new StringBuilder("|");
        for (int w : width) {
            rule.append('-').append("-".repeat(w)).append("-|");
        }
        out.append(rule).append('\n');
        for (BenchRow row : rows) {
            line(out, cells(row), width);
        }
        return out.toString();
    }

    private static List<String> cells(BenchRow row) {
        return List.of(escape(row.measure()), escape(row.figure()), escape(row.baseline()), escape(row.goal()),
                escape(row.verdict()));
    }

    private static String escape(String cell) {
        return cell.replace("|", "\\|").replace('\n', ' ');
    }

    private static void line(StringBuilder out, List<String> cells, int[] width) {
        out.append('|');
        for (int c = 0; c < cells.size(); c++) {
            out.append(' ').append(cells.get(c)).append(" ".repeat(width[c] - cells.get(c).length())).append(" |");
        }
        out.append('\n');
    }

    /** {@code 1234.5} as {@code 1,235}. */
    static String ms(double millis) {
        return String.format(java.util.Locale.ROOT, "%,.0f ms", millis);
    }

    /** {@code value / base} as {@code 3.2x}. */
    static String ratio(double value, double base) {
        return base <= 0 ? "n/a" : String.format(java.util.Locale.ROOT, "%.1fx", value / base);
    }
}
