package io.atlascmk.rotator.rotation;

import io.atlascmk.rotator.atlas.AwsKms;
import io.atlascmk.rotator.kms.KeyIds;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Where a project's keys live and how Atlas spells them.
 *
 * <p>Workflow steps receive bare key ids (the ASL passes {@code currentKey.keyId}), so the AWS region
 * of a key comes from, in this order: the key reference itself when it is an ARN, Atlas's
 * {@code customerMasterKeyID} when Atlas holds an ARN, else Atlas's {@code awsKms.region}
 * ({@code US_EAST_1} is {@code us-east-1}). Every key of a rotation lives in the current key's
 * region (CreateKey creates the new key there), so this one region holds the project's ledger.
 */
public final class KeyLocation {

    private static final Pattern ATLAS_REGION = Pattern.compile("[A-Z]{2}(_[A-Z]+)+_\\d+");

    private KeyLocation() {
    }

    /**
     * The AWS region of {@code keyRef}.
     *
     * @throws AtlasConfigurationException when neither the reference nor Atlas says
     */
    public static String regionOf(String keyRef, AwsKms atlasKms) {
        String fromRef = keyRef == null ? null : KeyIds.regionOf(keyRef);
        if (fromRef != null) {
            return fromRef;
        }
        String held = atlasKms == null ? null : atlasKms.customerMasterKeyID();
        String fromAtlasArn = held == null ? null : KeyIds.regionOf(held);
        if (fromAtlasArn != null) {
            return fromAtlasArn;
        }
        String atlasRegion = atlasKms == null ? null : atlasKms.region();
        if (atlasRegion != null && ATLAS_REGION.matcher(atlasRegion).matches()) {
            return awsRegion(atlasRegion);
        }
        throw new AtlasConfigurationException("Cannot tell the AWS region of key " + keyRef + ": Atlas's"
                + " customerMasterKeyID is not an ARN and awsKms.region is "
                + (atlasRegion == null ? "missing" : "'" + atlasRegion + "', not an AWS region name like US_EAST_1")
                + ". Set the region in the project's encryption-at-rest configuration (or name the key by ARN),"
                + " then run again.");
    }

    /** {@code US_EAST_1} is {@code us-east-1}. */
    static String awsRegion(String atlasRegion) {
        return atlasRegion.toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /**
     * How to name a key to Atlas: the full ARN when Atlas holds an ARN today (so the project's
     * configuration keeps its form), else the key id.
     */
    static String spellingForAtlas(String heldByAtlas, String keyId, String keyArn) {
        return KeyIds.isArn(heldByAtlas) ? keyArn : keyId;
    }
}
