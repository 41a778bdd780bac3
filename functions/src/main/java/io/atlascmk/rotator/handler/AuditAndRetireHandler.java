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
        this(ProductionDependencies.get());
        primeForSnapStart(ProductionDependencies.get(), Priming::cloudTrail, Priming::s3);
    }

    /** For tests and the local runner: the step runs against these collaborators. */
    AuditAndRetireHandler(StepDependencies deps) {
        super(AuditAndRetireRequest.class, new AuditAndRetireStep(deps)::audit, deps.lock());
    }
}
