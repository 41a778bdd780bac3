package io.atlascmk.rotator.rotation;

import java.util.List;

/**
 * Output of AuditAndRetire, stored by the workflow at {@code $.audit}.
 *
 * @param keys              one entry per retired or abandoned key of the project
 * @param snapshotsAudited  snapshots read, over every cluster (each cluster read once per run)
 * @param clustersAudited   clusters whose snapshots were read (live ones and readable extra ones)
 * @param evidence          where the whole result is ({@code s3://...}) when this one is a summary: each key's
 *                          evidence cut to the {@value #CLUSTERS_SHOWN} clusters holding most of its snapshots and its
 *                          reasons to the first {@value #REASONS_SHOWN}; null when this result is whole
 */
public record AuditAndRetireResult(List<AuditedKey> keys, int snapshotsAudited, int clustersAudited, String evidence) {

    /** How many clusters per key, and reasons per key, a summary shows. */
    public static final int CLUSTERS_SHOWN = 10;
    public static final int REASONS_SHOWN = 5;
    /** The longest reason a summary shows whole. */
    public static final int REASON_CHARS = 1_000;

    public AuditAndRetireResult {
        keys = List.copyOf(keys);
    }

    /** A whole result (no evidence stored elsewhere). */
    public AuditAndRetireResult(List<AuditedKey> keys, int snapshotsAudited, int clustersAudited) {
        this(keys, snapshotsAudited, clustersAudited, null);
    }

    /** This result cut to a summary that points at {@code evidenceUri}, where it is kept whole. */
    public AuditAndRetireResult summarized(String evidenceUri) {
        List<AuditedKey> cut = keys.stream().map(k -> {
            java.util.Map<String, Integer> top = new java.util.LinkedHashMap<>();
            k.evidence().entrySet().stream()
                    .sorted(java.util.Map.Entry.<String, Integer>comparingByValue().reversed()
                            .thenComparing(java.util.Map.Entry.comparingByKey()))
                    .limit(CLUSTERS_SHOWN).forEach(e -> top.put(e.getKey(), e.getValue()));
            List<String> reasons = new java.util.ArrayList<>(k.reasons().stream().limit(REASONS_SHOWN)
                    .map(r -> r.length() <= REASON_CHARS ? r : r.substring(0, REASON_CHARS) + "... (whole in the evidence)")
                    .toList());
            if (k.reasons().size() > REASONS_SHOWN || k.evidence().size() > CLUSTERS_SHOWN) {
                reasons.add((k.reasons().size() - Math.min(REASONS_SHOWN, k.reasons().size())) + " more reason(s) and "
                        + Math.max(0, k.evidence().size() - CLUSTERS_SHOWN) + " more cluster(s) in " + evidenceUri + ".");
            }
            return new AuditedKey(k.keyId(), k.state(), k.decision(), k.safeAfter(), k.deletionDate(), reasons, top,
                    k.usage(), k.previousSafeAfter());
        }).toList();
        return new AuditAndRetireResult(cut, snapshotsAudited, clustersAudited, evidenceUri);
    }
}
