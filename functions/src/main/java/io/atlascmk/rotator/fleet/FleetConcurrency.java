package io.atlascmk.rotator.fleet;

import io.atlascmk.rotator.atlas.AtlasApi;
import io.atlascmk.rotator.atlas.AtlasApiException;
import io.atlascmk.rotator.atlas.AtlasClient;
import io.atlascmk.rotator.atlas.RateLimitEndpointSet;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * How many projects a fleet run rotates at once: the configured number (the run's input {@code maxConcurrency}, else
 * {@value #DEFAULT_MAX_CONCURRENCY}; at most {@value #MAX_CONCURRENCY}), lowered when Atlas's rate limits would not
 * hold that many rotations at once.
 *
 * <p>Atlas limits each endpoint set per scope ({@code GET /api/atlas/v2/rateLimits}). A project-scoped ({@code GROUP})
 * bucket is each project's own, so it bounds one project's rotation, not how many run side by side. Organization-,
 * user- and IP-scoped buckets are shared: every project of an organization, every call with the deployment's one set
 * of Atlas credentials, every call from one address. For each shared set the rotation calls, the fleet could start
 * {@code floor(capacity / calls one project's execution makes of it)} executions before a burst would empty the
 * bucket (ignoring the refill, so on the safe side); the run's concurrency is the smallest of these and the configured
 * number, and at least 1. By Atlas's published table (2026) every endpoint a rotation calls is project-scoped but
 * {@code GET /api/atlas/v2/groups} (user-scoped, 1,200): with Atlas's default limits the configured number stands, and
 * a lower limit Atlas sets for the organization or the credentials lowers it.
 *
 * <p>When the limits cannot be read (the plan function has no Atlas credentials, Atlas answers 401, 403 or 404, or
 * cannot be reached) the configured number stands and the decision says why: the fleet run never fails for this.
 */
public final class FleetConcurrency {

    public static final int DEFAULT_MAX_CONCURRENCY = 5;
    public static final int MAX_CONCURRENCY = 40;

    /** The decision's {@code source}: Atlas's rate limits lowered the number. */
    public static final String SOURCE_RATE_LIMITS = "rateLimits";
    /** The decision's {@code source}: the run's input {@code maxConcurrency} stands. */
    public static final String SOURCE_CONFIGURED = "configured";
    /** The decision's {@code source}: the default stands (the input named none). */
    public static final String SOURCE_DEFAULT = "default";

    /**
     * The Atlas calls one project's execution in a fleet run makes, per endpoint as Atlas's rate limits name it
     * ({@code METHOD /path/template}); the token endpoint is not rate-limited this way and is left out. Measured in the
     * sandbox (cli/: {@code RotationCallsTest} pins these numbers against a real sandbox run) on its project of two
     * clusters, a replica set and a sharded cluster, both with backups: per endpoint, the larger of a rotation
     * (CreateKey to AuditAndRetire; {@code encryptionAtRest} is read while the new key propagates and the clusters
     * re-encrypt, and three PATCHes are refused while KMS propagates the new key's policy) and of the later sweep that
     * deletes the adopted old key (the audit's one page of {@code GET /groups}, every project the credentials read:
     * one more page per 500 projects). A project with more clusters makes more cluster and backup calls, all of them
     * project-scoped.
     */
    public static final Map<String, Integer> CALLS_PER_PROJECT = Map.of(
            "GET /api/atlas/v2/groups/{groupId}/encryptionAtRest", 17,
            "PATCH /api/atlas/v2/groups/{groupId}/encryptionAtRest", 4,
            "GET /api/atlas/v2/groups/{groupId}/clusters", 8,
            "GET /api/atlas/v2/groups/{groupId}/clusters/{clusterName}/backup/schedule", 1,
            "GET /api/atlas/v2/groups/{groupId}/clusters/{clusterName}/backup/snapshots", 2,
            "GET /api/atlas/v2/groups/{groupId}/clusters/{clusterName}/backup/snapshots/shardedClusters", 2,
            "GET /api/atlas/v2/groups/{groupId}/cloudProviderAccess", 1,
            "GET /api/atlas/v2/groups/{groupId}/events", 1,
            "GET /api/atlas/v2/groups", 1);

    /**
     * How wide the run goes, where that number came from ({@link #SOURCE_RATE_LIMITS}, {@link #SOURCE_CONFIGURED},
     * {@link #SOURCE_DEFAULT}) and why, in a sentence or two.
     */
    public record Decision(int maxConcurrency, String source, String reason) {
    }

    private final Supplier<AtlasApi> atlas;
    private final String unavailable;

    private FleetConcurrency(Supplier<AtlasApi> atlas, String unavailable) {
        this.atlas = atlas;
        this.unavailable = unavailable;
    }

    /** Reads the limits through this client. */
    public static FleetConcurrency reading(AtlasApi atlas) {
        return new FleetConcurrency(() -> atlas, null);
    }

    /** What the Atlas client sent since this was last asked (none when the limits are not read). */
    public io.atlascmk.rotator.atlas.AtlasCalls takeAtlasCalls() {
        return atlas == null ? io.atlascmk.rotator.atlas.AtlasCalls.NONE : atlas.get().takeCalls();
    }

    /** Cannot read the limits, for the reason given: the configured number always stands. */
    public static FleetConcurrency unavailable(String why) {
        return new FleetConcurrency(null, why);
    }

    /**
     * The plan function's: the Atlas client of {@code ATLAS_SECRET_ARN} (and {@code ATLAS_BASE_URL}), built once; when
     * that is not set, or the client cannot be built, limits are not read and the decision says so.
     */
    public static FleetConcurrency fromEnvironment(Map<String, String> env) {
        String secret = env.get(AtlasClient.ENV_SECRET_ARN);
        if (secret == null || secret.isBlank()) {
            return unavailable("the plan function has no Atlas credentials (" + AtlasClient.ENV_SECRET_ARN
                    + " is not set)");
        }
        try {
            return reading(AtlasClient.fromEnvironment());
        } catch (RuntimeException e) {
            return unavailable("the plan function could not build its Atlas client (" + e.getClass().getSimpleName()
                    + ": " + e.getMessage() + ")");
        }
    }

    /**
     * @param requested  the run's input {@code maxConcurrency} or the default, 1 to {@value #MAX_CONCURRENCY}
     * @param configured whether the input named it
     */
    public Decision decide(int requested, boolean configured) {
        if (requested < 1 || requested > MAX_CONCURRENCY) {
            throw new IllegalArgumentException("maxConcurrency is 1 to " + MAX_CONCURRENCY + ", not " + requested);
        }
        String source = configured ? SOURCE_CONFIGURED : SOURCE_DEFAULT;
        String stands = "the " + source + " " + requested + " stands";
        if (atlas == null) {
            return new Decision(requested, source, "Atlas's rate limits were not read: " + unavailable + "; " + stands + ".");
        }
        List<RateLimitEndpointSet> sets;
        try {
            sets = atlas.get().listRateLimits();
        } catch (AtlasApiException e) {
            return new Decision(requested, source, "Atlas's rate limits could not be read (" + e.getClass().getSimpleName()
                    + (e.httpStatus() > 0 ? ", HTTP " + e.httpStatus() : "") + (e.errorCode() == null ? "" : " " + e.errorCode())
                    + "); " + stands + ".");
        } catch (RuntimeException e) {
            return new Decision(requested, source, "Atlas's rate limits could not be read (" + e.getClass().getSimpleName()
                    + "); " + stands + ".");
        }
        Bound shared = null;
        Bound ownProject = null;
        for (RateLimitEndpointSet set : sets) {
            int calls = callsOf(set);
            if (calls == 0 || set.capacity() == null) {
                continue;
            }
            Bound b = new Bound(set, calls, set.capacity() / calls);
            if (RateLimitEndpointSet.GROUP.equals(set.scope())) {
                ownProject = ownProject == null || b.allowed() < ownProject.allowed() ? b : ownProject;
            } else {
                shared = shared == null || b.allowed() < shared.allowed() ? b : shared;
            }
        }
        String perProject = ownProject == null ? "" : " Project-scoped limits are each project's own and do not bound how"
                + " many run at once (the tightest: " + ownProject.describe() + ").";
        if (shared == null) {
            return new Decision(requested, source, "Atlas's rate limits share no bucket across the projects a rotation"
                    + " calls; " + stands + "." + perProject);
        }
        if (shared.allowed() >= requested) {
            return new Decision(requested, source, "Atlas's rate limits allow " + shared.allowed() + " at once ("
                    + shared.describe() + "); " + stands + "." + perProject);
        }
        int width = (int) Math.max(1, shared.allowed());
        return new Decision(width, SOURCE_RATE_LIMITS, "Atlas's rate limits allow " + shared.allowed() + " at once ("
                + shared.describe() + "), fewer than the " + source + " " + requested
                + (shared.allowed() < 1 ? ": one at a time." : ".") + perProject);
    }

    /** The calls one project's execution makes of this set's endpoints. */
    static int callsOf(RateLimitEndpointSet set) {
        int calls = 0;
        for (RateLimitEndpointSet.Endpoint e : set.endpoints()) {
            calls += CALLS_PER_PROJECT.getOrDefault(e.toString(), 0);
        }
        return calls;
    }

    /** What one endpoint set allows: {@code allowed} executions' worth of {@code calls} each in its capacity. */
    private record Bound(RateLimitEndpointSet set, int calls, long allowed) {
        String describe() {
            return set.endpointSetName() + ", scope " + set.scope() + ": capacity " + set.capacity() + ", "
                    + calls + (calls == 1 ? " call" : " calls") + " per project";
        }
    }
}
