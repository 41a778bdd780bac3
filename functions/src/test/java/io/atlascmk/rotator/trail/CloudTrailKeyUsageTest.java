package io.atlascmk.rotator.trail;

import io.atlascmk.rotator.aws.SandboxAws;
import io.atlascmk.sandbox.SandboxClock;
import io.atlascmk.sandbox.aws.AwsService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** The key's uses from CloudTrail, against the sandbox's CloudTrail stand-in over the real SDK client. */
class CloudTrailKeyUsageTest {

    private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");
    private static final String KEY = "arn:aws:kms:us-east-1:111122223333:key/0b1c2d3e-4f50-4617-8293-a4b5c6d7e8f9";
    private static final String OTHER_KEY = "arn:aws:kms:us-east-1:111122223333:key/1b1c2d3e-4f50-4617-8293-a4b5c6d7e8f9";
    private static final String ATLAS_ROLE = "arn:aws:iam::111122223333:role/atlas-encryption-at-rest";
    private static final String ROTATOR = "arn:aws:iam::111122223333:role/atlas-cmk-rotator-AuditAndRetire";

    private final SandboxClock clock = new SandboxClock(NOW);
    private final SandboxAws trail = new SandboxAws(clock);

    @AfterEach
    void stop() {
        trail.close();
    }

    private Instant daysAgo(int days) {
        return NOW.minus(Duration.ofDays(days));
    }

    @Test
    void aKeyNobodyUsedSinceItsRetirement_hasNoUses_whateverElseNamesIt() {
        trail.events().recordKmsUse(ROTATOR, "DescribeKey", KEY, daysAgo(3));
        trail.events().recordKmsUse(ROTATOR, "ListResourceTags", KEY, daysAgo(2));
        trail.events().recordKmsUse(ATLAS_ROLE, "Decrypt", OTHER_KEY, daysAgo(1));
        trail.events().recordKmsUse(ATLAS_ROLE, "Decrypt", KEY, daysAgo(40)); // before the retirement

        UsageEvidence evidence = trail.usage().usesSince(KEY, daysAgo(30));

        assertThat(evidence.available()).isTrue();
        assertThat(evidence.uses()).isEmpty();
        assertThat(evidence.checkedFrom()).isEqualTo(daysAgo(30));
        assertThat(evidence.checkedTo()).isEqualTo(NOW);
        assertThat(evidence.periodShortened()).isFalse();
        assertThat(evidence.summary()).contains("no use of the key");
    }

    @Test
    void everyKindOfUse_byAnyPrincipal_servedOrRefused_isFound_newestFirst() {
        trail.events().recordKmsUse(ATLAS_ROLE, "Decrypt", KEY, daysAgo(20));
        trail.events().recordKmsUse("arn:aws:iam::111122223333:user/restore-script", "GenerateDataKeyWithoutPlaintext", KEY, daysAgo(10));
        trail.events().recordKmsUse(ATLAS_ROLE, "ReEncryptFrom", KEY, daysAgo(5), "AccessDeniedException", "denied");

        UsageEvidence evidence = trail.usage().usesSince(KEY, daysAgo(30));

        assertThat(evidence.uses()).extracting(KeyUse::eventName)
                .containsExactly("ReEncryptFrom", "GenerateDataKeyWithoutPlaintext", "Decrypt");
        assertThat(evidence.lastUse().errorCode()).isEqualTo("AccessDeniedException");
        assertThat(evidence.lastUse().principal()).contains("atlas-encryption-at-rest");
        assertThat(evidence.lastUse().at()).isEqualTo(daysAgo(5));
        assertThat(evidence.summary()).contains("3 use(s)").contains("ReEncryptFrom by");
    }

    @Test
    void aRetirementOlderThanCloudTrailsNinetyDays_isCheckedOverNinetyDays_andSaysSo() {
        UsageEvidence evidence = trail.usage().usesSince(KEY, daysAgo(200));

        assertThat(evidence.checkedFrom()).isEqualTo(daysAgo(90));
        assertThat(evidence.periodShortened()).isTrue();
        assertThat(evidence.summary()).contains("only the last 90 days are kept");
    }

    @Test
    void manyPagesOfOtherCalls_areReadAtTwoRequestsASecond_untilTheUse() {
        trail.events().recordKmsUse(ATLAS_ROLE, "Decrypt", KEY, daysAgo(25));
        for (int i = 0; i < 120; i++) {
            trail.events().recordKmsUse(ROTATOR, "DescribeKey", KEY, daysAgo(20).plusSeconds(i));
        }
        Instant before = clock.instant();

        UsageEvidence evidence = trail.usage().usesSince(KEY, daysAgo(30));

        assertThat(evidence.uses()).singleElement().extracting(KeyUse::eventName).isEqualTo("Decrypt");
        assertThat(evidence.lookups()).isEqualTo(3);
        assertThat(Duration.between(before, clock.instant())).as("paced, never throttled")
                .isGreaterThanOrEqualTo(Duration.ofMillis(2 * CloudTrailKeyUsage.MIN_INTERVAL_MILLIS));
        assertThat(trail.aws().faults().calls(AwsService.CLOUDTRAIL, "LookupEvents")).isEqualTo(3);
    }

    @Test
    void aTrailThatCannotBeRead_isUnavailableEvidence_neverNoUse() {
        trail.aws().faults().failNext(AwsService.CLOUDTRAIL, "LookupEvents", 10);

        UsageEvidence evidence = trail.usage().usesSince(KEY, daysAgo(30));

        assertThat(evidence.available()).isFalse();
        assertThat(evidence.uses()).isEmpty();
        assertThat(evidence.summary()).startsWith("CloudTrail could not be read").contains("LookupEvents failed");
    }
}
