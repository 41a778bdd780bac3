package io.atlascmk.cli.evidence;

import io.atlascmk.cli.evidence.EvidenceReport.Gap;
import io.atlascmk.cli.evidence.EvidenceReport.KeyDecision;
import io.atlascmk.cli.evidence.EvidenceReport.Policy;
import io.atlascmk.cli.evidence.EvidenceReport.ProjectEvidence;
import io.atlascmk.cli.evidence.EvidenceReport.Rotation;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The report as RFC 4180 CSV: a header row, then one row per rotation, audit and judged key ({@code row_type}
 * {@code audit-key}); a rotation whose audit judged no key or that has none is one {@code rotation} row; a project with
 * nothing in the period one {@code none} row; every gap one {@code gap} row. The project's policy columns repeat on
 * every row of the project. Lines end with CRLF; a field with a comma, quote, CR or LF is quoted, quotes doubled.
 */
public final class EvidenceCsv {

    /** The columns, in order (README: "Evidence for auditors"). */
    public static final List<String> COLUMNS = List.of(
            "project_id", "period_from_inclusive", "period_to_exclusive", "row_type",
            "rotation_id", "kind", "outcome", "started_at", "ended_at", "trigger", "old_key", "new_key",
            "audited_at", "audit_object", "key_id", "decision", "reasons", "safe_after", "snapshots_by_cluster",
            "deletion_scheduled_on", "deletion_scheduled_for",
            "schedule", "policy_interval_days", "longest_active_key", "longest_active_days", "within_policy",
            "gap_kind", "note");

    private EvidenceCsv() {
    }

    public static String write(EvidenceReport report) {
        StringBuilder out = new StringBuilder();
        row(out, COLUMNS);
        for (ProjectEvidence p : report.projects()) {
            for (Rotation r : p.rotations()) {
                String note = String.join("; ", r.notes());
                if (r.audit() == null || r.audit().keys().isEmpty()) {
                    String n = r.audit() == null ? note : join(note, "its audit judged no key");
                    row(out, values(report, p, "rotation", r, null, null, n));
                    continue;
                }
                for (KeyDecision k : r.audit().keys()) {
                    row(out, values(report, p, "audit-key", r, k, null, note));
                }
            }
            if (p.rotations().isEmpty()) {
                row(out, values(report, p, "none", null, null, null, String.join("; ", p.notes())));
            }
            for (Gap g : p.gaps()) {
                row(out, values(report, p, "gap", null, null, g, g.text() + " | what to do: " + g.action()));
            }
        }
        return out.toString();
    }

    private static List<String> values(EvidenceReport report, ProjectEvidence p, String rowType, Rotation r,
                                       KeyDecision k, Gap g, String note) {
        Policy policy = p.policy();
        String[] v = new String[COLUMNS.size()];
        Arrays.fill(v, "");
        set(v, "project_id", p.projectId());
        set(v, "period_from_inclusive", report.period().from());
        set(v, "period_to_exclusive", report.period().to());
        set(v, "row_type", rowType);
        if (r != null) {
            set(v, "rotation_id", r.rotationId());
            set(v, "kind", r.kind());
            set(v, "outcome", r.outcome());
            set(v, "started_at", r.startedAt());
            set(v, "ended_at", r.endedAt());
            set(v, "trigger", r.trigger());
            set(v, "old_key", r.previousKey());
            set(v, "new_key", r.newKey());
            if (r.audit() != null) {
                set(v, "audited_at", r.audit().auditedAt());
                set(v, "audit_object", r.audit().object());
            }
        }
        if (k != null) {
            set(v, "key_id", k.keyId());
            set(v, "decision", k.decision());
            set(v, "reasons", String.join(" | ", k.reasons()));
            set(v, "safe_after", k.safeAfter());
            set(v, "snapshots_by_cluster", k.snapshotsByCluster().entrySet().stream()
                    .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining("; ")));
            set(v, "deletion_scheduled_on", k.deletionScheduledOn());
            set(v, "deletion_scheduled_for", k.deletionDate());
        }
        set(v, "schedule", policy.schedule());
        set(v, "policy_interval_days", policy.intervalDays() == null ? policy.interval()
                : EvidenceBuilder.format(policy.intervalDays()));
        if (policy.longestActive() != null) {
            set(v, "longest_active_key", policy.longestActive().keyId());
            set(v, "longest_active_days", EvidenceBuilder.format(policy.longestActive().days()));
        }
        set(v, "within_policy", policy.withinPolicy());
        if (g != null) {
            set(v, "gap_kind", g.kind());
        }
        set(v, "note", note);
        return Arrays.asList(v);
    }

    private static void set(String[] values, String column, Object value) {
        values[COLUMNS.indexOf(column)] = value == null ? "" : value instanceof Instant i ? i.toString() : value.toString();
    }

    private static String join(String a, String b) {
        return a.isEmpty() ? b : a + "; " + b;
    }

    private static void row(StringBuilder out, List<String> fields) {
        List<String> quoted = new ArrayList<>(fields.size());
        for (String f : fields) {
            quoted.add(field(f));
        }
        out.append(String.join(",", quoted)).append("\r\n");
    }

    /** One field as RFC 4180 wants it: quoted when it holds a comma, quote, CR or LF; quotes doubled. */
    static String field(String value) {
        if (value.indexOf(',') < 0 && value.indexOf('"') < 0 && value.indexOf('\n') < 0 && value.indexOf('\r') < 0) {
            return value;
        }
        return '"' + value.replace("\"", "\"\"") + '"';
    }
}
