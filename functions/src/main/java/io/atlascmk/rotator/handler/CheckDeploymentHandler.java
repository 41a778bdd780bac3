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
        this(ProductionDependencies.get(), ProductionDependencies.metrics());
        primeForSnapStart(ProductionDependencies.get());
    }

    /** For tests and the local runner: the step runs against these collaborators; its metrics are not written. */
    CheckDeploymentHandler(StepDependencies deps) {
        this(deps, io.atlascmk.rotator.metrics.Metrics.discarding(deps.clock()));
    }

    /** For tests and the sandbox: the step runs against these collaborators and writes its metrics with {@code metrics}. */
    CheckDeploymentHandler(StepDependencies deps, io.atlascmk.rotator.metrics.Metrics metrics) {
        super(CheckDeploymentRequest.class, new CheckDeploymentStep(deps)::check, deps.lock(), deps.atlas(), metrics);
    }

    @Override
    io.atlascmk.rotator.metrics.MetricLine measure(CheckDeploymentRequest request, CheckDeploymentResult result, java.time.Instant now) {
        return io.atlascmk.rotator.metrics.StepMetrics.deployment(request, result, now);
    }
}
