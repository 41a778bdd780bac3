package io.atlascmk.sandbox.atlas;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.Iterator;
import java.util.Set;

/**
 * Reads and checks the body of {@code PATCH /api/atlas/v2/groups/{groupId}/encryptionAtRest} the way
 * Atlas answers a bad one: 400 with {@code INVALID_JSON}, {@code INVALID_JSON_ATTRIBUTE},
 * {@code MISSING_ATTRIBUTE}, {@code INVALID_ATTRIBUTE}, {@code INVALID_ENUM_VALUE} or
 * {@code ATTRIBUTE_READ_ONLY}. Whether {@code roleId} names a role of the project is checked later,
 * against the project (404 / 400).
 *
 * <p>Rules: {@code awsKms} is required (the simulator models AWS KMS only). Enabling needs the whole
 * object: {@code enabled}, {@code customerMasterKeyID}, {@code region} and {@code roleId} (the design's
 * client always sends all of them); {@code {"enabled": false}} alone disables. {@code valid} is
 * read-only. Access keys ({@code accessKeyID}, {@code secretAccessKey}) are refused: the sandbox models
 * role-based access only. A key ARN's region must be the {@code region} given.
 */
final class EncryptionAtRestPatch {

    static final Set<String> AWS_REGIONS = Set.of(
            "US_GOV_WEST_1", "US_GOV_EAST_1", "US_EAST_1", "US_EAST_2", "US_WEST_1", "US_WEST_2", "CA_CENTRAL_1",
            "EU_NORTH_1", "EU_WEST_1", "EU_WEST_2", "EU_WEST_3", "EU_CENTRAL_1", "EU_CENTRAL_2", "AP_EAST_1",
            "AP_EAST_2", "AP_NORTHEAST_1", "AP_NORTHEAST_2", "AP_NORTHEAST_3", "AP_SOUTHEAST_1", "AP_SOUTHEAST_2",
            "AP_SOUTHEAST_3", "AP_SOUTHEAST_4", "AP_SOUTHEAST_5", "AP_SOUTHEAST_6", "AP_SOUTHEAST_7", "AP_SOUTH_1",
            "AP_SOUTH_2", "SA_EAST_1", "CN_NORTH_1", "CN_NORTHWEST_1", "ME_SOUTH_1", "ME_CENTRAL_1", "AF_SOUTH_1",
            "EU_SOUTH_1", "EU_SOUTH_2", "IL_CENTRAL_1", "CA_WEST_1", "MX_CENTRAL_1", "GLOBAL");

    private static final Set<String> TOP_LEVEL = Set.of("awsKms", "azureKeyVault", "googleCloudKms", "enabledForSearchNodes");
    private static final Set<String> AWS_KMS_FIELDS = Set.of("enabled", "customerMasterKeyID", "region", "roleId",
            "requirePrivateNetworking", "accessKeyID", "secretAccessKey", "valid");

    private EncryptionAtRestPatch() {
    }

    static AtlasProject.AwsKmsPatch parse(ObjectMapper mapper, String body) {
        JsonNode root = AtlasJson.objectBody(mapper, body);
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!TOP_LEVEL.contains(f)) {
                throw AtlasApiError.badRequest("INVALID_JSON_ATTRIBUTE", "Received JSON does not match expected format: unknown attribute " + f + ".");
            }
        }
        for (String other : new String[] {"azureKeyVault", "googleCloudKms"}) {
            JsonNode o = root.get(other);
            if (o != null && o.path("enabled").asBoolean(false)) {
                throw AtlasApiError.badRequest("INVALID_ATTRIBUTE", "Invalid attribute " + other + " specified: the sandbox simulates AWS KMS only.");
            }
        }
        JsonNode kms = root.get("awsKms");
        if (kms == null || kms.isNull()) {
            throw AtlasApiError.badRequest("MISSING_ATTRIBUTE", "The required attribute awsKms was not specified.");
        }
        if (!kms.isObject()) {
            throw AtlasApiError.badRequest("INVALID_ATTRIBUTE", "Invalid attribute awsKms specified: expected an object.");
        }
        for (Iterator<String> it = kms.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!AWS_KMS_FIELDS.contains(f)) {
                throw AtlasApiError.badRequest("INVALID_JSON_ATTRIBUTE", "Received JSON does not match expected format: unknown attribute awsKms." + f + ".");
            }
        }
        if (kms.has("valid")) {
            throw AtlasApiError.badRequest("ATTRIBUTE_READ_ONLY", "The attribute awsKms.valid is read-only and cannot be changed by the user.");
        }
        if (kms.has("accessKeyID") || kms.has("secretAccessKey")) {
            throw AtlasApiError.badRequest("INVALID_ATTRIBUTE", "Invalid attribute awsKms.accessKeyID specified: use roleId (the sandbox models role-based access only).");
        }
        Boolean enabled = bool(kms, "enabled");
        Boolean privateNetworking = bool(kms, "requirePrivateNetworking");
        if (Boolean.FALSE.equals(enabled)) {
            return new AtlasProject.AwsKmsPatch(false, null, null, null, privateNetworking);
        }
        for (String required : new String[] {"enabled", "customerMasterKeyID", "region", "roleId"}) {
            if (!kms.hasNonNull(required)) {
                throw AtlasApiError.badRequest("MISSING_ATTRIBUTE", "The required attribute awsKms." + required + " was not specified.");
            }
        }
        String key = text(kms, "customerMasterKeyID");
        if (key.isEmpty() || key.length() > 2048 || !KmsKeyRefs.isKeyReference(key)) {
            throw AtlasApiError.badRequest("INVALID_ATTRIBUTE",
                    "Invalid attribute awsKms.customerMasterKeyID specified: '" + key + "' is not a KMS key id or key ARN.");
        }
        String region = text(kms, "region");
        if (!AWS_REGIONS.contains(region)) {
            throw AtlasApiError.badRequest("INVALID_ENUM_VALUE", "An invalid enumeration value " + region + " was specified for awsKms.region.");
        }
        String arnRegion = KmsKeyRefs.arnRegion(key);
        if (arnRegion != null && !KmsKeyRefs.atlasRegionName(arnRegion).equals(region)) {
            throw AtlasApiError.badRequest("INVALID_ATTRIBUTE", "Invalid attribute awsKms.region specified: the key ARN is in "
                    + arnRegion + " but region is " + region + ".");
        }
        String roleId = text(kms, "roleId");
        if (!ObjectIds.isValid(roleId)) {
            throw AtlasApiError.badRequest("INVALID_ATTRIBUTE", "Invalid attribute awsKms.roleId specified: '" + roleId
                    + "' is not 24 hexadecimal digits.");
        }
        return new AtlasProject.AwsKmsPatch(true, key, region, roleId, privateNetworking);
    }

    private static Boolean bool(JsonNode o, String field) {
        JsonNode v = o.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isBoolean()) {
            throw AtlasApiError.badRequest("INVALID_ATTRIBUTE", "Invalid attribute awsKms." + field + " specified: expected true or false.");
        }
        return v.booleanValue();
    }

    private static String text(JsonNode o, String field) {
        JsonNode v = o.get(field);
        if (!v.isTextual()) {
            throw AtlasApiError.badRequest("INVALID_ATTRIBUTE", "Invalid attribute awsKms." + field + " specified: expected a string.");
        }
        return v.textValue();
    }
}
