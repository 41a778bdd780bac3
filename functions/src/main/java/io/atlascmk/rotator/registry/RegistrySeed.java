package io.atlascmk.rotator.registry;

import io.atlascmk.rotator.handler.StepJson;
import io.atlascmk.rotator.rotation.InvalidInputException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a deploy does to the registry: every project of the stack's configuration is registered (replacing what an
 * earlier deploy seeded, never what an operator registered), and a project an earlier deploy seeded that the
 * configuration no longer names is removed. An operator's registrations are left as they are.
 */
public final class RegistrySeed {

    private static final Logger LOG = LoggerFactory.getLogger(RegistrySeed.class);

    /** What a seed did. */
    public record Outcome(int seeded, List<String> keptOperatorRegistrations, List<String> removed) {
    }

    private final ProjectRegistry registry;
    private final Clock clock;

    public RegistrySeed(ProjectRegistry registry, Clock clock) {
        this.registry = registry;
        this.clock = clock;
    }

    /**
     * The seed file's projects: a JSON array of projects as {@code ./rotator projects import} reads them.
     *
     * @throws InvalidInputException naming the entry and field that is wrong
     */
    public static List<RegisteredProject> parse(String json) {
        RegisteredProject[] projects;
        try {
            projects = StepJson.read(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), RegisteredProject[].class);
        } catch (IOException e) {
            throw new InvalidInputException("(input)", "cannot be read: " + e.getMessage());
        }
        Set<String> ids = new LinkedHashSet<>();
        for (RegisteredProject p : projects) {
            if (!ids.add(p.projectId())) {
                throw new InvalidInputException("projectId", "names project " + p.projectId() + " twice.");
            }
        }
        return List.of(projects);
    }

    public Outcome seed(List<RegisteredProject> configured) {
        Instant now = clock.instant();
        int seeded = 0;
        List<String> kept = new java.util.ArrayList<>();
        Set<String> ids = new LinkedHashSet<>();
        for (RegisteredProject p : configured) {
            ids.add(p.projectId());
            if (registry.seed(p.writtenBy(RegisteredProject.SOURCE_CONFIG, now))) {
                seeded++;
            } else {
                kept.add(p.projectId());
            }
        }
        List<String> removed = new java.util.ArrayList<>();
        for (RegisteredProject p : registry.list()) {
            if (RegisteredProject.SOURCE_CONFIG.equals(p.source()) && !ids.contains(p.projectId())
                    && registry.unseed(p.projectId())) {
                removed.add(p.projectId());
            }
        }
        LOG.info("Registry seeded from the configuration: {} project(s) written, operator registrations kept {},"
                + " removed (no longer configured) {}", seeded, kept, removed);
        return new Outcome(seeded, List.copyOf(kept), List.copyOf(removed));
    }
}
