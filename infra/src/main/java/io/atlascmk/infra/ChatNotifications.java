package io.atlascmk.infra;

import io.atlascmk.infra.config.ChatbotConfig;
import java.util.List;
import software.amazon.awscdk.Aws;
import software.amazon.awscdk.services.chatbot.CfnMicrosoftTeamsChannelConfiguration;
import software.amazon.awscdk.services.chatbot.CfnSlackChannelConfiguration;
import software.amazon.awscdk.services.iam.ManagedPolicy;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.sns.ITopic;
import software.constructs.Construct;

/**
 * The outcome topic (every outcome and alarm) delivered to a Slack and/or Microsoft Teams channel through AWS
 * Chatbot, when the configuration has {@code chatbot}. The channel's role may only read CloudWatch (what Chatbot
 * needs to show an alarm's graph), and its guardrail, the ceiling of whatever a channel member could run through
 * Chatbot, is the managed {@value #GUARDRAIL_POLICY}: read-only, nothing of KMS, Secrets Manager or the functions.
 * Chatbot logs only its errors.
 */
public final class ChatNotifications extends Construct {

    /** The guardrail: read-only CloudWatch (ReadOnlyAccess would let a channel read far more). */
    public static final String GUARDRAIL_POLICY = "CloudWatchReadOnlyAccess";
    public static final String LOGGING_LEVEL = "ERROR";

    /** What the chat delivery is built from. */
    public record Props(ChatbotConfig config, ITopic topic, String deployment) {
    }

    private final Role role;

    public ChatNotifications(Construct scope, String id, Props props) {
        super(scope, id);
        role = Role.Builder.create(this, "ChannelRole")
                .description("AWS Chatbot's role for the Atlas CMK Rotator's channels: reads CloudWatch alarms and metrics only")
                .assumedBy(new ServicePrincipal("chatbot.amazonaws.com"))
                .build();
        // AWS Chatbot's "Notifications only" permissions: the alarm's details and graph in the message.
        role.addToPolicy(PolicyStatement.Builder.create()
                .sid("ShowAlarmsAndTheirGraphs")
                .actions(List.of("cloudwatch:Describe*", "cloudwatch:Get*", "cloudwatch:List*"))
                .resources(List.of("*"))
                .build());
        NagAcknowledgments.chatbotRole(role);
        String guardrail = ManagedPolicy.fromAwsManagedPolicyName(GUARDRAIL_POLICY).getManagedPolicyArn();
        String namePrefix = props.deployment() + "-" + Aws.REGION;
        ChatbotConfig.Slack slack = props.config().slack();
        if (slack != null) {
            CfnSlackChannelConfiguration.Builder.create(this, "Slack")
                    .configurationName(namePrefix + "-slack")
                    .slackWorkspaceId(slack.workspaceId())
                    .slackChannelId(slack.channelId())
                    .iamRoleArn(role.getRoleArn())
                    .snsTopicArns(List.of(props.topic().getTopicArn()))
                    .guardrailPolicies(List.of(guardrail))
                    .loggingLevel(LOGGING_LEVEL)
                    .userRoleRequired(false)
                    .build();
        }
        ChatbotConfig.Teams teams = props.config().teams();
        if (teams != null) {
            CfnMicrosoftTeamsChannelConfiguration.Builder.create(this, "Teams")
                    .configurationName(namePrefix + "-teams")
                    .teamsTenantId(teams.tenantId())
                    .teamId(teams.teamId())
                    .teamsChannelId(teams.channelId())
                    .iamRoleArn(role.getRoleArn())
                    .snsTopicArns(List.of(props.topic().getTopicArn()))
                    .guardrailPolicies(List.of(guardrail))
                    .loggingLevel(LOGGING_LEVEL)
                    .userRoleRequired(false)
                    .build();
        }
    }

    public Role role() {
        return role;
    }
}
