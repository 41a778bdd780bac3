package io.atlascmk.contract;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The project's contract held against MongoDB's published Atlas Admin API document, where that document
 * sits beside the checkout ({@code ../shared/atlas-admin-api/atlas-admin-api-subset.yml}, or the system
 * property {@code atlas.official.path}). CI has it; a fresh clone does not, and then these tests say so in
 * one line and are skipped.
 */
class OfficialDocumentTest {

    private static OfficialComparison comparison;
    private static Path officialPath;

    @BeforeAll
    static void load() throws IOException {
        String configured = System.getProperty("atlas.official.path", "");
        officialPath = Path.of(configured.isBlank()
                ? "../../shared/atlas-admin-api/atlas-admin-api-subset.yml" : configured).toAbsolutePath().normalize();
        if (!Files.isRegularFile(officialPath)) {
            System.out.println("[contract] MongoDB's Atlas Admin API document is not at " + officialPath
                    + ": the comparison with it is skipped (it runs wherever that document is present).");
            return;
        }
        comparison = new OfficialComparison(OfficialComparison.parse(AtlasContract.text()),
                OfficialComparison.parse(Files.readString(officialPath, StandardCharsets.UTF_8)));
    }

    @Test
    void everyPathParameterStatusMediaTypeAndField_isDefinedTheSameWayInTheOfficialDocument() {
        assumeTrue(comparison != null, "official document absent");

        comparison.outsideReference().forEach(o -> System.out.println("[contract] not in the reference, not compared: " + o));
        assertThat(comparison.differences())
                .as("contract/atlas-admin-api.yml names what %s does not define this way", officialPath)
                .isEmpty();
    }

    @Test
    void everyOperation_usesTheNewestVersionTheOfficialDocumentDoesNotSunset() {
        assumeTrue(comparison != null, "official document absent");

        OfficialComparison.Findings findings = comparison.versions(LocalDate.now(ZoneOffset.UTC));

        findings.warnings().forEach(w -> System.out.println("[contract] WARNING: " + w));
        assertThat(findings.errors()).isEmpty();
    }

    @Test
    void ourContractMutated_isCaught_onTheRealDocument() throws IOException {
        assumeTrue(comparison != null, "official document absent");
        String official = Files.readString(officialPath, StandardCharsets.UTF_8);
        String mutated = AtlasContract.text()
                .replace("        valid:\n          type: boolean\n", "        valid:\n          type: string\n")
                .replace("          enum: [IDLE, CREATING, UPDATING, DELETING, REPAIRING]", "          enum: [IDLE, SLEEPING]")
                .replace("        paused:\n          type: boolean\n", "        paused:\n          type: boolean\n        keyState:\n          type: string\n")
                .replace("            application/vnd.atlas.2024-08-05+json:\n              schema:\n                $ref: '#/components/schemas/BackupSchedule'",
                        "            application/vnd.atlas.2023-01-01+json:\n              schema:\n                $ref: '#/components/schemas/BackupSchedule'");
        OfficialComparison wrong = new OfficialComparison(OfficialComparison.parse(mutated), OfficialComparison.parse(official));

        assertThat(wrong.differences())
                .anySatisfy(d -> assertThat(d).contains("awsKms.valid").contains("type string"))
                .anySatisfy(d -> assertThat(d).contains("stateName").contains("SLEEPING"))
                .anySatisfy(d -> assertThat(d).contains("keyState").contains("no such field"));
        assertThat(wrong.versions(LocalDate.parse("2026-12-06")).errors())
                .anySatisfy(e -> assertThat(e).contains("backup/schedule").contains("2023-01-01").contains("2024-08-05 exists"));
    }
}
