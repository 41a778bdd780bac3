package io.atlascmk.rotator.handler;

import io.atlascmk.rotator.rotation.PreflightRequest;
import io.atlascmk.rotator.rotation.PreflightResult;
import io.atlascmk.rotator.rotation.PreflightStep;
import io.atlascmk.rotator.rotation.StepDependencies;

/**
 * Lambda entry point of the Preflight state: reads {@link PreflightRequest} (strictly: the execution
 * input is validated here, before any call to AWS or Atlas), runs {@link PreflightStep}, writes
 * {@link PreflightResult}. Holds no logic of its own.
 */
public final class PreflightHandler extends StepHandler<PreflightRequest, PreflightResult> {

    /**
     * The Lambda runtime's constructor: clients are built once, from the environment; Preflight also
     * needs {@code ROTATOR_STATE_MACHINE_ARN} for the lock and fails here without it.
     */
    public PreflightHandler() {
        this(ProductionDependencies.withRegistry(), ProductionDependencies.metrics());
        primeForSnapStart(ProductionDependencies.get(), Priming::sfn);
    }

    /** For tests and the local runner: the step runs against these collaborators; its metrics are not written. */
    PreflightHandler(StepDependencies deps) {
        this(deps, io.atlascmk.rotator.metrics.Metrics.discarding(deps.clock()));
    }

    /** For tests and the sandbox: the step runs against these collaborators and writes its metrics with {@code metrics}. */
    PreflightHandler(StepDependencies deps, io.atlascmk.rotator.metrics.Metrics metrics) {
        super(PreflightRequest.class, new PreflightStep(deps)::preflight, null, deps.atlas(), metrics);
    }

    @Override
    io.atlascmk.rotator.metrics.MetricLine measure(PreflightRequest request, PreflightResult result, java.time.Instant now) {
        return io.atlascmk.rotator.metrics.StepMetrics.preflight(result);
    }
}
