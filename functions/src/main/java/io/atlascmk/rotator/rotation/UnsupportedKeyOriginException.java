package io.atlascmk.rotator.rotation;

/**
 * The project's current key has material the rotator cannot give its successor: imported key material
 * (Origin {@code EXTERNAL}) or an external key store. A successor made by KMS would be weaker than the
 * key the compliance rules chose, so nothing is created.
 */
public class UnsupportedKeyOriginException extends RotationRefusedException {

    private static final long serialVersionUID = 1L;

    private final String origin;

    public UnsupportedKeyOriginException(String keyArn, String origin) {
        super("Key " + keyArn + " has Origin " + origin + (origin.equals("EXTERNAL")
                ? " (imported key material): its successor needs key material you import yourself."
                : " (an external key store): its successor needs a key your external key manager creates.")
                + " The rotator created nothing. Create the new key by hand with the same origin, switch Atlas to it,"
                + " and the rotator's audit will retire the old one; or give the project a key KMS makes.");
        this.origin = origin;
    }

    public String origin() {
        return origin;
    }
}
