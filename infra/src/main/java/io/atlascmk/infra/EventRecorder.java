package io.atlascmk.infra;

import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.events.EventPattern;
import software.amazon.awscdk.services.events.Match;
import software.amazon.awscdk.services.events.IEventBus;
import software.amazon.awscdk.services.events.Rule;
import software.amazon.awscdk.services.events.targets.LambdaFunction;
import software.amazon.awscdk.services.events.targets.LambdaFunctionProps;
import software.amazon.awscdk.services.sqs.IQueue;
import software.constructs.Construct;

/**
 * The record of the workflow's events: a rule on the rotator's bus matching {@code {"source": [{"prefix":
 * "atlas-cmk-rotator"}]}} (every event the rotation workflow, the fleet, the tripwire and the alert webhook publish) invokes the Record function, which emits the outcome metrics
 * (RotationsSucceeded, RotationsFailed, RotationsRolledBack) and keeps the event whole in the evidence bucket under
 * {@code events/}, so the history outlives Step Functions' 90 days of execution history. Like every other rule's
 * target: retried, and what cannot be delivered lands in the dead-letter queue (alarmed).
 */
public final class EventRecorder extends Construct {

    /** What the recorder is built from. */
    public record Props(RotatorFunctions functions, IEventBus bus, IQueue deadLetterQueue) {
    }

    private final Rule rule;

    public EventRecorder(Construct scope, String id, Props props) {
        super(scope, id);
        rule = Rule.Builder.create(this, "Rule")
                .description("Every event of the rotator (workflow, fleet, tripwire, alerts): the Record function counts"
                        + " the outcomes and keeps the event in the evidence bucket")
                .eventBus(props.bus())
                .eventPattern(EventPattern.builder().source(Match.prefix(OutcomeNotifications.WORKFLOW_SOURCE)).build())
                .build();
        rule.addTarget(new LambdaFunction(props.functions().recordAlias(), LambdaFunctionProps.builder()
                .deadLetterQueue(props.deadLetterQueue())
                .retryAttempts(RotationSchedules.RETRY_ATTEMPTS)
                .maxEventAge(Duration.hours(6))
                .build()));
    }

    public Rule rule() {
        return rule;
    }
}
