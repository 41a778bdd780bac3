package io.atlascmk.sandbox.aws;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Instant;

/** JSON plumbing shared by the AWS stand-ins: one mapper, AWS JSON timestamps (epoch seconds). */
final class AwsJson {

    static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN);

    private AwsJson() {
    }

    static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    /** AWS JSON 1.1 timestamps are epoch seconds as a JSON number, here with millisecond precision. */
    static DecimalNode epochSeconds(Instant instant) {
        return DecimalNode.valueOf(BigDecimal.valueOf(instant.toEpochMilli(), 3));
    }

    static Instant instantFromEpochSeconds(JsonNode node) {
        BigDecimal seconds = node.decimalValue();
        return Instant.ofEpochMilli(seconds.movePointRight(3).longValue());
    }

    static JsonNode parse(String json) throws JsonProcessingException {
        return MAPPER.readTree(json);
    }

    static String write(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (IOException e) {
            throw new IllegalStateException("Could not write JSON: " + e.getMessage(), e);
        }
    }
}
