package io.atlascmk.rotator.handler;

import io.atlascmk.rotator.rotation.GrantAtlasAccessRequest;
import io.atlascmk.rotator.rotation.GrantAtlasAccessResult;
import io.atlascmk.rotator.rotation.GrantAtlasAccessStep;
import io.atlascmk.rotator.rotation.StepDependencies;

/**
 * Lambda entry point of the GrantAtlasAccess state: reads {@link GrantAtlasAccessRequest} (strictly), runs {@link GrantAtlasAccessStep}, writes
 * {@link GrantAtlasAccessResult}. Holds no logic of its own.
 */
public final class GrantAtlasAccessHandler extends StepHandler<GrantAtlasAccessRequest, GrantAtlasAccessResult> {

    /** The Lambda runtime's constructor: clients are built once, from the environment. */
    public GrantAtlasAccessHandler() {
        this(ProductionDependencies.get(), ProductionDependencies.metrics());
        primeForSnapStart(ProductionDependencies.get());
    }

    /** For tests and the local runner: the step runs against these collaborators; its metrics are not written. */
    GrantAtlasAccessHandler(StepDependencies deps) {
        this(deps, io.atlascmk.rotator.metrics.Metrics.discarding(deps.clock()));
    }

    /** For tests and the sandbox: the step runs against these collaborators and writes its metrics with {@code metrics}. */
    GrantAtlasAccessHandler(StepDependencies deps, io.atlascmk.rotator.metrics.Metrics metrics) {
        super(GrantAtlasAccessRequest.class, new GrantAtlasAccessStep(deps)::grant, deps.lock(), deps.atlas(), metrics);
    }
}
