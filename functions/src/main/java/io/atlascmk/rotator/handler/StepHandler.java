package io.atlascmk.rotator.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Objects;
import java.util.function.Function;

/**
 * The plumbing every step handler shares, and nothing else: read the request strictly
 * ({@link StepJson#read}), call one step, write its result. Exceptions leave unchanged, with their
 * class, because the workflow's Retry and Catch match the fully qualified class name (transient
 * ones: {@code io.atlascmk.rotator.atlas.AtlasRateLimitedException},
 * {@code io.atlascmk.rotator.atlas.AtlasUnavailableException},
 * {@code io.atlascmk.rotator.kms.KmsUnavailableException}).
 *
 * @param <I> the step's request record
 * @param <O> the step's result record
 */
abstract class StepHandler<I, O> implements RequestStreamHandler {

    private final Class<I> requestType;
    private final Function<I, O> step;

    StepHandler(Class<I> requestType, Function<I, O> step) {
        this.requestType = Objects.requireNonNull(requestType, "requestType");
        this.step = Objects.requireNonNull(step, "step");
    }

    @Override
    public final void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        I request = StepJson.read(input, requestType);
        O result = step.apply(request);
        StepJson.write(output, result);
    }
}
