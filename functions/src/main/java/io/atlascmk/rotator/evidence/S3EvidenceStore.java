package io.atlascmk.rotator.evidence;

import java.util.Objects;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The evidence bucket: one object per step of each execution, {@code evidence/<projectId>/<rotationId>/<step>.json}
 * (the bucket is versioned, so a re-run's evidence never replaces the first run's).
 */
public final class S3EvidenceStore implements EvidenceStore {

    private final S3Client s3;
    private final String bucket;

    public S3EvidenceStore(S3Client s3, String bucket) {
        this.s3 = Objects.requireNonNull(s3, "s3");
        this.bucket = Objects.requireNonNull(bucket, "bucket");
    }

    @Override
    public String put(String projectId, String rotationId, String step, byte[] json) {
        String key = "evidence/" + projectId + "/" + rotationId + "/" + step + ".json";
        try {
            s3.putObject(b -> b.bucket(bucket).key(key).contentType("application/json"), RequestBody.fromBytes(json));
        } catch (SdkException e) {
            throw new EvidenceUnavailableException("Could not store the evidence of " + rotationId + " (" + step
                    + ") in bucket " + bucket + ": " + e.getClass().getSimpleName() + ". The step's writes were made"
                    + " (and are idempotent); the workflow retries it, which decides again and stores the evidence.", e);
        }
        return "s3://" + bucket + "/" + key;
    }
}
