package io.atlascmk.rotator.handler;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import io.atlascmk.rotator.metrics.Metrics;
import io.atlascmk.rotator.rotation.ProjectSettingsSource;
import io.atlascmk.rotator.rotation.StepDependencies;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The step handlers for the local runner, built on collaborators it chooses (the sandbox, or real
 * AWS and Atlas clients) instead of the Lambda environment. The map's keys are the state names of
 * {@code statemachine/rotation.asl.json}; its values are the same handler classes the Lambda
 * functions run.
 */
public final class LocalHandlers {

    /** The state names, in workflow order. */
    public static final String PREFLIGHT = "Preflight";
    public static final String CREATE_KEY = "CreateKey";
    public static final String GRANT_ATLAS_ACCESS = "GrantAtlasAccess";
    public static final String SWITCH_ATLAS_KEY = "SwitchAtlasKey";
    public static final String CHECK_DEPLOYMENT = "CheckDeployment";
    public static final String FINALIZE = "Finalize";
    public static final String AUDIT_AND_RETIRE = "AuditAndRetire";
    public static final String ROLLBACK = "Rollback";
    public static final String ROTATE_KEY_MATERIAL = "RotateKeyMaterial";

    private LocalHandlers() {
    }

    /**
     * One handler per Lambda step, keyed by state name; build once and reuse. Preflight runs with
     * {@code deps}' {@link StepDependencies#projectSettings() project settings}, as the deployed function
     * runs with {@code ROTATOR_PROJECT_SETTINGS}.
     */
    public static Map<String, RequestStreamHandler> create(StepDependencies deps) {
        Objects.requireNonNull(deps, "deps");
        return create(deps, Metrics.discarding(deps.clock()));
    }

    /** As {@link #create(StepDependencies)}, each step writing its metrics with {@code metrics}. */
    public static Map<String, RequestStreamHandler> create(StepDependencies deps, Metrics metrics) {
        Objects.requireNonNull(deps, "deps");
        Objects.requireNonNull(metrics, "metrics");
        Map<String, RequestStreamHandler> handlers = new LinkedHashMap<>();
        handlers.put(PREFLIGHT, new PreflightHandler(deps, metrics));
        handlers.put(CREATE_KEY, new CreateKeyHandler(deps, metrics));
        handlers.put(GRANT_ATLAS_ACCESS, new GrantAtlasAccessHandler(deps, metrics));
        handlers.put(SWITCH_ATLAS_KEY, new SwitchAtlasKeyHandler(deps, metrics));
        handlers.put(CHECK_DEPLOYMENT, new CheckDeploymentHandler(deps, metrics));
        handlers.put(FINALIZE, new FinalizeHandler(deps, metrics));
        handlers.put(AUDIT_AND_RETIRE, new AuditAndRetireHandler(deps, metrics));
        handlers.put(ROLLBACK, new RollbackHandler(deps, metrics));
        handlers.put(ROTATE_KEY_MATERIAL, new RotateKeyMaterialHandler(deps, metrics));
        return Collections.unmodifiableMap(handlers);
    }

    /** As {@link #create(StepDependencies)}, Preflight with these per-project settings instead of {@code deps}'. */
    public static Map<String, RequestStreamHandler> create(StepDependencies deps, ProjectSettingsSource projectSettings) {
        Objects.requireNonNull(deps, "deps");
        return create(deps.withProjectSettings(Objects.requireNonNull(projectSettings, "projectSettings")));
    }

    /** As {@link #create(StepDependencies, ProjectSettingsSource)}, each step writing its metrics with {@code metrics}. */
    public static Map<String, RequestStreamHandler> create(StepDependencies deps, ProjectSettingsSource projectSettings,
            Metrics metrics) {
        Objects.requireNonNull(deps, "deps");
        return create(deps.withProjectSettings(Objects.requireNonNull(projectSettings, "projectSettings")), metrics);
    }

    /** The tripwire's handler (not a workflow step: the target of the tripwire rule), on these collaborators. */
    public static RequestStreamHandler rescue(io.atlascmk.rotator.rescue.KeyRescue rescue) {
        return rescue(rescue, Metrics.discarding(java.time.Clock.systemUTC()));
    }

    /** The tripwire's handler, writing its metrics with {@code metrics}. */
    public static RequestStreamHandler rescue(io.atlascmk.rotator.rescue.KeyRescue rescue, Metrics metrics) {
        return new RescueHandler(rescue, metrics);
    }

    /**
     * The Record function's handler (not a workflow step: the target of the rule on the rotator's bus): keeps each
     * event in {@code archive} and writes its outcome metrics with {@code metrics}.
     */
    public static RequestStreamHandler record(io.atlascmk.rotator.record.EventArchive archive, Metrics metrics) {
        return new RecordHandler(new io.atlascmk.rotator.record.OutcomeRecorder(archive, metrics));
    }
}
