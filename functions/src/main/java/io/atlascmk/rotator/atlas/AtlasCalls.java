package io.atlascmk.rotator.atlas;

/**
 * What an Atlas client did since it was last asked ({@link AtlasApi#takeCalls()}): requests sent (every attempt),
 * retries made after a transient failure, and 429 answers seen.
 */
public record AtlasCalls(long requests, long retries, long rateLimited) {

    public static final AtlasCalls NONE = new AtlasCalls(0, 0, 0);

    /** Whether any request was sent. */
    public boolean calledAtlas() {
        return requests > 0;
    }
}
