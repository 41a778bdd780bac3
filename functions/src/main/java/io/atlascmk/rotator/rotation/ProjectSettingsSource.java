package io.atlascmk.rotator.rotation;

import java.util.Set;

/**
 * Where a step finds the deployment's projects and their settings: the project registry in the stack's table when
 * deployed, or a fixed set ({@link ProjectSettings}) in tests and local runs.
 */
public interface ProjectSettingsSource {

    /** The deployment's settings of {@code projectId}, or null when the deployment has none for it. */
    ExecutionSettings forProject(String projectId);

    /** Every project of the deployment. */
    Set<String> projectIds();

    /**
     * The other AWS account that holds {@code projectId}'s keys, from its registration; null when they are in the
     * deployment's own account (or the project is not registered). Never from an execution input.
     */
    default io.atlascmk.rotator.aws.KeyAccount keyAccount(String projectId) {
        return null;
    }

    /** The member role a registered project names in AWS account {@code accountId}; null when none does. */
    default io.atlascmk.rotator.aws.KeyAccount keyAccountIn(String accountId) {
        for (String projectId : projectIds()) {
            io.atlascmk.rotator.aws.KeyAccount account = keyAccount(projectId);
            if (account != null && account.accountId().equals(accountId)) {
                return account;
            }
        }
        return null;
    }
}
