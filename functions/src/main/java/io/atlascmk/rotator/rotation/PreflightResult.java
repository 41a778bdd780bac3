package io.atlascmk.rotator.rotation;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.atlascmk.rotator.lock.LockGrant;

import java.util.List;

/**
 * Output of Preflight, stored by the workflow at {@code $.run} and read by every later state.
 *
 * @param projectId   the project
 * @param rotationId  this rotation
 * @param mode        {@code rotate} or {@code sweep}
 * @param decision    {@code rotate}, {@code plan} (dry run), {@code skip} (cooldown) or {@code sweep}
 * @param dryRun      nothing is written
 * @param force       the cooldown was overridable
 * @param reason      one line: why this decision
 * @param currentKey  the key Atlas uses now; null in sweep mode
 * @param atlasRoleArn the IAM role Atlas assumes; null in sweep mode
 * @param settings    the settings the workflow runs with
 * @param plan        the dry run's plan; null otherwise
 * @param lock        the project's rotation lock this execution holds from here to its end (every step
 *                    that writes confirms it, every end releases it); null when the run writes nothing
 *                    (dry run) or was skipped
 * @param notes       what Preflight found and did (adoption, resumed or abandoned runs, ...)
 * @param trigger     what started the execution: {@code schedule}, {@code manual}, {@code alert}, {@code fleet}, or
 *                    {@code unspecified} when its input named none; every event the workflow publishes carries it
 */
public record PreflightResult(
        String projectId,
        String rotationId,
        String mode,
        String decision,
        boolean dryRun,
        boolean force,
        String reason,
        CurrentKey currentKey,
        String atlasRoleArn,
        RunSettings settings,
        RotationPlan plan,
        List<String> notes,
        // Always written, null included: the workflow passes $.run.lock to every step that writes.
        @JsonInclude(JsonInclude.Include.ALWAYS) LockGrant lock,
        String trigger) {

    public static final String ROTATE = "rotate";
    /** The {@code key-material} method: KMS rotates the key's material; the key id, and Atlas, stay. */
    public static final String ROTATE_MATERIAL = "rotate-material";
    public static final String PLAN = "plan";
    public static final String SKIP = "skip";
    public static final String SWEEP = "sweep";

    public PreflightResult {
        notes = List.copyOf(notes);
        if (trigger == null) {
            trigger = ExecutionInput.TRIGGER_UNSPECIFIED;
        }
    }

    /** The same result, holding no lock (a skipped run released it). */
    public PreflightResult withoutLock() {
        return new PreflightResult(projectId, rotationId, mode, decision, dryRun, force, reason, currentKey, atlasRoleArn,
                settings, plan, notes, null, trigger);
    }
}
