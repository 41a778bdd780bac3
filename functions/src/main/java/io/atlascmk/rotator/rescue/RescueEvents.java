package io.atlascmk.rotator.rescue;

/** Where the tripwire says what it did: the rotator's event bus in AWS. */
@FunctionalInterface
public interface RescueEvents {

    /** Publishes the urgent {@value KeyRescue#DETAIL_TYPE} event; throws when it could not. */
    void keyDeletionCancelled(RescueResult result);
}
