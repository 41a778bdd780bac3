package io.atlascmk.infra;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.atlascmk.infra.config.RotatorConfig;
import io.atlascmk.infra.config.RotatorConfigLoader;
import java.io.IOException;
import java.util.Map;
import software.amazon.awscdk.assertions.Template;

/**
 * Prints the size of the largest IAM policy of the stack for a deployment of N projects (the sample
 * configuration's first project, repeated with other ids). A program, not a test:
 * {@code mvn -q -pl infra test-compile exec:java -Dexec.classpathScope=test -Dexec.mainClass=io.atlascmk.infra.PolicySizeReport -Dexec.args="10 500"}.
 * IAM limits a role's inline policies to 10,240 characters in all.
 */
public final class PolicySizeReport {

    private PolicySizeReport() {
    }

    public static void main(String[] args) throws IOException {
        for (String arg : args.length == 0 ? new String[] {"10", "500"} : args) {
            int n = Integer.parseInt(arg);
            Map<String, Integer> sizes = largestPolicies(n);
            String largest = sizes.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey).orElse("-");
            System.out.printf("projects=%d largest-policy-chars=%d (%s) policies=%d%n", n, sizes.getOrDefault(largest, 0),
                    largest, sizes.size());
            sizes.entrySet().stream().filter(e -> e.getKey().startsWith("managed:"))
                    .forEach(e -> System.out.printf("  %s %d%n", e.getKey(), e.getValue()));
        }
    }

    /** Minified size of every AWS::IAM::Policy document, by logical id. */
    static Map<String, Integer> largestPolicies(int projects) throws IOException {
        ObjectNode config = (ObjectNode) InfraJson.MAPPER.readTree(SynthesizedRotator.CONFIG_FILE.toFile());
        ArrayNode list = (ArrayNode) config.get("projects");
        JsonNode first = list.get(0);
        list.removeAll();
        for (int i = 0; i < projects; i++) {
            ObjectNode p = first.deepCopy();
            p.put("projectId", String.format("%024x", 0x5f1e2d3c4b5aL * 1000 + i));
            list.add(p);
        }
        RotatorConfig parsed = RotatorConfigLoader.parse(SynthesizedRotator.CONFIG_FILE, config.toString());
        RotatorStack stack = SynthesizedRotator.stack("PolicySize" + projects, parsed);
        Template template = Template.fromStack(stack);
        Map<String, Map<String, Object>> policies = new java.util.LinkedHashMap<>(template.findResources("AWS::IAM::Policy", Map.of()));
        template.findResources("AWS::IAM::ManagedPolicy", Map.of()).forEach((id, r) -> policies.put("managed:" + id, r));
        Map<String, Integer> sizes = new java.util.TreeMap<>();
        for (Map.Entry<String, Map<String, Object>> e : policies.entrySet()) {
            Object document = ((Map<?, ?>) e.getValue().get("Properties")).get("PolicyDocument");
            sizes.put(e.getKey(), InfraJson.MAPPER.writeValueAsString(document).length());
        }
        return sizes;
    }
}
