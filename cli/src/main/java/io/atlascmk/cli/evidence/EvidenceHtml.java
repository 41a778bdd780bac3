package io.atlascmk.cli.evidence;

import io.atlascmk.cli.evidence.EvidenceReport.Gap;
import io.atlascmk.cli.evidence.EvidenceReport.KeyDecision;
import io.atlascmk.cli.evidence.EvidenceReport.KeySpan;
import io.atlascmk.cli.evidence.EvidenceReport.Policy;
import io.atlascmk.cli.evidence.EvidenceReport.ProjectEvidence;
import io.atlascmk.cli.evidence.EvidenceReport.Rotation;
import io.atlascmk.cli.evidence.EvidenceReport.Summary;
import java.util.stream.Collectors;

/**
 * The report as one self-contained HTML page (inline style, no script, no external asset): a summary at the top, then
 * per project its policy, a table of its rotations (one row per rotation, audit and judged key), its keys, and a
 * visible section of every missing record. Every text from the sources is HTML-escaped.
 */
public final class EvidenceHtml {

    private static final String STYLE = """
            body{font-family:system-ui,-apple-system,Segoe UI,Helvetica,Arial,sans-serif;margin:2em;color:#1b1b1b}
            table{border-collapse:collapse;margin:.5em 0 1.5em;font-size:.85em}
            th,td{border:1px solid #bbb;padding:.25em .5em;text-align:left;vertical-align:top}
            th{background:#eee}
            code{font-size:.95em}
            .gaps{border:2px solid #b00;background:#fff4f4;padding:.5em 1em;margin:1em 0}
            .gaps h3{color:#b00;margin-top:.2em}
            .ok{color:#060}.no{color:#b00;font-weight:bold}.unknown{color:#850}
            .note{color:#555}
            """;

    private EvidenceHtml() {
    }

    public static String write(EvidenceReport report) {
        StringBuilder h = new StringBuilder();
        h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<title>Atlas CMK rotation evidence ").append(esc(report.period().from())).append(" to ")
                .append(esc(report.period().to())).append("</title>\n<style>").append(STYLE).append("</style>\n</head>\n<body>\n");
        h.append("<h1>Atlas CMK rotation evidence</h1>\n");
        h.append("<p>Period: ").append(esc(report.period().text())).append(".<br>Generated at ")
                .append(esc(report.generatedAt())).append(".</p>\n");
        Summary s = report.summary();
        h.append("<h2>Summary</h2>\n<table class=\"summary\">\n")
                .append(tr("th", "Projects", "Rotations", "Within policy", "Not within policy", "Policy unknown", "Gaps"))
                .append(tr("td", s.projects(), s.rotations(), s.withinPolicy(), s.notWithinPolicy(), s.policyUnknown(), s.gaps()))
                .append("</table>\n");
        if (report.projects().isEmpty()) {
            h.append("<p class=\"note\">No project to report.</p>\n");
        }
        for (ProjectEvidence p : report.projects()) {
            project(h, p);
        }
        h.append("</body>\n</html>\n");
        return h.toString();
    }

    private static void project(StringBuilder h, ProjectEvidence p) {
        h.append("<h2>Project <code>").append(esc(p.projectId())).append("</code> (keys in ").append(esc(p.region()))
                .append(")</h2>\n");
        Policy pol = p.policy();
        h.append("<p>Policy: ").append(esc(pol.schedule() == null ? "no schedule known" : pol.schedule()))
                .append(pol.scheduleTimeZone() == null ? "" : " " + esc(pol.scheduleTimeZone()))
                .append("; interval: ").append(esc(pol.interval())).append(".<br>Longest active: ");
        if (pol.longestActive() == null) {
            h.append("no key known to have been active in the period");
        } else {
            h.append("key <code>").append(esc(pol.longestActive().keyId())).append("</code>, ")
                    .append(esc(EvidenceBuilder.format(pol.longestActive().days()))).append(" days (")
                    .append(esc(pol.longestActive().from())).append(" to ").append(esc(pol.longestActive().to()))
                    .append(", ").append(esc(pol.longestActive().until())).append(")");
        }
        h.append(".<br>Within policy: <span class=\"").append(EvidenceBuilder.YES.equals(pol.withinPolicy()) ? "ok"
                        : EvidenceBuilder.NO.equals(pol.withinPolicy()) ? "no" : "unknown").append("\">")
                .append(esc(pol.withinPolicy())).append("</span>. ").append(esc(pol.explanation())).append("</p>\n");

        if (!p.gaps().isEmpty()) {
            h.append("<section class=\"gaps\">\n<h3>Missing records (").append(p.gaps().size()).append(")</h3>\n<ul>\n");
            for (Gap g : p.gaps()) {
                h.append("<li><b>").append(esc(g.kind())).append("</b>: ").append(esc(g.text()))
                        .append("<br><i>What to do:</i> ").append(esc(g.action())).append("</li>\n");
            }
            h.append("</ul>\n</section>\n");
        }
        for (String note : p.notes()) {
            h.append("<p class=\"note\">").append(esc(note)).append("</p>\n");
        }

        if (!p.rotations().isEmpty()) {
            h.append("<h3>Rotations</h3>\n<table class=\"rotations\">\n").append(tr("th", "Rotation", "Kind", "Outcome",
                    "Started", "Ended", "Trigger", "Old key", "New key", "Audited", "Key judged", "Decision", "Reasons",
                    "Safe after", "Snapshots per cluster", "Deletion scheduled on", "Deletion scheduled for", "Notes"));
            for (Rotation r : p.rotations()) {
                String notes = String.join("; ", r.notes());
                if (r.audit() == null || r.audit().keys().isEmpty()) {
                    h.append(rotationRow(r, null, r.audit() == null ? notes
                            : (notes.isEmpty() ? "" : notes + "; ") + "its audit judged no key"));
                } else {
                    for (KeyDecision k : r.audit().keys()) {
                        h.append(rotationRow(r, k, notes));
                    }
                }
            }
            h.append("</table>\n");
        }

        if (!p.keys().isEmpty()) {
            h.append("<h3>Keys</h3>\n<table class=\"keys\">\n").append(tr("th", "Key", "State now", "Created by",
                    "Created", "Active since", "Retired", "Deletion scheduled on", "Deletion scheduled for", "Rescued"));
            for (KeySpan k : p.keys()) {
                h.append(tr("td", k.keyId(), k.lifecycle(), k.createdBy() != null ? k.createdBy()
                                : k.adoptedBy() != null ? "adopted by " + k.adoptedBy() : null, k.createdAt(),
                        k.activeSince(), k.retiredAt(), k.deletionScheduledOn(), k.deletionDate(), k.rescuedAt()));
            }
            h.append("</table>\n");
        }
    }

    private static String rotationRow(Rotation r, KeyDecision k, String notes) {
        return tr("td", r.rotationId(), r.kind(), r.outcome(), r.startedAt() == null ? "not recorded" : r.startedAt(),
                r.endedAt(), r.trigger() == null ? "not recorded" : r.trigger(), r.previousKey(), r.newKey(),
                r.audit() == null ? null : r.audit().auditedAt(),
                k == null ? null : k.keyId(), k == null ? null : k.decision(),
                k == null ? null : String.join("\n", k.reasons()), k == null ? null : k.safeAfter(),
                k == null ? null : k.snapshotsByCluster().entrySet().stream().map(e -> e.getKey() + ": " + e.getValue())
                        .collect(Collectors.joining("\n")),
                k == null ? null : k.deletionScheduledOn(), k == null ? null : k.deletionDate(), notes);
    }

    private static String tr(String cell, Object... values) {
        StringBuilder b = new StringBuilder("<tr>");
        for (Object v : values) {
            b.append('<').append(cell).append('>').append(esc(v).replace("\n", "<br>")).append("</").append(cell).append('>');
        }
        return b.append("</tr>\n").toString();
    }

    /** Text as HTML: {@code & < > " '} escaped; null as empty. */
    static String esc(Object value) {
        if (value == null) {
            return "";
        }
        String s = value.toString();
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }
}
