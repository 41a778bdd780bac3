package io.atlascmk.rotator.record;

/** Where the Record function keeps each event (the stack's evidence bucket, under {@code events/}). */
public interface EventArchive {

    /**
     * Stores {@code json} at {@code key}, replacing what a delivery of the same event stored before.
     *
     * @return where it is ({@code s3://bucket/key})
     * @throws EventArchiveUnavailableException when it could not be stored (EventBridge then delivers the event again)
     */
    String put(String key, byte[] json);
}
