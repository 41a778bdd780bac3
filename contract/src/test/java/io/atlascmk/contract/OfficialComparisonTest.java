package io.atlascmk.contract;

import org.junit.jupiter.api.Test;

import java.time.LocalDate;

import static org.assertj.core.api.Assertions.assertThat;

/** The comparison's rules, on small documents written for each case. */
class OfficialComparisonTest {

    private static final LocalDate TODAY = LocalDate.parse("2026-12-06");

    /** The official side: one GET with two versions, a shared error response, combinators, an enum union. */
    private static final String OFFICIAL = """
            openapi: 3.0.1
            paths:
              /things/{id}:
                parameters:
                - $ref: '#/components/parameters/id'
                get:
                  parameters:
                  - name: kind
                    in: query
                    schema:
                      type: array
                      items:
                        $ref: '#/components/schemas/Kind'
                  - name: pageNum
                    in: query
                    schema: {type: integer, format: int32}
                  responses:
                    '200':
                      content:
                        application/vnd.atlas.2023-01-01+json:
                          schema: {$ref: '#/components/schemas/Thing'}
                          x-sunset: '%SUNSET%'
                        application/vnd.atlas.2024-08-05+json:
                          schema: {$ref: '#/components/schemas/Thing'}
                    '404':
                      $ref: '#/components/responses/notFound'
            components:
              parameters:
                id: {name: id, in: path, required: true, schema: {type: string}}
              responses:
                notFound:
                  content:
                    application/json:
                      schema: {type: object, properties: {error: {type: integer, format: int32}}}
              schemas:
                Kind:
                  type: object
                  oneOf:
                  - {type: string, enum: [RED, GREEN]}
                  - {type: string, enum: [BLUE]}
                Thing:
                  allOf:
                  - $ref: '#/components/schemas/Base'
                  - type: object
                    properties:
                      state: {type: string, enum: [IDLE, BUSY]}
                      when: {type: string, format: date-time}
                      parts: {type: array, items: {$ref: '#/components/schemas/Thing'}}
                Base:
                  type: object
                  properties:
                    id: {type: string}
                    count: {type: integer, format: int64}
            """;

    /** Ours: a faithful subset, in which each test changes one line. */
    private static final String OURS = """
            openapi: 3.0.1
            paths:
              /things/{id}:
                get:
                  parameters:
                  - {name: id, in: path, required: true, schema: {type: string}}
                  - name: kind
                    in: query
                    schema: {type: array, items: {type: string, enum: [RED, BLUE]}}
                  responses:
                    '200':
                      content:
                        application/vnd.atlas.%VERSION%+json:
                          schema: {$ref: '#/components/schemas/Thing'}
                    '404':
                      content:
                        application/json:
                          schema: {type: object, additionalProperties: false, properties: {error: {type: integer, format: int32}}}
            components:
              schemas:
                Thing:
                  type: object
                  additionalProperties: false
                  properties:
                    id: {type: string}
                    state: {type: string, enum: [IDLE]}
                    when: {type: string, format: date-time}
                    count: {type: integer, format: int64}
                    parts: {type: array, items: {$ref: '#/components/schemas/Thing'}}
            """;

    private static OfficialComparison comparison(String ours, String sunset) {
        return new OfficialComparison(OfficialComparison.parse(ours.replace("%VERSION%", "2024-08-05")),
                OfficialComparison.parse(OFFICIAL.replace("%SUNSET%", sunset)));
    }

    private static OfficialComparison versionComparison(String version, String sunset) {
        return new OfficialComparison(OfficialComparison.parse(OURS.replace("%VERSION%", version)),
                OfficialComparison.parse(OFFICIAL.replace("%SUNSET%", sunset)));
    }

    @Test
    void aFaithfulSubset_hasNoDifferences_evenThroughAllOfOneOfAndRecursion() {
        assertThat(comparison(OURS, "2027-07-01").differences()).isEmpty();
    }

    @Test
    void aFieldTheOfficialDocumentDoesNotHave_isReported() {
        String ours = OURS.replace("    id: {type: string}\n", "    id: {type: string}\n        keyState: {type: string}\n");

        assertThat(comparison(ours, "2027-07-01").differences())
                .singleElement().asString().contains("keyState").contains("no such field");
    }

    @Test
    void anotherTypeOrFormat_isReported() {
        assertThat(comparison(OURS.replace("count: {type: integer, format: int64}", "count: {type: string}"), "2027-07-01")
                .differences()).singleElement().asString().contains(".count").contains("type string");
        assertThat(comparison(OURS.replace("count: {type: integer, format: int64}", "count: {type: integer, format: int32}"), "2027-07-01")
                .differences()).singleElement().asString().contains(".count").contains("format int32");
    }

    @Test
    void anEnumValueTheOfficialDocumentDoesNotList_isReported_butFewerValuesAreFine() {
        assertThat(comparison(OURS.replace("enum: [IDLE]", "enum: [IDLE, SLEEPING]"), "2027-07-01").differences())
                .singleElement().asString().contains(".state").contains("SLEEPING");
        // kind's items are a union of two enums there: values from either member are fine, others are not
        assertThat(comparison(OURS.replace("enum: [RED, BLUE]", "enum: [RED, PURPLE]"), "2027-07-01").differences())
                .singleElement().asString().contains("kind").contains("PURPLE");
    }

    @Test
    void aParameterStatusMediaTypeOrPathTheOfficialDocumentLacks_isReported() {
        assertThat(comparison(OURS.replace("name: kind", "name: kinds"), "2027-07-01").differences())
                .singleElement().asString().contains("query:kinds");
        assertThat(comparison(OURS.replace("'404':", "'409':"), "2027-07-01").differences())
                .singleElement().asString().contains("status 409");
        assertThat(comparison(OURS.replace("application/json:", "text/plain:"), "2027-07-01").differences())
                .singleElement().asString().contains("text/plain");
        assertThat(comparison(OURS.replace("/things/{id}:", "/thing/{id}:"), "2027-07-01").differences())
                .singleElement().asString().contains("no such operation");
        assertThat(versionComparison("2025-01-01", "2027-07-01").differences())
                .singleElement().asString().contains("2025-01-01");
    }

    @Test
    void anOperationMarkedOutsideTheReference_isListedNotCompared_untilTheReferenceHoldsIt() {
        String marked = OURS.replace("/things/{id}:\n    get:\n", "/others/{id}:\n    get:\n      x-outside-reference: from the full document\n");
        assertThat(marked).contains("x-outside-reference");
        OfficialComparison outside = comparison(marked, "2027-07-01");
        assertThat(outside.differences()).isEmpty();
        assertThat(outside.outsideReference()).singleElement().asString().contains("GET /others/{id}").contains("from the full document");

        String stillMarked = OURS.replace("/things/{id}:\n    get:\n", "/things/{id}:\n    get:\n      x-outside-reference: from the full document\n");
        assertThat(comparison(stillMarked, "2027-07-01").differences()).singleElement().asString()
                .contains("defines it now").contains("remove x-outside-reference");
    }

    @Test
    void theNewestVersionWithoutSunset_passes() {
        OfficialComparison.Findings findings = versionComparison("2024-08-05", "2027-07-01").versions(TODAY);

        assertThat(findings.errors()).isEmpty();
        assertThat(findings.warnings()).isEmpty();
    }

    @Test
    void anOlderVersion_failsWhenANewerOneIsNotSunset_andWarnsWithinAYearOfItsSunset() {
        OfficialComparison.Findings findings = versionComparison("2023-01-01", "2027-07-01").versions(TODAY);

        assertThat(findings.errors()).singleElement().asString().contains("2023-01-01").contains("2024-08-05 exists");
        assertThat(findings.warnings()).singleElement().asString().contains("sunsets on 2027-07-01");
        assertThat(versionComparison("2023-01-01", "2028-01-01").versions(TODAY).warnings()).isEmpty();
    }

    @Test
    void aVersionPastItsSunset_fails() {
        OfficialComparison.Findings findings = versionComparison("2023-01-01", "2026-12-06").versions(TODAY);

        assertThat(findings.errors()).anySatisfy(e -> assertThat(e).contains("sunset on 2026-12-06").contains("no longer serves"));
    }
}
