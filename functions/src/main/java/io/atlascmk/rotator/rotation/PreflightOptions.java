package io.atlascmk.rotator.rotation;

/**
 * How the operator (or the schedule) asked for the rotation.
 *
 * @param force           rotate even inside the cooldown; never overrides the one-rotation lock or an
 *                        invalid configuration
 * @param waitForClusters wait for busy clusters instead of refusing
 * @param cooldownDays    no scheduled or alert-started rotation within this many days of the last one;
 *                        0 turns the cooldown off
 */
public record PreflightOptions(boolean force, boolean waitForClusters, int cooldownDays) {

    public PreflightOptions {
        if (cooldownDays < 0) {
            throw new IllegalArgumentException("cooldownDays must not be negative: " + cooldownDays);
        }
    }
}
