package io.atlascmk.rotator.atlas;

/**
 * An AWS IAM role Atlas assumes (cloud provider access).
 *
 * @param roleId             Atlas's id for the role ({@code awsKms.roleId} refers to it)
 * @param providerName       {@code AWS}
 * @param iamAssumedRoleArn  the IAM role ARN Atlas assumes; the key policy grants it
 * @param atlasAWSAccountArn Atlas's AWS principal
 * @param authorizedDate     when the role was authorized (its trust policy lets Atlas assume it); null while it is not,
 *                           and Atlas then cannot use it for encryption at rest
 */
public record CloudProviderAccessRole(
        String roleId,
        String providerName,
        String iamAssumedRoleArn,
        String atlasAWSAccountArn,
        java.time.Instant authorizedDate) {

    public boolean isAuthorized() {
        return authorizedDate != null;
    }
}
