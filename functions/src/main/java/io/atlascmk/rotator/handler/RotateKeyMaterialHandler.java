package io.atlascmk.rotator.handler;

import io.atlascmk.rotator.rotation.RotateKeyMaterialRequest;
import io.atlascmk.rotator.rotation.RotateKeyMaterialResult;
import io.atlascmk.rotator.rotation.RotateKeyMaterialStep;
import io.atlascmk.rotator.rotation.StepDependencies;

/**
 * Lambda entry point of the RotateKeyMaterial state (the {@code key-material} method): reads
 * {@link RotateKeyMaterialRequest} (strictly), runs {@link RotateKeyMaterialStep}, writes {@link RotateKeyMaterialResult}.
 */
public final class RotateKeyMaterialHandler extends StepHandler<RotateKeyMaterialRequest, RotateKeyMaterialResult> {

    /** The Lambda runtime's constructor: clients are built once, from the environment. */
    public RotateKeyMaterialHandler() {
        this(ProductionDependencies.get(), ProductionDependencies.metrics());
        primeForSnapStart(ProductionDependencies.get());
    }

    /** For tests and the local runner: the step runs against these collaborators; its metrics are not written. */
    RotateKeyMaterialHandler(StepDependencies deps) {
        this(deps, io.atlascmk.rotator.metrics.Metrics.discarding(deps.clock()));
    }

    /** For tests and the sandbox: the step runs against these collaborators and writes its metrics with {@code metrics}. */
    RotateKeyMaterialHandler(StepDependencies deps, io.atlascmk.rotator.metrics.Metrics metrics) {
        super(RotateKeyMaterialRequest.class, new RotateKeyMaterialStep(deps)::rotate, deps.lock(), deps.atlas(), metrics);
    }
}
