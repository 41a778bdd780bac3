package io.atlascmk.rotator.alert;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueRequest;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueResponse;

/** A SecretsManagerClient that answers GetSecretValue from a supplier and records the secret ids asked for. */
public final class FakeSecretsManager implements SecretsManagerClient {

    private final Supplier<GetSecretValueResponse> answer;
    private final List<String> requestedIds = new ArrayList<>();

    public FakeSecretsManager(Supplier<GetSecretValueResponse> answer) {
        this.answer = answer;
    }

    /** Holds {@code secretString} as the secret's SecretString. */
    public static FakeSecretsManager holding(String secretString) {
        return new FakeSecretsManager(() -> GetSecretValueResponse.builder().secretString(secretString).build());
    }

    public List<String> requestedIds() {
        return List.copyOf(requestedIds);
    }

    @Override
    public GetSecretValueResponse getSecretValue(GetSecretValueRequest request) {
        requestedIds.add(request.secretId());
        return answer.get();
    }

    @Override
    public String serviceName() {
        return SERVICE_NAME;
    }

    @Override
    public void close() {
    }
}
