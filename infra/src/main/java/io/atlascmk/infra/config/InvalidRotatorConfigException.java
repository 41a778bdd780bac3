package io.atlascmk.infra.config;

import java.nio.file.Path;
import java.util.List;

/** The configuration file cannot be used; the message lists every problem with the field to fix. */
public final class InvalidRotatorConfigException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient List<String> problems;

    public InvalidRotatorConfigException(Path file, List<String> problems) {
        super(message(file, problems));
        this.problems = List.copyOf(problems);
    }

    /** Each problem on its own, naming the field and what to do. */
    public List<String> problems() {
        return problems;
    }

    private static String message(Path file, List<String> problems) {
        StringBuilder text = new StringBuilder(file + " is not a usable rotator configuration; fix "
                + (problems.size() == 1 ? "this" : "these " + problems.size() + " problems") + " and run again:");
        problems.forEach(p -> text.append(System.lineSeparator()).append("  - ").append(p));
        return text.toString();
    }
}
