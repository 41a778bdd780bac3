package io.atlascmk.rotator.atlas;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.function.DoubleSupplier;

/**
 * Immutable configuration of {@link AtlasClient}. Build it with {@link #builder()}; every value has a
 * default fit for a Lambda function.
 *
 * @param baseUrl            Atlas root, default {@code https://cloud.mongodb.com} (no trailing slash needed)
 * @param connectTimeout     TCP/TLS connect timeout, default 10 s
 * @param requestTimeout     timeout of one HTTP exchange until the response headers arrive, default 30 s
 * @param retryPolicy        retries of 429, 5xx, I/O errors and timeouts
 * @param maxPages           guard against endless paging: a list that has not ended after this many
 *                           pages fails, default 1000 (500 000 items)
 * @param tokenRefreshMargin a service-account access token is replaced this long before it expires, default 60 s
 * @param clock              time source for the retry deadline and token expiry
 * @param sleeper            waits between retries
 * @param jitter             source of the random factor in [0, 1] of the full-jitter backoff
 * @param cloudBackupsRateLimit Atlas's rate limit of the Cloud Backups endpoints (snapshot lists, snapshots,
 *                           backup schedule), which the client keeps to per project so as not to provoke a 429;
 *                           default {@link RateLimit#ATLAS_CLOUD_BACKUPS}; null: the client does not limit itself
 */
public record AtlasClientConfig(
        URI baseUrl,
        Duration connectTimeout,
        Duration requestTimeout,
        RetryPolicy retryPolicy,
        int maxPages,
        Duration tokenRefreshMargin,
        Clock clock,
        Sleeper sleeper,
        DoubleSupplier jitter,
        RateLimit cloudBackupsRateLimit) {

    public static final URI DEFAULT_BASE_URL = URI.create("https://cloud.mongodb.com");

    public AtlasClientConfig {
        Objects.requireNonNull(baseUrl, "baseUrl");
        if (!baseUrl.isAbsolute() || !("https".equals(baseUrl.getScheme()) || "http".equals(baseUrl.getScheme()))
                || baseUrl.getHost() == null) {
            throw new IllegalArgumentException("baseUrl must be an absolute http(s) URL such as "
                    + DEFAULT_BASE_URL + ", was " + baseUrl);
        }
        String s = baseUrl.toString();
        if (s.endsWith("/")) {
            baseUrl = URI.create(s.substring(0, s.length() - 1));
        }
        requirePositive(connectTimeout, "connectTimeout");
        requirePositive(requestTimeout, "requestTimeout");
        Objects.requireNonNull(retryPolicy, "retryPolicy");
        if (maxPages < 1) {
            throw new IllegalArgumentException("maxPages must be at least 1, was " + maxPages);
        }
        Objects.requireNonNull(tokenRefreshMargin, "tokenRefreshMargin");
        if (tokenRefreshMargin.isNegative()) {
            throw new IllegalArgumentException("tokenRefreshMargin must not be negative, was " + tokenRefreshMargin);
        }
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(sleeper, "sleeper");
        Objects.requireNonNull(jitter, "jitter");
    }

    /** The defaults: Atlas at {@link #DEFAULT_BASE_URL}, 10 s / 30 s timeouts, {@link RetryPolicy#DEFAULT}. */
    public static AtlasClientConfig defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from this configuration. */
    public Builder toBuilder() {
        return new Builder()
                .baseUrl(baseUrl)
                .connectTimeout(connectTimeout)
                .requestTimeout(requestTimeout)
                .retryPolicy(retryPolicy)
                .maxPages(maxPages)
                .tokenRefreshMargin(tokenRefreshMargin)
                .clock(clock)
                .sleeper(sleeper)
                .jitter(jitter)
                .cloudBackupsRateLimit(cloudBackupsRateLimit);
    }

    private static void requirePositive(Duration value, String name) {
        Objects.requireNonNull(value, name);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, was " + value);
        }
    }

    /** Builder of {@link AtlasClientConfig}; unset values take their defaults. */
    public static final class Builder {
        private URI baseUrl = DEFAULT_BASE_URL;
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration requestTimeout = Duration.ofSeconds(30);
        private RetryPolicy retryPolicy = RetryPolicy.DEFAULT;
        private int maxPages = 1000;
        private Duration tokenRefreshMargin = Duration.ofSeconds(60);
        private Clock clock = Clock.systemUTC();
        private Sleeper sleeper = Sleeper.SYSTEM;
        /** Null: the SnapStart-safe {@link Jitter}, built (and registered for restores) only then. */
        private DoubleSupplier jitter;
        private RateLimit cloudBackupsRateLimit = RateLimit.ATLAS_CLOUD_BACKUPS;

        private Builder() {
        }

        public Builder baseUrl(URI baseUrl) {
            this.baseUrl = baseUrl;
            return this;
        }

        public Builder baseUrl(String baseUrl) {
            return baseUrl(URI.create(baseUrl));
        }

        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = connectTimeout;
            return this;
        }

        public Builder requestTimeout(Duration requestTimeout) {
            this.requestTimeout = requestTimeout;
            return this;
        }

        public Builder retryPolicy(RetryPolicy retryPolicy) {
            this.retryPolicy = retryPolicy;
            return this;
        }

        public Builder maxPages(int maxPages) {
            this.maxPages = maxPages;
            return this;
        }

        public Builder tokenRefreshMargin(Duration tokenRefreshMargin) {
            this.tokenRefreshMargin = tokenRefreshMargin;
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        public Builder sleeper(Sleeper sleeper) {
            this.sleeper = sleeper;
            return this;
        }

        public Builder jitter(DoubleSupplier jitter) {
            this.jitter = jitter;
            return this;
        }

        /** Atlas's Cloud Backups limit to keep to; null: none (the retries on 429 still apply). */
        public Builder cloudBackupsRateLimit(RateLimit limit) {
            this.cloudBackupsRateLimit = limit;
            return this;
        }

        public AtlasClientConfig build() {
            // Seeded again after a SnapStart restore, so restored environments do not retry in lockstep.
            return new AtlasClientConfig(baseUrl, connectTimeout, requestTimeout, retryPolicy, maxPages,
                    tokenRefreshMargin, clock, sleeper, jitter != null ? jitter : Jitter.registered(),
                    cloudBackupsRateLimit);
        }
    }
}
