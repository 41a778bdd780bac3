package io.atlascmk.rotator.handler;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * SnapStart priming makes no call: each handler is built by its Lambda constructor in a fresh JVM whose every endpoint
 * (AWS_ENDPOINT_URL, ATLAS_BASE_URL) is one loopback socket that counts the connections it is offered, its priming runs
 * (LocalInvoke --prime-only, which runs beforeCheckpoint and afterRestore), and the socket must have seen none, while
 * the SDK requests the priming made were answered inside the process.
 */
class PrimingMakesNoCallTest {

    private static ServerSocket socket;
    private static final AtomicInteger CONNECTIONS = new AtomicInteger();
    private static Thread acceptor;

    @BeforeAll
    static void listen() throws IOException {
        socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        acceptor = new Thread(() -> {
            while (!socket.isClosed()) {
                try (Socket s = socket.accept()) {
                    CONNECTIONS.incrementAndGet();
                } catch (IOException closed) {
                    return;
                }
            }
        }, "priming-connection-counter");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    @AfterAll
    static void close() throws IOException {
        socket.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"PreflightHandler", "CreateKeyHandler", "GrantAtlasAccessHandler", "SwitchAtlasKeyHandler",
            "CheckDeploymentHandler", "FinalizeHandler", "AuditAndRetireHandler", "RollbackHandler",
            "RotateKeyMaterialHandler", "AtlasWebhookHandler", "RescueHandler", "FleetPlanHandler", "RecordHandler"})
    void primingMakesNoCall(String handler) throws Exception {
        int before = CONNECTIONS.get();
        String endpoint = "http://127.0.0.1:" + socket.getLocalPort();
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), LocalInvoke.class.getName(), "--prime-only",
                "io.atlascmk.rotator.handler." + handler, "/dev/null"));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("AWS_") || k.startsWith("ATLAS_") || k.startsWith("ROTATOR_"));
        env.putAll(Map.ofEntries(
                Map.entry("AWS_ENDPOINT_URL", endpoint), Map.entry("ATLAS_BASE_URL", endpoint),
                Map.entry("AWS_REGION", "us-east-1"), Map.entry("AWS_ACCESS_KEY_ID", "priming"),
                Map.entry("AWS_SECRET_ACCESS_KEY", "priming"), Map.entry("AWS_LAMBDA_FUNCTION_NAME", handler),
                Map.entry("AWS_EC2_METADATA_DISABLED", "true"),
                Map.entry("AWS_CONFIG_FILE", "/nonexistent/config"), Map.entry("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/credentials"),
                Map.entry("ATLAS_SECRET_ARN", "atlas-cmk-rotator/atlas-credentials"),
                Map.entry("ROTATOR_LOCK_TABLE", "atlas-cmk-rotator-locks"), Map.entry("ROTATOR_DEPLOYMENT", "Priming"),
                Map.entry("ROTATOR_STATE_MACHINE_ARN", "arn:aws:states:us-east-1:111122223333:stateMachine:priming"),
                Map.entry("ROTATOR_EVIDENCE_BUCKET", "priming-evidence"),
                Map.entry("WEBHOOK_SECRET_ARN", "atlas-cmk-rotator/webhook"), Map.entry("ROTATOR_EVENT_BUS_NAME", "priming")));
        Process process = pb.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("LocalInvoke ended").isTrue();

        assertThat(process.exitValue()).as(output).isZero();
        String prime = output.lines().filter(l -> l.startsWith(LocalInvoke.MARKER + "{\"phase\":\"prime\"")).findFirst()
                .orElseThrow(() -> new AssertionError("no prime line in:\n" + output));
        assertThat(prime).as("one priming registered by the handler").contains("\"resources\":1,");
        assertThat(answered(prime)).as("SDK requests primed inside the process: " + prime).isGreaterThan(0);
        // a connection the child opened is accepted before the child can exit, so the count is final here
        assertThat(CONNECTIONS.get() - before).as("connections to the endpoints while priming").isZero();
    }

    private static int answered(String line) {
        String key = "\"sdkRequestsAnsweredOffline\":";
        String rest = line.substring(line.indexOf(key) + key.length());
        return Integer.parseInt(rest.replaceAll("[^0-9].*$", ""));
    }
}
