package io.atlascmk.rotator.kms;

import java.util.Set;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.kms.model.AlreadyExistsException;
import software.amazon.awssdk.services.kms.model.DependencyTimeoutException;
import software.amazon.awssdk.services.kms.model.DisabledException;
import software.amazon.awssdk.services.kms.model.KeyUnavailableException;
import software.amazon.awssdk.services.kms.model.KmsInternalException;
import software.amazon.awssdk.services.kms.model.KmsInvalidStateException;
import software.amazon.awssdk.services.kms.model.LimitExceededException;
import software.amazon.awssdk.services.kms.model.MalformedPolicyDocumentException;
import software.amazon.awssdk.services.kms.model.NotFoundException;
import software.amazon.awssdk.services.kms.model.TagException;

/**
 * Turns AWS SDK exceptions from KMS into the project's typed exceptions. Anything that is not an
 * SDK exception (a bug, or a test's simulated crash) is not touched.
 */
final class KmsErrors {

    /** Error codes meaning the caller is not allowed, or not who it claims to be. */
    private static final Set<String> ACCESS_DENIED_CODES = Set.of(
            "AccessDeniedException", "AccessDenied", "NotAuthorized", "UnrecognizedClientException",
            "InvalidClientTokenId", "InvalidSignatureException", "IncompleteSignature", "ExpiredTokenException",
            "ExpiredToken", "MissingAuthenticationToken");

    private KmsErrors() {
    }

    static KmsOperationException translate(String operation, String keyRef, SdkException e) {
        String about = keyRef == null ? operation : operation + " on key '" + keyRef + "'";
        AwsServiceException sts = stsRefusal(e);
        if (sts != null) {
            AwsErrorDetails details = sts.awsErrorDetails();
            String code = details == null ? null : details.errorCode();
            String said = details != null && details.errorMessage() != null ? details.errorMessage() : sts.getMessage();
            return new KeyAccountUnreachableException("Could not reach the key's AWS account for " + about
                    + ": STS refused to let this function assume the project's member role (STS said "
                    + (code == null ? "" : code + ": ") + said + "). Nothing was read or changed there. Check the"
                    + " project's keyAccountRoleArn and keyAccountExternalId (./rotator projects show), and that the"
                    + " member stack is deployed in that account for this deployment with the same external id.",
                    operation, keyRef, code, e);
        }
        if (e instanceof AwsServiceException) {
            AwsServiceException ase = (AwsServiceException) e;
            AwsErrorDetails details = ase.awsErrorDetails();
            String code = details == null ? null : details.errorCode();
            String said = details != null && details.errorMessage() != null ? details.errorMessage() : ase.getMessage();
            String kmsSaid = " (KMS said " + (code == null ? "" : code + ": ") + said + ")";

            if (e instanceof NotFoundException || "NotFoundException".equals(code)) {
                return new KeyNotFoundException("KMS found no such key or alias for " + about + kmsSaid
                        + ". Check the key id, ARN or alias, and that the function runs in the key's account and"
                        + " region (the AWS region of the KMS client must be the key's region).",
                        operation, keyRef, code, e);
            }
            if (e instanceof KmsInvalidStateException || e instanceof DisabledException
                    || "KMSInvalidStateException".equals(code) || "DisabledException".equals(code)) {
                return new KeyStateException("KMS refused " + about + " because of the key's state" + kmsSaid
                        + ". A key pending deletion accepts no tag, alias or state change until its deletion is"
                        + " cancelled (CancelKeyDeletion, which leaves it Disabled); a disabled key must be enabled"
                        + " (EnableKey) first. Check the key with DescribeKey.",
                        operation, keyRef, code, e);
            }
            if ((code != null && ACCESS_DENIED_CODES.contains(code)) || ase.statusCode() == 403) {
                return new KmsAccessDeniedException("KMS denied " + about + kmsSaid
                        + ". Allow kms:" + operation + " to the function's IAM role (its conditions on"
                        + " aws:ResourceTag/" + KeyTags.PROJECT + " must match the key's tags) and check that the"
                        + " key policy lets the account's IAM principals use the key; also check the credentials.",
                        operation, keyRef, code, e);
            }
            if (e instanceof LimitExceededException || "LimitExceededException".equals(code)) {
                return new KmsLimitExceededException("A KMS quota was exceeded by " + about + kmsSaid
                        + ". Schedule unused keys for deletion, delete unused aliases or tags, or raise the quota"
                        + " in Service Quotas; retrying will not help.",
                        operation, keyRef, code, e);
            }
            if (ase.isThrottlingException() || ase.statusCode() >= 500 || e instanceof KmsInternalException
                    || e instanceof DependencyTimeoutException || e instanceof KeyUnavailableException) {
                return new KmsUnavailableException("KMS could not serve " + about + " after the SDK's retries"
                        + kmsSaid + ". This is transient (throttling or a KMS-side failure): run the step again"
                        + " later; if it persists, check the AWS Health Dashboard and the KMS request quotas.",
                        operation, keyRef, code, e);
            }
            String advice;
            if (e instanceof MalformedPolicyDocumentException) {
                advice = ". The key policy is invalid or would stop the account from managing the key: keep the"
                        + " statement that grants the account root kms:* (the rotator never bypasses the policy"
                        + " lockout safety check).";
            } else if (e instanceof TagException) {
                advice = ". Tag keys must be 1-128 and values 0-256 characters, must not start with 'aws:', and"
                        + " may use letters, digits, spaces and _ . : / = + - @.";
            } else if (e instanceof AlreadyExistsException) {
                advice = ". The alias already exists: move it with UpdateAlias instead.";
            } else {
                advice = ". Fix the request; retrying it unchanged will fail the same way.";
            }
            return new KmsRequestRejectedException("KMS rejected " + about + kmsSaid + advice,
                    operation, keyRef, code, e);
        }
        if (e instanceof SdkClientException) {
            return new KmsUnavailableException("Could not reach KMS for " + about + ": " + e.getMessage()
                    + ". Check the network path to KMS (VPC endpoint, NAT), the AWS region and the credentials;"
                    + " if it was a timeout, run the step again later.",
                    operation, keyRef, null, e);
        }
        return new KmsOperationException("KMS call " + about + " failed: " + e.getMessage(),
                operation, keyRef, null, e);
    }

    /** The STS error inside {@code e} when the call failed because the member role could not be assumed; else null. */
    static AwsServiceException stsRefusal(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof AwsServiceException ase && ase.awsErrorDetails() != null
                    && "Sts".equalsIgnoreCase(ase.awsErrorDetails().serviceName())) {
                return ase;
            }
        }
        return null;
    }
}
