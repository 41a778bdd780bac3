package io.atlascmk.infra;

import static org.assertj.core.api.Assertions.assertThat;

import io.atlascmk.infra.config.RotatorConfigLoader;
import io.github.cdklabs.cdknag.AwsSolutionsChecks;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awscdk.App;
import software.amazon.awscdk.PolicyValidationPluginReport;
import software.amazon.awscdk.PolicyViolation;

/** cdk-nag's AwsSolutions pack over the stack: no finding may stand unsuppressed. */
class CdkNagTest {

    @ParameterizedTest(name = "createTrail={0}, fleet={0}")
    @ValueSource(booleans = {false, true})
    void theStackHasNoUnsuppressedAwsSolutionsFinding(boolean createTrailAndFleet) throws IOException {
        RotatorStack stack = SynthesizedRotator.stack("NagUnderTest", config(createTrailAndFleet));
        App app = (App) stack.getNode().getScope();
        app.synth();
        PolicyValidationPluginReport report = new AwsSolutionsChecks().validateScope(stack);
        List<String> findings = new ArrayList<>();
        for (PolicyViolation v : report.getViolations()) {
            v.getViolatingResources().forEach(r -> findings.add(v.getRuleName() + " " + r.getResourceLogicalId() + ": "
                    + v.getDescription().split("\n")[0]));
        }
        findings.forEach(System.out::println);
        assertThat(findings).isEmpty();
    }

    /** The sample configuration, with or without the stack creating the tripwire's trail and the fleet run. */
    private static io.atlascmk.infra.config.RotatorConfig config(boolean createTrailAndFleet) throws IOException {
        com.fasterxml.jackson.databind.node.ObjectNode json = (com.fasterxml.jackson.databind.node.ObjectNode)
                InfraJson.MAPPER.readTree(SynthesizedRotator.CONFIG_FILE.toFile());
        json.put("createTrail", createTrailAndFleet);
        if (createTrailAndFleet) {
            json.putObject("fleet").put("maxConcurrency", 3);
        }
        return RotatorConfigLoader.parse(SynthesizedRotator.CONFIG_FILE, json.toString());
    }
}
