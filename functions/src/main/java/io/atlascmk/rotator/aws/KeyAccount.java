package io.atlascmk.rotator.aws;

import io.atlascmk.rotator.rotation.InvalidInputException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Another AWS account that holds a project's keys, and how the functions reach it: the role of that account's
 * member stack, assumed with an external id for every KMS and CloudTrail call of the project. Each function assumes
 * it under its own source identity (its step's name), which the member role's policies are written on, so a function
 * gets in the member account exactly the KMS calls it has at home.
 *
 * <p>It comes only from the project's registration (the deployment's configuration or {@code ./rotator projects
 * add}), never from an execution input.
 *
 * @param roleArn    the member role, {@code arn:aws:iam::<account>:role/<name>}
 * @param externalId the external id the member role's trust policy requires: 2 to 1,224 of {@code [\w+=,.@:/-]}
 */
public record KeyAccount(String roleArn, String externalId) {

    private static final Pattern ROLE_ARN =
            Pattern.compile("arn:(aws|aws-cn|aws-us-gov):iam::(\\d{12}):role/([\\w+=,.@/-]{1,512})");
    private static final Pattern EXTERNAL_ID = Pattern.compile("[\\w+=,.@:/-]{2,1224}");

    public KeyAccount {
        if (roleArn == null || !ROLE_ARN.matcher(roleArn).matches()) {
            throw new InvalidInputException("keyAccountRoleArn", "must be the ARN of the member account's role, such as"
                    + " arn:aws:iam::222233334444:role/atlas-cmk-rotator-member (the member stack prints it as"
                    + " KeyAccountRoleArn)" + (roleArn == null ? "." : ", not '" + roleArn + "'."));
        }
        if (externalId == null || !EXTERNAL_ID.matcher(externalId).matches()) {
            throw new InvalidInputException("keyAccountExternalId", "must be the external id the member stack was"
                    + " deployed with: 2 to 1224 letters, digits or + = , . @ : / - _"
                    + (externalId == null ? " (it is missing)." : "."));
        }
    }

    /** The account's id, from the role's ARN. */
    public String accountId() {
        Matcher m = ROLE_ARN.matcher(roleArn);
        if (!m.matches()) {
            throw new IllegalStateException("checked at construction");
        }
        return m.group(2);
    }

    /**
     * Both fields or neither: null when the project's keys live in the deployment's own account.
     *
     * @throws InvalidInputException when only one of them is given
     */
    public static KeyAccount ofNullable(String roleArn, String externalId) {
        if (roleArn == null && externalId == null) {
            return null;
        }
        if (roleArn == null) {
            throw new InvalidInputException("keyAccountRoleArn", "is missing while keyAccountExternalId is set: give"
                    + " both (the project's keys are in another account) or neither (they are in this one).");
        }
        return new KeyAccount(roleArn, externalId);
    }

    @Override
    public String toString() {
        // The external id is not a credential, but it is one half of what opens the member role: kept out of logs.
        return "KeyAccount[roleArn=" + roleArn + "]";
    }
}
