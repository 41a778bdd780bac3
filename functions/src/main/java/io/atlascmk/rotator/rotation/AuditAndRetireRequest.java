package io.atlascmk.rotator.rotation;

import io.atlascmk.rotator.kms.KeyService;
import java.time.Duration;
import java.util.List;

/**
 * Input of AuditAndRetire (see {@code events/audit-and-retire.json}).
 *
 * @param projectId         Atlas project id
 * @param rotationId        the rotation or sweep (execution name)
 * @param dryRun            report only, write nothing
 * @param pendingWindowDays KMS pending window for scheduled deletions, 7 to 30
 * @param extraClusterNames clusters that no longer exist but may keep snapshots; optional
 * @param minRetirementDays no retired key is deleted sooner after its retirement; optional (default
 *                          {@value Inputs#DEFAULT_MIN_RETIREMENT_DAYS}), at least
 *                          {@value Inputs#MIN_RETIREMENT_DAYS_FLOOR}
 * @param settleSeconds     Atlas may still use the old key this long after its retirement (re-wrapping);
 *                          uses before retired-at plus this are not counted; optional (default
 *                          {@value #DEFAULT_SETTLE_SECONDS}), 0 to 3600
 * @param adoptedKeys       {@code keep} or {@code delete-when-unused} (default): whether adopted keys may go
 */
public record AuditAndRetireRequest(
        String projectId,
        String rotationId,
        Boolean dryRun,
        Integer pendingWindowDays,
        List<String> extraClusterNames,
        Integer minRetirementDays,
        Integer settleSeconds,
        String adoptedKeys) {

    public static final int DEFAULT_SETTLE_SECONDS = 300;

    /** A request with the default minimum retirement age and settle time. */
    public AuditAndRetireRequest(String projectId, String rotationId, Boolean dryRun, Integer pendingWindowDays,
                                 List<String> extraClusterNames) {
        this(projectId, rotationId, dryRun, pendingWindowDays, extraClusterNames, null, null, null);
    }

    /** A request with the default settle time. */
    public AuditAndRetireRequest(String projectId, String rotationId, Boolean dryRun, Integer pendingWindowDays,
                                 List<String> extraClusterNames, Integer minRetirementDays) {
        this(projectId, rotationId, dryRun, pendingWindowDays, extraClusterNames, minRetirementDays, null, null);
    }

    public AuditAndRetireRequest {
        Inputs.projectId("projectId", projectId);
        Inputs.rotationId("rotationId", rotationId);
        if (dryRun == null) {
            throw new InvalidInputException("dryRun", "is required: true to only report, false to act.");
        }
        Inputs.required("pendingWindowDays", pendingWindowDays, KeyService.MIN_PENDING_WINDOW_DAYS,
                KeyService.MAX_PENDING_WINDOW_DAYS, "days");
        extraClusterNames = Inputs.clusterNames("extraClusterNames", extraClusterNames);
        if (minRetirementDays == null) {
            minRetirementDays = Inputs.DEFAULT_MIN_RETIREMENT_DAYS;
        }
        Inputs.inRange("minRetirementDays", minRetirementDays, Inputs.MIN_RETIREMENT_DAYS_FLOOR,
                Inputs.MAX_RETIREMENT_DAYS, "days");
        if (settleSeconds == null) {
            settleSeconds = DEFAULT_SETTLE_SECONDS;
        }
        Inputs.inRange("settleSeconds", settleSeconds, 0, Inputs.MAX_SETTLE_SECONDS, "seconds");
        if (adoptedKeys == null) {
            adoptedKeys = Inputs.ADOPTED_DELETE_WHEN_UNUSED;
        }
        Inputs.adoptedKeys("adoptedKeys", adoptedKeys);
    }

    public boolean keepsAdoptedKeys() {
        return Inputs.ADOPTED_KEEP.equals(adoptedKeys);
    }

    /** How long after its retirement Atlas may still use the old key. */
    public Duration settle() {
        return Duration.ofSeconds(settleSeconds);
    }

    /** How long a retired key stays before it may be deleted. */
    public Duration minRetirement() {
        return Duration.ofDays(minRetirementDays);
    }

    public boolean isDryRun() {
        return dryRun;
    }
}
