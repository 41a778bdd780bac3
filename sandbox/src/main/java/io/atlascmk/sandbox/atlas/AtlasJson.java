package io.atlascmk.sandbox.atlas;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.util.TokenBuffer;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Collection;

/**
 * Renders the simulator's state as Atlas resources, with the fields the contract's schemas allow
 * (the contract check rejects unknown fields). Timestamps are ISO-8601 UTC to the second, as Atlas
 * sends them.
 */
final class AtlasJson {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final String API = "/api/atlas/v2/groups/";

    private final String baseUrl;

    AtlasJson(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    static String time(Instant t) {
        java.time.LocalDateTime d = java.time.LocalDateTime.ofEpochSecond(t.getEpochSecond(), 0, ZoneOffset.UTC);
        if (d.getYear() < 0 || d.getYear() > 9999) {
            return DateTimeFormatter.ISO_INSTANT.format(t.truncatedTo(ChronoUnit.SECONDS));
        }
        // what ISO_INSTANT writes for a whole second, without the formatter's cost (thousands of them per page)
        char[] c = "0000-00-00T00:00:00Z".toCharArray();
        put(c, 0, d.getYear(), 4);
        put(c, 5, d.getMonthValue(), 2);
        put(c, 8, d.getDayOfMonth(), 2);
        put(c, 11, d.getHour(), 2);
        put(c, 14, d.getMinute(), 2);
        put(c, 17, d.getSecond(), 2);
        return new String(c);
    }

    private static void put(char[] c, int at, int value, int digits) {
        for (int i = at + digits - 1; i >= at; i--) {
            c[i] = (char) ('0' + value % 10);
            value /= 10;
        }
    }

    /**
     * {@code EncryptionAtRest}. {@code awsKms.roleId} is returned although the contract marks it
     * {@code writeOnly}: real Atlas returns it on GET, and a client needs it to send the whole
     * {@code awsKms} object back and to find the IAM role ARN in {@code cloudProviderAccess}.
     */
    ObjectNode encryptionAtRest(AwsKmsConfig kms) {
        ObjectNode root = F.objectNode();
        ObjectNode aws = root.putObject("awsKms");
        aws.put("enabled", kms.enabled());
        if (kms.customerMasterKeyID() != null) {
            aws.put("customerMasterKeyID", kms.customerMasterKeyID());
        }
        if (kms.region() != null) {
            aws.put("region", kms.region());
        }
        if (kms.roleId() != null) {
            aws.put("roleId", kms.roleId());
        }
        if (kms.requirePrivateNetworking() != null) {
            aws.put("requirePrivateNetworking", kms.requirePrivateNetworking());
        }
        aws.put("valid", kms.valid());
        root.putObject("azureKeyVault").put("enabled", false);
        root.putObject("googleCloudKms").put("enabled", false);
        return root;
    }

    /** {@code ClusterDescription20240805}. */
    ObjectNode cluster(String groupId, SimCluster c, Instant now) {
        ObjectNode n = F.objectNode();
        n.put("id", c.id);
        n.put("groupId", groupId);
        n.put("name", c.name);
        n.put("clusterType", c.clusterType);
        n.put("stateName", c.stateAt(now));
        n.put("encryptionAtRestProvider", c.encryptionAtRestProvider);
        n.put("backupEnabled", c.backupEnabled);
        n.put("pitEnabled", c.pitEnabled);
        n.put("paused", c.paused);
        n.put("retainBackups", c.retainedBackups);
        n.put("terminationProtectionEnabled", false);
        n.put("createDate", time(c.createDate));
        n.put("mongoDBMajorVersion", c.mongoDBVersion.substring(0, c.mongoDBVersion.lastIndexOf('.')));
        n.put("mongoDBVersion", c.mongoDBVersion);
        n.put("versionReleaseSystem", "LTS");
        n.putObject("connectionStrings").put("standardSrv", "mongodb+srv://" + c.name.toLowerCase() + ".sandbox.mongodb.net");
        ArrayNode specs = n.putArray("replicationSpecs");
        for (String specId : c.replicationSpecIds) {
            ObjectNode s = specs.addObject();
            s.put("id", specId);
            s.put("zoneId", c.zoneId);
            s.put("zoneName", "Zone 1");
            // electableSpecs is left out: in the contract it is a oneOf of four hardware specs that an
            // AWS instance size matches three times over, so no realistic value can pass the check.
            ObjectNode region = s.putArray("regionConfigs").addObject();
            region.put("providerName", "AWS");
            region.put("regionName", c.region);
            region.put("priority", 7);
        }
        n.set("links", selfLink(API + groupId + "/clusters/" + c.name));
        return n;
    }

    /** {@code ClusterStatus}: PENDING while a change (a key switch) is being applied. */
    ObjectNode clusterStatus(String groupId, SimCluster c, Instant now) {
        ObjectNode n = F.objectNode();
        n.put("changeStatus", "IDLE".equals(c.stateAt(now)) ? "APPLIED" : "PENDING");
        n.set("links", selfLink(API + groupId + "/clusters/" + c.name + "/status"));
        return n;
    }

    /** {@code DiskBackupReplicaSet}. */
    ObjectNode replicaSetSnapshot(String groupId, SnapshotRecord s) {
        return tree(g -> writeReplicaSetSnapshot(g, groupId, s));
    }

    /** {@code DiskBackupShardedClusterSnapshot}. */
    ObjectNode shardedSnapshot(String groupId, SnapshotRecord s) {
        return tree(g -> writeShardedSnapshot(g, groupId, s));
    }

    /** {@code DiskBackupReplicaSet}, written straight out (a list of thousands is never built as a tree). */
    void writeReplicaSetSnapshot(JsonGenerator g, String groupId, SnapshotRecord s) throws IOException {
        g.writeStartObject();
        writeSnapshotCommon(g, s);
        g.writeStringField("cloudProvider", "AWS");
        g.writeArrayFieldStart("copyRegions");
        g.writeEndArray();
        g.writeStringField("replicaSetName", s.clusterName());
        g.writeStringField("type", "replicaSet");
        writeSelfLink(g, API + groupId + "/clusters/" + s.clusterName() + "/backup/snapshots/" + s.id());
        g.writeEndObject();
    }

    /** {@code DiskBackupShardedClusterSnapshot}, written straight out. */
    void writeShardedSnapshot(JsonGenerator g, String groupId, SnapshotRecord s) throws IOException {
        g.writeStartObject();
        writeSnapshotCommon(g, s);
        g.writeStringField("configServerType", "DEDICATED");
        g.writeArrayFieldStart("members");
        for (SnapshotRecord.Member m : s.members()) {
            g.writeStartObject();
            g.writeStringField("cloudProvider", "AWS");
            g.writeStringField("id", m.id());
            g.writeStringField("replicaSetName", m.replicaSetName());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeArrayFieldStart("snapshotIds");
        for (SnapshotRecord.Member m : s.members()) {
            g.writeString(m.id());
        }
        g.writeEndArray();
        g.writeStringField("type", "shardedCluster");
        writeSelfLink(g, API + groupId + "/clusters/" + s.clusterName() + "/backup/snapshots/shardedCluster/" + s.id());
        g.writeEndObject();
    }

    private static void writeSnapshotCommon(JsonGenerator g, SnapshotRecord s) throws IOException {
        g.writeStringField("id", s.id());
        g.writeStringField("createdAt", time(s.createdAt()));
        if (s.expiresAt() != null) {
            g.writeStringField("expiresAt", time(s.expiresAt()));
        }
        if (s.masterKeyUUID() != null) {
            g.writeStringField("masterKeyUUID", s.masterKeyUUID());
        }
        g.writeStringField("status", s.status());
        g.writeStringField("snapshotType", s.snapshotType());
        if (s.frequencyType() != null) {
            g.writeStringField("frequencyType", s.frequencyType());
        }
        g.writeStringField("mongodVersion", s.mongodVersion());
        g.writeNumberField("storageSizeBytes", s.storageSizeBytes());
        g.writeArrayFieldStart("policyItems");
        for (String item : s.policyItemIds()) {
            g.writeString(item);
        }
        g.writeEndArray();
    }

    /** {@code "links": [{"href": ..., "rel": "self"}]}. */
    void writeSelfLink(JsonGenerator g, String path) throws IOException {
        g.writeArrayFieldStart("links");
        g.writeStartObject();
        g.writeStringField("href", baseUrl + path);
        g.writeStringField("rel", "self");
        g.writeEndObject();
        g.writeEndArray();
    }

    /** Something written to a generator, as a tree. */
    @FunctionalInterface
    private interface Written {
        void write(JsonGenerator g) throws IOException;
    }

    private static final ObjectMapper TREES = new ObjectMapper();

    private static ObjectNode tree(Written written) {
        try (TokenBuffer buffer = new TokenBuffer(TREES, false)) {
            written.write(buffer);
            return (ObjectNode) TREES.readTree(buffer.asParser());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A cluster's backup schedule: the fields both resource versions share (2024-08-05 has no {@code copySettings}). */
    ObjectNode backupSchedule(String groupId, SimCluster c, Instant now) {
        ObjectNode n = F.objectNode();
        n.put("clusterId", c.id);
        n.put("clusterName", c.name);
        n.put("autoExportEnabled", false);
        n.put("copyPolicyItemsEnabled", false);
        Instant next = c.nextSnapshot(now);
        if (next != null) {
            n.put("nextSnapshot", time(next));
        }
        ObjectNode policy = n.putArray("policies").addObject();
        policy.put("id", c.policyId);
        ArrayNode items = policy.putArray("policyItems");
        for (int i = 0; i < c.policy.size(); i++) {
            BackupPolicyItem p = c.policy.get(i);
            ObjectNode o = items.addObject();
            o.put("id", c.policyItemIds.get(i));
            o.put("frequencyType", p.frequency().atlasName());
            o.put("frequencyInterval", scheduleInterval(p, c.backupAnchor));
            o.put("retentionUnit", p.retentionUnit().atlasName());
            o.put("retentionValue", p.retentionValue());
        }
        n.put("referenceHourOfDay", c.backupAnchor.atOffset(ZoneOffset.UTC).getHour());
        n.put("referenceMinuteOfHour", c.backupAnchor.atOffset(ZoneOffset.UTC).getMinute());
        if (c.pitEnabled) {
            n.put("restoreWindowDays", c.restoreWindowDays);
        }
        n.put("useOrgAndGroupNamesInExportPrefix", false);
        n.set("links", selfLink(API + groupId + "/clusters/" + c.name + "/backup/schedule"));
        return n;
    }

    /** Atlas's frequencyInterval: hours for hourly, 1 for daily, day of week / month / month of year otherwise. */
    private static int scheduleInterval(BackupPolicyItem p, Instant anchor) {
        switch (p.frequency()) {
            case WEEKLY: {
                DayOfWeek d = anchor.atOffset(ZoneOffset.UTC).getDayOfWeek();
                return d.getValue(); // 1 = Monday ... 7 = Sunday
            }
            case MONTHLY: {
                int day = anchor.atOffset(ZoneOffset.UTC).getDayOfMonth();
                return day > 28 ? 40 : day; // 40 = last day of the month
            }
            case YEARLY:
                return anchor.atOffset(ZoneOffset.UTC).getMonthValue();
            default:
                return p.frequencyInterval();
        }
    }

    /** {@code CloudProviderAccessRoles}. */
    ObjectNode cloudProviderAccess(Collection<AwsIamRole> roles, String encryptionRoleId) {
        ObjectNode n = F.objectNode();
        ArrayNode aws = n.putArray("awsIamRoles");
        for (AwsIamRole r : roles) {
            ObjectNode o = aws.addObject();
            o.put("providerName", "AWS");
            o.put("roleId", r.roleId());
            o.put("iamAssumedRoleArn", r.iamAssumedRoleArn());
            o.put("atlasAWSAccountArn", r.atlasAWSAccountArn());
            o.put("atlasAssumedRoleExternalId", r.atlasAssumedRoleExternalId());
            o.put("createdDate", time(r.createdDate()));
            if (r.authorizedDate() != null) {
                o.put("authorizedDate", time(r.authorizedDate()));
            }
            ArrayNode usages = o.putArray("featureUsages");
            if (r.roleId().equals(encryptionRoleId)) {
                // Atlas also sends a featureId object; the contract's CloudProviderAccessFeatureUsage has no
                // such property, so the simulator leaves it out.
                usages.addObject().put("featureType", "ENCRYPTION_AT_REST");
            }
        }
        n.putArray("azureServicePrincipals");
        n.putArray("gcpServiceAccounts");
        return n;
    }

    /** An event ({@code DefaultEventViewForNdsGroup}). */
    ObjectNode event(String groupId, AtlasEventRecord e) {
        ObjectNode n = F.objectNode();
        n.put("id", e.id());
        n.put("created", time(e.created()));
        n.put("eventTypeName", e.eventTypeName());
        n.put("groupId", groupId);
        n.put("isGlobalAdmin", false);
        n.set("links", selfLink(API + groupId + "/events/" + e.id()));
        return n;
    }

    /**
     * An alert configuration as Atlas answers it: the webhook URL partially redacted (scheme, host and the first
     * {@code /}, then {@code ****}) and the webhook secret redacted.
     */
    ObjectNode alertConfig(String groupId, AlertConfigRecord c) {
        ObjectNode n = F.objectNode();
        n.put("created", time(c.created()));
        n.put("enabled", c.enabled());
        n.put("eventTypeName", c.eventTypeName());
        n.put("groupId", groupId);
        n.put("id", c.id());
        n.set("links", selfLink(API + groupId + "/alertConfigs/" + c.id()));
        ArrayNode ns = n.putArray("notifications");
        for (AlertConfigRecord.Notification x : c.notifications()) {
            ObjectNode o = ns.addObject();
            if (x.delayMin() != null) {
                o.put("delayMin", x.delayMin());
            }
            o.put("intervalMin", x.intervalMin());
            if (x.notifierId() != null) {
                o.put("notifierId", x.notifierId());
            }
            o.put("typeName", x.typeName());
            if (x.webhookSecret() != null) {
                o.put("webhookSecret", "****************");
            }
            if (x.webhookUrl() != null) {
                o.put("webhookUrl", redactedUrl(x.webhookUrl()));
            }
        }
        if (c.threshold() != null) {
            n.putObject("threshold").put("operator", c.threshold().operator()).put("threshold", c.threshold().threshold())
                    .put("units", c.threshold().units());
        }
        n.put("updated", time(c.updated()));
        return n;
    }

    /** {@code https://host/path?q} as Atlas shows it: {@code https://host/****}. */
    /** A request body that must be one JSON object: Atlas's 400 {@code INVALID_JSON} when it is absent, malformed or not one. */
    static com.fasterxml.jackson.databind.JsonNode objectBody(ObjectMapper mapper, String body) {
        if (body == null || body.isBlank()) {
            throw AtlasApiError.badRequest("INVALID_JSON", "A request body is required.");
        }
        com.fasterxml.jackson.databind.JsonNode root;
        try {
            root = mapper.readTree(body);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw AtlasApiError.badRequest("INVALID_JSON", "Received JSON is malformed.");
        }
        if (root == null || !root.isObject()) {
            throw AtlasApiError.badRequest("INVALID_JSON", "Received JSON is not an object.");
        }
        return root;
    }

    static String redactedUrl(String url) {
        int scheme = url.indexOf("://");
        int slash = scheme < 0 ? -1 : url.indexOf('/', scheme + 3);
        return (slash < 0 ? url + "/" : url.substring(0, slash + 1)) + "****";
    }

    /** An AWS KMS encryption-at-rest private endpoint ({@code AWSKMSEARPrivateEndpoint}). */
    ObjectNode earPrivateEndpoint(EarPrivateEndpoint e) {
        ObjectNode n = F.objectNode();
        n.put("cloudProvider", "AWS");
        if (e.errorMessage() != null) {
            n.put("errorMessage", e.errorMessage());
        }
        n.put("id", e.id());
        n.put("regionName", e.regionName());
        n.put("status", e.status());
        return n;
    }

    /** A project as {@code GET /groups} lists it. */
    ObjectNode group(AtlasProject project, String orgId, int clusterCount) {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("clusterCount", clusterCount);
        n.put("created", time(project.created()));
        n.put("id", project.groupId());
        n.set("links", selfLink("/api/atlas/v2/groups/" + project.groupId()));
        n.put("name", project.name());
        n.put("orgId", orgId);
        return n;
    }

    /**
     * One endpoint set as {@code GET /rateLimits} lists it. {@code defaultValue} is there only when an override
     * applies, as Atlas sends it.
     */
    ObjectNode rateLimitSet(RateLimits.EndpointSet set, Long capacityOverride) {
        ObjectNode n = F.objectNode();
        n.put("endpointSetId", set.id());
        n.put("endpointSetName", set.name());
        n.put("scope", set.scope().name());
        ObjectNode capacity = n.putObject("capacity");
        capacity.put("value", capacityOverride == null ? set.capacity() : capacityOverride);
        if (capacityOverride != null) {
            capacity.put("defaultValue", set.capacity());
        }
        n.putObject("refillRate").put("value", set.refillRate());
        n.putObject("refillDurationSeconds").put("value", set.refillDurationSeconds());
        ArrayNode endpoints = n.putArray("endpoints");
        for (String e : set.endpoints()) {
            int space = e.indexOf(' ');
            endpoints.addObject().put("method", e.substring(0, space)).put("path", e.substring(space + 1));
        }
        return n;
    }

    ArrayNode selfLink(String path) {
        ArrayNode links = F.arrayNode();
        ObjectNode self = links.addObject();
        self.put("href", baseUrl + path);
        self.put("rel", "self");
        return links;
    }
}
