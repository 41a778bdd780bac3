package io.atlascmk.infra;

import io.atlascmk.infra.config.RotatorConfig;
import io.atlascmk.infra.config.RotatorConfigLoader;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.cxapi.CloudAssembly;

/**
 * The rotator stack synthesized once per test JVM from the sample {@code infra/rotator.config.json} (CDK
 * synthesis is slow: every test class shares this one). The functions jar is a small stand-in made here, so
 * these tests never build the functions module.
 */
final class SynthesizedRotator {

    static final Path REPO_ROOT = Path.of(System.getProperty("rotator.repo.root", "..")).toAbsolutePath().normalize();
    static final Path CONFIG_FILE = REPO_ROOT.resolve("infra").resolve("rotator.config.json");

    private static SynthesizedRotator instance;

    final RotatorConfig config;
    final RotatorStack stack;
    final Template template;
    final Path assemblyDirectory;
    final Path definitionFile;
    final Path alertRulePatternFile;

    private SynthesizedRotator() {
        try {
            Path work = Files.createTempDirectory("rotator-synth");
            Path jar = standInJar(work.resolve("functions-stand-in-lambda.jar"));
            config = RotatorConfigLoader.load(CONFIG_FILE);
            App app = new App(AppProps.builder().outdir(work.resolve("cdk.out").toString()).build());
            RotatorStackProps props = RotatorStackProps.forRepository(REPO_ROOT)
                    .config(config)
                    .functionsAsset(jar)
                    .build();
            definitionFile = props.definitionFile();
            alertRulePatternFile = props.alertRulePatternFile();
            stack = new RotatorStack(app, "RotatorUnderTest", props);
            CloudAssembly assembly = app.synth();
            assemblyDirectory = Path.of(assembly.getDirectory());
            template = Template.fromStack(stack);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static synchronized SynthesizedRotator get() {
        if (instance == null) {
            instance = new SynthesizedRotator();
        }
        return instance;
    }

    /** The synthesized CloudFormation template as plain maps and lists. */
    Map<String, Object> json() {
        return template.toJSON();
    }

    /**
     * A stack of this repository's files with {@code config}, synthesized into a fresh folder (the app's
     * output directory) with a stand-in functions jar.
     */
    static RotatorStack stack(String name, RotatorConfig config) throws IOException {
        return stack(name, config, Map.of());
    }

    /** As {@link #stack(String, RotatorConfig)}, with CDK context (for example a higher resource limit). */
    static RotatorStack stack(String name, RotatorConfig config, Map<String, Object> context) throws IOException {
        Path work = Files.createTempDirectory("rotator-" + name);
        Path jar = standInJar(work.resolve("functions-stand-in-lambda.jar"));
        App app = new App(AppProps.builder().outdir(work.resolve("cdk.out").toString()).context(context).build());
        return new RotatorStack(app, name, RotatorStackProps.forRepository(REPO_ROOT).config(config).functionsAsset(jar).build());
    }

    /** A tiny valid jar: CDK only stages it as the asset, nothing runs it. */
    private static Path standInJar(Path jar) throws IOException {
        try (OutputStream out = Files.newOutputStream(jar); ZipOutputStream zip = new ZipOutputStream(out)) {
            zip.putNextEntry(new ZipEntry("README.txt"));
            zip.write("stand-in for functions-0.1.0-SNAPSHOT-lambda.jar".getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
        }
        return jar;
    }
}
