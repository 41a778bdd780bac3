package io.atlascmk.rotator.handler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import io.atlascmk.rotator.atlas.AtlasApi;
import io.atlascmk.rotator.atlas.AtlasRateLimitedException;
import io.atlascmk.rotator.atlas.AtlasUnavailableException;
import io.atlascmk.rotator.kms.FakeKmsClient;
import io.atlascmk.rotator.kms.KmsUnavailableException;
import io.atlascmk.rotator.rotation.RotationWorld;
import io.atlascmk.rotator.rotation.StepDependencies;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.lang.reflect.Modifier;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class HandlersTest {

    static final Map<String, Class<? extends RequestStreamHandler>> HANDLERS = Map.of(
            "Preflight", PreflightHandler.class,
            "CreateKey", CreateKeyHandler.class,
            "GrantAtlasAccess", GrantAtlasAccessHandler.class,
            "SwitchAtlasKey", SwitchAtlasKeyHandler.class,
            "CheckDeployment", CheckDeploymentHandler.class,
            "Finalize", FinalizeHandler.class,
            "AuditAndRetire", AuditAndRetireHandler.class,
            "Rollback", RollbackHandler.class,
            "RotateKeyMaterial", RotateKeyMaterialHandler.class);

    @Test
    void localHandlers_serveEveryLambdaStateOfTheWorkflow_withTheLambdaHandlerClasses() {
        Map<String, RequestStreamHandler> handlers = LocalHandlers.create(RotationWorld.managed().deps());

        assertThat(handlers.keySet()).containsExactlyInAnyOrderElementsOf(HANDLERS.keySet());
        HANDLERS.forEach((name, type) -> assertThat(handlers.get(name)).as(name).isExactlyInstanceOf(type));
    }

    @Test
    void everyHandlerHasThePublicNoArgConstructorTheLambdaRuntimeCalls() throws Exception {
        for (Class<? extends RequestStreamHandler> type : HANDLERS.values()) {
            assertThat(Modifier.isPublic(type.getModifiers())).as(type.getSimpleName()).isTrue();
            assertThat(Modifier.isPublic(type.getConstructor().getModifiers())).as(type.getSimpleName()).isTrue();
            assertThat(Modifier.isPublic(type.getDeclaredConstructor(StepDependencies.class).getModifiers()))
                    .as("the collaborators constructor is package-private").isFalse();
        }
    }

    /** An Atlas whose every call fails with the given exception. */
    private static AtlasApi failingAtlas(Supplier<RuntimeException> failure) {
        return (AtlasApi) Proxy.newProxyInstance(AtlasApi.class.getClassLoader(), new Class<?>[] {AtlasApi.class},
                (proxy, method, args) -> {
                    throw failure.get();
                });
    }

    private static void runPreflightExample(RequestStreamHandler handler) throws Exception {
        byte[] json = Files.readAllBytes(EventExamplesTest.EVENTS.resolve("preflight.json"));
        handler.handleRequest(new ByteArrayInputStream(json), new ByteArrayOutputStream(), null);
    }

    @Test
    void transientAtlasFailuresLeaveTheHandler_withTheClassNameTheWorkflowRetries() {
        RotationWorld world = RotationWorld.managed();
        for (Supplier<RuntimeException> failure : java.util.List.<Supplier<RuntimeException>>of(
                () -> new AtlasRateLimitedException("429", 429, "RATE_LIMITED", null),
                () -> new AtlasUnavailableException("503", 503, null, null))) {
            StepDependencies deps = new StepDependencies(failingAtlas(failure), r -> world.keys, world.clock,
                    world.running::contains, r -> world.trail().usage(), world.lock());
            RuntimeException expected = failure.get();

            assertThatThrownBy(() -> runPreflightExample(new PreflightHandler(deps)))
                    .isExactlyInstanceOf(expected.getClass());
        }
        assertThat(AtlasRateLimitedException.class.getName())
                .isEqualTo("io.atlascmk.rotator.atlas.AtlasRateLimitedException");
        assertThat(AtlasUnavailableException.class.getName())
                .isEqualTo("io.atlascmk.rotator.atlas.AtlasUnavailableException");
    }

    @Test
    void transientKmsFailuresLeaveTheHandler_withTheClassNameTheWorkflowRetries() throws Exception {
        RotationWorld world = RotationWorld.managed();
        world.kms.failNext("DescribeKey", FakeKmsClient.throttling());

        assertThatThrownBy(() -> runPreflightExample(new PreflightHandler(world.deps())))
                .isExactlyInstanceOf(KmsUnavailableException.class);
        assertThat(KmsUnavailableException.class.getName()).isEqualTo("io.atlascmk.rotator.kms.KmsUnavailableException");
    }

    @Test
    void handlerWritesTheResultAsJson() throws Exception {
        RotationWorld world = RotationWorld.managed();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] json = Files.readAllBytes(EventExamplesTest.EVENTS.resolve("preflight.json"));

        new PreflightHandler(world.deps()).handleRequest(new ByteArrayInputStream(json), out, null);

        assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("{").contains("\"decision\":\"rotate\"")
                .doesNotContain("\"plan\"");
    }
}
