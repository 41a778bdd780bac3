package io.atlascmk.rotator.handler;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The README's table of stable error names stays true: every class it lists exists and is an
 * exception, and every public exception the steps can throw is listed.
 */
class ErrorNamesTest {

    static final Path README = Path.of("..", "README.md");
    static final Path CLASSES = Path.of("target", "classes");
    static final List<String> STEP_PACKAGES = List.of("io/atlascmk/rotator/rotation", "io/atlascmk/rotator/atlas",
            "io/atlascmk/rotator/kms");

    static List<String> namesInReadme() throws IOException {
        String readme = Files.readString(README);
        int start = readme.indexOf("<!-- error-names:start -->");
        int end = readme.indexOf("<!-- error-names:end -->");
        assertThat(start).as("README has the error-names table").isNotNegative();
        assertThat(end).isGreaterThan(start);
        Matcher m = Pattern.compile("(?m)^\\| `([a-zA-Z0-9_.]+)` \\|").matcher(readme.substring(start, end));
        List<String> names = new ArrayList<>();
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    @Test
    void everyErrorNameInTheReadmeIsAnExceptionClass() throws Exception {
        List<String> names = namesInReadme();

        assertThat(names).isNotEmpty().doesNotHaveDuplicates();
        for (String name : names) {
            Class<?> type = Class.forName(name);
            assertThat(Throwable.class).as(name).isAssignableFrom(type);
            assertThat(Modifier.isPublic(type.getModifiers())).as(name).isTrue();
        }
    }

    @Test
    void everyPublicExceptionOfTheStepsIsInTheReadme() throws Exception {
        List<String> names = namesInReadme();
        List<String> missing = new ArrayList<>();
        for (String pkg : STEP_PACKAGES) {
            try (Stream<Path> files = Files.list(CLASSES.resolve(pkg))) {
                for (Path file : files.filter(f -> f.toString().endsWith(".class") && !f.toString().contains("$"))
                        .toList()) {
                    String name = pkg.replace('/', '.') + "." + file.getFileName().toString().replace(".class", "");
                    Class<?> type = Class.forName(name);
                    if (Throwable.class.isAssignableFrom(type) && Modifier.isPublic(type.getModifiers())
                            && !Modifier.isAbstract(type.getModifiers()) && !names.contains(name)) {
                        missing.add(name);
                    }
                }
            }
        }
        assertThat(missing).as("exceptions missing from the README's error table").isEmpty();
    }
}
