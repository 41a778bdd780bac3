package io.atlascmk.rotator.kms;

import java.util.List;

/**
 * One grant on a KMS key: who may use the key that way, besides its policy.
 *
 * @param grantId          the grant
 * @param granteePrincipal who it lets use the key
 * @param operations       what it lets them do, e.g. {@code Decrypt}
 */
public record KeyGrant(String grantId, String granteePrincipal, List<String> operations) {

    public KeyGrant {
        operations = operations == null ? List.of() : List.copyOf(operations);
    }
}
