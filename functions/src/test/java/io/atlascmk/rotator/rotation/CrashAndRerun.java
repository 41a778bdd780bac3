package io.atlascmk.rotator.rotation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.atlascmk.rotator.kms.SimulatedCrashException;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Design §4 rule 5, mechanically: run a step once without faults and count its writes to KMS and to
 * Atlas; then, for every n from 1 to that count, build the same world again, crash the step right
 * after its nth write took effect, run it again, and compare the end state with the uninterrupted
 * run's.
 */
final class CrashAndRerun {

    private CrashAndRerun() {
    }

    /** @return how many crash points were exercised (KMS writes plus Atlas writes of one run) */
    static int assertSameEndStateAfterCrashAtEveryWrite(Supplier<RotationWorld> arrange, Consumer<RotationWorld> step) {
        RotationWorld reference = arrange.get();
        reference.resetRecording();
        step.accept(reference);
        int kmsWrites = reference.kms.totalWrites();
        int atlasWrites = reference.atlas.patches().size();
        RotationWorld.EndState expected = reference.endState();
        reference.assertLedgerInvariants();

        for (int n = 1; n <= kmsWrites; n++) {
            RotationWorld world = arrange.get();
            world.resetRecording();
            world.kms.crashAfterAnyWrite(n);
            int nth = n;
            assertThatThrownBy(() -> step.accept(world))
                    .as("the step crashes right after KMS write %d of %d", nth, kmsWrites)
                    .isInstanceOf(SimulatedCrashException.class);
            world.assertLedgerInvariants();
            world.kms.clearFaults();
            step.accept(world);
            assertThat(world.endState()).as("end state after a crash following KMS write %d of %d and a re-run", nth,
                    kmsWrites).isEqualTo(expected);
            world.assertLedgerInvariants();
        }
        for (int n = 1; n <= atlasWrites; n++) {
            RotationWorld world = arrange.get();
            world.resetRecording();
            world.atlas.crashAfterPatch(n);
            int nth = n;
            assertThatThrownBy(() -> step.accept(world))
                    .as("the step crashes right after Atlas write %d of %d", nth, atlasWrites)
                    .isInstanceOf(SimulatedCrashException.class);
            world.assertLedgerInvariants();
            world.atlas.clearFaults();
            step.accept(world);
            assertThat(world.endState()).as("end state after a crash following Atlas write %d of %d and a re-run",
                    nth, atlasWrites).isEqualTo(expected);
            world.assertLedgerInvariants();
        }
        return kmsWrites + atlasWrites;
    }
}
