package io.atlascmk.rotator.evidence;

/**
 * Where the full evidence of a run goes (the stack's evidence bucket), so that the execution's state and events carry
 * a summary and stay far below Step Functions' and EventBridge's 256 KB, however many clusters and keys a project has.
 */
public interface EvidenceStore {

    /** No store: the evidence stays whole in the step's result (tests and local runs without a bucket). */
    EvidenceStore NONE = (projectId, rotationId, step, json) -> null;

    /**
     * Stores one step's full evidence of one run.
     *
     * @return where it is ({@code s3://bucket/key}), or null when this store keeps nothing
     */
    String put(String projectId, String rotationId, String step, byte[] json);
}
