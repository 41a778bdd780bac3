package io.atlascmk.cli;

import software.amazon.awssdk.services.sfn.model.HistoryEvent;

/** One readable line per interesting Step Functions history event (null for the rest). */
final class HistoryLines {

    private HistoryLines() {
    }

    static String describe(HistoryEvent e) {
        return switch (e.type()) {
            case TASK_STATE_ENTERED, WAIT_STATE_ENTERED -> "  >   " + e.stateEnteredEventDetails().name();
            case TASK_STATE_EXITED -> "  ok  " + e.stateExitedEventDetails().name();
            case WAIT_STATE_EXITED -> "  ... waited: " + e.stateExitedEventDetails().name();
            case LAMBDA_FUNCTION_FAILED -> "  !!  " + e.lambdaFunctionFailedEventDetails().error() + ": "
                    + e.lambdaFunctionFailedEventDetails().cause();
            case LAMBDA_FUNCTION_TIMED_OUT -> "  !!  " + e.lambdaFunctionTimedOutEventDetails().error() + ": "
                    + e.lambdaFunctionTimedOutEventDetails().cause();
            case TASK_FAILED -> "  !!  " + e.taskFailedEventDetails().error() + ": " + e.taskFailedEventDetails().cause();
            case TASK_TIMED_OUT -> "  !!  " + e.taskTimedOutEventDetails().error() + ": " + e.taskTimedOutEventDetails().cause();
            case EXECUTION_FAILED -> "  execution FAILED: " + e.executionFailedEventDetails().error();
            case EXECUTION_TIMED_OUT -> "  execution TIMED OUT";
            case EXECUTION_ABORTED -> "  execution ABORTED";
            case EXECUTION_SUCCEEDED -> "  execution succeeded";
            default -> null;
        };
    }
}
