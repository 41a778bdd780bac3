package io.atlascmk.rotator.handler;

import io.atlascmk.rotator.rotation.SwitchAtlasKeyRequest;
import io.atlascmk.rotator.rotation.SwitchAtlasKeyResult;
import io.atlascmk.rotator.rotation.SwitchAtlasKeyStep;
import io.atlascmk.rotator.rotation.StepDependencies;

/**
 * Lambda entry point of the SwitchAtlasKey state: reads {@link SwitchAtlasKeyRequest} (strictly), runs {@link SwitchAtlasKeyStep}, writes
 * {@link SwitchAtlasKeyResult}. Holds no logic of its own.
 */
public final class SwitchAtlasKeyHandler extends StepHandler<SwitchAtlasKeyRequest, SwitchAtlasKeyResult> {

    /** The Lambda runtime's constructor: clients are built once, from the environment. */
    public SwitchAtlasKeyHandler() {
        this(ProductionDependencies.get());
        primeForSnapStart(ProductionDependencies.get());
    }

    /** For tests and the local runner: the step runs against these collaborators. */
    SwitchAtlasKeyHandler(StepDependencies deps) {
        super(SwitchAtlasKeyRequest.class, new SwitchAtlasKeyStep(deps)::switchKey, deps.lock());
    }
}
