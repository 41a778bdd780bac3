package io.atlascmk.sandbox;

/**
 * What the Atlas simulator asks the KMS stand-in: can the IAM role Atlas assumes use this key for
 * encryption at rest? True only when the key exists, is {@code Enabled}, and its policy allows the
 * role {@code kms:Encrypt} and {@code kms:Decrypt}. Atlas reports {@code valid: false} otherwise.
 */
@FunctionalInterface
public interface KeyAccess {

    /**
     * @param keyReference a key id, multi-Region id or key ARN, as Atlas holds it
     * @param roleArn      the IAM role ARN Atlas assumes (from cloud provider access)
     */
    boolean atlasRoleCanUse(String keyReference, String roleArn);
}
