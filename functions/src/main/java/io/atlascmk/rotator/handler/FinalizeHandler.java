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
        this(ProductionDependencies.get());
        primeForSnapStart(ProductionDependencies.get());
    }

    /** For tests and the local runner: the step runs against these collaborators. */
    FinalizeHandler(StepDependencies deps) {
        super(FinalizeRequest.class, new FinalizeStep(deps)::finalizeRotation, deps.lock());
    }
}
