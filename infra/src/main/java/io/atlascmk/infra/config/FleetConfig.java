package io.atlascmk.infra.config;

/**
 * The fleet run ({@code "fleet": {...}} in {@code rotator.config.json}): one schedule a day starts the fleet state
 * machine, which rotates or sweeps every registered project that is due as child executions of the rotation state
 * machine, at most {@code maxConcurrency} at once.
 *
 * @param maxConcurrency how many projects' executions run at once (1 to {@value #MAX_CONCURRENCY}; default
 *                       {@value #DEFAULT_MAX_CONCURRENCY}): each rotation makes a few dozen Atlas calls over its
 *                       minutes, well inside Atlas's per-project and per-organization rate limits at this width
 */
public record FleetConfig(Integer maxConcurrency) {

    public static final int DEFAULT_MAX_CONCURRENCY = 5;
    public static final int MAX_CONCURRENCY = 40;

    public int effectiveMaxConcurrency() {
        return maxConcurrency == null ? DEFAULT_MAX_CONCURRENCY : maxConcurrency;
    }
}
