package io.atlascmk.rotator.rotation;

import java.util.List;

/**
 * Output of CreateKey, stored by the workflow at {@code $.newKey}.
 *
 * @param keyId       the new key's id ({@code mrk-...} for a multi-Region key)
 * @param keyArn      the new key's ARN
 * @param region      its AWS region (the current key's region)
 * @param multiRegion it is a multi-Region primary key
 * @param created     true when this call created it; false when a re-run found the key this rotation
 *                    had already created
 * @param anomalies   other rotations' {@code pending} keys of the project found while this run holds the
 *                    lock (reported, left alone); empty normally
 */
public record CreateKeyResult(String keyId, String keyArn, String region, boolean multiRegion, boolean created,
        List<String> anomalies) {

    public CreateKeyResult {
        anomalies = anomalies == null ? List.of() : List.copyOf(anomalies);
    }
}
