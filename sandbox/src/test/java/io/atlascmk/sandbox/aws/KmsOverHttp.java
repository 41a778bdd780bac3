package io.atlascmk.sandbox.aws;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.KeyMetadata;

/**
 * What every KMS test over HTTP starts from: a fresh {@link AwsTarget} (the stand-in, or an external
 * emulator when {@code AWS_ENDPOINT_URL} is set) and the unchanged SDK client for it.
 */
abstract class KmsOverHttp {

    AwsTarget target;
    KmsClient kms;

    @BeforeEach
    void startTarget() {
        target = AwsTarget.start();
        kms = target.kms();
    }

    @AfterEach
    void stopTarget() throws Exception {
        target.close();
    }

    /** A symmetric encryption key with this description and the default key policy. */
    KeyMetadata createKey(String description) {
        return kms.createKey(r -> r.description(description)).keyMetadata();
    }
}
