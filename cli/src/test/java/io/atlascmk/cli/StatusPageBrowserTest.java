package io.atlascmk.cli;

import static io.atlascmk.cli.SandboxHistory.PROJECT;
import static org.assertj.core.api.Assertions.assertThat;

import io.atlascmk.cli.sandbox.SandboxWorld;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The status page in a real browser: {@code ./rotator status --html} over a sandbox history of three rotations (the
 * adopted key destroyed, the first rotation's scheduled for deletion, the second's retired, the third's active),
 * rendered by headless Chromium: its DOM holds the project, every key and their states, and its screenshot shows a
 * drawing (compared with a blank page's screenshot taken the same way). Without Chromium the test is skipped with one
 * line, except in CI ({@code CI=true}), where {@code .ci/run} installs it and its absence fails the test.
 */
class StatusPageBrowserTest {

    private static final Duration BROWSER_TIMEOUT = Duration.ofMinutes(2);
    private static final int WIDTH = 1200;
    private static final int HEIGHT = 900;

    @TempDir
    Path tmp;

    static Path chromium() {
        List<Path> candidates = new ArrayList<>(List.of(Path.of("/usr/bin/chromium")));
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (!dir.isBlank()) {
                candidates.add(Path.of(dir, "chromium"));
                candidates.add(Path.of(dir, "chromium-browser"));
            }
        }
        return candidates.stream().filter(Files::isExecutable).findFirst().orElse(null);
    }

    @Test
    void thePageOfASandboxHistory_rendersTheProjectItsKeysAndTheirStates_andDraws() throws Exception {
        Path browser = chromium();
        if (browser == null) {
            if ("true".equals(System.getenv("CI"))) {
                Assertions.fail("Chromium is not installed: .ci/run must install it (apt-get install chromium) before mvn verify.");
            }
            Assumptions.abort("Chromium is not installed (apt-get install chromium): the status page's browser test is skipped.");
        }
        Path page = tmp.resolve("status.html");
        String adopted;
        String first;
        String second;
        String third;
        try (SandboxHistory history = new SandboxHistory()) {
            adopted = history.adopted;
            first = history.first;
            second = history.second;
            // the adopted key's deletion date passes (KMS deletes it); a month on, a third rotation
            history.world.clock().advance(Duration.ofDays(30));
            third = history.rotate(PROJECT, "rotation-3").output().path("newKey").path("keyId").asText();
            history.world.clock().advance(Duration.ofDays(2));
            history.archiveEvents(SandboxWorld.EVIDENCE_BUCKET);

            CliRun run = CliRun.of(history.status(), "status", "--project", PROJECT, "--lock-table", SandboxWorld.LOCK_TABLE,
                    "--evidence-bucket", SandboxWorld.EVIDENCE_BUCKET, "--html", page.toString());
            assertThat(run.exitCode()).as(run.toString()).isZero();
            assertThat(run.err()).contains("Timeline page written to " + page.toAbsolutePath());
        }
        String html = Files.readString(page);
        assertThat(html).as("self-contained: inline SVG, no script, no external asset")
                .doesNotContain("<script", "http://", "https://", "<link", "@import", "url(", "<img").contains("<svg");

        String dom = run(browser, "--dump-dom", page).stdout();
        assertThat(dom).contains("Project <span class=\"pid\">" + PROJECT + "</span>");
        assertThat(dom).contains(adopted, first, second, third);
        for (String state : List.of("destroyed", "deletion-scheduled", "retired", "active")) {
            assertThat(dom).contains("</span>" + state + "</td>");
        }
        assertThat(dom).contains("destroyed: KMS has no such key any more", "Snapshots holding each key, at each audit");

        Path shot = tmp.resolve("shot.png");
        run(browser, "--screenshot=" + shot, page);
        Path blankPage = tmp.resolve("blank.html");
        Files.writeString(blankPage, "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>blank</title></head><body></body></html>");
        Path blankShot = tmp.resolve("blank.png");
        run(browser, "--screenshot=" + blankShot, blankPage);

        byte[] png = Files.readAllBytes(shot);
        assertThat(png).startsWith(0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n');
        BufferedImage image = ImageIO.read(shot.toFile());
        BufferedImage blank = ImageIO.read(blankShot.toFile());
        assertThat(image.getWidth()).isEqualTo(WIDTH);
        assertThat(image.getHeight()).isEqualTo(HEIGHT);
        int colours = distinctColours(image);
        int blankColours = distinctColours(blank);
        long blankBytes = Files.size(blankShot);
        System.out.printf("status page screenshot: %d bytes, %d distinct colours; blank page: %d bytes, %d colours%n",
                png.length, colours, blankBytes, blankColours);
        assertThat(colours).as("the lanes' states, markers and text are drawn").isGreaterThan(blankColours + 20);
        assertThat((long) png.length).isGreaterThan(4 * blankBytes);
        // kept beside the build's output: docs/status-timeline.png is a copy of it
        Files.copy(shot, Path.of("target", "status-timeline.png"), StandardCopyOption.REPLACE_EXISTING);
    }

    private static int distinctColours(BufferedImage image) {
        Set<Integer> colours = new HashSet<>();
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                colours.add(image.getRGB(x, y));
            }
        }
        return colours.size();
    }

    private record Ran(String stdout, String stderr) {
    }

    /** Runs headless Chromium on a file with one action (dump its DOM, or take a screenshot), with a time limit. */
    private Ran run(Path browser, String action, Path file) throws IOException, InterruptedException {
        Path profile = Files.createTempDirectory(tmp, "profile");
        Path out = Files.createTempFile(tmp, "chromium", ".out");
        Path err = Files.createTempFile(tmp, "chromium", ".err");
        List<String> command = List.of(browser.toString(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--hide-scrollbars", "--user-data-dir=" + profile, "--window-size=" + WIDTH + "," + HEIGHT, action,
                file.toUri().toString());
        Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!process.waitFor(BROWSER_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            Assertions.fail("Chromium did not finish within " + BROWSER_TIMEOUT + ": " + command);
        }
        String stdout = Files.readString(out, StandardCharsets.UTF_8);
        String stderr = Files.readString(err, StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as("chromium %s\n%s", command, stderr).isZero();
        return new Ran(stdout, stderr);
    }
}
