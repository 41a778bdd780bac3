package io.atlascmk.infra.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks a {@link RotatorConfig} and says, for every problem, which field is wrong, what its value is
 * and what to write instead. Returns all problems at once so a user fixes the file in one go.
 */
public final class RotatorConfigValidator {

    private static final Pattern OBJECT_ID = Pattern.compile("[0-9a-f]{24}");
    private static final Pattern AWS_REGION = Pattern.compile("[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\\d{1,2}");
    private static final Pattern RATE = Pattern.compile("rate\\((\\d+) (minute|minutes|hour|hours|day|days)\\)");
    private static final Pattern CRON = Pattern.compile("cron\\(([^()\\s]+(\\s+[^()\\s]+){5})\\)");
    private static final Pattern IAM_PRINCIPAL_ARN = Pattern.compile(
            "arn:aws(-[a-z]+)*:(iam::\\d{12}:(root|user/[\\w+=,.@/-]+|role/[\\w+=,.@/-]+)"
                    + "|sts::\\d{12}:assumed-role/[\\w+=,.@/-]+)");
    private static final Pattern SECRET_ARN = Pattern.compile(
            "arn:aws(-[a-z]+)*:secretsmanager:[a-z0-9-]+:\\d{12}:secret:[\\w/+=.@-]+");
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");
    private static final Pattern CLUSTER_NAME = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9-]{0,63}");

    /** KMS accepts a deletion waiting period of 7 to 30 days. */
    public static final int MIN_PENDING_WINDOW_DAYS = 7;
    public static final int MAX_PENDING_WINDOW_DAYS = 30;

    private RotatorConfigValidator() {
    }

    /** Every problem of {@code config}, each naming its field; empty when the configuration is usable. */
    private static final java.util.regex.Pattern LOCK_TABLE_NAME = java.util.regex.Pattern.compile("^[A-Za-z0-9_.-]{3,255}$");

    public static List<String> validate(RotatorConfig config) {
        List<String> errors = new ArrayList<>();
        if (config == null) {
            errors.add("the configuration file is empty: write a JSON object with at least \"projects\" and "
                    + "\"notificationEmail\" (see infra/rotator.config.json in the repository)");
            return errors;
        }
        secretChoice(errors, "atlasCredentialsSecretArn", config.atlasCredentialsSecretArn(),
                "createAtlasCredentialsSecret", config.createAtlasCredentialsSecret());
        secretChoice(errors, "webhookSecretArn", config.webhookSecretArn(),
                "createWebhookSecret", config.createWebhookSecret());
        notificationEmail(errors, config.notificationEmail());
        atlasBaseUrl(errors, config.atlasBaseUrl());
        if (config.lockTableName() != null && !LOCK_TABLE_NAME.matcher(config.lockTableName()).matches()) {
            errors.add("lockTableName is \"" + config.lockTableName() + "\": a DynamoDB table name is 3 to 255 letters,"
                    + " digits, _ . or - (give the LockTableName output of the stack that created the table, or leave"
                    + " it out to have this stack create one)");
        }
        if (config.sweepSchedule() != null) {
            scheduleExpression(errors, "sweepSchedule", config.sweepSchedule());
        }
        if (config.workflow() != null) {
            workflow(errors, config.workflow());
        }
        if (config.fleet() != null) {
            between(errors, "fleet.maxConcurrency", config.fleet().maxConcurrency(), 1, FleetConfig.MAX_CONCURRENCY);
        }
        if (config.chatbot() != null) {
            chatbot(errors, config.chatbot());
        }
        projects(errors, config.projects());
        return List.copyOf(errors);
    }

    /** Slack's workspace (team) and channel ids: upper-case letters and digits (AWS Chatbot's own pattern). */
    private static final Pattern SLACK_ID = Pattern.compile("[0-9A-Z]{1,255}");
    private static final Pattern UUID = Pattern.compile("[0-9A-Fa-f]{8}(-[0-9A-Fa-f]{4}){3}-[0-9A-Fa-f]{12}");
    /** A Teams channel id as its link carries it, URL-encoded ({@code 19%3a...%40thread.tacv2}): AWS Chatbot's pattern. */
    private static final Pattern TEAMS_CHANNEL_ID = Pattern.compile(
            "[a-zA-Z0-9-_=+/.,]*%3[aA][a-zA-Z0-9-_=+/.,]*%40[a-zA-Z0-9-_=+/.,]*");

    private static void chatbot(List<String> errors, ChatbotConfig chatbot) {
        if (chatbot.slack() == null && chatbot.teams() == null) {
            errors.add("chatbot names no channel: give \"slack\": {\"workspaceId\", \"channelId\"} and/or \"teams\":"
                    + " {\"tenantId\", \"teamId\", \"channelId\"}, or remove chatbot to deliver by e-mail only");
        }
        if (chatbot.slack() != null) {
            ChatbotConfig.Slack slack = chatbot.slack();
            slackId(errors, "chatbot.slack.workspaceId", slack.workspaceId(), "the Slack workspace id, such as"
                    + " T07EA123LEP, which the AWS Chatbot console shows once you authorize the workspace there");
            slackId(errors, "chatbot.slack.channelId", slack.channelId(), "the Slack channel id, such as C07EZ1ABC23"
                    + " (the end of the channel's link, not its #name)");
        }
        if (chatbot.teams() != null) {
            ChatbotConfig.Teams teams = chatbot.teams();
            uuid(errors, "chatbot.teams.tenantId", teams.tenantId(), "the Microsoft Entra tenant id (tenantId= in the"
                    + " channel's link)");
            uuid(errors, "chatbot.teams.teamId", teams.teamId(), "the team id (groupId= in the channel's link)");
            String channel = teams.channelId();
            if (channel == null || channel.isBlank()) {
                errors.add("chatbot.teams.channelId is missing: give the channel id from the channel's link,"
                        + " URL-encoded as it stands there, such as 19%3ab6ef35dc342d56ba5654e6fc6d25a071%40thread.tacv2");
            } else if (!TEAMS_CHANNEL_ID.matcher(channel).matches()) {
                errors.add("chatbot.teams.channelId is \"" + channel + "\": give the channel id from the channel's link,"
                        + " URL-encoded as it stands there (19%3a...%40thread.tacv2), not the decoded 19:...@thread.tacv2"
                        + " nor the channel's name");
            }
        }
    }

    private static void slackId(List<String> errors, String field, String value, String what) {
        if (value == null || value.isBlank()) {
            errors.add(field + " is missing: give " + what);
        } else if (!SLACK_ID.matcher(value).matches()) {
            errors.add(field + " is \"" + value + "\": it must be upper-case letters and digits only; give " + what);
        }
    }

    private static void uuid(List<String> errors, String field, String value, String what) {
        if (value == null || value.isBlank()) {
            errors.add(field + " is missing: give " + what + ", a UUID such as 8a1e6f42-3c9b-4d7e-9f10-2b5c7d8e9a01");
        } else if (!UUID.matcher(value).matches()) {
            errors.add(field + " is \"" + value + "\": it must be a UUID such as 8a1e6f42-3c9b-4d7e-9f10-2b5c7d8e9a01;"
                    + " give " + what);
        }
    }

    private static void secretChoice(List<String> errors, String arnField, String arn, String createField,
                                     Boolean create) {
        boolean creates = Boolean.TRUE.equals(create);
        if (arn != null && creates) {
            errors.add(arnField + " is set and " + createField + " is true: choose one, either the ARN of an "
                    + "existing secret or " + createField + ": true for a new empty one");
        } else if (arn == null && !creates) {
            errors.add(arnField + " is missing: give the ARN of an existing Secrets Manager secret, or set "
                    + createField + " to true to have the stack create one you fill after deploying");
        } else if (arn != null && !SECRET_ARN.matcher(arn).matches()) {
            errors.add(arnField + " is \"" + arn + "\": it must be a Secrets Manager secret ARN "
                    + "(arn:aws:secretsmanager:REGION:ACCOUNT:secret:NAME)");
        }
    }

    private static void notificationEmail(List<String> errors, String email) {
        if (email == null || email.isBlank()) {
            errors.add("notificationEmail is missing: give the e-mail address that receives rotation outcomes "
                    + "and alarms");
        } else if (!EMAIL.matcher(email).matches()) {
            errors.add("notificationEmail is \"" + email + "\": it must be one e-mail address like ops@example.com");
        }
    }

    private static void atlasBaseUrl(List<String> errors, String url) {
        if (url == null) {
            return;
        }
        String problem = null;
        try {
            URI uri = new URI(url);
            if (!"https".equals(uri.getScheme()) || uri.getHost() == null) {
                problem = "it must be an https URL such as https://cloud.mongodb.com";
            } else if (uri.getQuery() != null || uri.getFragment() != null) {
                problem = "it must not have a query or fragment";
            }
        } catch (URISyntaxException e) {
            problem = "it is not a valid URL";
        }
        if (problem != null) {
            errors.add("atlasBaseUrl is \"" + url + "\": " + problem + " (leave it out to use the default)");
        }
    }

    private static void workflow(List<String> errors, WorkflowDefaults w) {
        atLeast(errors, "workflow.cooldownDays", w.cooldownDays(), 0);
        pendingWindow(errors, "workflow.pendingWindowDays", w.pendingWindowDays());
        between(errors, "workflow.settleSeconds", w.settleSeconds(), 0, WorkflowDefaults.MAX_SETTLE_SECONDS);
        between(errors, "workflow.deploymentDeadlineSeconds", w.deploymentDeadlineSeconds(), 60,
                WorkflowDefaults.MAX_DEPLOYMENT_DEADLINE_SECONDS);
        atLeast(errors, "workflow.firstWaitSeconds", w.firstWaitSeconds(), 1);
        atLeast(errors, "workflow.maxWaitSeconds", w.maxWaitSeconds(), 1);
        atLeast(errors, "workflow.retryMaxDelaySeconds", w.retryMaxDelaySeconds(), 1);
        WorkflowDefaults effective = w.effective();
        if (effective.maxWaitSeconds() < effective.firstWaitSeconds()) {
            errors.add("workflow.maxWaitSeconds is " + effective.maxWaitSeconds() + ": it must be at least "
                    + "workflow.firstWaitSeconds (" + effective.firstWaitSeconds() + "), the wait only grows");
        }
    }

    private static void projects(List<String> errors, List<ProjectConfig> projects) {
        if (projects == null || projects.isEmpty()) {
            errors.add("projects is missing or empty: list at least one Atlas project to rotate");
            return;
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < projects.size(); i++) {
            String at = "projects[" + i + "]";
            ProjectConfig p = projects.get(i);
            if (p == null) {
                errors.add(at + " is null: write the project as a JSON object");
                continue;
            }
            objectId(errors, at + ".projectId", p.projectId(), "the id in the Atlas project's URL");
            if (p.projectId() != null && !seen.add(p.projectId())) {
                errors.add(at + ".projectId " + p.projectId() + " is listed twice: keep one entry per project");
            }
            objectId(errors, at + ".atlasRoleId", p.atlasRoleId(),
                    "the Atlas cloud provider access role id, Project Settings > Integrations > AWS IAM Role Access");
            awsRegion(errors, at + ".awsRegion", p.awsRegion());
            if (p.schedule() == null) {
                errors.add(at + ".schedule is missing: give rate(90 days) or a cron(...) expression");
            } else {
                scheduleExpression(errors, at + ".schedule", p.schedule());
            }
            timeZone(errors, at + ".scheduleTimeZone", p.scheduleTimeZone());
            if (p.pendingWindowDays() == null) {
                errors.add(at + ".pendingWindowDays is missing: give a number of days between "
                        + MIN_PENDING_WINDOW_DAYS + " and " + MAX_PENDING_WINDOW_DAYS + " (KMS's pending window)");
            } else {
                pendingWindow(errors, at + ".pendingWindowDays", p.pendingWindowDays());
            }
            if (p.cooldownDays() == null) {
                errors.add(at + ".cooldownDays is missing: give the minimum number of days between two "
                        + "rotations (0 or more)");
            } else {
                atLeast(errors, at + ".cooldownDays", p.cooldownDays(), 0);
            }
            keyAdmins(errors, at + ".keyAdminPrincipals", p.keyAdminPrincipals());
            clusterNames(errors, at + ".extraClusterNames", p.extraClusterNames());
            if (p.minRetirementDays() != null && (p.minRetirementDays() < ProjectConfig.MIN_RETIREMENT_DAYS_FLOOR
                    || p.minRetirementDays() > ProjectConfig.MAX_RETIREMENT_DAYS)) {
                errors.add(at + ".minRetirementDays is " + p.minRetirementDays() + ": give a number of days between "
                        + ProjectConfig.MIN_RETIREMENT_DAYS_FLOOR + " and " + ProjectConfig.MAX_RETIREMENT_DAYS
                        + " (a retired key is kept at least that long), or leave it out for "
                        + ProjectConfig.DEFAULT_MIN_RETIREMENT_DAYS);
            }
            for (int t = 0; t < p.copyTags().size(); t++) {
                String key = p.copyTags().get(t);
                if (key == null || key.isBlank() || key.length() > 128 || key.toLowerCase(java.util.Locale.ROOT).startsWith("aws:")
                        || key.startsWith("atlas-cmk-rotator:")) {
                    errors.add(at + ".copyTags[" + t + "] is " + (key == null ? "null" : "\"" + key + "\"") + ": give a tag"
                            + " key of 1 to 128 characters that is neither an aws: tag nor one of the rotator's own"
                            + " atlas-cmk-rotator: tags");
                }
            }
            if (p.copyTags().size() > 40) {
                errors.add(at + ".copyTags has " + p.copyTags().size() + " keys: give at most 40 (a KMS key has at most 50 tags)");
            }
            if (p.method() != null && !p.method().equals("new-key") && !p.method().equals("key-material")) {
                errors.add(at + ".method is \"" + p.method() + "\": give \"new-key\" (a new key per rotation, the default)"
                        + " or \"key-material\" (KMS rotates the key's material; the key id never changes)");
            }
            between(errors, at + ".rotationPeriodDays", p.rotationPeriodDays(), 90, 2560);
            if (p.rotationPeriodDays() != null && !"key-material".equals(p.method())) {
                errors.add(at + ".rotationPeriodDays is set but method is not \"key-material\": the period is KMS's"
                        + " automatic rotation of the key-material method; set \"method\": \"key-material\" or remove it");
            }
            keyAccount(errors, at, p.keyAccountRoleArn(), p.keyAccountExternalId());
            if (p.adoptedKeys() != null && !p.adoptedKeys().equals("keep") && !p.adoptedKeys().equals("delete-when-unused")) {
                errors.add(at + ".adoptedKeys is \"" + p.adoptedKeys() + "\": give \"keep\" (the key Atlas used before"
                        + " the first rotation is never deleted) or \"delete-when-unused\" (the default), or leave it out");
            }
        }
    }

    /** The member role of another account holding the project's keys, with its external id: both or neither. */
    private static void keyAccount(List<String> errors, String at, String roleArn, String externalId) {
        if (roleArn == null && externalId == null) {
            return;
        }
        if (roleArn == null || !ROLE_ARN.matcher(roleArn).matches()) {
            errors.add(at + ".keyAccountRoleArn is " + (roleArn == null ? "missing while keyAccountExternalId is set"
                    : "\"" + roleArn + "\"") + ": give the member stack's role, arn:aws:iam::<account>:role/<name> (its"
                    + " output KeyAccountRoleArn), with keyAccountExternalId, or neither when the keys are in this account");
        }
        if (externalId == null || !EXTERNAL_ID.matcher(externalId).matches()) {
            errors.add(at + ".keyAccountExternalId is " + (externalId == null ? "missing" : "not 2 to 1224 letters, digits"
                    + " or + = , . @ : / - _") + ": give the external id the member stack was deployed with");
        }
    }

    private static final java.util.regex.Pattern ROLE_ARN =
            java.util.regex.Pattern.compile("arn:(aws|aws-cn|aws-us-gov):iam::\\d{12}:role/[\\w+=,.@/-]{1,512}");
    private static final java.util.regex.Pattern EXTERNAL_ID = java.util.regex.Pattern.compile("[\\w+=,.@:/-]{2,1224}");

    private static void objectId(List<String> errors, String field, String value, String where) {
        if (value == null) {
            errors.add(field + " is missing: give " + where + " (24 hexadecimal characters)");
        } else if (!OBJECT_ID.matcher(value).matches()) {
            errors.add(field + " is \"" + value + "\": it must be 24 lowercase hexadecimal characters ("
                    + where + ")");
        }
    }

    private static void awsRegion(List<String> errors, String field, String value) {
        if (value == null) {
            errors.add(field + " is missing: give the AWS region of the project's KMS key, such as us-east-1");
        } else if (!AWS_REGION.matcher(value).matches()) {
            errors.add(field + " is \"" + value + "\": it must be an AWS region code such as us-east-1 "
                    + "(the region of the project's KMS key)");
        }
    }

    private static void scheduleExpression(List<String> errors, String field, String value) {
        var rate = RATE.matcher(value);
        if (rate.matches()) {
            long amount = Long.parseLong(rate.group(1));
            boolean singular = !rate.group(2).endsWith("s");
            if (amount == 0) {
                errors.add(field + " is \"" + value + "\": a rate must be at least 1");
            } else if (singular != (amount == 1)) {
                errors.add(field + " is \"" + value + "\": write rate(1 day) for one and rate(N days) for more "
                        + "(EventBridge Scheduler's singular/plural rule)");
            }
            return;
        }
        var cron = CRON.matcher(value);
        if (cron.matches()) {
            String[] fields = cron.group(1).trim().split("\\s+");
            if (!"?".equals(fields[2]) && !"?".equals(fields[4])) {
                errors.add(field + " is \"" + value + "\": in a cron expression the day-of-month (3rd) or the "
                        + "day-of-week (5th) field must be ?, e.g. cron(0 3 1 */3 ? *)");
            }
            return;
        }
        errors.add(field + " is \"" + value + "\": it must be rate(N unit) such as rate(90 days), or "
                + "cron(minutes hours day-of-month month day-of-week year) such as cron(0 3 1 */3 ? *)");
    }

    private static void timeZone(List<String> errors, String field, String value) {
        if (value == null) {
            return;
        }
        try {
            ZoneId zone = ZoneId.of(value);
            if (zone instanceof ZoneOffset) {
                errors.add(field + " is \"" + value + "\": give an IANA time zone name such as Europe/Berlin or "
                        + "UTC, not an offset");
            }
        } catch (DateTimeException e) {
            errors.add(field + " is \"" + value + "\": it is not an IANA time zone name; use one such as "
                    + "Europe/Berlin, America/New_York or UTC");
        }
    }

    private static void pendingWindow(List<String> errors, String field, Integer value) {
        if (value != null && (value < MIN_PENDING_WINDOW_DAYS || value > MAX_PENDING_WINDOW_DAYS)) {
            errors.add(field + " is " + value + ": it must be between " + MIN_PENDING_WINDOW_DAYS + " and "
                    + MAX_PENDING_WINDOW_DAYS + " (KMS's pending window)");
        }
    }

    private static void between(List<String> errors, String field, Integer value, int min, int max) {
        if (value != null && (value < min || value > max)) {
            errors.add(field + " is " + value + ": it must be between " + min + " and " + max);
        }
    }

    private static void atLeast(List<String> errors, String field, Integer value, int min) {
        if (value != null && value < min) {
            errors.add(field + " is " + value + ": it must be " + min + " or more");
        }
    }

    private static void keyAdmins(List<String> errors, String field, List<String> admins) {
        if (admins == null || admins.isEmpty()) {
            errors.add(field + " is missing or empty: list at least one IAM role or user ARN that administers "
                    + "the project's keys (a record of the current key policy's administrators: the rotator copies "
                    + "that policy to each new key and does not write this list into it)");
            return;
        }
        for (int i = 0; i < admins.size(); i++) {
            String admin = admins.get(i);
            if (admin == null || !IAM_PRINCIPAL_ARN.matcher(admin).matches()) {
                errors.add(field + "[" + i + "] is \"" + admin + "\": it must be an IAM principal ARN such as "
                        + "arn:aws:iam::111122223333:role/KeyAdmins (no wildcards)");
            }
        }
    }

    private static void clusterNames(List<String> errors, String field, List<String> names) {
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i);
            if (name == null || !CLUSTER_NAME.matcher(name).matches()) {
                errors.add(field + "[" + i + "] is \"" + name + "\": an Atlas cluster name has letters, digits "
                        + "and hyphens only, at most 64 characters");
            }
        }
    }
}
