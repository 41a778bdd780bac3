package io.atlascmk.cli.bench;

import io.atlascmk.rotator.atlas.RateLimitEndpointSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The busiest minute of a stream of Atlas calls: the most calls in any 60-second window, over all calls and per
 * token bucket of Atlas's rate limits (an endpoint set in its scope; a {@code GROUP} set has one bucket per project).
 */
public final class BusiestMinute {

    /** One call: when (milliseconds on any clock), method and raw path. */
    public record Call(long atMillis, String method, String path) {
    }

    /** The busiest bucket: its set, its project (GROUP scope) or null, and the calls in its busiest minute. */
    public record Bucket(RateLimitEndpointSet set, String groupId, int calls) {
    }

    private BusiestMinute() {
    }

    /** The most of {@code times} (milliseconds) that fall in one window of 60 s. */
    public static int busiest(List<Long> times) {
        List<Long> sorted = times.stream().sorted().toList();
        int best = 0;
        int from = 0;
        for (int to = 0; to < sorted.size(); to++) {
            while (sorted.get(to) - sorted.get(from) >= 60_000) {
                from++;
            }
            best = Math.max(best, to - from + 1);
        }
        return best;
    }

    /**
     * The bucket whose busiest minute is the largest share of its refill per minute, among the buckets {@code calls}
     * draw from; null when no call matches a set.
     */
    public static Bucket tightest(List<Call> calls, List<RateLimitEndpointSet> sets) {
        Map<String, List<Long>> byBucket = new HashMap<>();
        Map<String, Bucket> keys = new HashMap<>();
        List<Matcher> matchers = new ArrayList<>();
        for (RateLimitEndpointSet set : sets) {
            for (RateLimitEndpointSet.Endpoint e : set.endpoints()) {
                matchers.add(new Matcher(set, e.method(), template(e.path())));
            }
        }
        for (Call call : calls) {
            for (Matcher m : matchers) {
                if (m.method.equalsIgnoreCase(call.method()) && m.path.matcher(call.path()).matches()) {
                    String group = RateLimitEndpointSet.GROUP.equals(m.set.scope()) ? groupOf(call.path()) : null;
                    String key = m.set.endpointSetId() + "|" + group;
                    byBucket.computeIfAbsent(key, k -> new ArrayList<>()).add(call.atMillis());
                    keys.putIfAbsent(key, new Bucket(m.set, group, 0));
                }
            }
        }
        Bucket tightest = null;
        double worst = -1;
        for (Map.Entry<String, List<Long>> e : byBucket.entrySet()) {
            Bucket b = keys.get(e.getKey());
            int busiest = busiest(e.getValue());
            double share = busiest / Math.max(1e-9, perMinute(b.set()));
            if (share > worst) {
                worst = share;
                tightest = new Bucket(b.set(), b.groupId(), busiest);
            }
        }
        return tightest;
    }

    /** The set's refill per minute (its capacity when Atlas gave no refill). */
    public static double perMinute(RateLimitEndpointSet set) {
        if (set.refillRate() == null || set.refillDurationSeconds() == null || set.refillDurationSeconds() == 0) {
            return set.capacity() == null ? Double.MAX_VALUE : set.capacity();
        }
        return set.refillRate() * 60.0 / set.refillDurationSeconds();
    }

    private record Matcher(RateLimitEndpointSet set, String method, Pattern path) {
    }

    /** {@code /api/atlas/v2/groups/{groupId}/clusters} as a pattern: each {@code {name}} one path segment. */
    static Pattern template(String template) {
        StringBuilder regex = new StringBuilder();
        for (String part : template.split("(?=\\{)|(?<=\\})")) {
            regex.append(part.startsWith("{") && part.endsWith("}") ? "[^/]+" : Pattern.quote(part));
        }
        return Pattern.compile(regex.toString());
    }

    private static String groupOf(String path) {
        String prefix = "/api/atlas/v2/groups/";
        if (!path.startsWith(prefix)) {
            return null;
        }
        int end = path.indexOf('/', prefix.length());
        return end < 0 ? path.substring(prefix.length()) : path.substring(prefix.length(), end);
    }
}
