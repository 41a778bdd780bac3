package io.atlascmk.cli.bench;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What every measurement gets: whether the run is {@code --quick}, the checkout, where to say what it is doing, and the
 * figures earlier measurements of the same run published (a later one may use them, and says so when they are
 * missing).
 */
public final class BenchContext {

    private final boolean quick;
    private final Path root;
    private final PrintStream progress;
    private final Map<String, Double> figures = new ConcurrentHashMap<>();
    private final java.util.List<String> notes = new java.util.concurrent.CopyOnWriteArrayList<>();

    public BenchContext(boolean quick, Path root, PrintStream progress) {
        this.quick = quick;
        this.root = root;
        this.progress = progress;
    }

    public boolean quick() {
        return quick;
    }

    /** The checkout (the folder holding {@code rotator} and {@code statemachine/}). */
    public Path root() {
        return root;
    }

    /** The shaded Lambda jar, as {@code mvn package} leaves it. */
    public Path lambdaJar() {
        Path jar = root.resolve("functions/target/functions-0.1.0-SNAPSHOT-lambda.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("No " + root.relativize(jar) + ": build it first (./rotator builds it, or"
                    + " mvn -pl cli -am package -DskipTests).");
        }
        return jar;
    }

    public void say(String line) {
        progress.println("bench: " + line);
        progress.flush();
    }

    /** A line printed under the table (how a figure was taken). */
    public void note(String line) {
        notes.add(line);
    }

    public java.util.List<String> notes() {
        return java.util.List.copyOf(notes);
    }

    public void publish(String name, double value) {
        figures.put(name, value);
    }

    public Optional<Double> figure(String name) {
        return Optional.ofNullable(figures.get(name));
    }

    /** The checkout that holds {@code start} or one of its parents. */
    public static Path locateRoot(Path start) {
        for (Path dir = start.toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("rotator")) && Files.isRegularFile(dir.resolve("statemachine/rotation.asl.json"))) {
                return dir;
            }
        }
        throw new IllegalStateException("Run ./rotator bench from the project's checkout.");
    }
}
