package io.atlascmk.sandbox.atlas;

import java.time.Instant;
import java.util.Objects;

/**
 * A cloud provider access role of a project: the AWS IAM role Atlas assumes. {@code roleId} is what
 * {@code awsKms.roleId} refers to; {@code iamAssumedRoleArn} is the role the key policy must grant.
 *
 * @param authorizedDate null while the role is not authorized (Atlas then refuses it for encryption at rest)
 */
public record AwsIamRole(
        String roleId,
        String iamAssumedRoleArn,
        String atlasAWSAccountArn,
        String atlasAssumedRoleExternalId,
        Instant createdDate,
        Instant authorizedDate) {

    public AwsIamRole {
        if (!ObjectIds.isValid(roleId)) {
            throw new IllegalArgumentException("A roleId is 24 lower-case hex digits; got '" + roleId + "'.");
        }
        Objects.requireNonNull(iamAssumedRoleArn, "iamAssumedRoleArn");
        Objects.requireNonNull(atlasAWSAccountArn, "atlasAWSAccountArn");
        Objects.requireNonNull(atlasAssumedRoleExternalId, "atlasAssumedRoleExternalId");
        Objects.requireNonNull(createdDate, "createdDate");
    }

    public boolean authorized() {
        return authorizedDate != null;
    }
}
