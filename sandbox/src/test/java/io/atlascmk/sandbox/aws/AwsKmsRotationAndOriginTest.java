package io.atlascmk.sandbox.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudtrail.model.Event;
import software.amazon.awssdk.services.cloudtrail.model.LookupAttribute;
import software.amazon.awssdk.services.cloudtrail.model.LookupAttributeKey;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.CustomKeyStoreInvalidStateException;
import software.amazon.awssdk.services.kms.model.CustomKeyStoreNotFoundException;
import software.amazon.awssdk.services.kms.model.DisabledException;
import software.amazon.awssdk.services.kms.model.GetKeyRotationStatusResponse;
import software.amazon.awssdk.services.kms.model.GrantOperation;
import software.amazon.awssdk.services.kms.model.KeyMetadata;
import software.amazon.awssdk.services.kms.model.KeyState;
import software.amazon.awssdk.services.kms.model.KmsException;
import software.amazon.awssdk.services.kms.model.KmsInvalidStateException;
import software.amazon.awssdk.services.kms.model.NotFoundException;
import software.amazon.awssdk.services.kms.model.OriginType;
import software.amazon.awssdk.services.kms.model.Tag;
import software.amazon.awssdk.services.kms.model.UnsupportedOperationException;

/**
 * Automatic key rotation, key origins (AWS_KMS, EXTERNAL, AWS_CLOUDHSM) and CloudHSM key stores through
 * the real SDK client over HTTP. Runs unchanged against an external emulator when AWS_ENDPOINT_URL is set; what needs the
 * stand-in's inspection API (which alone registers CloudHSM key stores), its exact messages or its
 * ciphertext format is stand-in only.
 */
class AwsKmsRotationAndOriginTest extends KmsOverHttp {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ATLAS_ROLE = "arn:aws:iam::111122223333:role/atlas-ear-role";
    private static final String KEY_STORE = "cks-1234567890abcdef0";
    private static final String OTHER_KEY_STORE = "cks-0fedcba0987654321";
    private static final String ATLAS_KEY_POLICY = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
            + "\"Principal\":{\"AWS\":\"" + ATLAS_ROLE + "\"},\"Action\":[\"kms:Encrypt\",\"kms:Decrypt\"],\"Resource\":\"*\"}]}";

    /** A key for imported key material, as CreateKey leaves it: PendingImport, with none imported. */
    private KeyMetadata createKeyPendingImport(String description) {
        return kms.createKey(r -> r.description(description).origin(OriginType.EXTERNAL)).keyMetadata();
    }

    /** A CloudHSM key store registered (connected) in the stand-in; skips the test against an external emulator. */
    private KmsCustomKeyStoreView addKeyStore(String id, String name) {
        return target.standIn().kms().addCloudHsmKeyStore("us-east-1", id, name);
    }

    private KeyMetadata createKeyInKeyStore(String customKeyStoreId) {
        return kms.createKey(r -> r.origin(OriginType.AWS_CLOUDHSM).customKeyStoreId(customKeyStoreId)).keyMetadata();
    }

    private GetKeyRotationStatusResponse rotationStatus(KeyMetadata key) {
        return kms.getKeyRotationStatus(r -> r.keyId(key.keyId()));
    }

    private KeyMetadata describe(KeyMetadata key) {
        return kms.describeKey(r -> r.keyId(key.keyId())).keyMetadata();
    }

    private static String errorCode(KmsException e) {
        return e.awsErrorDetails().errorCode();
    }

    private static String message(KmsException e) {
        return e.awsErrorDetails().errorMessage();
    }

    /** A ciphertext in the stand-in's format (version 1, ARN length, ARN, 12-byte IV, sealed bytes) naming the key. */
    private static SdkBytes standInCiphertextNaming(String keyArn) {
        byte[] arn = keyArn.getBytes(StandardCharsets.UTF_8);
        ByteBuffer blob = ByteBuffer.allocate(1 + 2 + arn.length + 12 + 32);
        blob.put((byte) 1).putShort((short) arn.length).put(arn).put(new byte[12]).put(new byte[32]);
        return SdkBytes.fromByteArray(blob.array());
    }

    // ---------------------------------------------------------------------------------------------
    // Automatic key rotation
    // ---------------------------------------------------------------------------------------------

    @Test
    void aNewKey_hasAutomaticRotationDisabled() {
        KeyMetadata key = createKey("new");

        GetKeyRotationStatusResponse status = rotationStatus(key);

        assertThat(status.keyRotationEnabled()).isFalse();
        assertThat(status.keyId()).isEqualTo(key.arn());
        assertThat(status.rotationPeriodInDays()).isNull();
        assertThat(status.nextRotationDate()).isNull();
        if (target.isStandIn()) {
            KmsKeyRotationView rotation = target.standIn().kms().rotation(key.arn()).orElseThrow();
            assertThat(rotation.enabled()).isFalse();
            assertThat(rotation.rotationPeriodInDays()).isNull();
            assertThat(rotation.nextRotationDate()).isNull();
            assertThat(rotation.rotationDates()).isEmpty();
        }
    }

    @Test
    void rotateKeyOnDemand_rotatesAtOnce_keepsTheKeyId_isListedBesideAutomaticRotations_andIsCappedPerKey() {
        KeyMetadata key = createKey("rotated on demand");

        var answer = kms.rotateKeyOnDemand(r -> r.keyId(key.keyId()));
        var rotations = kms.listKeyRotations(r -> r.keyId(key.arn())).rotations();

        assertThat(answer.keyId()).isEqualTo(key.arn());
        assertThat(rotations).singleElement().satisfies(r -> {
            assertThat(r.rotationTypeAsString()).isEqualTo("ON_DEMAND");
            assertThat(r.keyId()).isEqualTo(key.arn());
        });
        assertThat(describe(key).keyId()).isEqualTo(key.keyId());
        if (target.isStandIn()) {
            for (int i = 1; i < 10; i++) {
                kms.rotateKeyOnDemand(r -> r.keyId(key.keyId()));
            }
            assertThatThrownBy(() -> kms.rotateKeyOnDemand(r -> r.keyId(key.keyId())))
                    .isInstanceOfSatisfying(KmsException.class, e -> assertThat(errorCode(e)).isEqualTo("LimitExceededException"));
            assertThat(kms.listKeyRotations(r -> r.keyId(key.arn())).rotations()).hasSize(10);
        }
        kms.disableKey(r -> r.keyId(key.keyId()));
        assertThatThrownBy(() -> kms.rotateKeyOnDemand(r -> r.keyId(key.keyId())))
                .isInstanceOfSatisfying(KmsException.class, e -> assertThat(errorCode(e)).isEqualTo("DisabledException"));
    }

    @Test
    void enableKeyRotation_byDefaultRotatesEvery365Days_fromTheDayItWasEnabled() {
        KeyMetadata key = createKey("rotated yearly");

        kms.enableKeyRotation(r -> r.keyId(key.arn()));

        GetKeyRotationStatusResponse status = kms.getKeyRotationStatus(r -> r.keyId(key.arn()));
        assertThat(status.keyRotationEnabled()).isTrue();
        assertThat(status.keyId()).isEqualTo(key.arn());
        assertThat(status.rotationPeriodInDays()).isEqualTo(365);
        assertThat(status.nextRotationDate()).isNotNull();
        if (target.isStandIn()) {
            assertThat(status.nextRotationDate()).isEqualTo(AwsTarget.START.plus(Duration.ofDays(365)));
            KmsKeyRotationView rotation = target.standIn().kms().rotation(key.keyId()).orElseThrow();
            assertThat(rotation.enabled()).isTrue();
            assertThat(rotation.rotationPeriodInDays()).isEqualTo(365);
            assertThat(rotation.nextRotationDate()).isEqualTo(status.nextRotationDate());
        }
    }

    @Test
    void enableKeyRotation_takesAPeriodOf90To2560Days_andWithoutOneSetsTheDefaultAgain() {
        KeyMetadata key = createKey("custom period");

        KmsException tooShort = catchThrowableOfType(KmsException.class,
                () -> kms.enableKeyRotation(r -> r.keyId(key.keyId()).rotationPeriodInDays(89)));
        KmsException tooLong = catchThrowableOfType(KmsException.class,
                () -> kms.enableKeyRotation(r -> r.keyId(key.keyId()).rotationPeriodInDays(2561)));

        assertThat(List.of(tooShort, tooLong)).allSatisfy(e -> {
            assertThat(e.statusCode()).isEqualTo(400);
            assertThat(errorCode(e)).isEqualTo("ValidationException");
        });
        assertThat(rotationStatus(key).keyRotationEnabled()).isFalse();
        kms.enableKeyRotation(r -> r.keyId(key.keyId()).rotationPeriodInDays(90));
        assertThat(rotationStatus(key).rotationPeriodInDays()).isEqualTo(90);
        kms.enableKeyRotation(r -> r.keyId(key.keyId()).rotationPeriodInDays(2560));
        assertThat(rotationStatus(key).rotationPeriodInDays()).isEqualTo(2560);
        kms.enableKeyRotation(r -> r.keyId(key.keyId()));
        assertThat(rotationStatus(key).rotationPeriodInDays()).isEqualTo(365);
        if (target.isStandIn()) {
            assertThat(message(tooShort)).isEqualTo("1 validation error detected: Value '89' at 'rotationPeriodInDays' "
                    + "failed to satisfy constraint: Member must have value greater than or equal to 90");
            assertThat(message(tooLong)).endsWith("Member must have value less than or equal to 2560");
            assertThat(rotationStatus(key).nextRotationDate()).isEqualTo(AwsTarget.START.plus(Duration.ofDays(365)));
        }
    }

    @Test
    void disableKeyRotation_turnsItOff_andEnablingAgainCountsFromTheNewDate() {
        KeyMetadata key = createKey("on and off");
        kms.enableKeyRotation(r -> r.keyId(key.keyId()).rotationPeriodInDays(180));

        kms.disableKeyRotation(r -> r.keyId(key.keyId()));

        GetKeyRotationStatusResponse status = rotationStatus(key);
        assertThat(status.keyRotationEnabled()).isFalse();
        assertThat(status.rotationPeriodInDays()).isNull();
        assertThat(status.nextRotationDate()).isNull();
        kms.disableKeyRotation(r -> r.keyId(key.arn())); // already off: still fine
        if (target.isStandIn()) {
            target.clock().advance(Duration.ofDays(10));
            kms.enableKeyRotation(r -> r.keyId(key.keyId()).rotationPeriodInDays(180));
            assertThat(rotationStatus(key).nextRotationDate()).isEqualTo(AwsTarget.START.plus(Duration.ofDays(190)));
            assertThat(target.standIn().kms().rotation(key.arn()).orElseThrow().rotationDates()).isEmpty();
        }
    }

    @Test
    void enableAndDisableKeyRotation_refuseAKeyPendingDeletion_andADisabledKey_asTheKeyStateTableHasIt() {
        KeyMetadata disabled = createKey("disabled");
        kms.disableKey(r -> r.keyId(disabled.keyId()));
        KeyMetadata pending = createKey("pending deletion");
        kms.scheduleKeyDeletion(r -> r.keyId(pending.keyId()).pendingWindowInDays(7));

        DisabledException enableDisabled = catchThrowableOfType(DisabledException.class,
                () -> kms.enableKeyRotation(r -> r.keyId(disabled.keyId())));
        DisabledException disableDisabled = catchThrowableOfType(DisabledException.class,
                () -> kms.disableKeyRotation(r -> r.keyId(disabled.keyId())));
        KmsInvalidStateException enablePending = catchThrowableOfType(KmsInvalidStateException.class,
                () -> kms.enableKeyRotation(r -> r.keyId(pending.keyId())));
        KmsInvalidStateException disablePending = catchThrowableOfType(KmsInvalidStateException.class,
                () -> kms.disableKeyRotation(r -> r.keyId(pending.keyId())));

        assertThat(List.<KmsException>of(enableDisabled, disableDisabled, enablePending, disablePending))
                .allSatisfy(e -> assertThat(e.statusCode()).isEqualTo(400));
        assertThat(rotationStatus(disabled).keyRotationEnabled()).isFalse();
        assertThat(rotationStatus(pending).keyRotationEnabled()).isFalse();
        if (target.isStandIn()) {
            assertThat(List.of(enableDisabled, disableDisabled))
                    .allSatisfy(e -> assertThat(message(e)).isEqualTo(disabled.arn() + " is disabled."));
            assertThat(List.of(enablePending, disablePending))
                    .allSatisfy(e -> assertThat(message(e)).isEqualTo(pending.arn() + " is pending deletion."));
        }
    }

    @Test
    void getKeyRotationStatus_keepsTheSettingOfADisabledKey_andAnswersFalseWhilePendingDeletion_untilCancelled() {
        KeyMetadata key = createKey("kept setting");
        kms.enableKeyRotation(r -> r.keyId(key.keyId()).rotationPeriodInDays(120));

        kms.disableKey(r -> r.keyId(key.keyId()));
        RotationSetting whileDisabled = RotationSetting.of(rotationStatus(key));
        kms.enableKey(r -> r.keyId(key.keyId()));
        kms.scheduleKeyDeletion(r -> r.keyId(key.keyId()).pendingWindowInDays(7));
        RotationSetting whilePending = RotationSetting.of(rotationStatus(key));
        kms.cancelKeyDeletion(r -> r.keyId(key.keyId()));
        RotationSetting afterCancel = RotationSetting.of(rotationStatus(key));

        assertThat(whileDisabled).isEqualTo(new RotationSetting(true, 120));
        assertThat(whilePending).isEqualTo(new RotationSetting(false, null));
        assertThat(afterCancel).isEqualTo(new RotationSetting(true, 120));
        if (target.isStandIn()) {
            assertThat(rotationStatus(key).nextRotationDate()).isEqualTo(AwsTarget.START.plus(Duration.ofDays(120)));
        }
    }

    /** What GetKeyRotationStatus says of the setting. */
    private record RotationSetting(boolean enabled, Integer periodInDays) {
        static RotationSetting of(GetKeyRotationStatusResponse response) {
            return new RotationSetting(response.keyRotationEnabled(), response.rotationPeriodInDays());
        }
    }

    @Test
    void rotationCalls_onAKeyWithImportedMaterial_areUnsupported_beforeItsKeyStateIsLookedAt() {
        KeyMetadata key = createKeyPendingImport("imported");

        List<UnsupportedOperationException> refused = List.of(
                catchThrowableOfType(UnsupportedOperationException.class, () -> kms.enableKeyRotation(r -> r.keyId(key.keyId()))),
                catchThrowableOfType(UnsupportedOperationException.class, () -> kms.disableKeyRotation(r -> r.keyId(key.keyId()))),
                catchThrowableOfType(UnsupportedOperationException.class, () -> rotationStatus(key)));

        assertThat(refused).allSatisfy(e -> assertThat(e.statusCode()).isEqualTo(400));
        if (target.isStandIn()) {
            assertThat(refused).allSatisfy(e -> assertThat(message(e))
                    .isEqualTo(key.arn() + " origin is EXTERNAL which is not valid for this operation."));
            assertThat(target.standIn().kms().rotation(key.arn()).orElseThrow().enabled()).isFalse();
        }
    }

    @Test
    void rotationCalls_onAKeyInACloudHsmKeyStore_areUnsupported_alsoWhileItIsUnavailable() {
        addKeyStore(KEY_STORE, "atlas-hsm");
        KeyMetadata key = createKeyInKeyStore(KEY_STORE);
        String unsupported = key.arn() + " origin is AWS_CLOUDHSM which is not valid for this operation.";

        UnsupportedOperationException enable = catchThrowableOfType(UnsupportedOperationException.class,
                () -> kms.enableKeyRotation(r -> r.keyId(key.keyId()).rotationPeriodInDays(90)));
        UnsupportedOperationException status = catchThrowableOfType(UnsupportedOperationException.class, () -> rotationStatus(key));
        target.standIn().kms().disconnectCustomKeyStore(KEY_STORE);
        UnsupportedOperationException disable = catchThrowableOfType(UnsupportedOperationException.class,
                () -> kms.disableKeyRotation(r -> r.keyId(key.keyId())));

        assertThat(List.of(enable, status, disable)).allSatisfy(e -> assertThat(message(e)).isEqualTo(unsupported));
    }

    @Test
    void rotationCalls_takeAKeyIdOrKeyArn_notAnAlias_andAnUnknownKeyIsNotFound() {
        KeyMetadata key = createKey("aliased");
        String alias = AwsTarget.unique("alias/sbx-rotation-");
        kms.createAlias(r -> r.aliasName(alias).targetKeyId(key.keyId()));
        String unknown = UUID.randomUUID().toString();

        assertThatThrownBy(() -> kms.enableKeyRotation(r -> r.keyId(alias))).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> kms.disableKeyRotation(r -> r.keyId(alias))).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> kms.getKeyRotationStatus(r -> r.keyId(alias))).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> kms.enableKeyRotation(r -> r.keyId(unknown))).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> kms.getKeyRotationStatus(r -> r.keyId(unknown))).isInstanceOf(NotFoundException.class);
        assertThat(rotationStatus(key).keyRotationEnabled()).isFalse();
    }

    @Test
    void theKeyRotates_asTheSandboxClockPassesItsRotationDates_onlyWhileEnabled_andOldCiphertextStillDecrypts() {
        KeyMetadata key = createKey("rotating");
        SdkBytes ciphertext = kms.encrypt(r -> r.keyId(key.keyId()).plaintext(SdkBytes.fromUtf8String("before"))).ciphertextBlob();
        kms.enableKeyRotation(r -> r.keyId(key.keyId()).rotationPeriodInDays(90));
        KmsStandIn standIn = target.standIn().kms();
        Instant first = AwsTarget.START.plus(Duration.ofDays(90));

        target.clock().advance(Duration.ofDays(90).minusSeconds(1));
        assertThat(standIn.rotation(key.arn()).orElseThrow().rotationDates()).isEmpty();
        target.clock().advance(Duration.ofSeconds(1));
        assertThat(rotationStatus(key).nextRotationDate()).isEqualTo(first.plus(Duration.ofDays(90)));
        assertThat(standIn.rotation(key.arn()).orElseThrow().rotationDates()).containsExactly(first);

        kms.disableKey(r -> r.keyId(key.keyId()));
        target.clock().advance(Duration.ofDays(100)); // passes the second date while the key is disabled
        assertThat(standIn.rotation(key.arn()).orElseThrow().rotationDates()).containsExactly(first);
        Instant reenabled = target.clock().instant();
        kms.enableKey(r -> r.keyId(key.keyId()));

        assertThat(standIn.rotation(key.arn()).orElseThrow().rotationDates()).containsExactly(first, reenabled);
        assertThat(rotationStatus(key).nextRotationDate()).isEqualTo(reenabled.plus(Duration.ofDays(90)));
        assertThat(kms.decrypt(r -> r.ciphertextBlob(ciphertext)).plaintext().asUtf8String()).isEqualTo("before");
    }

    @Test
    void rotationCalls_areRecordedInCloudTrail_likeEveryKmsCall() {
        CloudTrailStandIn trail = target.standIn().cloudTrail();
        trail.deliveryDelay(Duration.ZERO);
        KeyMetadata key = createKey("audited");
        kms.enableKeyRotation(r -> r.keyId(key.keyId()).rotationPeriodInDays(180));
        kms.getKeyRotationStatus(r -> r.keyId(key.arn()));
        kms.disableKeyRotation(r -> r.keyId(key.keyId()));
        kms.disableKey(r -> r.keyId(key.keyId()));
        assertThatThrownBy(() -> kms.enableKeyRotation(r -> r.keyId(key.keyId()))).isInstanceOf(DisabledException.class);
        target.clock().advance(Duration.ofSeconds(1));

        List<Event> events = target.cloudTrail().lookupEvents(r -> r.lookupAttributes(LookupAttribute.builder()
                .attributeKey(LookupAttributeKey.RESOURCE_NAME).attributeValue(key.arn()).build())).events();

        assertThat(events).extracting(Event::eventName).containsExactly("EnableKeyRotation", "DisableKey",
                "DisableKeyRotation", "GetKeyRotationStatus", "EnableKeyRotation", "CreateKey");
        assertThat(events).extracting(Event::readOnly).containsExactly("false", "false", "false", "true", "false", "false");
        JsonNode refused = record(events.get(0));
        assertThat(refused.path("errorCode").asText()).isEqualTo("DisabledException");
        assertThat(refused.path("errorMessage").asText()).isEqualTo(key.arn() + " is disabled.");
        JsonNode enabled = record(events.get(4));
        assertThat(enabled.has("errorCode")).isFalse();
        assertThat(enabled.path("requestParameters").toString())
                .isEqualTo("{\"keyId\":\"" + key.keyId() + "\",\"rotationPeriodInDays\":180}");
        assertThat(enabled.path("resources").get(0).path("ARN").asText()).isEqualTo(key.arn());
    }

    @Test
    void createKeyWithAnOrigin_isRecordedInCloudTrail_withItsOriginAndKeyStore() {
        CloudTrailStandIn trail = target.standIn().cloudTrail();
        trail.deliveryDelay(Duration.ZERO);
        addKeyStore(KEY_STORE, "atlas-hsm");
        KeyMetadata imported = createKeyPendingImport("imported");
        KeyMetadata inHsm = createKeyInKeyStore(KEY_STORE);
        target.standIn().kms().disconnectCustomKeyStore(KEY_STORE);
        assertThatThrownBy(() -> createKeyInKeyStore(KEY_STORE)).isInstanceOf(CustomKeyStoreInvalidStateException.class);
        target.clock().advance(Duration.ofSeconds(1));

        List<Event> events = target.cloudTrail().lookupEvents(r -> r.lookupAttributes(LookupAttribute.builder()
                .attributeKey(LookupAttributeKey.EVENT_NAME).attributeValue("CreateKey").build())).events();

        assertThat(events).hasSize(3);
        JsonNode refused = record(events.get(0));
        assertThat(refused.path("errorCode").asText()).isEqualTo("CustomKeyStoreInvalidStateException");
        assertThat(refused.path("requestParameters").path("customKeyStoreId").asText()).isEqualTo(KEY_STORE);
        JsonNode hsm = record(events.get(1));
        assertThat(hsm.path("requestParameters").path("origin").asText()).isEqualTo("AWS_CLOUDHSM");
        assertThat(hsm.path("resources").get(0).path("ARN").asText()).isEqualTo(inHsm.arn());
        JsonNode external = record(events.get(2));
        assertThat(external.path("requestParameters").path("origin").asText()).isEqualTo("EXTERNAL");
        assertThat(external.path("resources").get(0).path("ARN").asText()).isEqualTo(imported.arn());
    }

    private static JsonNode record(Event event) {
        try {
            return JSON.readTree(event.cloudTrailEvent());
        } catch (Exception e) {
            throw new AssertionError("CloudTrailEvent is not JSON: " + event.cloudTrailEvent(), e);
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Origins
    // ---------------------------------------------------------------------------------------------

    @Test
    void createKey_reportsOriginAwsKms_byDefault() {
        KeyMetadata key = createKey("generated by KMS");

        assertThat(key.origin()).isEqualTo(OriginType.AWS_KMS);
        assertThat(describe(key).origin()).isEqualTo(OriginType.AWS_KMS);
        assertThat(key.customKeyStoreId()).isNull();
        if (target.isStandIn()) {
            assertThat(target.standIn().kms().key(key.arn()).orElseThrow().origin()).isEqualTo(KmsKeyOrigin.AWS_KMS);
        }
    }

    @Test
    void createKey_withOriginExternal_makesAKeyPendingImport_withoutKeyMaterial() {
        KeyMetadata created = createKeyPendingImport("imported material");

        KeyMetadata described = describe(created);

        for (KeyMetadata key : List.of(created, described)) {
            assertThat(key.origin()).isEqualTo(OriginType.EXTERNAL);
            assertThat(key.keyState()).isEqualTo(KeyState.PENDING_IMPORT);
            assertThat(key.enabled()).isFalse();
            assertThat(key.customKeyStoreId()).isNull();
        }
        if (target.isStandIn()) {
            KmsKeyView view = target.standIn().kms().key(created.keyId()).orElseThrow();
            assertThat(view.origin()).isEqualTo(KmsKeyOrigin.EXTERNAL);
            assertThat(view.state()).isEqualTo(KmsKeyState.PENDING_IMPORT);
            assertThat(view.enabled()).isFalse();
        }
    }

    @Test
    void aKeyPendingImport_refusesEncryptCreateGrantEnableKeyAndDisableKey_withKmsInvalidState() {
        KeyMetadata key = createKeyPendingImport("no material yet");

        KmsInvalidStateException encrypt = catchThrowableOfType(KmsInvalidStateException.class,
                () -> kms.encrypt(r -> r.keyId(key.keyId()).plaintext(SdkBytes.fromUtf8String("x"))));
        KmsInvalidStateException grant = catchThrowableOfType(KmsInvalidStateException.class,
                () -> kms.createGrant(r -> r.keyId(key.keyId()).granteePrincipal(ATLAS_ROLE).operations(GrantOperation.DECRYPT)));
        KmsInvalidStateException enable = catchThrowableOfType(KmsInvalidStateException.class,
                () -> kms.enableKey(r -> r.keyId(key.keyId())));
        KmsInvalidStateException disable = catchThrowableOfType(KmsInvalidStateException.class,
                () -> kms.disableKey(r -> r.keyId(key.keyId())));

        assertThat(List.of(encrypt, grant, enable, disable)).allSatisfy(e -> assertThat(e.statusCode()).isEqualTo(400));
        assertThat(describe(key).keyState()).isEqualTo(KeyState.PENDING_IMPORT);
        assertThat(kms.listGrants(r -> r.keyId(key.keyId())).grants()).isEmpty();
        if (target.isStandIn()) {
            assertThat(List.of(encrypt, grant, enable, disable))
                    .allSatisfy(e -> assertThat(message(e)).isEqualTo(key.arn() + " is pending import."));
        }
    }

    @Test
    void aKeyPendingImport_refusesDecrypt_withKmsInvalidState() {
        KeyMetadata key = createKeyPendingImport("no material to decrypt with");
        SdkBytes ciphertext = standInCiphertextNaming(key.arn());
        target.standIn();

        KmsInvalidStateException decrypt = catchThrowableOfType(KmsInvalidStateException.class,
                () -> kms.decrypt(r -> r.ciphertextBlob(ciphertext)));

        assertThat(message(decrypt)).isEqualTo(key.arn() + " is pending import.");
    }

    @Test
    void aKeyPendingImport_canBeTaggedAliasedDescribedAndScheduledForDeletion_andCancellingLeavesItPendingImport() {
        KeyMetadata key = createKeyPendingImport("managed");
        String alias = AwsTarget.unique("alias/sbx-import-");

        kms.tagResource(r -> r.keyId(key.keyId()).tags(Tag.builder().tagKey("atlas-cmk-rotator:project").tagValue("p1").build()));
        kms.createAlias(r -> r.aliasName(alias).targetKeyId(key.keyId()));
        kms.updateKeyDescription(r -> r.keyId(key.keyId()).description("still managed"));
        kms.scheduleKeyDeletion(r -> r.keyId(key.keyId()).pendingWindowInDays(7));
        assertThat(describe(key).keyState()).isEqualTo(KeyState.PENDING_DELETION);
        kms.cancelKeyDeletion(r -> r.keyId(key.keyId()));

        KeyMetadata described = kms.describeKey(r -> r.keyId(alias)).keyMetadata();
        assertThat(described.keyId()).isEqualTo(key.keyId());
        assertThat(described.description()).isEqualTo("still managed");
        assertThat(described.keyState()).isEqualTo(KeyState.PENDING_IMPORT);
        assertThat(described.deletionDate()).isNull();
        assertThat(kms.listResourceTags(r -> r.keyId(key.keyId())).tags()).extracting(Tag::tagKey)
                .containsExactly("atlas-cmk-rotator:project");
    }

    @Test
    void createKey_inAnExternalKeyStore_isUnsupported_andAnUnknownOriginIsAValidationError() {
        UnsupportedOperationException xks = catchThrowableOfType(UnsupportedOperationException.class,
                () -> kms.createKey(r -> r.origin(OriginType.EXTERNAL_KEY_STORE).customKeyStoreId("cks-1234567890abcdef0")
                        .xksKeyId("ext-key-1")));
        KmsException unknown = catchThrowableOfType(KmsException.class, () -> kms.createKey(r -> r.origin("SOMEWHERE_ELSE")));

        assertThat(xks.statusCode()).isEqualTo(400);
        assertThat(unknown.statusCode()).isEqualTo(400);
        if (target.isStandIn()) {
            assertThat(message(xks)).contains("no external key stores").contains("EXTERNAL_KEY_STORE").contains("XksKeyId");
            assertThat(errorCode(unknown)).isEqualTo("ValidationException");
            assertThat(message(unknown)).isEqualTo("1 validation error detected: Value 'SOMEWHERE_ELSE' at 'origin' failed to "
                    + "satisfy constraint: Member must satisfy enum value set: [AWS_KMS, EXTERNAL, AWS_CLOUDHSM, EXTERNAL_KEY_STORE]");
            assertThat(target.standIn().kms().keys()).isEmpty();
        }
    }

    @Test
    void seededExternalKey_isPendingImport_andTheAtlasRoleCannotUseIt() {
        KmsStandIn standIn = target.standIn().kms();

        KmsKeyView seeded = standIn.createExternalKey("us-east-1", "seeded for import", Map.of("team", "payments"));
        kms.putKeyPolicy(r -> r.keyId(seeded.keyId()).policyName("default").policy(ATLAS_KEY_POLICY)
                .bypassPolicyLockoutSafetyCheck(true));

        assertThat(seeded.state()).isEqualTo(KmsKeyState.PENDING_IMPORT);
        assertThat(seeded.origin()).isEqualTo(KmsKeyOrigin.EXTERNAL);
        assertThat(seeded.tags()).containsExactly(Map.entry("team", "payments"));
        KeyMetadata described = kms.describeKey(r -> r.keyId(seeded.arn())).keyMetadata();
        assertThat(described.origin()).isEqualTo(OriginType.EXTERNAL);
        assertThat(described.keyState()).isEqualTo(KeyState.PENDING_IMPORT);
        assertThat(standIn.atlasRoleCanUse(seeded.arn(), ATLAS_ROLE)).isFalse();
    }

    // ---------------------------------------------------------------------------------------------
    // CloudHSM key stores
    // ---------------------------------------------------------------------------------------------

    @Test
    void createKey_inACloudHsmKeyStore_makesAnEnabledKeyThere_thatEncryptsAndDecrypts() {
        KmsCustomKeyStoreView store = addKeyStore(KEY_STORE, "atlas-hsm");

        KeyMetadata created = createKeyInKeyStore(KEY_STORE);
        KeyMetadata described = describe(created);

        for (KeyMetadata key : List.of(created, described)) {
            assertThat(key.origin()).isEqualTo(OriginType.AWS_CLOUDHSM);
            assertThat(key.customKeyStoreId()).isEqualTo(KEY_STORE);
            assertThat(key.cloudHsmClusterId()).isEqualTo(store.cloudHsmClusterId()).matches("cluster-[0-9a-f]{11}");
            assertThat(key.keyState()).isEqualTo(KeyState.ENABLED);
            assertThat(key.enabled()).isTrue();
            assertThat(key.multiRegion()).isFalse();
        }
        SdkBytes plaintext = SdkBytes.fromUtf8String("sealed in the HSM");
        SdkBytes ciphertext = kms.encrypt(r -> r.keyId(created.keyId()).plaintext(plaintext)).ciphertextBlob();
        assertThat(kms.decrypt(r -> r.ciphertextBlob(ciphertext)).plaintext()).isEqualTo(plaintext);
        KmsKeyView view = target.standIn().kms().key(created.arn()).orElseThrow();
        assertThat(view.origin()).isEqualTo(KmsKeyOrigin.AWS_CLOUDHSM);
        assertThat(view.customKeyStoreId()).isEqualTo(KEY_STORE);
        assertThat(store.connectionState()).isEqualTo("CONNECTED");
        assertThat(store.region()).isEqualTo("us-east-1");
        assertThat(target.standIn().kms().customKeyStores()).containsExactly(store);
    }

    @Test
    void createKey_inAKeyStoreUnknownInTheRegion_isCustomKeyStoreNotFound() {
        addKeyStore(KEY_STORE, "atlas-hsm");
        KmsClient euWest1 = target.kms(Region.EU_WEST_1, null);

        CustomKeyStoreNotFoundException unknown = catchThrowableOfType(CustomKeyStoreNotFoundException.class,
                () -> createKeyInKeyStore(OTHER_KEY_STORE));
        CustomKeyStoreNotFoundException otherRegion = catchThrowableOfType(CustomKeyStoreNotFoundException.class,
                () -> euWest1.createKey(r -> r.origin(OriginType.AWS_CLOUDHSM).customKeyStoreId(KEY_STORE)));

        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(message(unknown)).contains(OTHER_KEY_STORE);
        assertThat(message(otherRegion)).contains(KEY_STORE).contains("eu-west-1");
        assertThat(target.standIn().kms().keys()).isEmpty();
    }

    @Test
    void createKey_inADisconnectedKeyStore_isCustomKeyStoreInvalidState_untilItIsConnectedAgain() {
        addKeyStore(KEY_STORE, "atlas-hsm");
        KmsCustomKeyStoreView disconnected = target.standIn().kms().disconnectCustomKeyStore(KEY_STORE);

        CustomKeyStoreInvalidStateException refused = catchThrowableOfType(CustomKeyStoreInvalidStateException.class,
                () -> createKeyInKeyStore(KEY_STORE));

        assertThat(disconnected.connectionState()).isEqualTo("DISCONNECTED");
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(message(refused)).contains(KEY_STORE).contains("DISCONNECTED");
        assertThat(target.standIn().kms().keys()).isEmpty();
        target.standIn().kms().connectCustomKeyStore(KEY_STORE);
        assertThat(createKeyInKeyStore(KEY_STORE).keyState()).isEqualTo(KeyState.ENABLED);
    }

    @Test
    void createKey_withAKeyStoreButAnotherOrigin_cloudHsmWithoutAKeyStore_orMultiRegionInAKeyStore_isUnsupported() {
        addKeyStore(KEY_STORE, "atlas-hsm");

        UnsupportedOperationException defaultOrigin = catchThrowableOfType(UnsupportedOperationException.class,
                () -> kms.createKey(r -> r.customKeyStoreId(KEY_STORE)));
        UnsupportedOperationException kmsOrigin = catchThrowableOfType(UnsupportedOperationException.class,
                () -> kms.createKey(r -> r.customKeyStoreId(KEY_STORE).origin(OriginType.AWS_KMS)));
        UnsupportedOperationException external = catchThrowableOfType(UnsupportedOperationException.class,
                () -> kms.createKey(r -> r.customKeyStoreId(KEY_STORE).origin(OriginType.EXTERNAL)));
        UnsupportedOperationException noKeyStore = catchThrowableOfType(UnsupportedOperationException.class,
                () -> kms.createKey(r -> r.origin(OriginType.AWS_CLOUDHSM)));
        UnsupportedOperationException multiRegion = catchThrowableOfType(UnsupportedOperationException.class,
                () -> kms.createKey(r -> r.customKeyStoreId(KEY_STORE).origin(OriginType.AWS_CLOUDHSM).multiRegion(true)));

        assertThat(List.of(defaultOrigin, kmsOrigin, external, noKeyStore, multiRegion))
                .allSatisfy(e -> assertThat(e.statusCode()).isEqualTo(400));
        assertThat(message(defaultOrigin)).contains("Origin AWS_KMS (the default)");
        assertThat(message(external)).contains("Origin EXTERNAL");
        assertThat(message(noKeyStore)).contains("CustomKeyStoreId");
        assertThat(message(multiRegion)).contains("multi-Region");
        assertThat(target.standIn().kms().keys()).isEmpty();
    }

    @Test
    void aKeyInADisconnectedKeyStore_isUnavailable_refusesEncryptAndDecrypt_butCanStillBeManaged() {
        addKeyStore(KEY_STORE, "atlas-hsm");
        KeyMetadata key = createKeyInKeyStore(KEY_STORE);
        SdkBytes ciphertext = kms.encrypt(r -> r.keyId(key.keyId()).plaintext(SdkBytes.fromUtf8String("x"))).ciphertextBlob();
        target.standIn().kms().disconnectCustomKeyStore(KEY_STORE);

        KmsInvalidStateException encrypt = catchThrowableOfType(KmsInvalidStateException.class,
                () -> kms.encrypt(r -> r.keyId(key.keyId()).plaintext(SdkBytes.fromUtf8String("x"))));
        KmsInvalidStateException decrypt = catchThrowableOfType(KmsInvalidStateException.class,
                () -> kms.decrypt(r -> r.ciphertextBlob(ciphertext)));

        KeyMetadata unavailable = describe(key);
        assertThat(unavailable.keyState()).isEqualTo(KeyState.UNAVAILABLE);
        assertThat(unavailable.enabled()).isFalse();
        assertThat(List.of(encrypt, decrypt)).allSatisfy(e -> assertThat(message(e)).isEqualTo(key.arn() + " is unavailable."));
        kms.tagResource(r -> r.keyId(key.keyId()).tags(Tag.builder().tagKey("atlas-cmk-rotator:state").tagValue("active").build()));
        kms.createGrant(r -> r.keyId(key.keyId()).granteePrincipal(ATLAS_ROLE).operations(GrantOperation.DECRYPT));
        kms.disableKey(r -> r.keyId(key.keyId()));
        assertThat(describe(key).keyState()).isEqualTo(KeyState.UNAVAILABLE);
        assertThat(target.standIn().kms().key(key.arn()).orElseThrow().state()).isEqualTo(KmsKeyState.UNAVAILABLE);

        target.standIn().kms().connectCustomKeyStore(KEY_STORE);
        assertThat(describe(key).keyState()).isEqualTo(KeyState.DISABLED);
        kms.enableKey(r -> r.keyId(key.keyId()));
        assertThat(kms.decrypt(r -> r.ciphertextBlob(ciphertext)).plaintext().asUtf8String()).isEqualTo("x");
    }

    @Test
    void aKeyPendingDeletionInADisconnectedKeyStore_staysPendingDeletion_andCancellingLeavesItUnavailable() {
        addKeyStore(KEY_STORE, "atlas-hsm");
        KeyMetadata key = createKeyInKeyStore(KEY_STORE);
        kms.scheduleKeyDeletion(r -> r.keyId(key.keyId()).pendingWindowInDays(7));
        target.standIn().kms().disconnectCustomKeyStore(KEY_STORE);

        assertThat(describe(key).keyState()).isEqualTo(KeyState.PENDING_DELETION);
        kms.cancelKeyDeletion(r -> r.keyId(key.keyId()));

        assertThat(describe(key).keyState()).isEqualTo(KeyState.UNAVAILABLE);
        target.standIn().kms().connectCustomKeyStore(KEY_STORE);
        assertThat(describe(key).keyState()).isEqualTo(KeyState.DISABLED);
    }

    @Test
    void theAtlasRole_cannotUseAKeyWhoseKeyStoreIsDisconnected() {
        KmsStandIn standIn = target.standIn().kms();
        addKeyStore(KEY_STORE, "atlas-hsm");
        KmsKeyView seeded = standIn.createCloudHsmKey("us-east-1", KEY_STORE, "seeded in the HSM", Map.of());
        kms.putKeyPolicy(r -> r.keyId(seeded.keyId()).policyName("default").policy(ATLAS_KEY_POLICY)
                .bypassPolicyLockoutSafetyCheck(true));
        assertThat(standIn.atlasRoleCanUse(seeded.arn(), ATLAS_ROLE)).isTrue();

        standIn.disconnectCustomKeyStore(KEY_STORE);

        assertThat(standIn.atlasRoleCanUse(seeded.arn(), ATLAS_ROLE)).isFalse();
        standIn.connectCustomKeyStore(KEY_STORE);
        assertThat(standIn.atlasRoleCanUse(seeded.arn(), ATLAS_ROLE)).isTrue();
    }

    @Test
    void keyStoreRegistration_checksIdsAndNamesAsKmsIssuesThem_andSeedingNeedsAConnectedKeyStore() {
        KmsStandIn standIn = target.standIn().kms();
        addKeyStore(KEY_STORE, "atlas-hsm");

        assertThatThrownBy(() -> standIn.addCloudHsmKeyStore("us-east-1", "my-store", "other"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cks-");
        assertThatThrownBy(() -> standIn.addCloudHsmKeyStore("us-east-1", KEY_STORE, "other"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("already registered");
        assertThatThrownBy(() -> standIn.addCloudHsmKeyStore("us-east-1", OTHER_KEY_STORE, "atlas-hsm"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("CustomKeyStoreNameInUseException");
        KmsCustomKeyStoreView elsewhere = standIn.addCloudHsmKeyStore("eu-west-1", OTHER_KEY_STORE, "atlas-hsm");
        assertThat(elsewhere.cloudHsmClusterId()).isNotEqualTo(standIn.customKeyStores().get(0).cloudHsmClusterId());
        assertThatThrownBy(() -> standIn.disconnectCustomKeyStore("cks-00000000000000000"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("CustomKeyStoreNotFoundException");
        assertThatThrownBy(() -> standIn.createCloudHsmKey("us-east-1", OTHER_KEY_STORE, "wrong region", Map.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("CustomKeyStoreNotFoundException");
        standIn.disconnectCustomKeyStore(KEY_STORE);
        assertThatThrownBy(() -> standIn.createCloudHsmKey("us-east-1", KEY_STORE, "disconnected", Map.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("CustomKeyStoreInvalidStateException");
        assertThat(standIn.keys()).isEmpty();
    }
}
