package io.atlascmk.rotator.rotation;

/**
 * A step's input is not what the workflow contract allows: a required field is missing, a field is
 * unknown or has the wrong type, or a value is out of range. It is raised before any call to AWS or
 * Atlas, so nothing was read or changed. The message names the field (as a path such as
 * {@code input.settings.pendingWindowDays}) and says what is expected; it never echoes a whole input
 * document.
 *
 * <p>Retrying the same input fails the same way: fix the execution input (or the deployment's
 * defaults) and start a new execution.
 */
public class InvalidInputException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final String field;
    private final String problem;

    /**
     * @param field   the field's path, e.g. {@code projectId} or {@code settings.pendingWindowDays}
     * @param problem what is wrong and what is expected, e.g. "must be 7 to 30 days, not 3"
     */
    public InvalidInputException(String field, String problem) {
        super("Invalid input: '" + field + "' " + problem);
        this.field = field;
        this.problem = problem;
    }

    /** The path of the offending field. */
    public String field() {
        return field;
    }

    /** What is wrong with it and what is expected. */
    public String problem() {
        return problem;
    }

    /** The same problem, reported at {@code prefix.field} (for a record nested in another input). */
    public InvalidInputException under(String prefix) {
        if (prefix == null || prefix.isEmpty()) {
            return this;
        }
        return new InvalidInputException(prefix + "." + field, problem);
    }
}
