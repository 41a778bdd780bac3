package io.atlascmk.rotator.registry;

/**
 * An item of the project registry that breaks a rule of registration (edited by hand in the table, or written by
 * another version): nothing is decided on it; fix it with {@code ./rotator projects add} (or remove it).
 */
public class InvalidRegistryItemException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public InvalidRegistryItemException(String itemKey, String table, String problem) {
        super("The registry item " + itemKey + " in table " + table + " " + problem + ". Write it again with"
                + " './rotator projects add' (or remove it with './rotator projects remove').");
    }
}
