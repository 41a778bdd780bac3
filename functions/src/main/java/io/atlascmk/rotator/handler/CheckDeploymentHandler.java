package io.atlascmk.rotator.handler;

import io.atlascmk.rotator.rotation.CheckDeploymentRequest;
import io.atlascmk.rotator.rotation.CheckDeploymentResult;
import io.atlascmk.rotator.rotation.CheckDeploymentStep;
import io.atlascmk.rotator.rotation.StepDependencies;

/**
 * Lambda entry point of the CheckDeployment state: reads {@link CheckDeploymentRequest} (strictly), runs {@link CheckDeploymentStep}, writes
 * {@link CheckDeploymentResult}. Holds no logic of its own.
 */
public final class CheckDeploymentHandler extends StepHandler<CheckDeploymentRequest, CheckDeploymentResult> {

    /** The Lambda runtime's constructor: clients are built once, from the environment. */
    public CheckDeploymentHandler() {
        this(ProductionDependencies.get());
        primeForSnapStart(ProductionDependencies.get());
    }

    /** For tests and the local runner: the step runs against these collaborators. */
    CheckDeploymentHandler(StepDependencies deps) {
        super(CheckDeploymentRequest.class, new CheckDeploymentStep(deps)::check, deps.lock());
    }
}
