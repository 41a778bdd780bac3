package io.atlascmk.rotator.atlas;

/**
 * An alert's threshold; for {@code AWS_ENCRYPTION_KEY_NEEDS_ROTATION}: {@code GREATER_THAN n DAYS} since the key was
 * last changed in Atlas.
 */
public record AlertThreshold(String operator, Integer threshold, String units) {

    public static AlertThreshold greaterThanDays(int days) {
        return new AlertThreshold("GREATER_THAN", days, "DAYS");
    }

    @Override
    public String toString() {
        return operator + " " + threshold + " " + units;
    }
}
