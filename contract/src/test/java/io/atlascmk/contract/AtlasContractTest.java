package io.atlascmk.contract;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The validator's own strictness, on a small document (the project's contract is exercised by functions/ and sandbox/). */
class AtlasContractTest {

    private static final String V1 = "application/vnd.atlas.2023-01-01+json";
    private static final AtlasContract CONTRACT = AtlasContract.fromText("""
            openapi: 3.0.1
            info: {title: t, version: '1'}
            paths:
              /things:
                patch:
                  parameters:
                  - {name: pretty, in: query, schema: {type: boolean}}
                  requestBody:
                    content:
                      application/vnd.atlas.2023-01-01+json:
                        schema: {$ref: '#/components/schemas/Thing'}
                  responses:
                    '200':
                      description: ok
                      content:
                        application/vnd.atlas.2023-01-01+json:
                          schema: {$ref: '#/components/schemas/Thing'}
            components:
              schemas:
                Thing:
                  type: object
                  additionalProperties: false
                  properties:
                    name: {type: string}
                    computed: {type: boolean, readOnly: true}
                    secret: {type: string, writeOnly: true}
            """);

    private static List<String> request(String query, String body) {
        return AtlasContract.errors(CONTRACT.validateRequest("PATCH", "/things" + query,
                Map.of("Accept", List.of(V1), "Content-Type", List.of(V1)), body));
    }

    private static List<String> response(String body) {
        return AtlasContract.errors(CONTRACT.validateResponse("PATCH", "/things", 200,
                Map.of("Content-Type", List.of(V1)), body));
    }

    @Test
    void aConformingExchange_hasNoErrors() {
        assertThat(request("?pretty=true", "{\"name\":\"a\",\"secret\":\"s\"}")).isEmpty();
        assertThat(response("{\"name\":\"a\",\"computed\":true}")).isEmpty();
    }

    @Test
    void aReadOnlyFieldInARequest_andAWriteOnlyFieldInAResponse_areErrors() {
        assertThat(request("", "{\"name\":\"a\",\"computed\":true}"))
                .singleElement().asString().startsWith(AtlasContract.READ_ONLY_IN_REQUEST).contains("/computed");
        assertThat(response("{\"name\":\"a\",\"secret\":\"s\"}"))
                .singleElement().asString().startsWith(AtlasContract.WRITE_ONLY_IN_RESPONSE).contains("/secret");
    }

    @Test
    void anUnknownQueryParameter_orField_isAnError() {
        assertThat(request("?pagenum=2", "{\"name\":\"a\"}"))
                .anySatisfy(e -> assertThat(e).startsWith("validation.request.parameter.query.unexpected"));
        assertThat(response("{\"name\":\"a\",\"extra\":1}"))
                .anySatisfy(e -> assertThat(e).contains("additionalProperties"));
    }

    @Test
    void theProjectsContract_loadsFromTheClassPath() {
        assertThat(AtlasContract.text()).contains("/api/atlas/v2/groups/{groupId}/encryptionAtRest");
        assertThat(AtlasContract.shared()).isSameAs(AtlasContract.shared());
    }
}
