package io.atlascmk.rotator.rotation;

/**
 * Answers whether a rotation (a workflow execution, named by its rotation id) is still running. A
 * {@code pending} key is the project's lock only while the rotation that created it runs; Preflight
 * asks this to tell a live lock from one left behind by a dead run.
 *
 * <p>In AWS the answer comes from Step Functions ({@code DescribeExecution} of the execution ARN
 * built from {@code ROTATOR_STATE_MACHINE_ARN} and the rotation id); the local runner passes its own.
 * An implementation that cannot tell must throw, never guess "not running": a wrong "not running"
 * would let two rotations of one project run at once.
 */
@FunctionalInterface
public interface RotationRegistry {

    /**
     * @param rotationId the execution name that created a pending key
     * @return true while that execution runs; false when it ended (succeeded, failed, timed out,
     *         aborted) or never existed in this workflow
     */
    boolean isRunning(String rotationId);
}
