package io.atlascmk.rotator.atlas;

import java.time.Instant;
import java.util.List;

/**
 * The Atlas Administration API operations the rotation steps use. {@link AtlasClient} implements it
 * over HTTP; tests use in-memory fakes.
 *
 * <p>Every method throws a subclass of {@link AtlasApiException} when Atlas refuses or cannot be
 * reached; list methods return every page.
 */
public interface AtlasApi {

    /** {@code GET /api/atlas/v2/groups/{groupId}/encryptionAtRest}. */
    EncryptionAtRest getEncryptionAtRest(String groupId);

    /**
     * {@code PATCH /api/atlas/v2/groups/{groupId}/encryptionAtRest} with the whole {@code awsKms}
     * object (enabled, customerMasterKeyID, region, roleId, requirePrivateNetworking when set).
     */
    EncryptionAtRest updateAwsKms(String groupId, AwsKms awsKms);

    /** Every cluster of the project, all pages. */
    List<Cluster> listClusters(String groupId);

    /**
     * Every cluster of the project and every deleted one whose snapshots Atlas retains
     * ({@code includeDeletedWithRetainedBackups=true}), all pages.
     */
    List<Cluster> listClustersWithRetainedBackups(String groupId);

    Cluster getCluster(String groupId, String clusterName);

    /** Every replica-set snapshot of the cluster, all pages ({@code itemsPerPage=500}). */
    List<Snapshot> listReplicaSetSnapshots(String groupId, String clusterName);

    /**
     * One page of the cluster's replica-set snapshots: {@code pageNum} (1-based) of
     * {@value AtlasClient#PAGE_SIZE} items, with Atlas's {@code totalCount}. {@link SnapshotPages} reads a
     * whole list with it, as few requests as the list has pages, several at once.
     *
     * <p>By default a page of {@link #listReplicaSetSnapshots} (for in-memory stand-ins, which have no pages).
     */
    default SnapshotPage replicaSetSnapshotPage(String groupId, String clusterName, int pageNum) {
        List<Snapshot> all = listReplicaSetSnapshots(groupId, clusterName);
        int from = (int) Math.min(all.size(), (long) (pageNum - 1) * AtlasClient.PAGE_SIZE);
        int to = Math.min(all.size(), from + AtlasClient.PAGE_SIZE);
        return new SnapshotPage(all.subList(from, to), all.size());
    }

    /** Every sharded-cluster snapshot of the cluster (a list Atlas does not page). */
    List<Snapshot> listShardedClusterSnapshots(String groupId, String clusterName);

    BackupSchedule getBackupSchedule(String groupId, String clusterName);

    /** The project's cloud provider access roles (to turn a roleId into the IAM role ARN). */
    List<CloudProviderAccessRole> listCloudProviderAccessRoles(String groupId);

    /** Every project the credentials can read, all pages ({@code GET /groups}). */
    List<ProjectRef> listProjects();

    /** Every project of one organization, all pages ({@code GET /orgs/{orgId}/groups}). */
    List<ProjectRef> listOrganizationProjects(String orgId);

    /** Project events of one type created at or after {@code minDate}, all pages. */
    List<AtlasEvent> listEvents(String groupId, String eventType, Instant minDate);

    /**
     * Atlas's rate limits, all pages ({@code GET /api/atlas/v2/rateLimits} without a filter): every endpoint set in
     * every scope, with the limits Atlas applies.
     */
    List<RateLimitEndpointSet> listRateLimits();

    /**
     * What this client sent since the last call of this method, and starts counting afresh: a handler takes it at the
     * start and the end of an invocation (a Lambda environment serves one invocation at a time), for its
     * {@code AtlasRetries} and {@code AtlasRateLimited} metrics. In-memory stand-ins send nothing.
     */
    default AtlasCalls takeCalls() {
        return AtlasCalls.NONE;
    }
}
