package io.atlascmk.rotator.atlas;

import java.util.List;

/**
 * One endpoint set of Atlas's rate limits, in one scope, as {@code GET /api/atlas/v2/rateLimits} lists it: the
 * endpoints that draw on one token bucket. A request takes a token; the bucket holds at most {@code capacity} tokens
 * and gets {@code refillRate} more every {@code refillDurationSeconds}. There is one bucket per project
 * ({@link #GROUP}), organization ({@link #ORGANIZATION}), user, that is API key or service account ({@link #USER}),
 * or caller address ({@link #IP}).
 *
 * @param capacity              the capacity Atlas applies (its {@code capacity.value}); null when Atlas sent none
 * @param refillRate            tokens added every {@code refillDurationSeconds}; null when Atlas sent none
 * @param refillDurationSeconds null when Atlas sent none
 * @param endpoints             the set's endpoints, each a method and a path template such as
 *                              {@code /api/atlas/v2/groups/{groupId}/clusters}
 */
public record RateLimitEndpointSet(String endpointSetId, String endpointSetName, String scope, Long capacity,
                                   Long refillRate, Long refillDurationSeconds, List<Endpoint> endpoints) {

    public static final String GROUP = "GROUP";
    public static final String ORGANIZATION = "ORGANIZATION";
    public static final String USER = "USER";
    public static final String IP = "IP";

    public RateLimitEndpointSet {
        endpoints = endpoints == null ? List.of() : List.copyOf(endpoints);
    }

    /** One endpoint of a set. */
    public record Endpoint(String method, String path) {

        /** {@code GET /api/atlas/v2/groups/{groupId}/clusters}. */
        @Override
        public String toString() {
            return method + " " + path;
        }
    }
}
