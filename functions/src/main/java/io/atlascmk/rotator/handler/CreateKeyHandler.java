package io.atlascmk.rotator.handler;

import io.atlascmk.rotator.rotation.CreateKeyRequest;
import io.atlascmk.rotator.rotation.CreateKeyResult;
import io.atlascmk.rotator.rotation.CreateKeyStep;
import io.atlascmk.rotator.rotation.StepDependencies;

/**
 * Lambda entry point of the CreateKey state: reads {@link CreateKeyRequest} (strictly), runs {@link CreateKeyStep}, writes
 * {@link CreateKeyResult}. Holds no logic of its own.
 */
public final class CreateKeyHandler extends StepHandler<CreateKeyRequest, CreateKeyResult> {

    /** The Lambda runtime's constructor: clients are built once, from the environment. */
    public CreateKeyHandler() {
        this(ProductionDependencies.get(), ProductionDependencies.metrics());
        primeForSnapStart(ProductionDependencies.get());
    }

    /** For tests and the local runner: the step runs against these collaborators; its metrics are not written. */
    CreateKeyHandler(StepDependencies deps) {
        this(deps, io.atlascmk.rotator.metrics.Metrics.discarding(deps.clock()));
    }

    /** For tests and the sandbox: the step runs against these collaborators and writes its metrics with {@code metrics}. */
    CreateKeyHandler(StepDependencies deps, io.atlascmk.rotator.metrics.Metrics metrics) {
        super(CreateKeyRequest.class, new CreateKeyStep(deps)::createKey, deps.lock(), deps.atlas(), metrics);
    }
}
