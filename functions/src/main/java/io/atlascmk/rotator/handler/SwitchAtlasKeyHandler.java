package io.atlascmk.rotator.handler;

import io.atlascmk.rotator.rotation.SwitchAtlasKeyRequest;
import io.atlascmk.rotator.rotation.SwitchAtlasKeyResult;
import io.atlascmk.rotator.rotation.SwitchAtlasKeyStep;
import io.atlascmk.rotator.rotation.StepDependencies;

/**
 * Lambda entry point of the SwitchAtlasKey state: reads {@link SwitchAtlasKeyRequest} (strictly), runs {@link SwitchAtlasKeyStep}, writes
 * {@link SwitchAtlasKeyResult}. Holds no logic of its own.
 */
public final class SwitchAtlasKeyHandler extends StepHandler<SwitchAtlasKeyRequest, SwitchAtlasKeyResult> {

    /** The Lambda runtime's constructor: clients are built once, from the environment. */
    public SwitchAtlasKeyHandler() {
        this(ProductionDependencies.get(), ProductionDependencies.metrics());
        primeForSnapStart(ProductionDependencies.get());
    }

    /** For tests and the local runner: the step runs against these collaborators; its metrics are not written. */
    SwitchAtlasKeyHandler(StepDependencies deps) {
        this(deps, io.atlascmk.rotator.metrics.Metrics.discarding(deps.clock()));
    }

    /** For tests and the sandbox: the step runs against these collaborators and writes its metrics with {@code metrics}. */
    SwitchAtlasKeyHandler(StepDependencies deps, io.atlascmk.rotator.metrics.Metrics metrics) {
        super(SwitchAtlasKeyRequest.class, new SwitchAtlasKeyStep(deps)::switchKey, deps.lock(), deps.atlas(), metrics);
    }
}
