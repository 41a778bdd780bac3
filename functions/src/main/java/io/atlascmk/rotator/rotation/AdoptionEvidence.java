package io.atlascmk.rotator.rotation;

import java.util.List;

/**
 * What the audit found about who else may need a key this system adopted (did not create): the key
 * Atlas used before the project's first rotation, which another project may share (dev and staging on one
 * key is common) or other principals may use.
 *
 * @param keep              the project keeps adopted keys ({@code adoptedKeys: keep}): never deleted
 * @param projectsNamingIt  other projects of the deployment whose Atlas configuration names the key
 * @param unreadableProjects other projects of the deployment whose configuration could not be read
 * @param grantees          principals a KMS grant lets use the key
 * @param policyUsers       principals other than the account's administrators and Atlas's role that the
 *                          key policy lets use the key
 * @param unavailableReason null when everything could be read; otherwise what could not
 */
public record AdoptionEvidence(boolean keep, List<String> projectsNamingIt, List<String> unreadableProjects,
                               List<String> grantees, List<String> policyUsers, String unavailableReason) {

    public AdoptionEvidence {
        projectsNamingIt = List.copyOf(projectsNamingIt);
        unreadableProjects = List.copyOf(unreadableProjects);
        grantees = List.copyOf(grantees);
        policyUsers = List.copyOf(policyUsers);
    }

    /** Nobody else needs it, as far as the deployment, the grants and the key policy tell. */
    public boolean clean() {
        return !keep && unavailableReason == null && projectsNamingIt.isEmpty() && unreadableProjects.isEmpty()
                && grantees.isEmpty() && policyUsers.isEmpty();
    }
}
