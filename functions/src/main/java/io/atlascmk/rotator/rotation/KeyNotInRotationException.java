package io.atlascmk.rotator.rotation;

/**
 * A step was given a key that is not the one this rotation created for this project, or not in the
 * ledger state the step needs (for example SwitchAtlasKey with a key not tagged {@code pending} for
 * this project and rotation, or Finalize retiring a key that is not in the project's ledger). The
 * step refuses rather than point Atlas at, or retire, a key it does not own. Nothing was changed.
 */
public class KeyNotInRotationException extends RotationRefusedException {

    private static final long serialVersionUID = 1L;

    public KeyNotInRotationException(String message) {
        super(message);
    }
}
