package io.atlascmk.rotator.rotation;

import io.atlascmk.rotator.atlas.AtlasForbiddenException;
import io.atlascmk.rotator.handler.LocalHandlers;
import io.atlascmk.rotator.json.Json;
import io.atlascmk.rotator.lock.LockGrant;
import io.atlascmk.rotator.lock.LockLostException;
import io.atlascmk.rotator.lock.LockState;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static io.atlascmk.rotator.rotation.PreflightStepTest.DEFAULTS;
import static io.atlascmk.rotator.rotation.PreflightStepTest.dryRun;
import static io.atlascmk.rotator.rotation.PreflightStepTest.manual;
import static io.atlascmk.rotator.rotation.RotationWorld.PROJECT;
import static io.atlascmk.rotator.rotation.RotationWorld.START;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Preflight takes the project's lock before it decides or writes; the writing steps confirm it. */
class PreflightLockTest {

    private static PreflightResult preflight(RotationWorld world, String rotationId, ExecutionInput input) {
        return new PreflightStep(world.deps()).preflight(new PreflightRequest(rotationId, input, DEFAULTS));
    }

    @Test
    void aRunThatWillWrite_holdsTheLock_andASecondRunWhileItRuns_isSkippedNamingIt_withoutWritingAnything() {
        RotationWorld world = RotationWorld.managed();
        world.running.add("rotation-a");
        world.running.add("rotation-b");

        PreflightResult first = preflight(world, "rotation-a", manual());
        world.resetRecording();
        PreflightResult second = preflight(world, "rotation-b", manual());

        assertThat(first.decision()).isEqualTo("rotate");
        assertThat(first.lock().holder()).isEqualTo("rotation-a");
        assertThat(second.decision()).isEqualTo("skip");
        assertThat(second.reason()).contains("being rotated by rotation-a");
        assertThat(second.lock()).isNull();
        assertThat(world.kms.totalWrites()).isZero();
        assertThat(world.lock().read(PROJECT)).get().extracting(LockState::holder).isEqualTo("rotation-a");
    }

    @Test
    void aDryRun_takesNoLock_andPlansEvenWhileAnotherRunHoldsIt() {
        RotationWorld world = RotationWorld.managed();
        world.running.add("rotation-a");
        preflight(world, "rotation-a", manual());

        PreflightResult plan = preflight(world, "rotation-dry", dryRun());

        assertThat(plan.decision()).isEqualTo("plan");
        assertThat(plan.lock()).isNull();
        assertThat(world.lock().read(PROJECT).orElseThrow().holder()).isEqualTo("rotation-a");
    }

    @Test
    void aSkippedRun_andAPreflightThatFails_releaseTheLockTheyTook() {
        RotationWorld world = RotationWorld.managed();
        world.atlas.event(FakeAtlas.KEY_ROTATED, START.minus(Duration.ofDays(10))); // inside the cooldown
        world.running.add("rotation-a");

        PreflightResult skipped = preflight(world, "rotation-a", manual());

        assertThat(skipped.decision()).isEqualTo("skip");
        assertThat(skipped.lock()).isNull();
        assertThat(world.lock().read(PROJECT).orElseThrow().held()).isFalse();

        RotationWorld failing = RotationWorld.managed();
        failing.running.add("rotation-c");
        StepDependencies deps = failing.deps();
        io.atlascmk.rotator.atlas.AtlasApi forbidden = (io.atlascmk.rotator.atlas.AtlasApi) java.lang.reflect.Proxy.newProxyInstance(
                io.atlascmk.rotator.atlas.AtlasApi.class.getClassLoader(), new Class<?>[] {io.atlascmk.rotator.atlas.AtlasApi.class},
                (proxy, method, args) -> {
                    throw new AtlasForbiddenException("403 from Atlas", 403, "FORBIDDEN", null);
                });
        StepDependencies broken = new StepDependencies(forbidden, deps.keys(), deps.clock(),
                deps.registry(), deps.projectSettings(), deps.usage(), deps.lock(), deps.evidence());
        assertThatThrownBy(() -> new PreflightStep(broken).preflight(new PreflightRequest("rotation-c", manual(), DEFAULTS)))
                .isInstanceOf(AtlasForbiddenException.class);
        assertThat(failing.lock().read(PROJECT).orElseThrow().held()).as("released on the way out").isFalse();
    }

    @Test
    void aWritingStepWhoseRunLostTheLock_writesNothing() throws Exception {
        RotationWorld world = RotationWorld.managed();
        world.running.add("rotation-a");
        LockGrant a = preflight(world, "rotation-a", manual()).lock();
        world.running.remove("rotation-a"); // it ended without releasing; b takes over
        world.running.add("rotation-b");
        preflight(world, "rotation-b", manual());
        world.resetRecording();

        String input = "{\"projectId\":\"" + PROJECT + "\",\"rotationId\":\"rotation-a\",\"currentKeyId\":\""
                + world.currentKeyId() + "\",\"lock\":" + Json.MAPPER.writeValueAsString(a) + "}";
        var handler = LocalHandlers.create(world.deps()).get("CreateKey");

        assertThatThrownBy(() -> handler.handleRequest(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)),
                new ByteArrayOutputStream(), null)).isInstanceOf(LockLostException.class)
                .hasMessageContaining("held by rotation-b");
        assertThat(world.kms.totalWrites()).isZero();
    }
}
