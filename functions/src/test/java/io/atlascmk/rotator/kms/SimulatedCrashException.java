package io.atlascmk.rotator.kms;

/**
 * Thrown by {@link FakeKmsClient} right after a write took effect, to simulate the Lambda dying
 * between KMS doing the work and the step recording it. It is deliberately not an AWS SDK
 * exception, so production code does not translate or swallow it.
 */
public class SimulatedCrashException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String operation;

    public SimulatedCrashException(String operation, int writeNumber) {
        super("Simulated crash right after " + operation + " (write #" + writeNumber + ") took effect in KMS");
        this.operation = operation;
    }

    /** The KMS operation whose write took effect just before the crash. */
    public String operation() {
        return operation;
    }
}
