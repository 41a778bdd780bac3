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
        this(ProductionDependencies.get(), ProductionDependencies.metrics());
        primeForSnapStart(ProductionDependencies.get());
    }

    /** For tests and the local runner: the step runs against these collaborators; its metrics are not written. */
    RollbackHandler(StepDependencies deps) {
        this(deps, io.atlascmk.rotator.metrics.Metrics.discarding(deps.clock()));
    }

    /** For tests and the sandbox: the step runs against these collaborators and writes its metrics with {@code metrics}. */
    RollbackHandler(StepDependencies deps, io.atlascmk.rotator.metrics.Metrics metrics) {
        super(RollbackRequest.class, new RollbackStep(deps)::rollback, deps.lock(), deps.atlas(), metrics);
    }
}
