package io.atlascmk.rotator.handler;

import io.atlascmk.rotator.rotation.FinalizeRequest;
import io.atlascmk.rotator.rotation.FinalizeResult;
import io.atlascmk.rotator.rotation.FinalizeStep;
import io.atlascmk.rotator.rotation.StepDependencies;

/**
 * Lambda entry point of the Finalize state: reads {@link FinalizeRequest} (strictly), runs {@link FinalizeStep}, writes
 * {@link FinalizeResult}. Holds no logic of its own.
 */
public final class FinalizeHandler extends StepHandler<FinalizeRequest, FinalizeResult> {

    /** The Lambda runtime's constructor: clients are built once, from the environment. */
    public FinalizeHandler() {
        this(ProductionDependencies.get(), ProductionDependencies.metrics());
        primeForSnapStart(ProductionDependencies.get());
    }

    /** For tests and the local runner: the step runs against these collaborators; its metrics are not written. */
    FinalizeHandler(StepDependencies deps) {
        this(deps, io.atlascmk.rotator.metrics.Metrics.discarding(deps.clock()));
    }

    /** For tests and the sandbox: the step runs against these collaborators and writes its metrics with {@code metrics}. */
    FinalizeHandler(StepDependencies deps, io.atlascmk.rotator.metrics.Metrics metrics) {
        super(FinalizeRequest.class, new FinalizeStep(deps)::finalizeRotation, deps.lock(), deps.atlas(), metrics);
    }
}
