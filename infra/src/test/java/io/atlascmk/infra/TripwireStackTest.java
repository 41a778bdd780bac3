package io.atlascmk.infra;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.atlascmk.infra.config.RotatorConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

/**
 * The tripwire in the template: a rule on the account's default bus with the pattern of
 * {@code events/tripwire-rule-pattern.json}, enabled for read-only management events, invoking the Rescue
 * function; no trail unless the configuration asks for one, and the synth output says what it needs.
 */
class TripwireStackTest {

    private static SynthesizedRotator synth;

    @BeforeAll
    static void synthesize() {
        synth = SynthesizedRotator.get();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> tripwireRule(Template template) {
        Map<String, Map<String, Object>> rules = (Map<String, Map<String, Object>>) (Map<?, ?>)
                template.findResources("AWS::Events::Rule");
        return rules.entrySet().stream().filter(e -> e.getKey().startsWith("Tripwire")).map(Map.Entry::getValue)
                .findFirst().orElseThrow();
    }

    @Test
    @SuppressWarnings("unchecked")
    void theRuleMatchesTheEventsFilesPattern_onTheDefaultBus_includingReadOnlyEvents_andInvokesRescue() throws IOException {
        Map<String, Object> props = (Map<String, Object>) tripwireRule(synth.template).get("Properties");

        assertThat(props).doesNotContainKey("EventBusName");
        assertThat(props.get("State")).isEqualTo("ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS");
        Object fromFile = new ObjectMapper().readValue(
                synth.alertRulePatternFile.resolveSibling("tripwire-rule-pattern.json").toFile(), Map.class);
        assertThat(props.get("EventPattern")).isEqualTo(fromFile);
        List<Map<String, Object>> targets = (List<Map<String, Object>>) props.get("Targets");
        assertThat(targets).singleElement().satisfies(t -> {
            assertThat(PolicyAudit.render(t.get("Arn"))).contains("FunctionsRescueAliaslive");
            assertThat(t).containsKey("DeadLetterConfig");
        });
    }

    @Test
    void aRescueIsEmailedWithTheOutcomes() {
        synth.template.hasResourceProperties("AWS::Events::Rule", Map.of("EventPattern", Map.of("source",
                List.of("atlas-cmk-rotator", "atlas-cmk-rotator.tripwire"))));
    }

    @Test
    void noTrailIsCreatedByDefault_andTheOutputSaysOneIsNeeded() {
        synth.template.resourceCountIs("AWS::CloudTrail::Trail", 0);
        synth.template.hasOutput("TripwireRequires", Map.of("Description", Match.stringLikeRegexp(
                ".*needs a CloudTrail trail logging management events.*")));
    }

    @Test
    void createTrail_createsAPrivateTrailOfAllManagementEvents(@TempDir Path dir) throws IOException {
        RotatorConfig sample = synth.config;
        RotatorConfig withTrail = new RotatorConfig(sample.atlasCredentialsSecretArn(), sample.createAtlasCredentialsSecret(),
                sample.webhookSecretArn(), sample.createWebhookSecret(), sample.notificationEmail(), sample.atlasBaseUrl(),
                sample.sweepSchedule(), sample.workflow(), sample.projects(), true);
        App app = new App(AppProps.builder().outdir(dir.resolve("cdk.out").toString()).build());
        Path jar = Files.write(dir.resolve("functions.jar"), new byte[] {'P', 'K', 5, 6, 0, 0, 0, 0, 0, 0, 0, 0,
                0, 0, 0, 0, 0, 0, 0, 0, 0, 0});

        Template template = Template.fromStack(new RotatorStack(app, "WithTrail", RotatorStackProps
                .forRepository(SynthesizedRotator.REPO_ROOT).config(withTrail).functionsAsset(jar).build()));

        template.hasResourceProperties("AWS::CloudTrail::Trail", Map.of(
                "IsLogging", true,
                "EventSelectors", Match.arrayWith(List.of(Match.objectLike(Map.of(
                        "IncludeManagementEvents", true, "ReadWriteType", "All"))))));
        template.hasResourceProperties("AWS::S3::Bucket", Map.of("PublicAccessBlockConfiguration", Map.of(
                "BlockPublicAcls", true, "BlockPublicPolicy", true, "IgnorePublicAcls", true, "RestrictPublicBuckets", true)));
        template.hasOutput("TripwireRequires", Map.of("Description", Match.stringLikeRegexp(".*trail this stack creates.*")));
    }
}
