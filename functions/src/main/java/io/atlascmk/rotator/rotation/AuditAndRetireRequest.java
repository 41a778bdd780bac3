package io.atlascmk.rotator.rotation;

import io.atlascmk.rotator.kms.KeyService;
import java.util.List;

/**
 * Input of AuditAndRetire (see {@code events/audit-and-retire.json}).
 *
 * @param projectId         Atlas project id
 * @param rotationId        the rotation or sweep (execution name)
 * @param dryRun            report only, write nothing
 * @param pendingWindowDays KMS pending window for scheduled deletions, 7 to 30
 * @param extraClusterNames clusters that no longer exist but may keep snapshots; optional
 */
public record AuditAndRetireRequest(
        String projectId,
        String rotationId,
        Boolean dryRun,
        Integer pendingWindowDays,
        List<String> extraClusterNames) {

    public AuditAndRetireRequest {
        Inputs.projectId("projectId", projectId);
        Inputs.rotationId("rotationId", rotationId);
        if (dryRun == null) {
            throw new InvalidInputException("dryRun", "is required: true to only report, false to act.");
        }
        Inputs.required("pendingWindowDays", pendingWindowDays, KeyService.MIN_PENDING_WINDOW_DAYS,
                KeyService.MAX_PENDING_WINDOW_DAYS, "days");
        extraClusterNames = Inputs.clusterNames("extraClusterNames", extraClusterNames);
    }

    public boolean isDryRun() {
        return dryRun;
    }
}
