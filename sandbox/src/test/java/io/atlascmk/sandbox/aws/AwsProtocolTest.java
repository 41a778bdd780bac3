package io.atlascmk.sandbox.aws;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The AWS JSON 1.1 wire protocol as the stand-in speaks it, with a plain HTTP client (stand-in only). */
class AwsProtocolTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String AUTHORIZATION_EU = "AWS4-HMAC-SHA256 Credential=AKIASANDBOXTEST00001/20260302/eu-west-1/kms/aws4_request, "
            + "SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=0000000000000000000000000000000000000000000000000000000000000000";

    private AwsTarget target;
    private HttpClient http;

    @BeforeEach
    void start() {
        target = AwsTarget.start();
        target.standIn();
        http = HttpClient.newHttpClient();
    }

    @AfterEach
    void stop() throws Exception {
        target.close();
    }

    private HttpResponse<String> post(String xAmzTarget, String authorization, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(target.endpoint().resolve("/"))
                .header("Content-Type", "application/x-amz-json-1.1")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (xAmzTarget != null) {
            request.header("X-Amz-Target", xAmzTarget);
        }
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aSuccessfulCall_answersJson11() throws Exception {
        HttpResponse<String> response = post("TrentService.ListKeys", null, "{}");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).contains("application/x-amz-json-1.1");
        assertThat(response.headers().firstValue("x-amzn-RequestId")).isPresent();
        assertThat(JSON.readTree(response.body()).path("Truncated").asBoolean(true)).isFalse();
    }

    @Test
    void anError_hasTypeAndMessage_inBodyAndHeader() throws Exception {
        HttpResponse<String> response = post("TrentService.DescribeKey", null,
                "{\"KeyId\":\"00000000-0000-0000-0000-000000000000\"}");

        JsonNode body = JSON.readTree(response.body());
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(body.path("__type").asText()).isEqualTo("NotFoundException");
        assertThat(body.path("message").asText()).contains("does not exist");
        assertThat(response.headers().firstValue("X-Amzn-ErrorType")).contains("NotFoundException");
    }

    @Test
    void theRegion_comesFromTheCredentialScope_elseUsEast1() throws Exception {
        JsonNode eu = JSON.readTree(post("TrentService.CreateKey", AUTHORIZATION_EU, "{}").body());
        JsonNode unsigned = JSON.readTree(post("TrentService.CreateKey", null, "{}").body());

        assertThat(eu.path("KeyMetadata").path("Arn").asText()).startsWith("arn:aws:kms:eu-west-1:111122223333:key/");
        assertThat(unsigned.path("KeyMetadata").path("Arn").asText()).startsWith("arn:aws:kms:us-east-1:111122223333:key/");
        assertThat(target.standIn().kms().keys()).extracting(KmsKeyView::region).containsExactly("eu-west-1", "us-east-1");
    }

    @Test
    void aMissingOrUnknownTarget_isUnknownOperation() throws Exception {
        for (String xAmzTarget : new String[] {null, "NoSuchService.DoIt", "TrentService.GenerateRandomPoem"}) {
            HttpResponse<String> response = post(xAmzTarget, null, "{}");
            assertThat(response.statusCode()).as("X-Amz-Target %s", xAmzTarget).isEqualTo(400);
            assertThat(JSON.readTree(response.body()).path("__type").asText()).isEqualTo("UnknownOperationException");
        }
    }

    @Test
    void aBodyThatIsNotJson_orAMemberOfTheWrongType_isASerializationException() throws Exception {
        for (String body : new String[] {"{not json", "[1]", "{\"KeyId\": 42}"}) {
            HttpResponse<String> response = post("TrentService.DescribeKey", null, body);
            assertThat(response.statusCode()).as(body).isEqualTo(400);
            assertThat(JSON.readTree(response.body()).path("__type").asText()).as(body).isEqualTo("SerializationException");
        }
    }

    @Test
    void aMissingRequiredMember_isAValidationException() throws Exception {
        HttpResponse<String> response = post("TrentService.DescribeKey", null, "{}");

        JsonNode body = JSON.readTree(response.body());
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(body.path("__type").asText()).isEqualTo("ValidationException");
        assertThat(body.path("message").asText()).contains("'keyId'").contains("must not be null");
    }

    @Test
    void anUnmodeledMethod_isRefused() throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(target.endpoint().resolve("/")).GET().build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(404);
    }

    @Test
    void timestamps_areEpochSecondsNumbers() throws Exception {
        JsonNode created = JSON.readTree(post("TrentService.CreateKey", null, "{}").body());

        JsonNode creationDate = created.path("KeyMetadata").path("CreationDate");
        assertThat(creationDate.isNumber()).isTrue();
        assertThat(creationDate.decimalValue().longValue()).isEqualTo(AwsTarget.START.getEpochSecond());
    }
}
