package io.atlascmk.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import java.util.function.Consumer;

/** Prints an execution's progress as it happens: states entered and left, waits, retries, failures. */
public final class ProgressPrinter implements Consumer<ExecutionEvent> {

    /** Errors that mean "not yet" (the workflow waits and retries them), with what is awaited. */
    private static final java.util.Map<String, String> NOT_YET = java.util.Map.of(
            "io.atlascmk.rotator.rotation.NewKeyNotYetAuthorizedException",
            "KMS does not yet count the new key's tags for the function's permissions",
            "io.atlascmk.rotator.rotation.AtlasKeyNotYetAccessibleException",
            "Atlas cannot use the new key yet (its policy is still reaching every KMS host)",
            "io.atlascmk.rotator.atlas.AtlasConflictException",
            "Atlas is still busy with an earlier change");

    private final PrintStream out;

    public ProgressPrinter(PrintStream out) {
        this.out = out;
    }

    @Override
    public void accept(ExecutionEvent event) {
        JsonNode raw = event.raw();
        String type = raw.path("state").path("type").asText();
        switch (event.type()) {
            case "StateEntered" -> {
                if ("Wait".equals(type)) {
                    JsonNode deployment = event.stateInput().path("deployment");
                    out.printf("  ... %s: waiting %ds for Atlas to re-encrypt (attempt %d)%n", event.state(),
                            deployment.path("waitSeconds").asLong(), deployment.path("attempt").asInt());
                } else if ("Task".equals(type)) {
                    out.printf("  >   %s%n", event.state());
                }
            }
            case "StateExited" -> {
                if ("Task".equals(type)) {
                    String detail = detail(event.state(), event.stateOutput());
                    out.printf("  ok  %s%s%n", event.state(), detail.isEmpty() ? "" : "  " + detail);
                }
            }
            case "StateFailed" -> {
                String waitingFor = NOT_YET.get(raw.path("Error").asText());
                if (waitingFor != null) {
                    out.printf("  ..  %s: not yet: %s%n", event.state(), waitingFor);
                } else {
                    out.printf("  !!  %s failed: %s: %s%n", event.state(), raw.path("Error").asText(),
                            shorten(raw.path("Cause").isTextual() ? raw.path("Cause").asText() : raw.path("Cause").toString()));
                }
            }
            case "StateRetried" -> out.printf("  ~   %s retried (attempt %d)%n", event.state(),
                    raw.path("retry").path("attempt").asInt());
            case "StateCaught" -> out.printf("  ->  %s: error caught, handing over to the failure path%n", event.state());
            case "ExecutionSucceeded" -> out.printf("  execution succeeded: %s%n", raw.path("output").path("outcome").asText("done"));
            case "ExecutionFailed" -> out.printf("  execution FAILED: %s: %s%n", raw.path("Error").asText(),
                    shorten(raw.path("Cause").asText()));
            default -> {
                // ExecutionStarted and choice/pass transitions are not worth a line
            }
        }
    }

    /** A few words on what a step produced, read from the state's output (its ResultPath). */
    static String detail(String state, JsonNode output) {
        return switch (state) {
            case "Preflight" -> "decision " + output.path("run").path("decision").asText()
                    + optional(" (", output.path("run").path("reason").asText(""), ")");
            case "CreateKey" -> "key " + output.path("newKey").path("keyId").asText()
                    + (output.path("newKey").path("created").asBoolean() ? " created" : " found again");
            case "GrantAtlasAccess" -> output.path("grant").path("policyChanged").asBoolean()
                    ? "key policy now grants Atlas's role" : "key policy already grants Atlas's role";
            case "SwitchAtlasKey" -> output.path("switch").path("switched").asBoolean()
                    ? "Atlas now names the new key" : "Atlas already named the new key";
            case "CheckDeployment" -> "status " + output.path("deployment").path("status").asText()
                    + optional(", busy: ", String.join(", ", texts(output.path("deployment").path("busyClusters"))), "");
            case "Finalize" -> "new key active, old key retired, alias moved";
            case "AuditAndRetire" -> output.path("audit").path("keys").size() + " retired key(s) audited";
            case "Rollback" -> "Atlas back on the old key, new key abandoned";
            default -> "";
        };
    }

    private static java.util.List<String> texts(JsonNode array) {
        java.util.List<String> list = new java.util.ArrayList<>();
        array.forEach(n -> list.add(n.asText()));
        return list;
    }

    private static String optional(String before, String value, String after) {
        return value == null || value.isBlank() ? "" : before + value + after;
    }

    private static String shorten(String text) {
        return text.length() > 300 ? text.substring(0, 300) + "..." : text;
    }
}
