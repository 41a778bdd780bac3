package io.atlascmk.rotator.kms;

/**
 * {@link KeyService} refused to send a request because it would break a KMS rule or a safety rule
 * (pending window outside 7-30 days, invalid alias or tag, key in another region). Nothing was sent
 * to KMS; the message says what to change.
 */
public class InvalidKmsRequestException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    public InvalidKmsRequestException(String message) {
        super(message);
    }
}
