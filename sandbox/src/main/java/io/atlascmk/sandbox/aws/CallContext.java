package io.atlascmk.sandbox.aws;

/**
 * Who called and where: the region and access key id from the SigV4 {@code Authorization} header's
 * credential scope (the signature itself is not checked), the caller's address and {@code User-Agent},
 * and the request id the response carries ({@code x-amzn-RequestId}).
 */
record CallContext(String region, String accessKeyId, String sourceIpAddress, String userAgent, String requestId) {
}
