package io.atlascmk.rotator.handler;

import io.atlascmk.rotator.rotation.RollbackRequest;
import io.atlascmk.rotator.rotation.RollbackResult;
import io.atlascmk.rotator.rotation.RollbackStep;
import io.atlascmk.rotator.rotation.StepDependencies;

/**
 * Lambda entry point of the Rollback state: reads {@link RollbackRequest} (strictly), runs {@link RollbackStep}, writes
 * {@link RollbackResult}. Holds no logic of its own.
 */
public final class RollbackHandler extends StepHandler<RollbackRequest, RollbackResult> {

    /** The Lambda runtime's constructor: clients are built once, from the environment. */
    public RollbackHandler() {
        this(ProductionDependencies.get());
        primeForSnapStart(ProductionDependencies.get());
    }

    /** For tests and the local runner: the step runs against these collaborators. */
    RollbackHandler(StepDependencies deps) {
        super(RollbackRequest.class, new RollbackStep(deps)::rollback, deps.lock());
    }
}
