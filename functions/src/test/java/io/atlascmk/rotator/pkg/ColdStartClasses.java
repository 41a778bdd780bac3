package io.atlascmk.rotator.pkg;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Prints, per handler, what a cold invocation loads from the shaded jar: each handler in a fresh JVM (as Lambda's:
 * {@code -XX:TieredStopAtLevel=1}, class data sharing for the JDK), constructed with its no-arg constructor under the
 * stack's environment with every endpoint an unreachable loopback port, then invoked once with its example input.
 * Prints the classes loaded (all, and from the jar) and the wall time; asserts nothing.
 *
 * <p>Run after {@code mvn -pl functions -am package -DskipTests} (it needs only the JDK and the compiled test
 * classes): {@code java -cp functions/target/test-classes io.atlascmk.rotator.pkg.ColdStartClasses}, from the
 * repository root or from {@code functions/}. An argument keeps only the
 * handlers whose name contains it; {@code -Dshaded.jar=...} measures another jar.
 */
public final class ColdStartClasses {

    private ColdStartClasses() {
    }

    public static void main(String[] args) throws Exception {
        ShadedJar jar = new ShadedJar();
        List<ShadedJar.Run> runs = new ArrayList<>();
        for (Map.Entry<String, String> h : ShadedJar.handlers().entrySet()) {
            if (args.length > 0 && !h.getKey().contains(args[0])) {
                continue;
            }
            runs.add(jar.handler(h.getKey(), h.getValue(), Map.of()));
        }
        System.out.println("shaded jar: " + ShadedJar.JAR.toAbsolutePath() + " (" + java.nio.file.Files.size(ShadedJar.JAR)
                + " bytes)");
        System.out.print(ShadedJar.table(runs));
    }
}
