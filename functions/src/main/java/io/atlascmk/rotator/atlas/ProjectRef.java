package io.atlascmk.rotator.atlas;

/**
 * A project the Atlas credentials can read, as {@code GET /api/atlas/v2/groups} lists it.
 *
 * @param id    the project (group) id
 * @param name  its name
 * @param orgId the organization it belongs to
 */
public record ProjectRef(String id, String name, String orgId) {
}
