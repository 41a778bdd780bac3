package io.atlascmk.infra;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.events.EventField;
import software.amazon.awscdk.services.events.IEventBus;
import software.amazon.awscdk.services.events.Rule;
import software.amazon.awscdk.services.events.RuleTargetInput;
import software.amazon.awscdk.services.events.targets.SfnStateMachine;
import software.amazon.awscdk.services.events.targets.SfnStateMachineProps;
import software.amazon.awscdk.services.lambda.FunctionUrl;
import software.amazon.awscdk.services.lambda.FunctionUrlAuthType;
import software.amazon.awscdk.services.lambda.FunctionUrlOptions;
import software.amazon.awscdk.services.sqs.IQueue;
import software.amazon.awscdk.services.stepfunctions.IStateMachine;
import software.constructs.Construct;

/**
 * The alert path: Atlas's webhook integration posts to the webhook function's URL (auth NONE: the handler
 * verifies Atlas's HMAC signature with the webhook secret), the function publishes to the rotator's bus, and
 * a rule with the pattern of {@code events/alert-rule-pattern.json} starts the state machine with
 * {@code {"projectId", "trigger": "alert", "alertId"}}.
 */
public final class AlertIntake extends Construct {

    /** What the alert path is built from. */
    public record Props(RotatorFunctions functions, IEventBus bus, IStateMachine stateMachine,
                        Path alertRulePatternFile, IQueue deadLetterQueue) {
    }

    private final FunctionUrl webhookUrl;
    private final Rule rule;

    public AlertIntake(Construct scope, String id, Props props) {
        super(scope, id);
        webhookUrl = props.functions().webhookAlias().addFunctionUrl(FunctionUrlOptions.builder()
                .authType(FunctionUrlAuthType.NONE)
                .build());
        rule = Rule.Builder.create(this, "AlertRule")
                .description("Atlas 'AWS encryption key needs rotation' alert: start a rotation of the project")
                .eventBus(props.bus())
                // The webhook publishes only alerts of registered projects (the registry, not this pattern, says which:
                // a project registered with ./rotator projects add needs no redeploy).
                .eventPattern(EventPatternFile.read(props.alertRulePatternFile(), Map.of()))
                .build();
        rule.addTarget(new SfnStateMachine(props.stateMachine(), SfnStateMachineProps.builder()
                .input(RuleTargetInput.fromObject(alertInput()))
                .deadLetterQueue(props.deadLetterQueue())
                .retryAttempts(RotationSchedules.RETRY_ATTEMPTS)
                .maxEventAge(Duration.hours(2))
                .build()));
    }

    /** The execution input the rule builds from the alert event. */
    static Map<String, Object> alertInput() {
        Map<String, Object> input = new LinkedHashMap<>();
        input.put("projectId", EventField.fromPath("$.detail.projectId"));
        input.put("trigger", "alert");
        input.put("alertId", EventField.fromPath("$.detail.alertId"));
        return input;
    }

    public FunctionUrl webhookUrl() {
        return webhookUrl;
    }

    public Rule rule() {
        return rule;
    }
}
