package io.atlascmk.cli;

import java.util.regex.Pattern;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/** Checks of the commands' arguments, made before any AWS or Atlas call; reported as usage errors (exit code 2). */
final class Arguments {

    private static final Pattern PROJECT_ID = Pattern.compile("[0-9a-f]{24}");

    private Arguments() {
    }

    static void requireProjectId(CommandSpec spec, String projectId) {
        if (projectId == null || !PROJECT_ID.matcher(projectId).matches()) {
            throw invalid(spec, "--project '" + projectId + "' is not an Atlas project id (24 lower-case hex characters).");
        }
    }

    /** A deployment name (the stack's), as the keys' tag and IAM conditions carry it. */
    static void requireDeployment(CommandSpec spec, String option, String deployment) {
        try {
            io.atlascmk.rotator.kms.KeyService.requireDeployment(deployment);
        } catch (IllegalArgumentException e) {
            throw invalid(spec, option + ": " + e.getMessage());
        }
    }

    static ParameterException invalid(CommandSpec spec, String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
