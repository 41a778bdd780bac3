package io.atlascmk.cli.sandbox;

import static io.atlascmk.cli.sandbox.SandboxWorld.ATLAS_REGION;
import static io.atlascmk.cli.sandbox.SandboxWorld.ATLAS_ROLE_ARN;
import static io.atlascmk.cli.sandbox.SandboxWorld.PROJECT_ID;
import static io.atlascmk.cli.sandbox.SandboxWorld.SECRET_NAME;
import static io.atlascmk.cli.sandbox.SandboxWorld.SEEDED_AT;
import static io.atlascmk.cli.sandbox.SandboxWorld.START;

import io.atlascmk.rotator.json.Json;
import io.atlascmk.sandbox.atlas.AtlasProject;
import io.atlascmk.sandbox.atlas.BackupPolicyItem;
import io.atlascmk.sandbox.atlas.ClusterSpec;
import java.time.Duration;
import java.util.Map;
import software.amazon.awssdk.services.kms.model.KeyMetadata;

/**
 * The project every scenario starts from: an Atlas project encrypted at rest with a KMS key created by
 * hand five months ago (not yet known to the rotator), Atlas's IAM role allowed to use it, two clusters
 * (a replica set and a sharded cluster with continuous backup) whose scheduled snapshots since then
 * are all encrypted under that key, and the Atlas service account in Secrets Manager.
 */
public final class SandboxSeed {

    /** The Atlas service account's secret, as the rotator reads it. */
    static final String SECRET_JSON = Json.MAPPER.createObjectNode()
            .put("clientId", SandboxWorld.CLIENT_ID)
            .put("clientSecret", SandboxWorld.CLIENT_SECRET)
            .toString();

    private SandboxSeed() {
    }

    /** Seeds the world and moves its clock from {@link SandboxWorld#SEEDED_AT} to {@link SandboxWorld#START}. */
    public static KeyMetadata seed(SandboxWorld world) {
        world.secretsManager().createSecret(b -> b.name(SECRET_NAME).secretString(SECRET_JSON));

        KeyMetadata key = world.kms().createKey(b -> b
                .description("Atlas encryption at rest for project " + PROJECT_ID + " (created by hand)")
                .policy(initialPolicy())).keyMetadata();

        AtlasProject project = world.atlas().createProject(PROJECT_ID);
        String roleId = project.addAwsIamRole(ATLAS_ROLE_ARN);
        project.configureAwsKms(key.arn(), ATLAS_REGION, roleId);
        project.addEvent("AWS_ENCRYPTION_KEY_ROTATED", SEEDED_AT);
        project.addCluster(ClusterSpec.replicaSet("orders")
                .backupEnabled(true)
                .backupPolicy(BackupPolicyItem.hourly(6, 2), BackupPolicyItem.daily(7))
                .backupAnchor(SEEDED_AT));
        project.addCluster(ClusterSpec.sharded("analytics", 2)
                .backupEnabled(true)
                .continuousBackup(2)
                .backupPolicy(BackupPolicyItem.daily(5))
                .backupAnchor(SEEDED_AT));

        world.clock().advance(Duration.between(SEEDED_AT, START));
        world.aws().faults().resetCounts();
        world.atlas().resetCallCounts();
        return key;
    }

    /**
     * Another project of the organization, for fleet runs: its own hand-made key (Atlas's role may use it), a replica
     * set, and a registration with {@code schedule}. Returns the key's ARN.
     */
    public static String seedProject(SandboxWorld world, String projectId, String schedule) {
        KeyMetadata key = world.kms().createKey(b -> b
                .description("Atlas encryption at rest for project " + projectId + " (created by hand)")
                .policy(initialPolicy())).keyMetadata();
        AtlasProject project = world.atlas().createProject(projectId);
        project.configureAwsKms(key.arn(), ATLAS_REGION, project.addAwsIamRole(ATLAS_ROLE_ARN));
        project.addCluster(ClusterSpec.replicaSet("app").backupEnabled(false));
        world.registry().put(new io.atlascmk.rotator.registry.RegisteredProject(projectId, SandboxWorld.REGION, schedule,
                null, null, io.atlascmk.rotator.registry.RegisteredProject.SOURCE_CLI, world.clock().instant()));
        return key.arn();
    }

    /**
     * A project like {@link #seedProject}'s whose key lives in another AWS account (added with its member role): Atlas
     * names the key by ARN, the registry names the member role and external id. Returns the key's ARN.
     */
    public static String seedProjectInAccount(SandboxWorld world, String projectId, String schedule, String region,
            io.atlascmk.rotator.aws.KeyAccount account) {
        io.atlascmk.sandbox.aws.KmsStandIn member = world.addKeyAccount(account.roleArn(), account.externalId());
        String keyArn = member.createKey(region, "Atlas encryption at rest for project " + projectId + " (created by hand)",
                Map.of(), initialPolicy(account.accountId())).arn();
        AtlasProject project = world.atlas().createProject(projectId);
        project.configureAwsKms(keyArn, atlasRegion(region), project.addAwsIamRole(ATLAS_ROLE_ARN));
        project.addCluster(ClusterSpec.replicaSet("app").backupEnabled(false));
        world.registry().put(new io.atlascmk.rotator.registry.RegisteredProject(projectId, region, schedule, null, null,
                io.atlascmk.rotator.registry.RegisteredProject.SOURCE_CLI, world.clock().instant(), account.roleArn(), account.externalId()));
        return keyArn;
    }

    /** How Atlas names an AWS region: {@code eu-west-1} is {@code EU_WEST_1}. */
    static String atlasRegion(String awsRegion) {
        return awsRegion.toUpperCase(java.util.Locale.ROOT).replace('-', '_');
    }

    /** The key policy an operator typically starts with: the account administers the key, Atlas's role uses it. */
    static String initialPolicy() {
        return initialPolicy(io.atlascmk.sandbox.aws.AwsStandIn.ACCOUNT_ID);
    }

    /** As {@link #initialPolicy()}, for a key of {@code accountId}. */
    static String initialPolicy(String accountId) {
        return """
                {
                  "Version": "2012-10-17",
                  "Id": "atlas-ear-key",
                  "Statement": [
                    {
                      "Sid": "EnableIamUserPermissions",
                      "Effect": "Allow",
                      "Principal": {"AWS": "arn:aws:iam::%s:root"},
                      "Action": "kms:*",
                      "Resource": "*"
                    },
                    {
                      "Sid": "AllowAtlasToUseTheKey",
                      "Effect": "Allow",
                      "Principal": {"AWS": "%s"},
                      "Action": ["kms:Encrypt", "kms:Decrypt", "kms:DescribeKey"],
                      "Resource": "*"
                    }
                  ]
                }
                """.formatted(accountId, ATLAS_ROLE_ARN);
    }

    /** The tags a key carries, from the sandbox's KMS. */
    public static Map<String, String> tags(SandboxWorld world, String keyId) {
        Map<String, String> tags = new java.util.TreeMap<>();
        world.kms().listResourceTagsPaginator(b -> b.keyId(keyId)).tags()
                .forEach(t -> tags.put(t.tagKey(), t.tagValue()));
        return tags;
    }
}
