package io.atlascmk.sandbox.aws;

import com.fasterxml.jackson.databind.JsonNode;

/** One AWS service behind the stand-in's single endpoint. */
interface ServiceHandler {

    /**
     * Runs one operation. Returns the response body; throws {@link AwsApiException} for an AWS error
     * ({@code UnknownOperationException} for an operation the sandbox does not implement).
     */
    JsonNode handle(String operation, CallContext context, Params params);

    static AwsApiException unknownOperation(AwsService service, String operation) {
        return AwsApiException.client("UnknownOperationException",
                "The sandbox's " + service + " stand-in does not implement " + operation + ".");
    }
}
