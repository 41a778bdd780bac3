package io.atlascmk.infra;

import io.atlascmk.infra.config.RotatorConfig;
import java.nio.file.Path;
import java.util.Objects;
import software.amazon.awscdk.Environment;

/**
 * What {@link RotatorStack} is built from: the validated configuration and the three files it deploys or
 * reads (the functions jar, the workflow definition and the alert rule's event pattern). Paths are given
 * rather than found so tests can point the functions asset at a small stand-in.
 */
public final class RotatorStackProps {

    private final RotatorConfig config;
    private final Path functionsAsset;
    private final Path definitionFile;
    private final Path alertRulePatternFile;
    private final Environment env;
    private final String description;

    private RotatorStackProps(Builder builder) {
        this.config = Objects.requireNonNull(builder.config, "config");
        this.functionsAsset = Objects.requireNonNull(builder.functionsAsset, "functionsAsset");
        this.definitionFile = Objects.requireNonNull(builder.definitionFile, "definitionFile");
        this.alertRulePatternFile = Objects.requireNonNull(builder.alertRulePatternFile, "alertRulePatternFile");
        this.env = builder.env;
        this.description = builder.description;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Props for a checkout rooted at {@code repoRoot}: the workflow at {@code statemachine/rotation.asl.json}
     * and the alert pattern at {@code events/alert-rule-pattern.json}.
     */
    public static Builder forRepository(Path repoRoot) {
        return builder()
                .definitionFile(repoRoot.resolve("statemachine").resolve("rotation.asl.json"))
                .alertRulePatternFile(repoRoot.resolve("events").resolve("alert-rule-pattern.json"));
    }

    public RotatorConfig config() {
        return config;
    }

    /** The shaded functions jar (or, in tests, any .jar/.zip file or directory) deployed as every function's code. */
    public Path functionsAsset() {
        return functionsAsset;
    }

    public Path definitionFile() {
        return definitionFile;
    }

    public Path alertRulePatternFile() {
        return alertRulePatternFile;
    }

    /** The tripwire rule's event pattern: {@code tripwire-rule-pattern.json} beside the alert pattern, in events/. */
    public Path tripwireRulePatternFile() {
        return alertRulePatternFile.resolveSibling("tripwire-rule-pattern.json");
    }

    /** The target account and region, or null for an environment-agnostic stack. */
    public Environment env() {
        return env;
    }

    public String description() {
        return description;
    }

    public static final class Builder {
        private RotatorConfig config;
        private Path functionsAsset;
        private Path definitionFile;
        private Path alertRulePatternFile;
        private Environment env;
        private String description = "Atlas CMK Rotator: rotates the AWS KMS key of MongoDB Atlas encryption at rest";

        private Builder() {
        }

        public Builder config(RotatorConfig config) {
            this.config = config;
            return this;
        }

        public Builder functionsAsset(Path functionsAsset) {
            this.functionsAsset = functionsAsset;
            return this;
        }

        public Builder definitionFile(Path definitionFile) {
            this.definitionFile = definitionFile;
            return this;
        }

        public Builder alertRulePatternFile(Path alertRulePatternFile) {
            this.alertRulePatternFile = alertRulePatternFile;
            return this;
        }

        public Builder env(Environment env) {
            this.env = env;
            return this;
        }

        public Builder description(String description) {
            this.description = description;
            return this;
        }

        public RotatorStackProps build() {
            return new RotatorStackProps(this);
        }
    }
}
