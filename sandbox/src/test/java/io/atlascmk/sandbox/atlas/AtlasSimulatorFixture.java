package io.atlascmk.sandbox.atlas;

import io.atlascmk.contract.AtlasContract;
import io.atlascmk.sandbox.KeyAccess;
import io.atlascmk.sandbox.SandboxClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

import static io.atlascmk.sandbox.atlas.AtlasFixtures.CLIENT_ID;
import static io.atlascmk.sandbox.atlas.AtlasFixtures.CLIENT_SECRET;
import static io.atlascmk.sandbox.atlas.AtlasFixtures.GROUP_ID;
import static io.atlascmk.sandbox.atlas.AtlasFixtures.KEY_A;
import static io.atlascmk.sandbox.atlas.AtlasFixtures.PRIVATE_KEY;
import static io.atlascmk.sandbox.atlas.AtlasFixtures.PUBLIC_KEY;
import static io.atlascmk.sandbox.atlas.AtlasFixtures.ROLE_ARN;

/**
 * The simulator the Atlas tests talk to. Before each test: an {@link AtlasSimulator} on a fresh
 * {@link SandboxClock} at {@link AtlasFixtures#T0}, the credentials of the chosen {@link Login}, project
 * {@link AtlasFixtures#GROUP_ID} with the IAM role {@link AtlasFixtures#ROLE_ARN} and encryption at rest on
 * {@link AtlasFixtures#KEY_A} in US_EAST_1, whatever {@link #seed()} adds, then the simulator started and
 * {@link #client} built on it; after each test the simulator is closed. The project's contract
 * ({@code contract/atlas-admin-api.yml}) is loaded once per JVM.
 */
abstract class AtlasSimulatorFixture {

    /** Which credentials the simulator knows, and how {@link #client} signs in. */
    enum Login {
        /** An API key; the client signs with HTTP Digest. */
        API_KEY,
        /** A service account; the client sends a Bearer token got with its client credentials. */
        SERVICE_ACCOUNT,
        /** An API key and a service account; the client sends no credentials until the test gives it some. */
        BOTH_SIGNED_OUT;

        void register(AtlasSimulator atlas) {
            if (this != SERVICE_ACCOUNT) {
                atlas.addApiKey(PUBLIC_KEY, PRIVATE_KEY);
            }
            if (this != API_KEY) {
                atlas.addServiceAccount(CLIENT_ID, CLIENT_SECRET);
            }
        }

        AtlasTestClient signIn(AtlasTestClient client) {
            return switch (this) {
                case API_KEY -> client.withDigest(PUBLIC_KEY, PRIVATE_KEY);
                case SERVICE_ACCOUNT -> client.withServiceAccount(CLIENT_ID, CLIENT_SECRET);
                case BOTH_SIGNED_OUT -> client;
            };
        }
    }

    static AtlasContract contract;

    private final Login login;
    SandboxClock clock;
    AtlasSimulator atlas;
    AtlasProject project;
    String roleId;
    AtlasTestClient client;

    AtlasSimulatorFixture(Login login) {
        this.login = login;
    }

    @BeforeAll
    static void loadContract() {
        contract = AtlasContract.shared();
    }

    @BeforeEach
    void startSimulator() {
        clock = AtlasFixtures.clock();
        atlas = new AtlasSimulator(clock, keyAccess());
        login.register(atlas);
        project = atlas.createProject(GROUP_ID);
        roleId = project.addAwsIamRole(ROLE_ARN);
        project.configureAwsKms(KEY_A, "US_EAST_1", roleId);
        seed();
        atlas.start();
        client = login.signIn(new AtlasTestClient(atlas, contract));
    }

    @AfterEach
    void stopSimulator() {
        atlas.close();
    }

    /** What the Atlas role may use: every key by default. */
    KeyAccess keyAccess() {
        return (keyRef, roleArn) -> true;
    }

    /** Adds to {@link #atlas} and {@link #project} what the class's tests all need, before the start. */
    void seed() {
    }
}
