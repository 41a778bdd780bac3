package io.atlascmk.rotator.atlas;

/**
 * An AWS IAM role Atlas assumes (cloud provider access).
 *
 * @param roleId             Atlas's id for the role ({@code awsKms.roleId} refers to it)
 * @param providerName       {@code AWS}
 * @param iamAssumedRoleArn  the IAM role ARN Atlas assumes; the key policy grants it
 * @param atlasAWSAccountArn Atlas's AWS principal
 */
public record CloudProviderAccessRole(
        String roleId,
        String providerName,
        String iamAssumedRoleArn,
        String atlasAWSAccountArn) {
}
