package io.atlascmk.infra.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Immutable copies that keep null elements, so the validator can name them instead of a NullPointerException. */
final class Lists {

    private Lists() {
    }

    static <T> List<T> copyAllowingNulls(List<T> list) {
        return Collections.unmodifiableList(new ArrayList<>(list));
    }
}
