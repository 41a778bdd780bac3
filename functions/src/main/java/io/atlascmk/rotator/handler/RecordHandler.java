package io.atlascmk.rotator.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.atlascmk.rotator.json.Json;
import io.atlascmk.rotator.record.OutcomeRecorder;
import io.atlascmk.rotator.rotation.InvalidInputException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Lambda entry point of the Record function: the target of the rule on the rotator's bus matching {@code {"source":
 * [{"prefix": "atlas-cmk-rotator"}]}} (the workflow's, the fleet's, the tripwire's and the alert's events). Reads the EventBridge event, lets {@link OutcomeRecorder} store it and write its outcome
 * metrics, writes {@code {"stored": "s3://...", "projectId", "detailType"}}. Environment: {@code ROTATOR_DEPLOYMENT},
 * {@code ROTATOR_EVIDENCE_BUCKET}.
 */
public final class RecordHandler implements RequestStreamHandler {

    private final OutcomeRecorder recorder;

    /** The Lambda runtime's constructor: the S3 client is built once; the bucket and deployment are required. */
    public RecordHandler() {
        this(new OutcomeRecorder(new io.atlascmk.rotator.record.S3EventArchive(io.atlascmk.rotator.aws.AwsClients.s3(),
                AtlasWebhookHandler.required(System.getenv(), ProductionDependencies.EVIDENCE_BUCKET,
                        "the evidence bucket, which keeps every event under events/")), ProductionDependencies.metrics()));
        // an event without its id is refused before any call
        priming = Priming.register("RecordHandler", Priming.plumbing(this, null, OutcomeRecorder.Recorded.class, "{}"),
                Priming::s3);
    }

    /** Held for CRaC (weak references); null outside the Lambda constructor. */
    private Priming priming;

    /** For tests and the sandbox. */
    RecordHandler(OutcomeRecorder recorder) {
        this.recorder = java.util.Objects.requireNonNull(recorder, "recorder");
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        JsonNode event;
        try {
            event = Json.MAPPER.readTree(input);
        } catch (JsonProcessingException e) {
            throw new InvalidInputException("(input)", "is not valid JSON (" + e.getOriginalMessage() + "): the"
                    + " Record function takes an EventBridge event as a rule delivers it.");
        }
        output.write(Json.MAPPER.writeValueAsBytes(recorder.record(event)));
    }
}
