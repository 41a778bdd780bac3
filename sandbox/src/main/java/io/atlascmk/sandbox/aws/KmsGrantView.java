package io.atlascmk.sandbox.aws;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A snapshot of one KMS grant, as ListGrants reports it.
 *
 * @param keyArn                  the key the grant is on
 * @param grantId                 64 hexadecimal digits
 * @param name                    the Name CreateGrant was given; null when none
 * @param retiringPrincipal       null when the grant names none
 * @param issuingAccount          the account root that issued the grant ({@code arn:aws:iam::<account>:root})
 * @param operations              in the order CreateGrant listed them, without repeats
 * @param encryptionContextEquals the {@code EncryptionContextEquals} constraint; null when none
 * @param encryptionContextSubset the {@code EncryptionContextSubset} constraint; null when none
 */
public record KmsGrantView(
        String keyArn,
        String grantId,
        String name,
        Instant creationDate,
        String granteePrincipal,
        String retiringPrincipal,
        String issuingAccount,
        List<String> operations,
        Map<String, String> encryptionContextEquals,
        Map<String, String> encryptionContextSubset) {

    public KmsGrantView {
        operations = List.copyOf(operations);
        encryptionContextEquals = encryptionContextEquals == null ? null
                : Collections.unmodifiableMap(new LinkedHashMap<>(encryptionContextEquals));
        encryptionContextSubset = encryptionContextSubset == null ? null
                : Collections.unmodifiableMap(new LinkedHashMap<>(encryptionContextSubset));
    }
}
