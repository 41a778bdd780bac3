package io.atlascmk.infra.config;

/**
 * Optional delivery of the outcome topic (every outcome and alarm) to a chat channel through AWS Chatbot
 * ({@code "chatbot": {...}} in {@code rotator.config.json}): a Slack channel, a Microsoft Teams channel, or both.
 * Each workspace or team must be authorized once in the AWS Chatbot console before the deploy (Configure new client);
 * the ids below are the ones that authorization and the channel's link show.
 *
 * @param slack a Slack channel, or null
 * @param teams a Microsoft Teams channel, or null
 */
public record ChatbotConfig(Slack slack, Teams teams) {

    /**
     * A Slack channel.
     *
     * @param workspaceId the workspace (team) id, such as {@code T07EA123LEP}: the AWS Chatbot console shows it once the
     *                    workspace is authorized
     * @param channelId   the channel id, such as {@code C07EZ1ABC23} (the end of the channel's link, not its #name);
     *                    a private channel must invite {@code @aws} first
     */
    public record Slack(String workspaceId, String channelId) {
    }

    /**
     * A Microsoft Teams channel; the three ids are in the channel's link (Get link to channel).
     *
     * @param tenantId  the Microsoft Entra tenant id (a UUID, {@code tenantId=} in the link)
     * @param teamId    the team id (a UUID, {@code groupId=} in the link)
     * @param channelId the channel id as it stands in the link, URL-encoded, such as
     *                  {@code 19%3ab6ef35dc342d56ba5654e6fc6d25a071%40thread.tacv2}
     */
    public record Teams(String tenantId, String teamId, String channelId) {
    }
}
