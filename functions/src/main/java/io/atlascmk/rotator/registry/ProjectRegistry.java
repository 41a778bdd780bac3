package io.atlascmk.rotator.registry;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The projects a deployment rotates, with their settings: data in the stack's table, not configuration in a
 * variable or a policy, so a project is added, changed or removed without a redeploy ({@code ./rotator projects}).
 */
public interface ProjectRegistry {

    /** The project, if registered (strongly consistent). */
    Optional<RegisteredProject> find(String projectId);

    /** Every registered project id. */
    Set<String> projectIds();

    /** Every registered project, in project id order. */
    List<RegisteredProject> list();

    /** Registers or replaces the project. */
    void put(RegisteredProject project);

    /**
     * Registers or replaces the project only if it is not registered or was seeded from the configuration: what a
     * deploy's seed does, so an operator's registration is never overwritten by a deploy.
     *
     * @return false when an operator's registration was kept
     */
    boolean seed(RegisteredProject project);

    /** Removes the project; false when it was not registered. */
    boolean remove(String projectId);

    /** Removes the project only if it was seeded from the configuration; false otherwise. */
    boolean unseed(String projectId);
}
