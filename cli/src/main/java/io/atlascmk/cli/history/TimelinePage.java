package io.atlascmk.cli.history;

import io.atlascmk.cli.history.KeyHistory.KeyAudit;
import io.atlascmk.cli.history.KeyHistory.Phase;
import io.atlascmk.cli.history.ProjectHistory.Event;
import io.atlascmk.cli.history.ProjectHistory.Registration;
import io.atlascmk.cli.history.ProjectHistory.RotationRecord;
import io.atlascmk.cli.history.ProjectHistory.Unreadable;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Projects' histories as one self-contained HTML page: per project, one lane per key (a bar from its creation to its
 * destruction or now, coloured by state, with markers for rotations, audits and rescues), the snapshots holding each
 * key at each audit as a small chart under the lanes, a legend, and the timeline as a table. Drawn as inline SVG on
 * the server side: no script, no external asset, and every piece of data HTML-escaped.
 */
public final class TimelinePage {

    /** The colour of each lifecycle state (bars and legend). */
    static final Map<String, String> STATE_COLOURS = new java.util.LinkedHashMap<>();

    static {
        STATE_COLOURS.put(KeyHistory.PENDING, "#e8b931");
        STATE_COLOURS.put(KeyHistory.ACTIVE, "#2e9e4f");
        STATE_COLOURS.put(KeyHistory.RETIRED, "#4a78c2");
        STATE_COLOURS.put(KeyHistory.DELETION_SCHEDULED, "#d9622b");
        STATE_COLOURS.put(KeyHistory.DESTROYED, "#7a7a7a");
        STATE_COLOURS.put(KeyHistory.ABANDONED, "#a54aa0");
        STATE_COLOURS.put("unknown", "#c8c8c8");
    }

    /** One colour per key in the snapshot chart. */
    private static final String[] KEY_COLOURS = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf",
            "#8c564b", "#e377c2", "#bcbd22", "#7f7f7f"};

    static final int WIDTH = 1120;
    static final int LABEL = 290;
    static final int RIGHT = 30;
    static final int LANE = 30;
    static final int AXIS = 34;
    static final int CHART = 130;

    private TimelinePage() {
    }

    public static String render(List<ProjectHistory> projects, Instant generatedAt) {
        StringBuilder b = new StringBuilder(16_384);
        b.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>Atlas CMK Rotator: key timeline</title>\n");
        b.append("<style>\n").append(CSS).append("</style></head><body>\n");
        b.append("<h1>Atlas CMK Rotator: key timeline</h1>\n<p class=\"meta\">Generated at ").append(esc(generatedAt.toString()))
                .append(" by <code>./rotator status</code>. ").append(projects.size()).append(projects.size() == 1 ? " project." : " projects.")
                .append("</p>\n");
        b.append(legend());
        for (ProjectHistory p : projects) {
            project(b, p);
        }
        b.append("</body></html>\n");
        return b.toString();
    }

    private static void project(StringBuilder b, ProjectHistory p) {
        b.append("<section class=\"project\" id=\"project-").append(esc(p.projectId())).append("\">\n");
        b.append("<h2>Project <span class=\"pid\">").append(esc(p.projectId())).append("</span> <small>region ")
                .append(esc(p.region())).append(", read at ").append(esc(p.readAt().toString())).append("</small></h2>\n");
        Registration r = p.registration();
        if (r != null) {
            b.append("<p class=\"reg\">Registered: ").append(esc(r.schedule() == null ? "alert/manual only" : "schedule " + r.schedule()))
                    .append(", method ").append(esc(r.method() == null ? "new-key (default)" : r.method()))
                    .append(", pending window ").append(esc(days(r.pendingWindowDays())))
                    .append(", minimum retirement ").append(esc(days(r.minRetirementDays()))).append(".</p>\n");
        }
        if (!p.missing().isEmpty() || !p.unreadable().isEmpty()) {
            b.append("<ul class=\"notes\">\n");
            p.missing().forEach(m -> b.append("<li>").append(esc(m)).append("</li>\n"));
            p.unreadable().forEach(u -> b.append("<li class=\"bad\">Unreadable (").append(esc(u.source())).append("): <code>")
                    .append(esc(u.name())).append("</code>: ").append(esc(u.reason())).append("</li>\n"));
            b.append("</ul>\n");
        }
        if (p.keys().isEmpty()) {
            b.append("<p>No key: the project has not been rotated (or adopted) yet.</p>\n</section>\n");
            return;
        }
        Scale x = Scale.of(p);
        lanes(b, p, x);
        snapshotChart(b, p, x);
        table(b, p);
        b.append("</section>\n");
    }

    /** The time axis: instants to x pixels. */
    private record Scale(Instant from, Instant to) {
        static Scale of(ProjectHistory p) {
            Instant min = p.readAt();
            Instant max = p.readAt();
            List<Instant> all = new ArrayList<>();
            for (KeyHistory k : p.keys()) {
                all.add(k.createdAt());
                all.add(k.deletionDate());
                all.add(k.safeAfter());
                k.phases().forEach(ph -> {
                    all.add(ph.from());
                    all.add(ph.to());
                });
                k.audits().forEach(a -> all.add(a.auditedAt()));
            }
            p.rotations().forEach(rr -> all.add(rr.at()));
            for (Instant t : all) {
                if (t != null) {
                    min = t.isBefore(min) ? t : min;
                    max = t.isAfter(max) ? t : max;
                }
            }
            Duration span = Duration.between(min, max);
            Duration pad = span.isZero() ? Duration.ofDays(1) : span.dividedBy(40);
            return new Scale(min.minus(pad), max.plus(pad));
        }

        double x(Instant t) {
            double total = Duration.between(from, to).toMillis();
            return LABEL + (WIDTH - LABEL - RIGHT) * (Duration.between(from, t).toMillis() / total);
        }
    }

    private static void lanes(StringBuilder b, ProjectHistory p, Scale x) {
        int height = AXIS + p.keys().size() * LANE + 10;
        b.append("<svg class=\"lanes\" width=\"").append(WIDTH).append("\" height=\"")
                .append(height).append("\" viewBox=\"0 0 ").append(WIDTH).append(' ').append(height)
                .append("\" role=\"img\" aria-label=\"Key lanes of project ").append(esc(p.projectId())).append("\">\n");
        axis(b, x, AXIS - 6, height);
        int y = AXIS;
        for (KeyHistory k : p.keys()) {
            b.append("<text class=\"key\" x=\"6\" y=\"").append(y + 19).append("\">").append(esc(k.keyId())).append("</text>\n");
            b.append("<line class=\"lane\" x1=\"").append(LABEL).append("\" x2=\"").append(WIDTH - RIGHT).append("\" y1=\"")
                    .append(y + LANE - 1).append("\" y2=\"").append(y + LANE - 1).append("\"/>\n");
            for (Phase ph : k.phases()) {
                Instant from = ph.from() != null ? ph.from() : k.createdAt() != null ? k.createdAt() : x.from();
                Instant to = ph.to() != null ? ph.to() : KeyHistory.DESTROYED.equals(ph.state()) ? x.to() : p.readAt();
                if (to.isBefore(from)) {
                    to = from;
                }
                double x1 = x.x(from);
                double w = Math.max(2, x.x(to) - x1);
                b.append("<rect class=\"phase ").append(esc(ph.state())).append("\" x=\"").append(f(x1)).append("\" y=\"")
                        .append(y + 6).append("\" width=\"").append(f(w)).append("\" height=\"").append(LANE - 12)
                        .append("\" fill=\"").append(STATE_COLOURS.getOrDefault(ph.state(), "#c8c8c8")).append("\"><title>")
                        .append(esc(k.keyId() + ": " + ph.state() + " from " + (ph.from() == null ? "?" : ph.from())
                                + (ph.to() == null ? "" : " to " + ph.to())))
                        .append("</title></rect>\n");
            }
            if (k.deletionDate() != null && !k.destroyed() && k.deletionDate().isAfter(p.readAt())) {
                double dx = x.x(k.deletionDate());
                b.append("<path class=\"deletion\" d=\"M").append(f(dx)).append(' ').append(y + 4).append(" l5 5 l-5 5 l-5 -5 z\" fill=\"")
                        .append(STATE_COLOURS.get(KeyHistory.DELETION_SCHEDULED)).append("\"><title>")
                        .append(esc(k.keyId() + ": KMS deletes it on " + k.deletionDate())).append("</title></path>\n");
            }
            if (k.safeAfter() != null) {
                double sx = x.x(k.safeAfter());
                b.append("<line class=\"safe-after\" x1=\"").append(f(sx)).append("\" x2=\"").append(f(sx)).append("\" y1=\"")
                        .append(y + 3).append("\" y2=\"").append(y + LANE - 3).append("\"><title>")
                        .append(esc(k.keyId() + ": safe after " + k.safeAfter())).append("</title></line>\n");
            }
            for (KeyAudit a : k.audits()) {
                if (a.auditedAt() != null) {
                    b.append("<circle class=\"audit\" cx=\"").append(f(x.x(a.auditedAt()))).append("\" cy=\"").append(y + LANE / 2)
                            .append("\" r=\"5\"><title>").append(esc(HistoryReader.describe(a))).append("</title></circle>\n");
                }
            }
            if (k.rescuedAt() != null) {
                double rx = x.x(k.rescuedAt());
                b.append("<path class=\"rescue\" d=\"M").append(f(rx - 6)).append(' ').append(y + 9).append(" l12 12 m0 -12 l-12 12\"><title>")
                        .append(esc(k.keyId() + ": deletion cancelled at " + k.rescuedAt()
                                + (k.rescuedFor() == null ? "" : ", used by " + k.rescuedFor())))
                        .append("</title></path>\n");
            }
            y += LANE;
        }
        for (RotationRecord r : p.rotations()) {
            if (r.at() == null || "deletion-cancelled".equals(r.outcome())) {
                continue;
            }
            double rx = x.x(r.at());
            b.append("<g class=\"rotation ").append(esc(r.outcome())).append("\"><line x1=\"").append(f(rx)).append("\" x2=\"")
                    .append(f(rx)).append("\" y1=\"").append(AXIS - 4).append("\" y2=\"").append(height - 10)
                    .append("\"/><path d=\"M").append(f(rx - 5)).append(' ').append(AXIS - 12).append(" h10 l-5 8 z\"/><title>")
                    .append(esc(r.at() + " " + r.text())).append("</title></g>\n");
        }
        double nx = x.x(p.readAt());
        b.append("<line class=\"now\" x1=\"").append(f(nx)).append("\" x2=\"").append(f(nx)).append("\" y1=\"").append(AXIS - 6)
                .append("\" y2=\"").append(height - 6).append("\"><title>now (").append(esc(p.readAt().toString()))
                .append(")</title></line>\n");
        b.append("</svg>\n");
    }

    /** Date ticks along the top of the lanes, and light grid lines. */
    private static void axis(StringBuilder b, Scale x, int baseline, int height) {
        long days = Math.max(1, Duration.between(x.from(), x.to()).toDays());
        long[] steps = {1, 2, 7, 14, 30, 61, 91, 182, 365, 730};
        long step = steps[steps.length - 1];
        for (long s : steps) {
            if (days / s <= 8) {
                step = s;
                break;
            }
        }
        LocalDate first = LocalDate.ofInstant(x.from(), ZoneOffset.UTC).plusDays(1);
        if (step >= 30) {
            first = first.withDayOfMonth(1).plusMonths(1);
        }
        for (LocalDate d = first; d.atStartOfDay(ZoneOffset.UTC).toInstant().isBefore(x.to());
             d = step >= 30 ? d.plusMonths(Math.max(1, step / 30)) : d.plusDays(step)) {
            double tx = x.x(d.atStartOfDay(ZoneOffset.UTC).toInstant());
            if (tx < LABEL) {
                continue;
            }
            b.append("<line class=\"grid\" x1=\"").append(f(tx)).append("\" x2=\"").append(f(tx)).append("\" y1=\"").append(baseline)
                    .append("\" y2=\"").append(height - 10).append("\"/><text class=\"tick\" x=\"").append(f(tx)).append("\" y=\"")
                    .append(baseline - 10).append("\">").append(d).append("</text>\n");
        }
    }

    private static void snapshotChart(StringBuilder b, ProjectHistory p, Scale x) {
        int max = 0;
        boolean any = false;
        for (KeyHistory k : p.keys()) {
            for (KeyAudit a : k.audits()) {
                if (a.auditedAt() != null) {
                    any = true;
                    max = Math.max(max, a.snapshotsHoldingKey());
                }
            }
        }
        b.append("<h3>Snapshots holding each key, at each audit</h3>\n");
        if (!any) {
            b.append("<p class=\"meta\">No stored audit").append(p.missing().stream().anyMatch(m -> m.contains("audits not shown"))
                    ? " read: " + esc(p.missing().stream().filter(m -> m.contains("audits not shown")).findFirst().orElse("")) : ".")
                    .append("</p>\n");
            return;
        }
        int top = Math.max(1, max);
        int h = CHART;
        int plotTop = 10;
        int plotBottom = h - 24;
        b.append("<svg class=\"snapshots\" width=\"").append(WIDTH).append("\" height=\"").append(h)
                .append("\" viewBox=\"0 0 ").append(WIDTH).append(' ').append(h).append("\" role=\"img\" aria-label=\"Snapshots holding each key\">\n");
        b.append("<line class=\"axis\" x1=\"").append(LABEL).append("\" x2=\"").append(WIDTH - RIGHT).append("\" y1=\"").append(plotBottom)
                .append("\" y2=\"").append(plotBottom).append("\"/><line class=\"axis\" x1=\"").append(LABEL).append("\" x2=\"").append(LABEL)
                .append("\" y1=\"").append(plotTop).append("\" y2=\"").append(plotBottom).append("\"/>\n");
        b.append("<text class=\"tick\" x=\"").append(LABEL - 8).append("\" y=\"").append(plotTop + 4).append("\" text-anchor=\"end\">")
                .append(top).append("</text><text class=\"tick\" x=\"").append(LABEL - 8).append("\" y=\"").append(plotBottom)
                .append("\" text-anchor=\"end\">0</text>\n");
        int i = 0;
        int drawn = 0;
        for (KeyHistory k : p.keys()) {
            String colour = KEY_COLOURS[i++ % KEY_COLOURS.length];
            List<KeyAudit> dated = k.audits().stream().filter(a -> a.auditedAt() != null).toList();
            if (dated.isEmpty()) {
                continue;
            }
            StringBuilder points = new StringBuilder();
            for (KeyAudit a : dated) {
                double px = x.x(a.auditedAt());
                double py = plotBottom - (plotBottom - plotTop) * (a.snapshotsHoldingKey() / (double) top);
                points.append(f(px)).append(',').append(f(py)).append(' ');
                b.append("<circle cx=\"").append(f(px)).append("\" cy=\"").append(f(py)).append("\" r=\"4\" fill=\"").append(colour)
                        .append("\"><title>").append(esc(k.keyId() + " at " + a.auditedAt() + ": " + a.snapshotsHoldingKey()
                                + " snapshot(s)")).append("</title></circle>\n");
            }
            b.append("<polyline fill=\"none\" stroke=\"").append(colour).append("\" stroke-width=\"2\" points=\"")
                    .append(points.toString().trim()).append("\"/>\n");
            // the key's name in its line's colour (a style: the page's CSS gives every svg text a fill), one under another
            b.append("<text class=\"series\" x=\"6\" y=\"").append(plotTop + 12 + 14 * drawn++).append("\" style=\"fill:").append(colour)
                    .append("\">").append(esc(shortId(k.keyId()))).append("</text>\n");
        }
        b.append("</svg>\n");
    }

    private static void table(StringBuilder b, ProjectHistory p) {
        b.append("<table class=\"keys\"><thead><tr><th>Key</th><th>State</th><th>KMS</th><th>Created</th><th>Retired</th>"
                + "<th>Safe after</th><th>Deletion</th></tr></thead><tbody>\n");
        for (KeyHistory k : p.keys()) {
            b.append("<tr><td><code>").append(esc(k.keyId())).append("</code></td><td><span class=\"swatch\" style=\"background:")
                    .append(STATE_COLOURS.getOrDefault(k.lifecycle(), "#c8c8c8")).append("\"></span>").append(esc(k.lifecycle()))
                    .append("</td><td>").append(esc(String.valueOf(k.kmsState()))).append("</td><td>").append(esc(day(k.createdAt())))
                    .append("</td><td>").append(esc(day(k.retiredAt()))).append("</td><td>").append(esc(day(k.safeAfter())))
                    .append("</td><td>").append(esc(day(k.deletionDate()))).append("</td></tr>\n");
        }
        b.append("</tbody></table>\n<details open><summary>Timeline</summary><table class=\"timeline\"><tbody>\n");
        for (Event e : p.timeline()) {
            b.append("<tr class=\"").append(esc(e.kind())).append("\"><td>").append(esc(TimelineText.date(e.at()))).append("</td><td><code>")
                    .append(esc(e.keyId() == null ? "project" : e.keyId())).append("</code></td><td>").append(esc(e.text()))
                    .append("</td></tr>\n");
        }
        b.append("</tbody></table></details>\n");
    }

    private static String legend() {
        StringBuilder b = new StringBuilder("<div class=\"legend\"><svg width=\"")
                .append(WIDTH).append("\" height=\"26\" role=\"img\" aria-label=\"Legend\">\n");
        int x = 6;
        for (Map.Entry<String, String> e : STATE_COLOURS.entrySet()) {
            b.append("<rect x=\"").append(x).append("\" y=\"6\" width=\"16\" height=\"12\" fill=\"").append(e.getValue())
                    .append("\"/><text x=\"").append(x + 21).append("\" y=\"16\">").append(esc(e.getKey())).append("</text>\n");
            x += 30 + 7 * e.getKey().length();
        }
        b.append("<g class=\"rotation succeeded\"><line x1=\"").append(x + 5).append("\" x2=\"").append(x + 5)
                .append("\" y1=\"4\" y2=\"22\"/></g><text x=\"").append(x + 13).append("\" y=\"16\">rotation</text>\n");
        x += 80;
        b.append("<circle class=\"audit\" cx=\"").append(x + 5).append("\" cy=\"12\" r=\"5\"/><text x=\"").append(x + 15)
                .append("\" y=\"16\">audit</text>\n");
        x += 62;
        b.append("<path class=\"rescue\" d=\"M").append(x).append(" 6 l12 12 m0 -12 l-12 12\"/><text x=\"").append(x + 17)
                .append("\" y=\"16\">rescue</text>\n");
        x += 70;
        b.append("<line class=\"safe-after\" x1=\"").append(x + 4).append("\" x2=\"").append(x + 4).append("\" y1=\"4\" y2=\"22\"/><text x=\"")
                .append(x + 11).append("\" y=\"16\">safe-after</text>\n");
        x += 86;
        b.append("<line class=\"now\" x1=\"").append(x + 4).append("\" x2=\"").append(x + 4).append("\" y1=\"4\" y2=\"22\"/><text x=\"")
                .append(x + 11).append("\" y=\"16\">now</text>\n");
        return b.append("</svg></div>\n").toString();
    }

    private static final String CSS = """
            body{font:14px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:16px 20px;color:#1d1d1f;background:#fff}
            h1{font-size:20px;margin:0 0 4px}h2{font-size:16px;margin:18px 0 6px}h3{font-size:13px;margin:8px 0 2px;color:#444}
            small,.meta{color:#666;font-weight:normal}.pid{font-family:ui-monospace,Menlo,Consolas,monospace}
            code{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:12px}
            section.project{border-top:1px solid #ddd;padding-top:6px}
            ul.notes{margin:4px 0;padding-left:18px;color:#6b4e00}li.bad{color:#a40000}
            svg text{font:11px ui-monospace,Menlo,Consolas,monospace;fill:#222}svg text.tick{fill:#666;text-anchor:middle}
            svg .lane{stroke:#eee}svg .grid{stroke:#eee}svg .axis{stroke:#999}
            svg .rotation line{stroke:#333;stroke-dasharray:3 3}svg .rotation path{fill:#333}
            svg .rotation.failed line,svg .rotation.rolled-back line{stroke:#c00}svg .rotation.failed path,svg .rotation.rolled-back path{fill:#c00}
            svg .audit{fill:#fff;stroke:#111;stroke-width:2}svg .rescue{stroke:#c00;stroke-width:3;fill:none}
            svg .safe-after{stroke:#111;stroke-width:2;stroke-dasharray:2 2}svg .now{stroke:#c00;stroke-width:1.5}
            table{border-collapse:collapse;margin:8px 0}td,th{border-bottom:1px solid #eee;padding:2px 8px;text-align:left;font-size:12px;white-space:nowrap}
            table.timeline td:last-child{white-space:normal}
            .swatch{display:inline-block;width:10px;height:10px;margin-right:5px;border-radius:2px}
            summary{cursor:pointer;font-weight:600;font-size:13px}
            """;

    static String esc(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    private static String f(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    private static String day(Instant t) {
        return t == null ? "" : t.truncatedTo(ChronoUnit.MINUTES).toString();
    }

    private static String days(Integer d) {
        return d == null ? "default" : d + " days";
    }

    private static String shortId(String keyId) {
        return keyId.length() > 13 ? keyId.substring(0, 13) + "\u2026" : keyId;
    }
}
