package io.atlascmk.rotator.handler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.atlascmk.rotator.rotation.AuditAndRetireRequest;
import io.atlascmk.rotator.rotation.CheckDeploymentRequest;
import io.atlascmk.rotator.rotation.CreateKeyRequest;
import io.atlascmk.rotator.rotation.InvalidInputException;
import io.atlascmk.rotator.rotation.PreflightRequest;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class StepJsonTest {

    private static final String DEFAULTS = "\"defaults\":{\"cooldownDays\":30,\"pendingWindowDays\":30,"
            + "\"settleSeconds\":300,\"deploymentDeadlineSeconds\":21600}";
    private static final String PROJECT = "5f1e2d3c4b5a69788796a5b4";

    private static <T> T read(String json, Class<T> type) throws Exception {
        return StepJson.read(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), type);
    }

    private static InvalidInputException invalid(String json, Class<?> type) {
        Throwable thrown = catchThrowable(() -> read(json, type));
        assertThat(thrown).isInstanceOf(InvalidInputException.class);
        return (InvalidInputException) thrown;
    }

    private static String preflight(String input) {
        return "{\"rotationId\":\"r-1\",\"input\":" + input + "," + DEFAULTS + "}";
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "projectId as a number   | {\"projectId\":42}                                  | input.projectId",
        "projectId in upper case | {\"projectId\":\"5F1E2D3C4B5A69788796A5B4\"}        | input.projectId",
        "dryRun as a string      | {\"projectId\":\"" + PROJECT + "\",\"dryRun\":\"true\"} | input.dryRun",
        "force as a number       | {\"projectId\":\"" + PROJECT + "\",\"force\":1}     | input.force",
        "unknown trigger         | {\"projectId\":\"" + PROJECT + "\",\"trigger\":\"cron\"} | input.trigger",
        "unknown mode            | {\"projectId\":\"" + PROJECT + "\",\"mode\":\"delete\"} | input.mode",
        "negative cooldown       | {\"projectId\":\"" + PROJECT + "\",\"settings\":{\"cooldownDays\":-1}} | input.settings.cooldownDays",
        "pending window of 31    | {\"projectId\":\"" + PROJECT + "\",\"settings\":{\"pendingWindowDays\":31}} | input.settings.pendingWindowDays",
        "zero deadline           | {\"projectId\":\"" + PROJECT + "\",\"settings\":{\"deploymentDeadlineSeconds\":0}} | input.settings.deploymentDeadlineSeconds",
        "decimal settle time     | {\"projectId\":\"" + PROJECT + "\",\"settings\":{\"settleSeconds\":1.5}} | input.settings.settleSeconds",
        "deadline over 24 h      | {\"projectId\":\"" + PROJECT + "\",\"settings\":{\"deploymentDeadlineSeconds\":86401}} | input.settings.deploymentDeadlineSeconds",
        "deadline of MAX_VALUE   | {\"projectId\":\"" + PROJECT + "\",\"settings\":{\"deploymentDeadlineSeconds\":2147483647}} | input.settings.deploymentDeadlineSeconds",
        "settle over an hour     | {\"projectId\":\"" + PROJECT + "\",\"settings\":{\"settleSeconds\":3601}} | input.settings.settleSeconds",
        "unknown settings field  | {\"projectId\":\"" + PROJECT + "\",\"settings\":{\"cooldown\":3}} | input.settings.cooldown",
        "bad extra cluster name  | {\"projectId\":\"" + PROJECT + "\",\"settings\":{\"extraClusterNames\":[\"ok\",\"no spaces\"]}} | input.settings.extraClusterNames[1]",
        "extra names as a string | {\"projectId\":\"" + PROJECT + "\",\"settings\":{\"extraClusterNames\":\"one\"}} | input.settings.extraClusterNames",
        "input not an object     | [\"" + PROJECT + "\"]                               | input",
    })
    void preflightInput_isRejected_withTheFieldNamed(String what, String input, String field) {
        InvalidInputException e = invalid(preflight(input), PreflightRequest.class);

        assertThat(e.field()).as(what).isEqualTo(field);
        assertThat(e.getMessage()).contains("'" + field + "'");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "deploymentDeadlineSeconds | 86401 | 1 to 86400",
        "settleSeconds             | 3601  | 0 to 3600",
    })
    void deadlineAndSettleAreCapped_andTheMessageSaysTheRange(String field, int value, String range) {
        InvalidInputException e = invalid(preflight("{\"projectId\":\"" + PROJECT + "\",\"settings\":{\"" + field + "\":"
                + value + "}}"), PreflightRequest.class);

        assertThat(e.getMessage()).contains("'input.settings." + field + "'", "from " + range,
                "not " + value);
    }

    @Test
    void theLargestAllowedDeadlineAndSettleAreAccepted() throws Exception {
        PreflightRequest request = StepJson.read(new ByteArrayInputStream(preflight("{\"projectId\":\"" + PROJECT
                + "\",\"settings\":{\"deploymentDeadlineSeconds\":86400,\"settleSeconds\":3600}}")
                .getBytes(StandardCharsets.UTF_8)), PreflightRequest.class);

        assertThat(request.input().settings().deploymentDeadlineSeconds()).isEqualTo(86_400);
        assertThat(request.input().settings().settleSeconds()).isEqualTo(3_600);
    }

    @Test
    void defaultsAreCappedToo() {
        InvalidInputException e = invalid("{\"rotationId\":\"r\",\"input\":{\"projectId\":\"" + PROJECT + "\"},"
                + "\"defaults\":{\"cooldownDays\":30,\"pendingWindowDays\":30,\"settleSeconds\":300,"
                + "\"deploymentDeadlineSeconds\":172800}}", PreflightRequest.class);

        assertThat(e.field()).isEqualTo("defaults.deploymentDeadlineSeconds");
        assertThat(e.getMessage()).contains("from 1 to 86400");
    }

    @Test
    void defaultsAreValidatedToo() {
        InvalidInputException e = invalid("{\"rotationId\":\"r\",\"input\":{\"projectId\":\"" + PROJECT + "\"},"
                + "\"defaults\":{\"cooldownDays\":30,\"pendingWindowDays\":30,\"settleSeconds\":300}}",
                PreflightRequest.class);

        assertThat(e.field()).isEqualTo("defaults.deploymentDeadlineSeconds");
    }

    @Test
    void rotationIdMustBeAnExecutionName() {
        InvalidInputException e = invalid("{\"rotationId\":\"has spaces\",\"input\":{\"projectId\":\"" + PROJECT
                + "\"}," + DEFAULTS + "}", PreflightRequest.class);

        assertThat(e.field()).isEqualTo("rotationId");
    }

    @Test
    void rejectsEmptyInputNullAndNonJson() {
        assertThat(invalid("", CreateKeyRequest.class).getMessage()).contains("empty");
        assertThat(invalid("   ", CreateKeyRequest.class).getMessage()).contains("empty");
        assertThat(invalid("null", CreateKeyRequest.class).field()).isEqualTo("(input)");
        assertThat(invalid("{\"projectId\":", CreateKeyRequest.class).field()).isEqualTo("(input)");
        assertThat(invalid("[1,2]", CreateKeyRequest.class).getMessage()).contains("JSON object");
    }

    @Test
    void rejectsAStringWhereANumberIsExpected_andANumberWhereAStringIsExpected() {
        assertThat(invalid("{\"projectId\":\"" + PROJECT + "\",\"rotationId\":\"r\",\"dryRun\":false,"
                + "\"pendingWindowDays\":\"30\"}", AuditAndRetireRequest.class).field()).isEqualTo("pendingWindowDays");
        assertThat(invalid("{\"projectId\":\"" + PROJECT + "\",\"rotationId\":7,"
                + "\"currentKeyId\":\"1234abcd-12ab-34cd-56ef-1234567890ab\"}", CreateKeyRequest.class).field())
                .isEqualTo("rotationId");
    }

    @Test
    void rejectsAMissingDryRunOnTheAudit_ratherThanGuessing() {
        assertThat(invalid("{\"projectId\":\"" + PROJECT + "\",\"rotationId\":\"r\",\"pendingWindowDays\":30}",
                AuditAndRetireRequest.class).field()).isEqualTo("dryRun");
    }

    @Test
    void rejectsAMalformedInstant() {
        InvalidInputException e = invalid("{\"projectId\":\"" + PROJECT + "\",\"rotationId\":\"r\","
                + "\"newKeyId\":\"0987dcba-09fe-87dc-65ba-ab0987654321\",\"switchedAt\":\"yesterday\",\"attempt\":0,"
                + "\"settleSeconds\":1,\"deadlineSeconds\":2,\"firstWaitSeconds\":1,\"maxWaitSeconds\":1}",
                CheckDeploymentRequest.class);

        assertThat(e.field()).isEqualTo("switchedAt");
    }

    @Test
    void rejectsAnAliasWhereAKeyIsExpected() {
        InvalidInputException e = invalid("{\"projectId\":\"" + PROJECT + "\",\"rotationId\":\"r\","
                + "\"currentKeyId\":\"alias/atlas-cmk/x\"}", CreateKeyRequest.class);

        assertThat(e.field()).isEqualTo("currentKeyId");
    }

    @Test
    void neverEchoesTheValuesItRejects() {
        String secretLooking = "sk-THIS-MUST-NOT-APPEAR-0123456789";

        assertThat(invalid(preflight("{\"projectId\":\"" + secretLooking + "\"}"), PreflightRequest.class)
                .getMessage()).doesNotContain(secretLooking);
        assertThat(invalid(preflight("{\"projectId\":\"" + PROJECT + "\",\"apiKey\":\"" + secretLooking + "\"}"),
                PreflightRequest.class).getMessage()).doesNotContain(secretLooking);
        assertThat(invalid(preflight("{\"projectId\":\"" + PROJECT + "\",\"dryRun\":\"" + secretLooking + "\"}"),
                PreflightRequest.class).getMessage()).doesNotContain(secretLooking);
        assertThat(invalid("{\"projectId\":\"" + PROJECT + "\",\"rotationId\":\"r\",\"currentKeyId\":\""
                + secretLooking + "/x\"}", CreateKeyRequest.class).getMessage()).doesNotContain(secretLooking);
    }

    @Test
    void acceptsAMinimalExecutionInput_andFillsDefaults() throws Exception {
        PreflightRequest request = read(preflight("{\"projectId\":\"" + PROJECT + "\"}"), PreflightRequest.class);

        assertThat(request.input().trigger()).as("an input naming no trigger").isEqualTo("unspecified");
        assertThat(request.input().mode()).isEqualTo("rotate");
        assertThat(request.settings().extraClusterNames()).isEmpty();
        assertThatThrownBy(() -> read(preflight("{\"projectId\":\"" + PROJECT + "\"}").replace("\"r-1\"", "null"),
                PreflightRequest.class)).isInstanceOf(InvalidInputException.class);
    }
}
