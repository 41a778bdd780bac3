package io.atlascmk.rotator.handler;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.atlascmk.rotator.json.Json;
import io.atlascmk.rotator.registry.RegistrySeed;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** Invokes the seed handler as CDK's provider framework does, for tests in other packages. */
public final class RegistrySeedHandlerAccess {

    private RegistrySeedHandlerAccess() {
    }

    public static ObjectNode invoke(RegistrySeed seed, Path file, String requestType) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String event = "{\"RequestType\":\"" + requestType + "\",\"ResourceProperties\":{\"SeedSha256\":\"x\"}}";
        new RegistrySeedHandler(seed, file).handleRequest(new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)),
                out, null);
        return (ObjectNode) Json.MAPPER.readTree(out.toByteArray());
    }
}
