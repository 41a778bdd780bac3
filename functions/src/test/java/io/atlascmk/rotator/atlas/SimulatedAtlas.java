package io.atlascmk.rotator.atlas;

import io.atlascmk.contract.AtlasContract;
import io.atlascmk.sandbox.SandboxClock;
import io.atlascmk.sandbox.atlas.AtlasSimulator;
import io.atlascmk.sandbox.atlas.CallRecord;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The sandbox's Atlas simulator on a loopback port, with one service account, and the rotator's {@link AtlasClient}
 * on it as the functions build it (retry pauses advance the simulator's clock instead of sleeping). Every request the
 * client sent can be checked against the project's contract ({@link #requestsOutsideTheContract}).
 */
public final class SimulatedAtlas implements AutoCloseable {

    public static final String CLIENT_ID = "mdb_sa_id_functions";
    public static final String CLIENT_SECRET = "mdb_sa_sk_functions-not-a-real-secret";

    private final SandboxClock clock = new SandboxClock(Instant.parse("2026-06-01T00:00:00Z"));
    private final AtlasSimulator atlas;

    public SimulatedAtlas() {
        atlas = new AtlasSimulator(clock, (key, roleArn) -> true);
        atlas.addServiceAccount(CLIENT_ID, CLIENT_SECRET);
        atlas.start();
    }

    public AtlasSimulator atlas() {
        return atlas;
    }

    /** A client signed in with the simulator's service account. */
    public AtlasClient client() {
        return client(AtlasCredentials.serviceAccount(CLIENT_ID, CLIENT_SECRET));
    }

    public AtlasClient client(AtlasCredentials credentials) {
        AtlasClientConfig config = AtlasClientConfig.builder()
                .baseUrl(URI.create(atlas.baseUrl()))
                .clock(clock)
                .sleeper(clock::advance)
                .build();
        return new AtlasClient(config, () -> credentials);
    }

    /**
     * The contract's complaints about each versioned request the simulator received, its body included (the token
     * endpoint is not in the contract), with the Accept header (and Content-Type) the operation's one version asks for.
     */
    public List<String> requestsOutsideTheContract(String accept) {
        List<String> out = new ArrayList<>();
        for (CallRecord call : atlas.callLog()) {
            if (call.operation() == null || call.operation().versions().isEmpty()) {
                continue;
            }
            String target = call.path() + (call.query() == null ? "" : "?" + call.query());
            Map<String, List<String>> headers = call.body() == null ? Map.of("Accept", List.of(accept))
                    : Map.of("Accept", List.of(accept), "Content-Type", List.of(accept));
            AtlasContract.errors(AtlasContract.shared().validateRequest(call.method(), target, headers, call.body()))
                    .forEach(e -> out.add(call.method() + " " + target + ": " + e));
        }
        return out;
    }

    @Override
    public void close() {
        atlas.close();
    }
}
