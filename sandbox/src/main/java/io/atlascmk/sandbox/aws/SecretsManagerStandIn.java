package io.atlascmk.sandbox.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.atlascmk.sandbox.SandboxClock;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The Secrets Manager stand-in ({@code secretsmanager.*}): CreateSecret, GetSecretValue, PutSecretValue,
 * DescribeSecret, with versions and the {@code AWSCURRENT} / {@code AWSPREVIOUS} staging labels, and
 * {@code ClientRequestToken} idempotency (the SDK fills the token in, and reuses it when it retries).
 * Secrets are regional; a secret is found by name, full ARN, or ARN without the random suffix.
 *
 * <p>Errors: {@code ResourceNotFoundException}, {@code ResourceExistsException},
 * {@code InvalidParameterException}, {@code InvalidRequestException}, {@code ValidationException}.
 */
public final class SecretsManagerStandIn implements ServiceHandler {

    static final String CURRENT = "AWSCURRENT";
    static final String PREVIOUS = "AWSPREVIOUS";

    private static final Pattern NAME = Pattern.compile("^[A-Za-z0-9/_+=.@!-]+$");
    private static final String SUFFIX_ALPHABET = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

    private static final class Secret {
        String region;
        String name;
        String arn;
        String description;
        String kmsKeyId;
        Instant createdDate;
        Instant lastChangedDate;
        Instant lastAccessedDate;
        final Map<String, String> tags = new LinkedHashMap<>();
        final Map<String, Version> versions = new LinkedHashMap<>();
    }

    private static final class Version {
        String id;
        String string;
        String binary;
        Instant createdDate;
        final Set<String> stages = new LinkedHashSet<>();

        boolean sameValue(String otherString, String otherBinary) {
            return Objects.equals(string, otherString) && Objects.equals(binary, otherBinary);
        }
    }

    private final SandboxClock clock;
    private final SecureRandom random = new SecureRandom();
    private final List<Secret> secrets = new ArrayList<>();

    SecretsManagerStandIn(SandboxClock clock) {
        this.clock = clock;
    }

    // ---------------------------------------------------------------------------------------------
    // Java API
    // ---------------------------------------------------------------------------------------------

    /** Seeds a secret with a string value (its first version, {@code AWSCURRENT}). */
    public synchronized SecretView createSecret(String region, String name, String secretString) {
        Objects.requireNonNull(secretString, "secretString");
        try {
            Secret secret = newSecret(region, name, null, null, Map.of());
            addVersion(secret, UUID.randomUUID().toString(), secretString, null, List.of(CURRENT));
            return view(secret);
        } catch (AwsApiException e) {
            throw new IllegalArgumentException(e.errorName() + ": " + e.getMessage(), e);
        }
    }

    /** Adds a new {@code AWSCURRENT} version to an existing secret, as PutSecretValue does. */
    public synchronized SecretView putSecretValue(String region, String secretId, String secretString) {
        Objects.requireNonNull(secretString, "secretString");
        try {
            Secret secret = find(region, secretId);
            addVersion(secret, UUID.randomUUID().toString(), secretString, null, List.of(CURRENT));
            return view(secret);
        } catch (AwsApiException e) {
            throw new IllegalArgumentException(e.errorName() + ": " + e.getMessage(), e);
        }
    }

    /** The {@code AWSCURRENT} string value of a secret, if the secret exists and has one. */
    public synchronized Optional<String> currentSecretString(String region, String secretId) {
        Secret secret = lookup(region, secretId);
        if (secret == null) {
            return Optional.empty();
        }
        return secret.versions.values().stream().filter(v -> v.stages.contains(CURRENT))
                .findFirst().map(v -> v.string);
    }

    /** Every secret of every region, in creation order, without values. */
    public synchronized List<SecretView> secrets() {
        List<SecretView> out = new ArrayList<>();
        secrets.forEach(s -> out.add(view(s)));
        return out;
    }

    // ---------------------------------------------------------------------------------------------
    // Wire protocol
    // ---------------------------------------------------------------------------------------------

    @Override
    public synchronized JsonNode handle(String operation, CallContext context, Params params) {
        switch (operation) {
            case "CreateSecret":
                return createSecret(context.region(), params);
            case "GetSecretValue":
                return getSecretValue(context.region(), params);
            case "PutSecretValue":
                return putSecretValue(context.region(), params);
            case "DescribeSecret":
                return describeSecret(context.region(), params);
            default:
                throw ServiceHandler.unknownOperation(AwsService.SECRETS_MANAGER, operation);
        }
    }

    private JsonNode createSecret(String region, Params params) {
        String name = params.string("Name");
        String token = clientRequestToken(params);
        String string = params.optString("SecretString");
        String binary = params.optString("SecretBinary");
        checkValue(string, binary, false);
        Secret existing = lookup(region, name);
        if (existing != null) {
            Version same = existing.versions.get(token);
            if (same != null && same.sameValue(string, binary)) {
                return versionResponse(existing, same, false);
            }
            throw AwsApiException.client("ResourceExistsException",
                    "The operation failed because the secret " + name + " already exists.");
        }
        Map<String, String> tags = new LinkedHashMap<>();
        ArrayNode tagList = params.optArray("Tags");
        if (tagList != null) {
            for (JsonNode tag : tagList) {
                tags.put(tag.path("Key").asText(), tag.path("Value").asText());
            }
        }
        Secret secret = newSecret(region, name, params.optString("Description"), params.optString("KmsKeyId"), tags);
        ObjectNode response = AwsJson.object();
        response.put("ARN", secret.arn);
        response.put("Name", secret.name);
        if (string != null || binary != null) {
            Version version = addVersion(secret, token, string, binary, List.of(CURRENT));
            response.put("VersionId", version.id);
        }
        return response;
    }

    private JsonNode getSecretValue(String region, Params params) {
        Secret secret = find(region, params.string("SecretId"));
        String versionId = params.optString("VersionId");
        String stage = params.optString("VersionStage");
        Version version;
        if (versionId != null) {
            version = secret.versions.get(versionId);
            if (version == null || stage != null && !version.stages.contains(stage)) {
                throw notFound("Secrets Manager can't find the specified secret value for VersionId: " + versionId);
            }
        } else {
            String label = stage == null ? CURRENT : stage;
            version = secret.versions.values().stream().filter(v -> v.stages.contains(label)).findFirst()
                    .orElseThrow(() -> notFound("Secrets Manager can't find the specified secret value for staging label: " + label));
        }
        secret.lastAccessedDate = clock.instant().truncatedTo(ChronoUnit.DAYS);
        ObjectNode response = versionResponse(secret, version, true);
        if (version.string != null) {
            response.put("SecretString", version.string);
        }
        if (version.binary != null) {
            response.put("SecretBinary", version.binary);
        }
        response.set("CreatedDate", AwsJson.epochSeconds(version.createdDate));
        return response;
    }

    private JsonNode putSecretValue(String region, Params params) {
        Secret secret = find(region, params.string("SecretId"));
        String token = clientRequestToken(params);
        String string = params.optString("SecretString");
        String binary = params.optString("SecretBinary");
        checkValue(string, binary, true);
        List<String> stages = new ArrayList<>();
        ArrayNode stageList = params.optArray("VersionStages");
        if (stageList == null || stageList.isEmpty()) {
            stages.add(CURRENT);
        } else {
            stageList.forEach(s -> stages.add(s.asText()));
        }
        Version existing = secret.versions.get(token);
        if (existing != null) {
            if (!existing.sameValue(string, binary)) {
                throw AwsApiException.client("ResourceExistsException",
                        "You can't modify an existing version, you can only create a new version.");
            }
            return versionResponse(secret, existing, true);
        }
        Version version = addVersion(secret, token, string, binary, stages);
        return versionResponse(secret, version, true);
    }

    private JsonNode describeSecret(String region, Params params) {
        Secret secret = find(region, params.string("SecretId"));
        ObjectNode response = AwsJson.object();
        response.put("ARN", secret.arn);
        response.put("Name", secret.name);
        if (secret.description != null) {
            response.put("Description", secret.description);
        }
        if (secret.kmsKeyId != null) {
            response.put("KmsKeyId", secret.kmsKeyId);
        }
        response.set("CreatedDate", AwsJson.epochSeconds(secret.createdDate));
        response.set("LastChangedDate", AwsJson.epochSeconds(secret.lastChangedDate));
        if (secret.lastAccessedDate != null) {
            response.set("LastAccessedDate", AwsJson.epochSeconds(secret.lastAccessedDate));
        }
        ArrayNode tags = response.putArray("Tags");
        secret.tags.forEach((k, v) -> tags.addObject().put("Key", k).put("Value", v));
        ObjectNode stages = response.putObject("VersionIdsToStages");
        secret.versions.values().stream().filter(v -> !v.stages.isEmpty())
                .forEach(v -> v.stages.forEach(stages.withArray(v.id)::add));
        return response;
    }

    // ---------------------------------------------------------------------------------------------
    // Rules
    // ---------------------------------------------------------------------------------------------

    private Secret newSecret(String region, String name, String description, String kmsKeyId, Map<String, String> tags) {
        if (name.isEmpty() || name.length() > 512) {
            throw AwsApiException.constraint("Name", name, "Member must have length between 1 and 512");
        }
        if (!NAME.matcher(name).matches()) {
            throw AwsApiException.client("InvalidParameterException",
                    "Invalid name. Must be a valid name containing alphanumeric characters, or any of the following: -/_+=.@!");
        }
        if (lookup(region, name) != null) {
            throw AwsApiException.client("ResourceExistsException",
                    "The operation failed because the secret " + name + " already exists.");
        }
        Secret secret = new Secret();
        secret.region = Objects.requireNonNull(region, "region");
        secret.name = name;
        secret.arn = "arn:aws:secretsmanager:" + region + ":" + AwsStandIn.ACCOUNT_ID + ":secret:" + name + "-" + suffix();
        secret.description = description;
        secret.kmsKeyId = kmsKeyId;
        secret.createdDate = clock.instant();
        secret.lastChangedDate = secret.createdDate;
        secret.tags.putAll(tags);
        secrets.add(secret);
        return secret;
    }

    private Version addVersion(Secret secret, String id, String string, String binary, List<String> stages) {
        for (String stage : stages) {
            for (Version other : secret.versions.values()) {
                if (other.stages.remove(stage) && stage.equals(CURRENT)) {
                    secret.versions.values().forEach(v -> v.stages.remove(PREVIOUS));
                    other.stages.add(PREVIOUS);
                }
            }
        }
        Version version = new Version();
        version.id = id;
        version.string = string;
        version.binary = binary;
        version.createdDate = clock.instant();
        version.stages.addAll(stages);
        secret.versions.put(id, version);
        secret.lastChangedDate = version.createdDate;
        return version;
    }

    private static void checkValue(String string, String binary, boolean required) {
        if (string != null && binary != null) {
            throw AwsApiException.client("InvalidParameterException",
                    "You can't specify both a binary secret value and a string secret value in the same secret.");
        }
        if (required && string == null && binary == null) {
            throw AwsApiException.client("InvalidRequestException", "You must provide either SecretString or SecretBinary.");
        }
        if (string != null && string.length() > 65536) {
            throw AwsApiException.constraint("SecretString", "***", "Member must have length less than or equal to 65536");
        }
    }

    private static String clientRequestToken(Params params) {
        String token = params.optString("ClientRequestToken");
        if (token == null) {
            return UUID.randomUUID().toString();
        }
        if (token.length() < 32 || token.length() > 64) {
            throw AwsApiException.constraint("ClientRequestToken", token, "Member must have length between 32 and 64");
        }
        return token;
    }

    private Secret find(String region, String secretId) {
        Secret secret = lookup(region, secretId);
        if (secret == null) {
            throw notFound("Secrets Manager can't find the specified secret.");
        }
        return secret;
    }

    private Secret lookup(String region, String secretId) {
        for (Secret secret : secrets) {
            if (!secret.region.equals(region)) {
                continue;
            }
            if (secret.name.equals(secretId) || secret.arn.equals(secretId)
                    || secret.arn.substring(0, secret.arn.length() - 7).equals(secretId)) {
                return secret;
            }
        }
        return null;
    }

    private ObjectNode versionResponse(Secret secret, Version version, boolean withStages) {
        ObjectNode response = AwsJson.object();
        response.put("ARN", secret.arn);
        response.put("Name", secret.name);
        response.put("VersionId", version.id);
        if (withStages) {
            ArrayNode stages = response.putArray("VersionStages");
            version.stages.forEach(stages::add);
        }
        return response;
    }

    private String suffix() {
        char[] chars = new char[6];
        for (int i = 0; i < chars.length; i++) {
            chars[i] = SUFFIX_ALPHABET.charAt(random.nextInt(SUFFIX_ALPHABET.length()));
        }
        return new String(chars);
    }

    private SecretView view(Secret secret) {
        Map<String, List<String>> stages = new LinkedHashMap<>();
        secret.versions.values().forEach(v -> stages.put(v.id, List.copyOf(v.stages)));
        return new SecretView(secret.name, secret.arn, secret.region, secret.description, secret.kmsKeyId,
                secret.createdDate, stages, secret.tags);
    }

    private static AwsApiException notFound(String message) {
        return AwsApiException.client("ResourceNotFoundException", message);
    }
}
