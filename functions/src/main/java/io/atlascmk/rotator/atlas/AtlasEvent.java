package io.atlascmk.rotator.atlas;

import java.time.Instant;

/** A project event, e.g. {@code AWS_ENCRYPTION_KEY_ROTATED}. */
public record AtlasEvent(String id, String eventTypeName, Instant created) {
}
