package io.atlascmk.cli;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code ./rotator} script's first use, in a folder that holds only the script, with stand-ins for
 * {@code mvn}, {@code npm} and {@code java} first on the PATH: one progress line per stage, Maven's colour
 * escapes kept out of the terminal, and on a failure the last lines of the stage's log and the command
 * that reruns it.
 */
class RotatorScriptFirstUseTest {

    private static final Path SCRIPT = Path.of("..", "rotator").toAbsolutePath().normalize();

    @TempDir
    Path checkout;
    private Path bin;

    @BeforeEach
    void layOut() throws IOException {
        Files.copy(SCRIPT, checkout.resolve("rotator"));
        for (String module : List.of("functions", "sandbox", "cli")) {
            Files.createDirectories(checkout.resolve(module).resolve("src/main/java"));
            Files.writeString(checkout.resolve(module).resolve("pom.xml"), "<project/>");
        }
        Files.writeString(checkout.resolve("pom.xml"), "<project/>");
        try (var sources = Files.walk(checkout)) {
            for (Path p : sources.toList()) { // older than anything the build writes
                Files.setLastModifiedTime(p, FileTime.from(Instant.now().minusSeconds(3600)));
            }
        }
        bin = Files.createDirectories(checkout.resolve("fake-bin"));
        tool("java", "echo \"cli ran with: $*\"");
        tool("npm", """
                echo -e "\\e[0m npm installing"
                mkdir -p "$2/node_modules/aws-local-stepfunctions" "$2/node_modules/dynalite"
                """);
    }

    private void tool(String name, String body) throws IOException {
        Path file = bin.resolve(name);
        Files.writeString(file, "#!/usr/bin/env bash\n" + body + "\n", StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private record Outcome(int exit, String out, String err) {
    }

    private Outcome run(String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("bash", checkout.resolve("rotator").toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(checkout.toFile());
        pb.environment().put("PATH", bin + ":" + System.getenv("PATH"));
        Path out = checkout.resolve("out.txt");
        Path err = checkout.resolve("err.txt");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        Process p = pb.start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("the script finished").isTrue();
        return new Outcome(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    @Test
    void aFirstUseThatBuilds_showsOneLinePerStage_andNoColourEscapes() throws Exception {
        tool("mvn", """
                for i in $(seq 1 200); do echo -e "\\e[0m\\e[1m[INFO] building module $i\\e[m"; done
                mkdir -p cli/target/lib && touch cli/target/cli-0.1.0-SNAPSHOT.jar
                """);

        Outcome o = run("sandbox", "--help");

        assertThat(o.exit()).isZero();
        assertThat(o.out()).contains("io.atlascmk.cli.RotatorCli sandbox --help");
        assertThat(o.err().lines().toList()).hasSize(3)
                .anySatisfy(l -> assertThat(l).startsWith("rotator: building").contains("done in"))
                .anySatisfy(l -> assertThat(l).startsWith("rotator: installing the local Step Functions engine").contains("done in"))
                .anySatisfy(l -> assertThat(l).startsWith("rotator: installing dynalite").contains("done in"));
        assertThat(o.err()).doesNotContain("\u001b").doesNotContain("building module");
        assertThat(checkout.resolve("target/first-use/build.log")).content().contains("building module 200");

        Outcome again = run("status");
        assertThat(again.err()).as("nothing to build the second time").isEmpty();
    }

    @Test
    void aFailingBuild_showsTheEndOfItsLog_andTheCommandToRerunIt() throws Exception {
        tool("mvn", """
                for i in $(seq 1 100); do echo -e "\\e[0m[INFO] line $i"; done
                echo -e "\\e[1;31m[ERROR] COMPILATION ERROR: Preflight.java:[12,5] cannot find symbol\\e[m"
                exit 1
                """);

        Outcome o = run("sandbox");

        assertThat(o.exit()).isEqualTo(1);
        assertThat(o.out()).as("the command line never started").isEmpty();
        assertThat(o.err()).contains("rotator: building").contains("FAILED")
                .contains("[ERROR] COMPILATION ERROR: Preflight.java:[12,5] cannot find symbol")
                .contains("line 100").doesNotContain("line 50\n")
                .contains("mvn -B -f " + checkout.resolve("pom.xml"))
                .contains("-pl cli -am package")
                .contains(checkout.resolve("target/first-use/build.log").toString())
                .doesNotContain("\u001b")
                .doesNotContain("installing the local Step Functions engine");
    }
}
