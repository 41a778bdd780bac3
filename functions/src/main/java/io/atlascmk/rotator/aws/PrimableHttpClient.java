package io.atlascmk.rotator.aws;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpResponse;

/**
 * The SDK clients' HTTP client: the URLConnection client, except while the calling thread primes for a SnapStart
 * snapshot ({@link OfflinePriming}), when every request is answered here, without touching the network, with
 * {@code 200} and an empty JSON object. The request has been marshalled and signed by then and the answer is
 * unmarshalled, so the request path's classes are loaded and initialized before the snapshot.
 */
public final class PrimableHttpClient implements SdkHttpClient {

    private static final byte[] EMPTY_OBJECT = "{}".getBytes(StandardCharsets.UTF_8);

    private static final java.util.concurrent.atomic.AtomicInteger ANSWERED = new java.util.concurrent.atomic.AtomicInteger();

    private final SdkHttpClient delegate;

    /** How many requests this JVM's priming answered here (for the benchmark and the priming test). */
    public static int answeredWhilePriming() {
        return ANSWERED.get();
    }

    public PrimableHttpClient(SdkHttpClient delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    @Override
    public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
        if (!OfflinePriming.active()) {
            return delegate.prepareRequest(request);
        }
        return new ExecutableHttpRequest() {
            @Override
            public HttpExecuteResponse call() {
                ANSWERED.incrementAndGet();
                return HttpExecuteResponse.builder()
                        .response(SdkHttpResponse.builder().statusCode(200)
                                .putHeader("Content-Type", "application/x-amz-json-1.1")
                                .putHeader("Content-Length", String.valueOf(EMPTY_OBJECT.length))
                                .putHeader("x-amzn-RequestId", "snapstart-priming")
                                .build())
                        .responseBody(AbortableInputStream.create(new ByteArrayInputStream(EMPTY_OBJECT)))
                        .build();
            }

            @Override
            public void abort() {
                // nothing was sent
            }
        };
    }

    @Override
    public String clientName() {
        return delegate.clientName();
    }

    @Override
    public void close() {
        delegate.close();
    }
}
