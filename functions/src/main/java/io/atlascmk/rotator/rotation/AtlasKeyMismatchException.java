package io.atlascmk.rotator.rotation;

/**
 * Atlas does not name the key the step expects: Finalize found Atlas on another key than the new one
 * (someone switched it meanwhile), so it will not mark the new key active or retire the old one.
 * Nothing was changed. Check the project's encryption-at-rest configuration in Atlas.
 */
public class AtlasKeyMismatchException extends RotationRefusedException {

    private static final long serialVersionUID = 1L;

    public AtlasKeyMismatchException(String message) {
        super(message);
    }
}
