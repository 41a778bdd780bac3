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

    @ParameterizedTest(name = "createTrail={0}, fleet={0}, chatbot={0}")
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

    /** The sample configuration, with or without the stack creating the tripwire's trail, the fleet run and chat delivery. */
    private static io.atlascmk.infra.config.RotatorConfig config(boolean createTrailAndFleet) throws IOException {
        com.fasterxml.jackson.databind.node.ObjectNode json = (com.fasterxml.jackson.databind.node.ObjectNode)
                InfraJson.MAPPER.readTree(SynthesizedRotator.CONFIG_FILE.toFile());
        json.put("createTrail", createTrailAndFleet);
        if (createTrailAndFleet) {
            json.putObject("fleet").put("maxConcurrency", 3);
            // and chat delivery of the outcome topic (its Chatbot role)
            com.fasterxml.jackson.databind.node.ObjectNode chatbot = json.putObject("chatbot");
            chatbot.putObject("slack").put("workspaceId", "T07EA123LEP").put("channelId", "C07EZ1ABC23");
            chatbot.putObject("teams").put("tenantId", "8a1e6f42-3c9b-4d7e-9f10-2b5c7d8e9a01")
                    .put("teamId", "5d2c9e1f-7a3b-4c8d-b6e0-1f2a3b4c5d6e")
                    .put("channelId", "19%3ab6ef35dc342d56ba5654e6fc6d25a071%40thread.tacv2");
        }
        return RotatorConfigLoader.parse(SynthesizedRotator.CONFIG_FILE, json.toString());
    }
}
