package io.atlascmk.rotator.aws;

import java.util.Objects;

/**
 * Where a project's keys are: an AWS region, of the deployment's own account or of another one.
 *
 * @param region  the AWS region name, such as {@code us-east-1}
 * @param account the other account and how to reach it; null: the deployment's own account
 */
public record KeyPlace(String region, KeyAccount account) {

    public KeyPlace {
        Objects.requireNonNull(region, "region");
    }

    /** A region of the deployment's own account. */
    public static KeyPlace home(String region) {
        return new KeyPlace(region, null);
    }

    public boolean isHome() {
        return account == null;
    }
}
