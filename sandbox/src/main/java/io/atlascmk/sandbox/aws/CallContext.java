package io.atlascmk.sandbox.aws;

/**
 * Who called and where: the region and access key id from the SigV4 {@code Authorization} header's
 * credential scope (the signature itself is not checked).
 */
record CallContext(String region, String accessKeyId) {
}
