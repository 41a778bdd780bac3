package io.atlascmk.rotator.rotation;

import static org.assertj.core.api.Assertions.assertThat;

import io.atlascmk.rotator.aws.SandboxAws;
import io.atlascmk.rotator.kms.FakeKmsClient;
import io.atlascmk.rotator.kms.KeyService;
import io.atlascmk.rotator.kms.KeyState;
import io.atlascmk.rotator.kms.KeyTags;
import io.atlascmk.rotator.kms.ManagedKey;
import io.atlascmk.sandbox.SandboxClock;
import io.atlascmk.sandbox.aws.KmsKeyView;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An audit that decided to delete a key, and a rescue (the tripwire) of that key in between: the audit reads the key
 * again right before it deletes, and keeps it.
 */
class AuditAfterRescueTest {

    private final SandboxClock clock = new SandboxClock(Instant.parse("2026-12-01T08:00:00Z"));
    private final SandboxAws aws = SandboxAws.withoutPacing(clock);
    private final KeyService keys = new KeyService(aws.kms(), FakeKmsClient.DEPLOYMENT);

    @AfterEach
    void stop() {
        aws.close();
    }

    @Test
    void aKeyRescuedWhileTheAuditRan_isKept_andSaidSo_insteadOfDeletedAgain() {
        KmsKeyView created = aws.aws().kms().createKey("us-east-1", "retired", Map.of(KeyTags.PROJECT,
                "5f1e2d3c4b5a69788796a5b4", KeyTags.DEPLOYMENT, FakeKmsClient.DEPLOYMENT, KeyTags.STATE, "retired"));
        ManagedKey asTheAuditReadIt = keys.describe(created.arn());
        RetirementAudit.KeyAudit decided = new RetirementAudit.KeyAudit(asTheAuditReadIt, KeyState.RETIRED, false, null,
                RetirementDecision.Verdict.SCHEDULE_DELETION, null, List.of(), Map.of(), "no use since retirement");
        clock.advance(java.time.Duration.ofMinutes(10)); // tags count for IAM minutes after creation
        keys.tag(created.arn(), Map.of(KeyTags.RESCUED_AT, clock.instant().toString())); // the tripwire, meanwhile

        AuditedKey report = RetirementAudit.apply(decided, keys, 30);

        assertThat(report.decision()).isEqualTo(AuditedKey.REFUSE);
        assertThat(report.reasons()).singleElement().asString().contains("rescued at");
        assertThat(keys.describe(created.arn()).keyState()).isEqualTo("Enabled");
    }
}
