package io.atlascmk.infra;

/**
 * The Lambda-backed steps of {@code statemachine/rotation.asl.json}: the handler class each runs, the
 * {@code ${...FunctionArn}} placeholder the definition names it by, its size, and whether it calls the
 * Atlas Admin API (only those may read the Atlas credentials secret).
 *
 * <p>Every step calls Atlas (read from the step classes in {@code functions/}): Preflight, SwitchAtlasKey,
 * CheckDeployment, AuditAndRetire and Rollback by their nature; Finalize reads the encryption-at-rest
 * configuration to check that Atlas names the new key; CreateKey and GrantAtlasAccess read it to find the keys'
 * region, because the workflow passes them bare key ids, not ARNs. (The handlers also build their Atlas client
 * eagerly and refuse to start without {@code ATLAS_SECRET_ARN}.) Only the webhook function never calls Atlas.
 *
 * <p>Timeouts stay below the Task's {@code TimeoutSeconds} in the definition (120 s, AuditAndRetire 600 s),
 * so a slow call ends as a Lambda error the workflow retries rather than a state timeout.
 */
public enum RotatorStep {
    PREFLIGHT("Preflight", "PreflightHandler", 1024, 90, true),
    CREATE_KEY("CreateKey", "CreateKeyHandler", 1024, 60, true),
    GRANT_ATLAS_ACCESS("GrantAtlasAccess", "GrantAtlasAccessHandler", 1024, 60, true),
    SWITCH_ATLAS_KEY("SwitchAtlasKey", "SwitchAtlasKeyHandler", 1024, 90, true),
    CHECK_DEPLOYMENT("CheckDeployment", "CheckDeploymentHandler", 1024, 90, true),
    FINALIZE("Finalize", "FinalizeHandler", 1024, 60, true),
    /** Pages through every snapshot of every cluster: more memory and time than the others. */
    AUDIT_AND_RETIRE("AuditAndRetire", "AuditAndRetireHandler", 2048, 540, true),
    ROLLBACK("Rollback", "RollbackHandler", 1024, 90, true),
    /** The key-material method: KMS rotates the key's material; Atlas is not called. */
    ROTATE_KEY_MATERIAL("RotateKeyMaterial", "RotateKeyMaterialHandler", 1024, 60, false);

    /** Package of every handler class in the functions jar. */
    public static final String HANDLER_PACKAGE = "io.atlascmk.rotator.handler";

    private final String stepName;
    private final String handlerClass;
    private final int memoryMb;
    private final int timeoutSeconds;
    private final boolean callsAtlas;

    RotatorStep(String stepName, String handlerClass, int memoryMb, int timeoutSeconds, boolean callsAtlas) {
        this.stepName = stepName;
        this.handlerClass = handlerClass;
        this.memoryMb = memoryMb;
        this.timeoutSeconds = timeoutSeconds;
        this.callsAtlas = callsAtlas;
    }

    /** The state's name in the definition, also the construct id of its function. */
    public String stepName() {
        return stepName;
    }

    /** The Lambda handler string: a RequestStreamHandler class of the functions jar. */
    public String handler() {
        return HANDLER_PACKAGE + "." + handlerClass + "::handleRequest";
    }

    /** The definition substitution that names this step's function, e.g. {@code PreflightFunctionArn}. */
    public String substitutionName() {
        return stepName + "FunctionArn";
    }

    public int memoryMb() {
        return memoryMb;
    }

    public int timeoutSeconds() {
        return timeoutSeconds;
    }

    /** Whether this step talks to the Atlas Admin API and so reads the Atlas credentials secret. */
    public boolean callsAtlas() {
        return callsAtlas;
    }
}
