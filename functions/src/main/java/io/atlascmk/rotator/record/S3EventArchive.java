package io.atlascmk.rotator.record;

import java.util.Objects;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/** The evidence bucket's {@code events/} archive, through the functions' shared S3 client. */
public final class S3EventArchive implements EventArchive {

    private final S3Client s3;
    private final String bucket;

    public S3EventArchive(S3Client s3, String bucket) {
        this.s3 = Objects.requireNonNull(s3, "s3");
        this.bucket = Objects.requireNonNull(bucket, "bucket");
    }

    @Override
    public String put(String key, byte[] json) {
        try {
            s3.putObject(b -> b.bucket(bucket).key(key).contentType("application/json"), RequestBody.fromBytes(json));
        } catch (SdkException e) {
            throw new EventArchiveUnavailableException("Could not store the event at " + key + " in bucket " + bucket
                    + ": " + e.getClass().getSimpleName() + ". EventBridge delivers the event again; if this goes on,"
                    + " check the Record function's s3:PutObject permission on events/* and the bucket.", e);
        }
        return "s3://" + bucket + "/" + key;
    }
}
