package io.atlascmk.rotator.handler;

import io.atlascmk.rotator.rotation.AuditAndRetireRequest;
import io.atlascmk.rotator.rotation.AuditAndRetireResult;
import io.atlascmk.rotator.rotation.AuditAndRetireStep;
import io.atlascmk.rotator.rotation.StepDependencies;

/**
 * Lambda entry point of the AuditAndRetire state: reads {@link AuditAndRetireRequest} (strictly), runs {@link AuditAndRetireStep}, writes
 * {@link AuditAndRetireResult}. Holds no logic of its own.
 */
public final class AuditAndRetireHandler extends StepHandler<AuditAndRetireRequest, AuditAndRetireResult> {

    /** The Lambda runtime's constructor: clients are built once, from the environment. */
    public AuditAndRetireHandler() {
        this(ProductionDependencies.get(), ProductionDependencies.metrics());
        primeForSnapStart(ProductionDependencies.get(), Priming::cloudTrail, Priming::s3);
    }

    /** For tests and the local runner: the step runs against these collaborators; its metrics are not written. */
    AuditAndRetireHandler(StepDependencies deps) {
        this(deps, io.atlascmk.rotator.metrics.Metrics.discarding(deps.clock()));
    }

    /** For tests and the sandbox: the step runs against these collaborators and writes its metrics with {@code metrics}. */
    AuditAndRetireHandler(StepDependencies deps, io.atlascmk.rotator.metrics.Metrics metrics) {
        super(AuditAndRetireRequest.class, new AuditAndRetireStep(deps)::audit, deps.lock(), deps.atlas(), metrics);
    }

    @Override
    io.atlascmk.rotator.metrics.MetricLine measure(AuditAndRetireRequest request, AuditAndRetireResult result, java.time.Instant now) {
        return io.atlascmk.rotator.metrics.StepMetrics.audit(request, result, now);
    }
}
