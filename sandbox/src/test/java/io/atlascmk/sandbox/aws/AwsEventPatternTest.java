package io.atlascmk.sandbox.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The EventBridge event-pattern matcher on its own: no server, no SDK. */
class AwsEventPatternTest {

    /** An Atlas alert as the webhook function publishes it, in the real envelope. */
    private static final String EVENT = "{"
            + "\"version\":\"0\",\"id\":\"6a7e8feb-b491-4cf7-a9f1-bf3703467718\","
            + "\"detail-type\":\"Atlas Alert\",\"source\":\"io.atlascmk.atlas-webhook\","
            + "\"account\":\"111122223333\",\"time\":\"2026-03-02T09:00:00Z\",\"region\":\"us-east-1\","
            + "\"resources\":[\"arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab\"],"
            + "\"detail\":{"
            + "  \"eventTypeName\":\"AWS_ENCRYPTION_KEY_NEEDS_ROTATION\",\"status\":\"OPEN\","
            + "  \"groupId\":\"5f1c2a3b4c5d6e7f80910111\",\"replicaSetName\":null,"
            + "  \"daysOverdue\":12,\"ratio\":0.75,\"acknowledged\":false,"
            + "  \"tags\":[\"prod\",\"eu\"],\"clientIp\":\"10.1.2.3\",\"clientIp6\":\"2001:db8::7\","
            + "  \"cluster\":{\"name\":\"Cluster0\",\"provider\":\"AWS\",\"shards\":[{\"id\":\"s0\",\"state\":\"IDLE\"},{\"id\":\"s1\",\"state\":\"UPDATING\"}]}"
            + "}}";

    static Stream<Arguments> patterns() {
        return Stream.of(
                // exact values; a list is an OR
                Arguments.of("{\"source\":[\"io.atlascmk.atlas-webhook\"]}", true),
                Arguments.of("{\"source\":[\"aws.kms\",\"io.atlascmk.atlas-webhook\"]}", true),
                Arguments.of("{\"source\":[\"aws.kms\"]}", false),
                Arguments.of("{\"detail-type\":[\"Atlas Alert\"],\"source\":[\"io.atlascmk.atlas-webhook\"]}", true),
                Arguments.of("{\"detail-type\":[\"Atlas Alert\"],\"source\":[\"other\"]}", false),
                Arguments.of("{\"source\":[\"IO.ATLASCMK.ATLAS-WEBHOOK\"]}", false),
                // a source prefix, as the Record rule matches every source of the rotator
                Arguments.of("{\"source\":[{\"prefix\":\"io.atlascmk\"}]}", true),
                Arguments.of("{\"source\":[{\"prefix\":\"io.atlascmk.atlas-webhook.\"}]}", false),
                // nested detail fields
                Arguments.of("{\"detail\":{\"eventTypeName\":[\"AWS_ENCRYPTION_KEY_NEEDS_ROTATION\"]}}", true),
                Arguments.of("{\"detail\":{\"eventTypeName\":[\"HOST_DOWN\"]}}", false),
                Arguments.of("{\"detail\":{\"cluster\":{\"provider\":[\"AWS\"],\"name\":[\"Cluster0\"]}}}", true),
                Arguments.of("{\"detail\":{\"cluster\":{\"provider\":[\"GCP\"]}}}", false),
                Arguments.of("{\"detail\":{\"missing\":{\"deeper\":[\"x\"]}}}", false),
                // arrays in the event: any element
                Arguments.of("{\"detail\":{\"tags\":[\"eu\"]}}", true),
                Arguments.of("{\"detail\":{\"tags\":[\"us\"]}}", false),
                Arguments.of("{\"detail\":{\"cluster\":{\"shards\":{\"state\":[\"UPDATING\"]}}}}", true),
                Arguments.of("{\"detail\":{\"cluster\":{\"shards\":{\"state\":[\"DELETING\"]}}}}", false),
                Arguments.of("{\"resources\":[{\"prefix\":\"arn:aws:kms:us-east-1:\"}]}", true),
                // numbers, booleans, null
                Arguments.of("{\"detail\":{\"daysOverdue\":[12]}}", true),
                Arguments.of("{\"detail\":{\"daysOverdue\":[12.0]}}", true),
                Arguments.of("{\"detail\":{\"daysOverdue\":[\"12\"]}}", false),
                Arguments.of("{\"detail\":{\"acknowledged\":[false]}}", true),
                Arguments.of("{\"detail\":{\"acknowledged\":[true]}}", false),
                Arguments.of("{\"detail\":{\"replicaSetName\":[null]}}", true),
                Arguments.of("{\"detail\":{\"status\":[null]}}", false),
                // prefix, suffix, equals-ignore-case, wildcard
                Arguments.of("{\"detail\":{\"eventTypeName\":[{\"prefix\":\"AWS_ENCRYPTION\"}]}}", true),
                Arguments.of("{\"detail\":{\"eventTypeName\":[{\"prefix\":\"aws_encryption\"}]}}", false),
                Arguments.of("{\"detail\":{\"eventTypeName\":[{\"prefix\":{\"equals-ignore-case\":\"aws_encryption\"}}]}}", true),
                Arguments.of("{\"detail\":{\"eventTypeName\":[{\"suffix\":\"_ROTATION\"}]}}", true),
                Arguments.of("{\"detail\":{\"eventTypeName\":[{\"suffix\":\"_DOWN\"}]}}", false),
                Arguments.of("{\"detail\":{\"eventTypeName\":[{\"suffix\":{\"equals-ignore-case\":\"_rotation\"}}]}}", true),
                Arguments.of("{\"detail\":{\"status\":[{\"equals-ignore-case\":\"open\"}]}}", true),
                Arguments.of("{\"detail\":{\"status\":[{\"equals-ignore-case\":\"closed\"}]}}", false),
                Arguments.of("{\"detail\":{\"eventTypeName\":[{\"wildcard\":\"AWS_*_ROTATION\"}]}}", true),
                Arguments.of("{\"detail\":{\"eventTypeName\":[{\"wildcard\":\"GCP_*\"}]}}", false),
                Arguments.of("{\"detail\":{\"daysOverdue\":[{\"prefix\":\"1\"}]}}", false),
                // anything-but
                Arguments.of("{\"detail\":{\"status\":[{\"anything-but\":\"CLOSED\"}]}}", true),
                Arguments.of("{\"detail\":{\"status\":[{\"anything-but\":[\"OPEN\",\"CLOSED\"]}]}}", false),
                Arguments.of("{\"detail\":{\"status\":[{\"anything-but\":{\"prefix\":\"CL\"}}]}}", true),
                Arguments.of("{\"detail\":{\"status\":[{\"anything-but\":{\"suffix\":\"EN\"}}]}}", false),
                Arguments.of("{\"detail\":{\"status\":[{\"anything-but\":{\"equals-ignore-case\":[\"open\"]}}]}}", false),
                Arguments.of("{\"detail\":{\"status\":[{\"anything-but\":{\"wildcard\":\"C*\"}}]}}", true),
                Arguments.of("{\"detail\":{\"daysOverdue\":[{\"anything-but\":[12]}]}}", false),
                Arguments.of("{\"detail\":{\"daysOverdue\":[{\"anything-but\":[13]}]}}", true),
                Arguments.of("{\"detail\":{\"absent\":[{\"anything-but\":\"x\"}]}}", false),
                // exists
                Arguments.of("{\"detail\":{\"groupId\":[{\"exists\":true}]}}", true),
                Arguments.of("{\"detail\":{\"groupId\":[{\"exists\":false}]}}", false),
                Arguments.of("{\"detail\":{\"alertConfigId\":[{\"exists\":false}]}}", true),
                Arguments.of("{\"detail\":{\"alertConfigId\":[{\"exists\":true}]}}", false),
                Arguments.of("{\"detail\":{\"cluster\":[{\"exists\":true}]}}", false),
                // numeric
                Arguments.of("{\"detail\":{\"daysOverdue\":[{\"numeric\":[\">\",10]}]}}", true),
                Arguments.of("{\"detail\":{\"daysOverdue\":[{\"numeric\":[\">\",12]}]}}", false),
                Arguments.of("{\"detail\":{\"daysOverdue\":[{\"numeric\":[\">=\",12,\"<\",13]}]}}", true),
                Arguments.of("{\"detail\":{\"daysOverdue\":[{\"numeric\":[\">\",0,\"<=\",11.5]}]}}", false),
                Arguments.of("{\"detail\":{\"daysOverdue\":[{\"numeric\":[\"=\",12]}]}}", true),
                Arguments.of("{\"detail\":{\"ratio\":[{\"numeric\":[\"<\",1]}]}}", true),
                Arguments.of("{\"detail\":{\"status\":[{\"numeric\":[\">\",0]}]}}", false),
                // cidr
                Arguments.of("{\"detail\":{\"clientIp\":[{\"cidr\":\"10.1.0.0/16\"}]}}", true),
                Arguments.of("{\"detail\":{\"clientIp\":[{\"cidr\":\"10.2.0.0/16\"}]}}", false),
                Arguments.of("{\"detail\":{\"clientIp6\":[{\"cidr\":\"2001:db8::/32\"}]}}", true),
                Arguments.of("{\"detail\":{\"clientIp6\":[{\"cidr\":\"2001:db9::/32\"}]}}", false),
                // mixed alternatives in one list
                Arguments.of("{\"detail\":{\"status\":[\"CLOSED\",{\"prefix\":\"OP\"}]}}", true),
                // $or
                Arguments.of("{\"$or\":[{\"source\":[\"aws.kms\"]},{\"detail\":{\"status\":[\"OPEN\"]}}]}", true),
                Arguments.of("{\"$or\":[{\"source\":[\"aws.kms\"]},{\"detail\":{\"status\":[\"CLOSED\"]}}]}", false),
                Arguments.of("{\"source\":[\"io.atlascmk.atlas-webhook\"],\"detail\":{\"$or\":["
                        + "{\"daysOverdue\":[{\"numeric\":[\">\",30]}]},{\"tags\":[\"prod\"]}]}}", true),
                Arguments.of("{\"source\":[\"other\"],\"$or\":[{\"detail-type\":[\"Atlas Alert\"]},{\"region\":[\"us-east-1\"]}]}", false));
    }

    @ParameterizedTest(name = "[{index}] {0} -> {1}")
    @MethodSource("patterns")
    void matchesLikeEventBridge(String pattern, boolean expected) {
        assertThat(EventPattern.parse(pattern).matches(EVENT)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "[]",
        "{}",
        "\"source\"",
        "{not json",
        "{\"source\":\"io.atlascmk.atlas-webhook\"}",
        "{\"source\":[]}",
        "{\"source\":[[\"nested\"]]}",
        "{\"detail\":{}}",
        "{\"source\":[{\"prefix\":1}]}",
        "{\"source\":[{\"regex\":\".*\"}]}",
        "{\"source\":[{\"prefix\":\"a\",\"suffix\":\"b\"}]}",
        "{\"source\":[{\"exists\":\"yes\"}]}",
        "{\"n\":[{\"numeric\":[\">\"]}]}",
        "{\"n\":[{\"numeric\":[\">\",\"1\"]}]}",
        "{\"n\":[{\"numeric\":[\"!=\",1]}]}",
        "{\"n\":[{\"numeric\":[\">\",1,\">\",2]}]}",
        "{\"n\":[{\"numeric\":[\"=\",1,\"<\",2]}]}",
        "{\"s\":[{\"anything-but\":[]}]}",
        "{\"s\":[{\"anything-but\":{\"exists\":true}}]}",
        "{\"s\":[{\"wildcard\":\"a**b\"}]}",
        "{\"ip\":[{\"cidr\":\"10.0.0.0/33\"}]}",
        "{\"ip\":[{\"cidr\":\"not-an-ip/8\"}]}",
        "{\"$or\":[{\"source\":[\"a\"]}]}",
        "{\"$or\":{\"source\":[\"a\"]}}"
    })
    void rejectsPatternsEventBridgeWouldRefuse(String pattern) {
        assertThatThrownBy(() -> EventPattern.parse(pattern))
                .isInstanceOf(InvalidEventPatternException.class)
                .hasMessageStartingWith("Event pattern is not valid. Reason: ");
    }

    @Test
    void wildcard_canEscapeALiteralStar() {
        EventPattern pattern = EventPattern.parse("{\"name\":[{\"wildcard\":\"a\\\\*b*\"}]}");

        assertThat(pattern.matches("{\"name\":\"a*bc\"}")).isTrue();
        assertThat(pattern.matches("{\"name\":\"axbc\"}")).isFalse();
    }

    @Test
    void aPatternNeverMatchesSomethingThatIsNotAnObject() {
        EventPattern pattern = EventPattern.parse("{\"source\":[{\"exists\":false}]}");

        assertThat(pattern.matches("{}")).isTrue();
        assertThat(pattern.matches("[]")).isFalse();
    }

    @Test
    void json_isThePatternCompacted() {
        assertThat(EventPattern.parse("{ \"source\" : [ \"a\" ] }").json()).isEqualTo("{\"source\":[\"a\"]}");
    }
}
