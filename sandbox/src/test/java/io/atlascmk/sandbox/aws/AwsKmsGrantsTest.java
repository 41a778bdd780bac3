package io.atlascmk.sandbox.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cloudtrail.model.Event;
import software.amazon.awssdk.services.cloudtrail.model.LookupAttribute;
import software.amazon.awssdk.services.cloudtrail.model.LookupAttributeKey;
import software.amazon.awssdk.services.kms.model.CreateGrantRequest;
import software.amazon.awssdk.services.kms.model.CreateGrantResponse;
import software.amazon.awssdk.services.kms.model.DisabledException;
import software.amazon.awssdk.services.kms.model.DryRunOperationException;
import software.amazon.awssdk.services.kms.model.GrantConstraints;
import software.amazon.awssdk.services.kms.model.GrantListEntry;
import software.amazon.awssdk.services.kms.model.GrantOperation;
import software.amazon.awssdk.services.kms.model.InvalidArnException;
import software.amazon.awssdk.services.kms.model.InvalidGrantIdException;
import software.amazon.awssdk.services.kms.model.InvalidGrantTokenException;
import software.amazon.awssdk.services.kms.model.InvalidMarkerException;
import software.amazon.awssdk.services.kms.model.KeyMetadata;
import software.amazon.awssdk.services.kms.model.KmsException;
import software.amazon.awssdk.services.kms.model.KmsInvalidStateException;
import software.amazon.awssdk.services.kms.model.ListGrantsResponse;
import software.amazon.awssdk.services.kms.model.NotFoundException;

/**
 * KMS grants (CreateGrant, ListGrants, RetireGrant, RevokeGrant) through the real SDK client over HTTP.
 * Runs unchanged against an external emulator when AWS_ENDPOINT_URL is set; what needs the stand-in's
 * inspection API, clock, CloudTrail or its exact error codes is stand-in only.
 */
class AwsKmsGrantsTest extends KmsOverHttp {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ATLAS_ROLE = "arn:aws:iam::111122223333:role/atlas-ear-role";
    private static final String ROTATOR_ROLE = "arn:aws:iam::111122223333:role/rotator";
    /** Well formed (64 hex digits) but never issued. */
    private static final String UNKNOWN_GRANT_ID = "9665f33deb53dae5c4cf44ae98561b5fe291cfbb2ba15defec5905e3924e854b";

    private CreateGrantResponse grant(KeyMetadata key, Consumer<CreateGrantRequest.Builder> more) {
        return kms.createGrant(r -> {
            r.keyId(key.keyId()).granteePrincipal(ATLAS_ROLE).operations(GrantOperation.ENCRYPT, GrantOperation.DECRYPT);
            more.accept(r);
        });
    }

    private List<GrantListEntry> grantsOf(KeyMetadata key) {
        return kms.listGrants(r -> r.keyId(key.arn())).grants();
    }

    private static String errorCode(KmsException e) {
        return e.awsErrorDetails().errorCode();
    }

    @Test
    void createGrant_answersAnIdAndAToken_andListGrantsShowsTheGrantAsCreated() {
        KeyMetadata key = createKey("granted");

        CreateGrantResponse created = kms.createGrant(r -> r.keyId(key.keyId())
                .granteePrincipal(ATLAS_ROLE)
                .retiringPrincipal(ROTATOR_ROLE)
                .operations(GrantOperation.ENCRYPT, GrantOperation.DECRYPT, GrantOperation.DESCRIBE_KEY)
                .constraints(GrantConstraints.builder().encryptionContextSubset(Map.of("Project", "p1")).build())
                .name("atlas-ear"));

        assertThat(created.grantId()).matches("[0-9a-f]{64}");
        assertThat(created.grantToken()).isNotBlank();
        GrantListEntry listed = kms.listGrants(r -> r.keyId(key.keyId())).grants().get(0);
        assertThat(listed.keyId()).isEqualTo(key.arn());
        assertThat(listed.grantId()).isEqualTo(created.grantId());
        assertThat(listed.name()).isEqualTo("atlas-ear");
        assertThat(listed.granteePrincipal()).isEqualTo(ATLAS_ROLE);
        assertThat(listed.retiringPrincipal()).isEqualTo(ROTATOR_ROLE);
        assertThat(listed.issuingAccount()).isEqualTo("arn:aws:iam::" + key.awsAccountId() + ":root");
        assertThat(listed.operations()).containsExactly(GrantOperation.ENCRYPT, GrantOperation.DECRYPT, GrantOperation.DESCRIBE_KEY);
        assertThat(listed.constraints().encryptionContextSubset()).isEqualTo(Map.of("Project", "p1"));
        assertThat(listed.constraints().hasEncryptionContextEquals()).isFalse();
        assertThat(listed.creationDate()).isNotNull();
        if (target.isStandIn()) {
            assertThat(listed.creationDate()).isEqualTo(AwsTarget.START);
            assertThat(target.standIn().kms().grants(key.arn())).singleElement().satisfies(view -> {
                assertThat(view.grantId()).isEqualTo(created.grantId());
                assertThat(view.keyArn()).isEqualTo(key.arn());
                assertThat(view.issuingAccount()).isEqualTo("arn:aws:iam::111122223333:root");
                assertThat(view.operations()).containsExactly("Encrypt", "Decrypt", "DescribeKey");
                assertThat(view.encryptionContextSubset()).containsExactly(Map.entry("Project", "p1"));
                assertThat(view.encryptionContextEquals()).isNull();
            });
        }
    }

    @Test
    void createGrant_acceptsTheKeyArn_andAGrantWithoutNameOrRetiringPrincipalListsNeither() {
        KeyMetadata key = createKey("by arn");

        String grantId = kms.createGrant(r -> r.keyId(key.arn()).granteePrincipal(ATLAS_ROLE)
                .operations(GrantOperation.GENERATE_DATA_KEY)).grantId();

        GrantListEntry listed = grantsOf(key).get(0);
        assertThat(listed.grantId()).isEqualTo(grantId);
        assertThat(listed.retiringPrincipal()).isNull();
        if (target.isStandIn()) {
            assertThat(listed.name()).isNull();
            assertThat(listed.constraints()).isNull();
        }
    }

    @Test
    void createGrant_withTheSameNameAndTerms_returnsTheSameGrantId_withANewToken() {
        KeyMetadata key = createKey("idempotent");

        CreateGrantResponse first = grant(key, r -> r.name("atlas-ear"));
        CreateGrantResponse again = grant(key, r -> r.name("atlas-ear")
                .operations(GrantOperation.DECRYPT, GrantOperation.ENCRYPT)); // same operations, other order
        CreateGrantResponse otherTerms = grant(key, r -> r.name("atlas-ear").operations(GrantOperation.DECRYPT));
        CreateGrantResponse unnamed = grant(key, r -> { });
        CreateGrantResponse unnamedAgain = grant(key, r -> { });

        assertThat(again.grantId()).isEqualTo(first.grantId());
        assertThat(again.grantToken()).isNotEqualTo(first.grantToken());
        assertThat(otherTerms.grantId()).isNotEqualTo(first.grantId());
        assertThat(unnamedAgain.grantId()).isNotEqualTo(unnamed.grantId());
        assertThat(grantsOf(key)).extracting(GrantListEntry::grantId)
                .containsExactlyInAnyOrder(first.grantId(), otherTerms.grantId(), unnamed.grantId(), unnamedAgain.grantId());
    }

    @Test
    void listGrants_pagesWithLimitAndMarker_andFiltersByGrantIdAndGrantee() {
        KeyMetadata key = createKey("paged");
        List<String> created = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            created.add(grant(key, r -> { }).grantId());
        }
        String rotatorGrant = grant(key, r -> r.granteePrincipal(ROTATOR_ROLE)).grantId();
        created.add(rotatorGrant);

        List<String> listed = new ArrayList<>();
        List<Integer> pageSizes = new ArrayList<>();
        String marker = null;
        do {
            String from = marker;
            ListGrantsResponse page = kms.listGrants(r -> r.keyId(key.keyId()).limit(2).marker(from));
            page.grants().forEach(g -> listed.add(g.grantId()));
            pageSizes.add(page.grants().size());
            marker = page.truncated() ? page.nextMarker() : null;
        } while (marker != null);

        assertThat(listed).containsExactlyInAnyOrderElementsOf(created);
        assertThat(pageSizes).hasSizeGreaterThanOrEqualTo(3).allMatch(n -> n <= 2);
        assertThat(kms.listGrantsPaginator(r -> r.keyId(key.keyId()).limit(4)).grants()).hasSize(6);
        assertThat(kms.listGrants(r -> r.keyId(key.keyId()).granteePrincipal(ROTATOR_ROLE)).grants())
                .extracting(GrantListEntry::grantId).containsExactly(rotatorGrant);
        assertThat(kms.listGrants(r -> r.keyId(key.keyId()).grantId(created.get(2))).grants())
                .extracting(GrantListEntry::grantId).containsExactly(created.get(2));
        if (target.isStandIn()) {
            assertThat(listed).containsExactlyElementsOf(created); // creation order
            ListGrantsResponse byDefault = kms.listGrants(r -> r.keyId(key.keyId()));
            assertThat(byDefault.truncated()).isFalse();
            assertThat(byDefault.nextMarker()).isNull();
        }
    }

    @Test
    void listGrants_rejectsALimitOutsideOneToHundred_andAMarkerItDidNotIssue() {
        KeyMetadata key = createKey("limits");
        grant(key, r -> { });

        KmsException zero = catchThrowableOfType(KmsException.class, () -> kms.listGrants(r -> r.keyId(key.keyId()).limit(0)));
        KmsException hundredOne = catchThrowableOfType(KmsException.class, () -> kms.listGrants(r -> r.keyId(key.keyId()).limit(101)));

        assertThat(List.of(zero, hundredOne)).allSatisfy(e -> {
            assertThat(e.statusCode()).isEqualTo(400);
            assertThat(errorCode(e)).isEqualTo("ValidationException");
        });
        assertThat(kms.listGrants(r -> r.keyId(key.keyId()).limit(100)).grants()).hasSize(1);
        assertThat(kms.listGrants(r -> r.keyId(key.keyId()).limit(1)).grants()).hasSize(1);
        assertThatThrownBy(() -> kms.listGrants(r -> r.keyId(key.keyId()).marker("bm90LWEtbWFya2Vy")))
                .isInstanceOf(InvalidMarkerException.class);
    }

    @Test
    void createGrant_rejectsEmptyAndUnknownOperations_andAMissingGrantee() {
        KeyMetadata key = createKey("validation");

        KmsException empty = catchThrowableOfType(KmsException.class,
                () -> kms.createGrant(r -> r.keyId(key.keyId()).granteePrincipal(ATLAS_ROLE).operations(List.<GrantOperation>of())));
        KmsException unknown = catchThrowableOfType(KmsException.class,
                () -> kms.createGrant(r -> r.keyId(key.keyId()).granteePrincipal(ATLAS_ROLE).operationsWithStrings("Decrypt", "Frobnicate")));
        KmsException noGrantee = catchThrowableOfType(KmsException.class,
                () -> kms.createGrant(r -> r.keyId(key.keyId()).operations(GrantOperation.DECRYPT)));
        KmsException noOperations = catchThrowableOfType(KmsException.class,
                () -> kms.createGrant(r -> r.keyId(key.keyId()).granteePrincipal(ATLAS_ROLE)));

        assertThat(List.of(empty, unknown, noGrantee, noOperations)).allSatisfy(e -> {
            assertThat(e.statusCode()).isEqualTo(400);
            assertThat(errorCode(e)).isEqualTo("ValidationException");
        });
        assertThat(grantsOf(key)).isEmpty();
        if (target.isStandIn()) {
            assertThat(unknown.awsErrorDetails().errorMessage())
                    .startsWith("1 validation error detected: Value '[Decrypt, Frobnicate]' at 'operations' failed to satisfy constraint")
                    .contains("enum value set: [Decrypt, Encrypt, GenerateDataKey,");
            assertThat(empty.awsErrorDetails().errorMessage()).contains("at least one operation");
            assertThat(noGrantee.awsErrorDetails().errorMessage()).contains("'granteePrincipal'").contains("Member must not be null");
        }
    }

    @Test
    void createGrant_rejectsOperationsASymmetricKeyCannotDo_aGrantOfOnlyCreateGrant_andPrincipalsThatAreNotArns() {
        KeyMetadata key = createKey("key usage");

        KmsException sign = catchThrowableOfType(KmsException.class, () -> grant(key, r -> r.operations(GrantOperation.SIGN)));
        KmsException onlyCreateGrant = catchThrowableOfType(KmsException.class,
                () -> grant(key, r -> r.operations(GrantOperation.CREATE_GRANT)));

        assertThat(List.of(sign, onlyCreateGrant)).allSatisfy(e -> assertThat(errorCode(e)).isEqualTo("ValidationException"));
        assertThatThrownBy(() -> grant(key, r -> r.granteePrincipal("atlas-ear-role"))).isInstanceOf(InvalidArnException.class);
        assertThatThrownBy(() -> grant(key, r -> r.retiringPrincipal("arn:aws:s3:::a-bucket"))).isInstanceOf(InvalidArnException.class);
        grant(key, r -> r.operations(GrantOperation.CREATE_GRANT, GrantOperation.DECRYPT)
                .granteePrincipal("arn:aws:sts::111122223333:assumed-role/atlas-ear-role/session"));
        assertThat(grantsOf(key)).hasSize(1);
    }

    @Test
    void createGrant_checksConstraintsAndNames_asKmsLimitsThem() {
        KeyMetadata key = createKey("constraints");
        Map<String, String> ninePairs = new LinkedHashMap<>();
        for (int i = 0; i < 9; i++) {
            ninePairs.put("k" + i, "v");
        }

        KmsException tooManyPairs = catchThrowableOfType(KmsException.class, () -> grant(key, r -> r.constraints(
                GrantConstraints.builder().encryptionContextEquals(ninePairs).build())));
        KmsException tooLong = catchThrowableOfType(KmsException.class, () -> grant(key, r -> r.constraints(
                GrantConstraints.builder().encryptionContextSubset(Map.of("project", "p".repeat(400))).build())));
        KmsException badName = catchThrowableOfType(KmsException.class, () -> grant(key, r -> r.name("atlas ear")));

        assertThat(List.of(tooManyPairs, tooLong, badName)).allSatisfy(e -> assertThat(errorCode(e)).isEqualTo("ValidationException"));
        grant(key, r -> r.name("atlas-cmk/ear:grant_1").constraints(GrantConstraints.builder()
                .encryptionContextEquals(Map.of("project", "p1")).encryptionContextSubset(Map.of("cluster", "c1")).build()));
        GrantListEntry listed = grantsOf(key).get(0);
        assertThat(listed.constraints().encryptionContextEquals()).isEqualTo(Map.of("project", "p1"));
        assertThat(listed.constraints().encryptionContextSubset()).isEqualTo(Map.of("cluster", "c1"));
    }

    @Test
    void aKeyPendingDeletion_refusesCreateGrantWithKmsInvalidState_butListsRetiresAndRevokesItsGrants() {
        KeyMetadata key = createKey("pending");
        CreateGrantResponse toRetire = grant(key, r -> { });
        CreateGrantResponse toRevoke = grant(key, r -> { });
        kms.scheduleKeyDeletion(r -> r.keyId(key.keyId()).pendingWindowInDays(7));

        KmsInvalidStateException refused = catchThrowableOfType(KmsInvalidStateException.class, () -> grant(key, r -> { }));

        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(grantsOf(key)).extracting(GrantListEntry::grantId).containsExactly(toRetire.grantId(), toRevoke.grantId());
        kms.retireGrant(r -> r.grantToken(toRetire.grantToken()));
        kms.revokeGrant(r -> r.keyId(key.keyId()).grantId(toRevoke.grantId()));
        assertThat(grantsOf(key)).isEmpty();
        if (target.isStandIn()) {
            assertThat(refused.awsErrorDetails().errorMessage()).isEqualTo(key.arn() + " is pending deletion.");
        }
    }

    @Test
    void aDisabledKey_refusesCreateGrantWithDisabledException_andTakesGrantsAgainOnceEnabled() {
        KeyMetadata key = createKey("disabled");
        kms.disableKey(r -> r.keyId(key.keyId()));

        assertThatThrownBy(() -> grant(key, r -> { })).isInstanceOf(DisabledException.class);

        kms.enableKey(r -> r.keyId(key.keyId()));
        grant(key, r -> { });
        assertThat(grantsOf(key)).hasSize(1);
    }

    @Test
    void grantsOnAnUnknownKey_orByAlias_areNotFound() {
        KeyMetadata key = createKey("aliased");
        String alias = AwsTarget.unique("alias/sbx-grants-");
        kms.createAlias(r -> r.aliasName(alias).targetKeyId(key.keyId()));
        String unknownKey = UUID.randomUUID().toString();

        assertThatThrownBy(() -> kms.createGrant(r -> r.keyId(unknownKey).granteePrincipal(ATLAS_ROLE)
                .operations(GrantOperation.DECRYPT))).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> kms.createGrant(r -> r.keyId(alias).granteePrincipal(ATLAS_ROLE)
                .operations(GrantOperation.DECRYPT))).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> kms.listGrants(r -> r.keyId(unknownKey))).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> kms.revokeGrant(r -> r.keyId(unknownKey).grantId(UNKNOWN_GRANT_ID)))
                .isInstanceOf(NotFoundException.class);
        assertThat(grantsOf(key)).isEmpty();
    }

    @Test
    void retireGrant_byTokenOrByKeyAndGrantId_andRevokeGrant_removeTheGrant_andAnUnknownGrantIsNotFound() {
        KeyMetadata key = createKey("retired");
        KeyMetadata other = createKey("other");
        CreateGrantResponse byToken = grant(key, r -> { });
        CreateGrantResponse byId = grant(key, r -> { });
        CreateGrantResponse revoked = grant(key, r -> { });
        CreateGrantResponse kept = grant(key, r -> { });

        kms.retireGrant(r -> r.grantToken(byToken.grantToken()));
        kms.retireGrant(r -> r.keyId(key.arn()).grantId(byId.grantId()));
        kms.revokeGrant(r -> r.keyId(key.keyId()).grantId(revoked.grantId()));

        assertThat(grantsOf(key)).extracting(GrantListEntry::grantId).containsExactly(kept.grantId());
        assertThatThrownBy(() -> kms.retireGrant(r -> r.grantToken(byToken.grantToken()))).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> kms.retireGrant(r -> r.keyId(key.keyId()).grantId(byId.grantId()))).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> kms.revokeGrant(r -> r.keyId(key.keyId()).grantId(revoked.grantId()))).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> kms.revokeGrant(r -> r.keyId(key.keyId()).grantId(UNKNOWN_GRANT_ID))).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> kms.revokeGrant(r -> r.keyId(other.keyId()).grantId(kept.grantId()))).isInstanceOf(NotFoundException.class);
        assertThat(grantsOf(key)).extracting(GrantListEntry::grantId).containsExactly(kept.grantId());
    }

    @Test
    void retireGrant_needsATokenOrBothKeyAndGrantId_andRejectsTokensAndGrantIdsKmsDidNotIssue() {
        KeyMetadata key = createKey("retire rules");
        CreateGrantResponse grant = grant(key, r -> { });

        KmsException onlyGrantId = catchThrowableOfType(KmsException.class, () -> kms.retireGrant(r -> r.grantId(grant.grantId())));
        assertThat(onlyGrantId.statusCode()).isEqualTo(400);
        assertThatThrownBy(() -> kms.retireGrant(r -> r.grantToken(Base64.getEncoder().encodeToString("forged".getBytes()))))
                .isInstanceOf(InvalidGrantTokenException.class);
        assertThatThrownBy(() -> grant(key, r -> r.grantTokens("not a grant token"))).isInstanceOf(InvalidGrantTokenException.class);
        assertThatThrownBy(() -> kms.revokeGrant(r -> r.keyId(key.keyId()).grantId("not-a-grant-id")))
                .isInstanceOf(InvalidGrantIdException.class);
        grant(key, r -> r.grantTokens(grant.grantToken()));
        assertThat(grantsOf(key)).hasSize(2);
        if (target.isStandIn()) {
            assertThat(onlyGrantId.awsErrorDetails().errorCode()).isEqualTo("ValidationException");
        }
    }

    @Test
    void dryRun_answersDryRunOperationException_andChangesNothing() {
        KeyMetadata key = createKey("dry run");
        CreateGrantResponse grant = grant(key, r -> { });

        DryRunOperationException create = catchThrowableOfType(DryRunOperationException.class, () -> grant(key, r -> r.dryRun(true)));
        assertThatThrownBy(() -> kms.revokeGrant(r -> r.keyId(key.keyId()).grantId(grant.grantId()).dryRun(true)))
                .isInstanceOf(DryRunOperationException.class);
        assertThatThrownBy(() -> kms.retireGrant(r -> r.grantToken(grant.grantToken()).dryRun(true)))
                .isInstanceOf(DryRunOperationException.class);

        assertThat(create.statusCode()).isEqualTo(412);
        assertThat(grantsOf(key)).extracting(GrantListEntry::grantId).containsExactly(grant.grantId());
    }

    @Test
    void grantCalls_areRecordedInCloudTrail_likeEveryKmsCall_createGrantAsAUseOfTheKey() {
        CloudTrailStandIn trail = target.standIn().cloudTrail();
        trail.deliveryDelay(Duration.ZERO);
        KeyMetadata key = createKey("audited");
        CreateGrantResponse created = kms.createGrant(r -> r.keyId(key.keyId()).granteePrincipal(ATLAS_ROLE)
                .operations(GrantOperation.DECRYPT).constraints(GrantConstraints.builder()
                        .encryptionContextSubset(Map.of("Project", "p1")).build()));
        kms.listGrants(r -> r.keyId(key.keyId()));
        kms.retireGrant(r -> r.grantToken(created.grantToken()));
        kms.scheduleKeyDeletion(r -> r.keyId(key.keyId()).pendingWindowInDays(7));
        assertThatThrownBy(() -> grant(key, r -> { })).isInstanceOf(KmsInvalidStateException.class);
        target.clock().advance(Duration.ofSeconds(1));

        List<Event> events = target.cloudTrail().lookupEvents(r -> r.lookupAttributes(LookupAttribute.builder()
                .attributeKey(LookupAttributeKey.RESOURCE_NAME).attributeValue(key.arn()).build())).events();

        assertThat(events).extracting(Event::eventName)
                .containsExactly("CreateGrant", "ScheduleKeyDeletion", "RetireGrant", "ListGrants", "CreateGrant", "CreateKey");
        assertThat(events).extracting(Event::readOnly).containsExactly("false", "false", "false", "true", "false", "false");
        JsonNode refused = record(events.get(0));
        assertThat(refused.path("errorCode").asText()).isEqualTo("KMSInvalidStateException");
        assertThat(refused.path("errorMessage").asText()).endsWith("is pending deletion.");
        JsonNode createGrant = record(events.get(4));
        assertThat(createGrant.has("errorCode")).isFalse();
        assertThat(createGrant.path("resources").get(0).path("ARN").asText()).isEqualTo(key.arn());
        JsonNode parameters = createGrant.path("requestParameters");
        assertThat(parameters.path("keyId").asText()).isEqualTo(key.keyId());
        assertThat(parameters.path("granteePrincipal").asText()).isEqualTo(ATLAS_ROLE);
        assertThat(parameters.path("operations").toString()).isEqualTo("[\"Decrypt\"]");
        assertThat(parameters.path("constraints").toString()).isEqualTo("{\"encryptionContextSubset\":{\"Project\":\"p1\"}}");
        assertThat(record(events.get(2)).path("resources").get(0).path("ARN").asText()).isEqualTo(key.arn()); // retired by token
    }

    private static JsonNode record(Event event) {
        try {
            return JSON.readTree(event.cloudTrailEvent());
        } catch (Exception e) {
            throw new AssertionError("CloudTrailEvent is not JSON: " + event.cloudTrailEvent(), e);
        }
    }
}
