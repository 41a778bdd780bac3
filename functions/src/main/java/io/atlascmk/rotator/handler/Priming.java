package io.atlascmk.rotator.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import io.atlascmk.rotator.atlas.AtlasClient;
import io.atlascmk.rotator.aws.AwsClients;
import io.atlascmk.rotator.aws.OfflinePriming;
import io.atlascmk.rotator.json.Json;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.crac.Core;
import org.crac.Resource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * A handler's SnapStart priming: a CRaC {@link Resource} whose {@code beforeCheckpoint} runs, once, what the handler's
 * first request would otherwise load and initialize on the clock: its plumbing on an input it refuses before any call
 * (the request record's strict reader, the result's writer, the lock grant), each AWS client it uses through the whole
 * SDK request path (marshaller, signer, unmarshaller) answered by {@link io.atlascmk.rotator.aws.PrimableHttpClient}
 * itself, and the Atlas client's request building and response mapping on sample bodies. All of it under
 * {@link OfflinePriming}: no call leaves the process (the SDK's HTTP client answers, the Atlas client refuses), which
 * {@code PrimingMakesNoCallTest} proves against a socket that counts connections.
 *
 * <p>Handlers register one in their public no-arg constructor (the Lambda runtime's) and hold it: CRaC keeps only a
 * weak reference. {@link #simulateCheckpoint()} runs every registered priming as a snapshot would, for the benchmark
 * and tests (a JVM without CRaC never calls the resource). A primer that fails is logged at debug and skipped:
 * priming only saves time, it never stops a function.
 */
final class Priming implements Resource {

    private static final Logger LOG = LoggerFactory.getLogger(Priming.class);
    private static final List<Priming> REGISTERED = new CopyOnWriteArrayList<>();

    private final String name;
    private final List<Runnable> primers;

    private Priming(String name, List<Runnable> primers) {
        this.name = name;
        this.primers = List.copyOf(primers);
    }

    /** Registers a priming of these primers with CRaC (SnapStart) and for {@link #simulateCheckpoint()}. */
    static Priming register(String name, Runnable... primers) {
        Priming priming = new Priming(name, List.of(primers));
        Core.getGlobalContext().register(priming);
        REGISTERED.add(priming);
        return priming;
    }

    /** Runs every registered priming's checkpoint and restore hooks, as SnapStart would; returns how many ran. */
    static int simulateCheckpoint() {
        for (Priming priming : REGISTERED) {
            priming.beforeCheckpoint(null);
            priming.afterRestore(null);
        }
        return REGISTERED.size();
    }

    @Override
    public void beforeCheckpoint(org.crac.Context<? extends Resource> context) {
        OfflinePriming.run(() -> {
            for (Runnable primer : primers) {
                try {
                    primer.run();
                } catch (RuntimeException failed) {
                    LOG.debug("Priming {}: a primer failed ({}); the first request loads what it missed", name, failed.toString());
                }
            }
            return null;
        });
    }

    @Override
    public void afterRestore(org.crac.Context<? extends Resource> context) {
        // nothing: priming keeps no state of its own
    }

    // ------------------------------------------------------------------------------------------------ the primers

    /**
     * The handler's plumbing: the request's strict reader and the result's writer are built, then the handler is
     * called on {@code refused}, an input it must reject before any call (a missing field), and the rejection is
     * swallowed.
     */
    static Runnable plumbing(RequestStreamHandler handler, Type request, Type result, String refused) {
        return () -> {
            if (request != null) {
                Json.STRICT.readerFor(Json.STRICT.constructType(request));
                Json.MAPPER.readerFor(io.atlascmk.rotator.lock.LockGrant.class);
            }
            if (result != null) {
                Json.MAPPER.writerFor(Json.MAPPER.constructType(result));
            }
            try {
                handler.handleRequest(new ByteArrayInputStream(refused.getBytes(StandardCharsets.UTF_8)),
                        new ByteArrayOutputStream(), PRIMING_CONTEXT);
            } catch (IOException | RuntimeException refusedAsExpected) {
                // the input is refused: only the path up to that point was meant to run
            }
        };
    }

    /** KMS of the function's region: the calls every step makes first. */
    static void kms() {
        var kms = AwsClients.kms(region());
        kms.describeKey(b -> b.keyId("alias/snapstart-priming"));
        kms.listResourceTags(b -> b.keyId("alias/snapstart-priming"));
        kms.listAliases(b -> b.keyId("alias/snapstart-priming"));
    }

    /** DynamoDB: the lock's and the registry's reads and conditional writes. */
    static void dynamoDb() {
        var dynamo = AwsClients.dynamoDb();
        Map<String, AttributeValue> key = Map.of("pk", AttributeValue.fromS("snapstart-priming"));
        dynamo.getItem(b -> b.tableName("snapstart-priming").key(key).consistentRead(true));
        dynamo.updateItem(b -> b.tableName("snapstart-priming").key(key).updateExpression("SET #a = :v")
                .conditionExpression("attribute_not_exists(#a)").expressionAttributeNames(Map.of("#a", "a"))
                .expressionAttributeValues(Map.of(":v", AttributeValue.fromN("1"))));
        dynamo.query(b -> b.tableName("snapstart-priming").keyConditionExpression("pk = :p")
                .expressionAttributeValues(Map.of(":p", AttributeValue.fromS("snapstart-priming"))));
    }

    /** Secrets Manager: the Atlas credentials' or the webhook secret's read. */
    static void secretsManager() {
        AwsClients.secretsManager().getSecretValue(b -> b.secretId("snapstart-priming"));
    }

    /** The Atlas client built from the environment ({@code ATLAS_SECRET_ARN} and {@code ATLAS_BASE_URL}). */
    static Runnable atlas(io.atlascmk.rotator.atlas.AtlasApi atlas) {
        return () -> {
            if (atlas instanceof AtlasClient client) {
                client.primeOffline();
            }
        };
    }

    static void cloudTrail() {
        AwsClients.cloudTrail(region()).lookupEvents(b -> b.maxResults(1));
    }

    static void s3() {
        AwsClients.s3().putObject(b -> b.bucket("snapstart-priming").key("priming.json").contentType("application/json"),
                RequestBody.fromString("{}"));
    }

    static void sfn() {
        AwsClients.sfn().describeExecution(b -> b.executionArn(
                "arn:aws:states:" + region() + ":000000000000:execution:snapstart-priming:priming"));
    }

    static void eventBridge() {
        AwsClients.eventBridge().putEvents(b -> b.entries(e -> e.eventBusName("snapstart-priming").source("priming")
                .detailType("priming").detail("{}")));
    }

    private static String region() {
        String region = System.getenv("AWS_REGION");
        return region == null || region.isBlank() ? "us-east-1" : region.trim();
    }

    /** The context the plumbing primer's refused call sees. */
    private static final Context PRIMING_CONTEXT = new Context() {
        @Override
        public String getAwsRequestId() {
            return "snapstart-priming";
        }

        @Override
        public String getLogGroupName() {
            return "snapstart-priming";
        }

        @Override
        public String getLogStreamName() {
            return "snapstart-priming";
        }

        @Override
        public String getFunctionName() {
            return "snapstart-priming";
        }

        @Override
        public String getFunctionVersion() {
            return "$LATEST";
        }

        @Override
        public String getInvokedFunctionArn() {
            return "snapstart-priming";
        }

        @Override
        public com.amazonaws.services.lambda.runtime.CognitoIdentity getIdentity() {
            return null;
        }

        @Override
        public com.amazonaws.services.lambda.runtime.ClientContext getClientContext() {
            return null;
        }

        @Override
        public int getRemainingTimeInMillis() {
            return 60_000;
        }

        @Override
        public int getMemoryLimitInMB() {
            return 1024;
        }

        @Override
        public com.amazonaws.services.lambda.runtime.LambdaLogger getLogger() {
            return new com.amazonaws.services.lambda.runtime.LambdaLogger() {
                @Override
                public void log(String message) {
                }

                @Override
                public void log(byte[] message) {
                }
            };
        }
    };
}
