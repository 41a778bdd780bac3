package io.atlascmk.sandbox.aws;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * One page of a KMS-style list ({@code Limit}, {@code Marker} in; {@code Truncated}, {@code NextMarker}
 * out). Markers are opaque to clients; one the stand-in did not hand out is {@code InvalidMarkerException}.
 */
record Page(int from, int to, int total) {

    private static final String PREFIX = "sandbox-page:";

    static Page of(int total, int limit, String marker) {
        int from = marker == null ? 0 : decode(marker);
        if (from > total) {
            from = total;
        }
        return new Page(from, Math.min(total, from + limit), total);
    }

    void writeTo(ObjectNode response) {
        boolean truncated = to < total;
        response.put("Truncated", truncated);
        if (truncated) {
            response.put("NextMarker", Base64.getUrlEncoder().withoutPadding()
                    .encodeToString((PREFIX + to).getBytes(StandardCharsets.UTF_8)));
        }
    }

    private static int decode(String marker) {
        try {
            String text = new String(Base64.getUrlDecoder().decode(marker), StandardCharsets.UTF_8);
            if (!text.startsWith(PREFIX)) {
                throw invalid();
            }
            int index = Integer.parseInt(text.substring(PREFIX.length()));
            if (index < 0) {
                throw invalid();
            }
            return index;
        } catch (IllegalArgumentException e) {
            throw invalid();
        }
    }

    private static AwsApiException invalid() {
        return AwsApiException.client("InvalidMarkerException", "The request was rejected because the marker is not valid.");
    }
}
