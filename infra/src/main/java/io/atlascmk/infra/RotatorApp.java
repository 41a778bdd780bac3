package io.atlascmk.infra;

import io.atlascmk.infra.config.InvalidRotatorConfigException;
import io.atlascmk.infra.config.RotatorConfig;
import io.atlascmk.infra.config.RotatorConfigLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Environment;

/**
 * The CDK app ({@code cdk.json} runs it from {@code infra/}). Context values, all optional:
 * <ul>
 *   <li>{@code config}: the configuration file (default {@code rotator.config.json});</li>
 *   <li>{@code functionsJar}: the shaded functions jar (default
 *       {@code ../functions/target/functions-0.1.0-SNAPSHOT-lambda.jar}, built by
 *       {@code mvn -pl functions -am package});</li>
 *   <li>{@code repoRoot}: the checkout holding {@code statemachine/} and {@code events/} (default {@code ..});</li>
 *   <li>{@code stackName}: default {@value #DEFAULT_STACK_NAME}.</li>
 * </ul>
 * The stack is environment-agnostic unless the CDK CLI knows the account and region
 * ({@code CDK_DEFAULT_ACCOUNT}/{@code CDK_DEFAULT_REGION}), so {@code cdk synth} needs no AWS credentials.
 */
public final class RotatorApp {

    public static final String DEFAULT_STACK_NAME = "AtlasCmkRotator";
    public static final String DEFAULT_FUNCTIONS_JAR = "../functions/target/functions-0.1.0-SNAPSHOT-lambda.jar";

    private RotatorApp() {
    }

    public static void main(String[] args) {
        App app = new App();
        try {
            if (app.getNode().tryGetContext("keyAccountOf") != null) {
                keyAccountStackFrom(app);
            } else {
                stackFrom(app);
            }
        } catch (InvalidRotatorConfigException | FunctionsJarMissingException
                 | LambdaEnvironmentLimit.TooLargeException | IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        app.synth();
    }

    /**
     * Adds the rotator stack to {@code app} as its context describes.
     *
     * @throws InvalidRotatorConfigException when the configuration file is missing or breaks a rule
     * @throws FunctionsJarMissingException  when the functions jar has not been built
     * @throws LambdaEnvironmentLimit.TooLargeException when the projects' settings do not fit in the Preflight
     *                                       function's environment
     */
    public static RotatorStack stackFrom(App app) {
        Path configFile = Path.of(context(app, "config", "rotator.config.json"));
        Path functionsJar = Path.of(context(app, "functionsJar", DEFAULT_FUNCTIONS_JAR));
        Path repoRoot = Path.of(context(app, "repoRoot", ".."));
        String stackName = context(app, "stackName", DEFAULT_STACK_NAME);

        RotatorConfig config = RotatorConfigLoader.load(configFile);
        if (!Files.isRegularFile(functionsJar)) {
            throw new FunctionsJarMissingException(functionsJar);
        }
        return new RotatorStack(app, stackName, RotatorStackProps.forRepository(repoRoot)
                .config(config)
                .functionsAsset(functionsJar)
                .env(environment())
                .build());
    }

    /**
     * The member stack of an account that holds project keys ({@link KeyAccountStack}), named
     * {@code <stackName>-key-account}: context {@code keyAccountOf} (the rotator stack's account) and {@code externalId},
     * with the same {@code config} and {@code stackName} as the rotator stack.
     */
    public static KeyAccountStack keyAccountStackFrom(App app) {
        Path configFile = Path.of(context(app, "config", "rotator.config.json"));
        String stackName = context(app, "stackName", DEFAULT_STACK_NAME);
        RotatorConfig config = RotatorConfigLoader.load(configFile);
        Path repoRoot = Path.of(context(app, "repoRoot", ".."));
        return new KeyAccountStack(app, stackName + "-key-account", software.amazon.awscdk.StackProps.builder()
                .env(environment()).build(), config, stackName, context(app, "keyAccountOf", null),
                context(app, "externalId", null),
                repoRoot.resolve("events").resolve("tripwire-rule-pattern.json"));
    }

    /** The shaded functions jar the stack deploys has not been built (or was given a wrong path). */
    public static final class FunctionsJarMissingException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        FunctionsJarMissingException(Path jar) {
            super("The functions jar " + jar.toAbsolutePath().normalize() + " does not exist: build it first with "
                    + "`mvn -pl functions -am package -DskipTests` from the repository root, or pass its path "
                    + "with -c functionsJar=PATH");
        }
    }

    private static String context(App app, String key, String fallback) {
        Object value = app.getNode().tryGetContext(key);
        return value == null ? fallback : value.toString();
    }

    /** The CLI's account and region when it has them; otherwise null, an environment-agnostic stack. */
    private static Environment environment() {
        String account = System.getenv("CDK_DEFAULT_ACCOUNT");
        String region = System.getenv("CDK_DEFAULT_REGION");
        if (account == null || region == null) {
            return null;
        }
        return Environment.builder().account(account).region(region).build();
    }
}
