package io.atlascmk.sandbox.atlas;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.report.LevelResolver;
import com.atlassian.oai.validator.report.ValidationReport;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Loads the Atlas Admin API contract ({@code atlas-admin-api-subset.yml}) as a validator. Loading takes
 * a second or two: build one per test class ({@code @BeforeAll}).
 *
 * <p>Validator levels, chosen deliberately:
 * <ul>
 *   <li>Everything the library reports stays an ERROR (its default), including the
 *       {@code additionalProperties: false} it injects when resolving combinators: the simulator may not
 *       invent fields.</li>
 *   <li>{@code validation.request.parameter.query.unexpected} is raised from the library's default IGNORE
 *       to ERROR, so a test (or a client) sending a query parameter the contract does not know, such as a
 *       misspelt {@code itemPerPage}, fails instead of silently getting the default page size.</li>
 *   <li>{@code readOnly} / {@code writeOnly} need no setting: this library does not report a
 *       {@code writeOnly} property in a response nor a {@code readOnly} one in a request at any level (it
 *       only relaxes {@code required}). That matters for {@code awsKms.roleId}, {@code writeOnly} in the
 *       contract but returned by the simulator on purpose because real Atlas returns it, and for
 *       {@code awsKms.valid}, {@code readOnly}: the simulator itself refuses it in a PATCH (400
 *       {@code ATTRIBUTE_READ_ONLY}), which the tests check.</li>
 * </ul>
 * Two places where the contract cannot judge are handled per call, never by lowering a level: statuses
 * Atlas sends that the contract does not list (406, 410, 503, ...; see
 * {@link AtlasTestClient.Exchange#assertOutsideContractStatusWithEnvelope()}) and the {@code eventType}
 * query parameter (see {@link AtlasTestClient}).
 */
final class AtlasContract {

    private AtlasContract() {
    }

    static Path specPath() {
        String configured = System.getProperty("atlas.spec.path");
        Path path = configured != null && !configured.isBlank()
                ? Path.of(configured)
                : Path.of("../../shared/atlas-admin-api/atlas-admin-api-subset.yml");
        if (!Files.isRegularFile(path)) {
            throw new IllegalStateException("The Atlas Admin API contract is not at " + path.toAbsolutePath()
                    + "; set -Datlas.spec.path or keep shared/ beside the checkout.");
        }
        return path.toAbsolutePath().normalize();
    }

    static OpenApiInteractionValidator load() {
        return OpenApiInteractionValidator.createForSpecificationUrl(specPath().toString())
                .withResolveCombinators(true)
                .withLevelResolver(LevelResolver.create()
                        .withDefaultLevel(ValidationReport.Level.ERROR)
                        .withLevel("validation.request.parameter.query.unexpected", ValidationReport.Level.ERROR)
                        .build())
                .build();
    }
}
