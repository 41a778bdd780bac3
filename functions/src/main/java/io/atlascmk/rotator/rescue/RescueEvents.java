package io.atlascmk.rotator.rescue;

/** Where the tripwire says what it did: the rotator's event bus in AWS. */
@FunctionalInterface
public interface RescueEvents {

    /** Publishes an urgent tripwire event of {@code detailType} about {@code result}; throws when it could not. */
    void publish(String detailType, RescueResult result);

    /** The urgent {@value KeyRescue#DETAIL_TYPE} event: a deletion was cancelled. */
    default void keyDeletionCancelled(RescueResult result) {
        publish(KeyRescue.DETAIL_TYPE, result);
    }

    /**
     * The urgent {@value KeyRescue#NOT_CANCELLED_DETAIL_TYPE} event: something needs a key pending deletion that this
     * deployment may not rescue (it was tagged before deployments had a tag); an operator must cancel it by hand.
     */
    default void keyDeletionNotCancelled(RescueResult result) {
        publish(KeyRescue.NOT_CANCELLED_DETAIL_TYPE, result);
    }
}
