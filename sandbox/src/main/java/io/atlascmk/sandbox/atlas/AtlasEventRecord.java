package io.atlascmk.sandbox.atlas;

import java.time.Instant;

/** A project event, e.g. {@code AWS_ENCRYPTION_KEY_ROTATED}. */
public record AtlasEventRecord(String id, String eventTypeName, Instant created) {
}
