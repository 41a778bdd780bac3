package io.atlascmk.rotator.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.ListAliasesResponse;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * Proves that the clients built by {@link AwsClients} reach whatever endpoint {@code aws.endpointUrl}
 * (the system-property twin of {@code AWS_ENDPOINT_URL}) names, so the sandbox and LocalStack work
 * without code changes. A loopback HTTP server records the {@code X-Amz-Target} of each call.
 */
class AwsClientsTest {

    private static final List<String> PROPERTIES = List.of(
            "aws.endpointUrl", "aws.region", "aws.accessKeyId", "aws.secretAccessKey");

    private final List<String> targets = new CopyOnWriteArrayList<>();
    private final Map<String, String> savedProperties = new HashMap<>();
    private HttpServer server;

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            try (InputStream in = exchange.getRequestBody()) {
                in.readAllBytes();
            }
            String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
            targets.add(target);
            String body = target != null && target.startsWith("TrentService.")
                    ? "{\"Aliases\":[{\"AliasName\":\"alias/from-stand-in\",\"TargetKeyId\":\"k\"}],\"Truncated\":false}"
                    : "{\"SecretList\":[]}";
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.1");
            exchange.sendResponseHeaders(200, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        server.start();
        for (String p : PROPERTIES) {
            savedProperties.put(p, System.getProperty(p));
        }
        System.setProperty("aws.endpointUrl", "http://" + InetAddress.getLoopbackAddress().getHostAddress() + ":"
                + server.getAddress().getPort());
        System.setProperty("aws.region", "us-east-1");
        System.setProperty("aws.accessKeyId", "AKIDEXAMPLE");
        System.setProperty("aws.secretAccessKey", "not-a-real-secret");
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
        savedProperties.forEach((p, v) -> {
            if (v == null) {
                System.clearProperty(p);
            } else {
                System.setProperty(p, v);
            }
        });
    }

    @Test
    void kmsClient_reachesTheEndpointNamedByAwsEndpointUrl() {
        // A service-specific setting would win over the global one this test sets.
        assumeTrue(System.getenv("AWS_ENDPOINT_URL_KMS") == null && System.getProperty("aws.endpointUrlKms") == null);

        try (KmsClient kms = AwsClients.newKmsClient()) {
            ListAliasesResponse response = kms.listAliases();

            assertThat(targets).containsExactly("TrentService.ListAliases");
            assertThat(response.aliases()).extracting(a -> a.aliasName()).containsExactly("alias/from-stand-in");
        }
    }

    @Test
    void kmsClientForAnotherRegion_alsoReachesTheEndpointNamedByAwsEndpointUrl() {
        assumeTrue(System.getenv("AWS_ENDPOINT_URL_KMS") == null && System.getProperty("aws.endpointUrlKms") == null);

        try (KmsClient kms = AwsClients.newKmsClient(software.amazon.awssdk.regions.Region.EU_WEST_1)) {
            kms.listAliases();

            assertThat(targets).containsExactly("TrentService.ListAliases");
        }
    }

    @Test
    void secretsManagerClient_reachesTheEndpointNamedByAwsEndpointUrl() {
        assumeTrue(System.getenv("AWS_ENDPOINT_URL_SECRETS_MANAGER") == null
                && System.getProperty("aws.endpointUrlSecretsManager") == null);

        try (SecretsManagerClient secrets = AwsClients.newSecretsManagerClient()) {
            secrets.listSecrets();

            assertThat(targets).containsExactly("secretsmanager.ListSecrets");
        }
    }
}
