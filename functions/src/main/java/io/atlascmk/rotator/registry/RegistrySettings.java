package io.atlascmk.rotator.registry;

import io.atlascmk.rotator.rotation.ExecutionSettings;
import io.atlascmk.rotator.rotation.ProjectSettingsSource;
import java.util.Set;

/** The registry as the steps read it: a registered project's settings, and every registered project. */
public final class RegistrySettings implements ProjectSettingsSource {

    private final ProjectRegistry registry;

    public RegistrySettings(ProjectRegistry registry) {
        this.registry = registry;
    }

    @Override
    public ExecutionSettings forProject(String projectId) {
        return registry.find(projectId).map(RegisteredProject::settings).orElse(null);
    }

    @Override
    public io.atlascmk.rotator.aws.KeyAccount keyAccount(String projectId) {
        return registry.find(projectId).map(RegisteredProject::keyAccount).orElse(null);
    }

    /** One read of the registry (not a read per project). */
    @Override
    public io.atlascmk.rotator.aws.KeyAccount keyAccountIn(String accountId) {
        return registry.list().stream().map(RegisteredProject::keyAccount)
                .filter(a -> a != null && a.accountId().equals(accountId)).findFirst().orElse(null);
    }

    @Override
    public Set<String> projectIds() {
        return registry.projectIds();
    }
}
