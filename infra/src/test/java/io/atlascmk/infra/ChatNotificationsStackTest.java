package io.atlascmk.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.atlascmk.infra.config.InvalidRotatorConfigException;
import io.atlascmk.infra.config.RotatorConfig;
import io.atlascmk.infra.config.RotatorConfigLoader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awscdk.assertions.Template;

/**
 * AWS Chatbot delivery of the outcome topic: none by default; with {@code chatbot.slack} / {@code chatbot.teams} one
 * channel configuration each, subscribed to the topic, with a CloudWatch-read-only role and guardrail and error logging
 * only; a wrong {@code chatbot} refused with the field named.
 */
class ChatNotificationsStackTest {

    private static final String WORKSPACE = "T07EA123LEP";
    private static final String SLACK_CHANNEL = "C07EZ1ABC23";
    private static final String TENANT = "8a1e6f42-3c9b-4d7e-9f10-2b5c7d8e9a01";
    private static final String TEAM = "5d2c9e1f-7a3b-4c8d-b6e0-1f2a3b4c5d6e";
    private static final String TEAMS_CHANNEL = "19%3ab6ef35dc342d56ba5654e6fc6d25a071%40thread.tacv2";
    private static final Map<String, Object> GUARDRAIL = Map.of("Fn::Join", List.of("", List.of(
            "arn:", Map.of("Ref", "AWS::Partition"), ":iam::aws:policy/CloudWatchReadOnlyAccess")));

    private static Template slackAndTeams;

    @BeforeAll
    static void synthesizeWithBothChannels() throws IOException {
        slackAndTeams = Template.fromStack(SynthesizedRotator.stack("ChatUnderTest", config(json -> {
            ObjectNode chatbot = json.putObject("chatbot");
            chatbot.putObject("slack").put("workspaceId", WORKSPACE).put("channelId", SLACK_CHANNEL);
            chatbot.putObject("teams").put("tenantId", TENANT).put("teamId", TEAM).put("channelId", TEAMS_CHANNEL);
        })));
    }

    /** The sample configuration, changed by {@code edit}. */
    private static RotatorConfig config(Consumer<ObjectNode> edit) throws IOException {
        ObjectNode json = (ObjectNode) InfraJson.MAPPER.readTree(SynthesizedRotator.CONFIG_FILE.toFile());
        edit.accept(json);
        return RotatorConfigLoader.parse(SynthesizedRotator.CONFIG_FILE, json.toString());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Map<String, Object>> resourcesOf(Template template, String type) {
        return (Map<String, Map<String, Object>>) (Map<?, ?>) template.findResources(type);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> props(Map<String, Object> resource) {
        return (Map<String, Object>) resource.get("Properties");
    }

    private static Map<String, Object> only(Template template, String type) {
        Map<String, Map<String, Object>> found = resourcesOf(template, type);
        assertThat(found).as(type).hasSize(1);
        return props(found.values().iterator().next());
    }

    private static Map<String, Object> topicRef(Template template) {
        return Map.of("Ref", resourcesOf(template, "AWS::SNS::Topic").keySet().iterator().next());
    }

    @Test
    void noChatDeliveryByDefault() {
        Template sample = SynthesizedRotator.get().template;
        sample.resourceCountIs("AWS::Chatbot::SlackChannelConfiguration", 0);
        sample.resourceCountIs("AWS::Chatbot::MicrosoftTeamsChannelConfiguration", 0);
        assertThat(resourcesOf(sample, "AWS::IAM::Role").keySet()).noneMatch(id -> id.startsWith("Chat"));
        assertThat(SynthesizedRotator.get().config.chatbot()).isNull();
    }

    @Test
    void slack_oneChannelConfiguration_subscribedToTheTopic_readOnlyGuardrail_errorsLoggedOnly() {
        Map<String, Object> slack = only(slackAndTeams, "AWS::Chatbot::SlackChannelConfiguration");
        assertThat(slack).containsEntry("SlackWorkspaceId", WORKSPACE)
                .containsEntry("SlackChannelId", SLACK_CHANNEL)
                .containsEntry("SnsTopicArns", List.of(topicRef(slackAndTeams)))
                .containsEntry("GuardrailPolicies", List.of(GUARDRAIL))
                .containsEntry("LoggingLevel", "ERROR")
                .containsEntry("UserRoleRequired", false)
                .containsEntry("IamRoleArn", Map.of("Fn::GetAtt", List.of(chatRole(), "Arn")));
        assertThat(PolicyAudit.render(slack.get("ConfigurationName"))).isEqualTo("ChatUnderTest-${Ref:AWS::Region}-slack");
    }

    @Test
    void teams_oneChannelConfiguration_subscribedToTheTopic_readOnlyGuardrail_errorsLoggedOnly() {
        Map<String, Object> teams = only(slackAndTeams, "AWS::Chatbot::MicrosoftTeamsChannelConfiguration");
        assertThat(teams).containsEntry("TeamsTenantId", TENANT)
                .containsEntry("TeamId", TEAM)
                .containsEntry("TeamsChannelId", TEAMS_CHANNEL)
                .containsEntry("SnsTopicArns", List.of(topicRef(slackAndTeams)))
                .containsEntry("GuardrailPolicies", List.of(GUARDRAIL))
                .containsEntry("LoggingLevel", "ERROR")
                .containsEntry("IamRoleArn", Map.of("Fn::GetAtt", List.of(chatRole(), "Arn")));
    }

    private static String chatRole() {
        return resourcesOf(slackAndTeams, "AWS::IAM::Role").keySet().stream().filter(id -> id.startsWith("Chat"))
                .findFirst().orElseThrow();
    }

    @Test
    @SuppressWarnings("unchecked")
    void theChannelsRole_isChatbots_andMayOnlyReadCloudWatch() {
        Map<String, Object> role = props(resourcesOf(slackAndTeams, "AWS::IAM::Role").get(chatRole()));
        assertThat(PolicyAudit.render(role.get("AssumeRolePolicyDocument"))).contains("chatbot.amazonaws.com");
        assertThat(role).doesNotContainKey("ManagedPolicyArns");
        List<Map<String, Object>> statements = new ArrayList<>();
        resourcesOf(slackAndTeams, "AWS::IAM::Policy").values().stream()
                .filter(p -> PolicyAudit.render(props(p).get("Roles")).contains(chatRole()))
                .forEach(p -> statements.addAll(PolicyAudit.statements(props(p).get("PolicyDocument"))));
        assertThat(statements).singleElement().satisfies(s -> assertThat(PolicyAudit.strings(s.get("Action")))
                .containsExactlyInAnyOrder("cloudwatch:Describe*", "cloudwatch:Get*", "cloudwatch:List*"));
    }

    @Test
    void slackAlone_createsNoTeamsConfiguration() throws IOException {
        Template template = Template.fromStack(SynthesizedRotator.stack("SlackOnly", config(json -> json.putObject("chatbot")
                .putObject("slack").put("workspaceId", WORKSPACE).put("channelId", SLACK_CHANNEL))));
        template.resourceCountIs("AWS::Chatbot::SlackChannelConfiguration", 1);
        template.resourceCountIs("AWS::Chatbot::MicrosoftTeamsChannelConfiguration", 0);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "chatbot.slack.workspaceId is missing | {\"slack\": {\"channelId\": \"C07EZ1ABC23\"}}",
            "chatbot.slack.channelId is \"#ops\" | {\"slack\": {\"workspaceId\": \"T07EA123LEP\", \"channelId\": \"#ops\"}}",
            "chatbot.teams.tenantId is \"contoso\" | {\"teams\": {\"tenantId\": \"contoso\", \"teamId\": \"" + TEAM
                    + "\", \"channelId\": \"" + TEAMS_CHANNEL + "\"}}",
            "chatbot.teams.teamId is missing | {\"teams\": {\"tenantId\": \"" + TENANT + "\", \"channelId\": \""
                    + TEAMS_CHANNEL + "\"}}",
            "chatbot.teams.channelId is \"19:b6ef35dc342d56ba5654e6fc6d25a071@thread.tacv2\" | {\"teams\": {\"tenantId\": \""
                    + TENANT + "\", \"teamId\": \"" + TEAM + "\", \"channelId\": \"19:b6ef35dc342d56ba5654e6fc6d25a071@thread.tacv2\"}}",
            "chatbot names no channel | {}",
            "chatbot.slack.channel is not a known field | {\"slack\": {\"workspaceId\": \"T07EA123LEP\", \"channel\": \"C1\"}}",
            "chatbot.slack has the wrong type | {\"slack\": \"C07EZ1ABC23\"}"})
    void aWrongChatbotConfiguration_isRefused_namingTheField(String expected, String chatbot) {
        assertThatThrownBy(() -> config(json -> {
            try {
                json.set("chatbot", InfraJson.MAPPER.readTree(chatbot));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        })).isInstanceOf(InvalidRotatorConfigException.class).hasMessageContaining(expected);
    }
}
