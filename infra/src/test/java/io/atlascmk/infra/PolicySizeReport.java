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
 * configuration's first project, repeated with other ids; CDK's 500-resource check lifted, so that policies can
 * be measured past what one stack deploys). A program, not a test:
 * {@code cd infra && mvn -q test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=test
 * && java -cp target/test-classes:target/classes:$(cat target/cp.txt) io.atlascmk.infra.PolicySizeReport 10 500}.
 * IAM limits a role's inline policies to 10,240 characters in all.
 */
public final class PolicySizeReport {

    private PolicySizeReport() {
    }

    public static void main(String[] args) throws IOException {
        for (String arg : args.length == 0 ? new String[] {"10", "500"} : args) {
            int n = Integer.parseInt(arg);
            Map<String, Integer> sizes = policySizes(n);
            String largest = sizes.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey).orElse("-");
            System.out.printf("projects=%d largest-policy-chars=%d (%s) policies=%d total-policy-chars=%d%n", n,
                    sizes.getOrDefault(largest, 0), largest, sizes.size(),
                    sizes.values().stream().mapToInt(Integer::intValue).sum());
            sizes.entrySet().stream().filter(e -> e.getKey().startsWith("managed:"))
                    .forEach(e -> System.out.printf("  %s %d%n", e.getKey(), e.getValue()));
        }
    }

    /** The id of the i-th project of a generated deployment. */
    static String projectId(int i) {
        return String.format("%024x", 0x5f1e2d3c4b5aL * 1000 + i);
    }

    /** Minified size of every AWS::IAM::Policy and ManagedPolicy document, by logical id. */
    static Map<String, Integer> policySizes(int projects) throws IOException {
        Map<String, Integer> sizes = new java.util.TreeMap<>();
        policyDocuments(projects).forEach((id, document) -> sizes.put(id, document.length()));
        return sizes;
    }

    /** Every AWS::IAM::Policy and ManagedPolicy document (minified JSON) of a deployment of N projects, by logical id. */
    static Map<String, String> policyDocuments(int projects) throws IOException {
        ObjectNode config = (ObjectNode) InfraJson.MAPPER.readTree(SynthesizedRotator.CONFIG_FILE.toFile());
        ArrayNode list = (ArrayNode) config.get("projects");
        JsonNode first = list.get(0);
        list.removeAll();
        for (int i = 0; i < projects; i++) {
            ObjectNode p = first.deepCopy();
            p.put("projectId", projectId(i));
            list.add(p);
        }
        RotatorConfig parsed = RotatorConfigLoader.parse(SynthesizedRotator.CONFIG_FILE, config.toString());
        // A stack holds at most 500 resources, and each project brings two schedules today: lift CDK's check so the
        // policies of a large deployment can be measured all the same (the report says how many resources it has).
        RotatorStack stack = SynthesizedRotator.stack("PolicySize", parsed,
                Map.of("@aws-cdk/core:stackResourceLimit", 0));
        Template template = Template.fromStack(stack);
        Map<String, Map<String, Object>> policies = new java.util.LinkedHashMap<>(template.findResources("AWS::IAM::Policy", Map.of()));
        template.findResources("AWS::IAM::ManagedPolicy", Map.of()).forEach((id, r) -> policies.put("managed:" + id, r));
        Map<String, String> documents = new java.util.TreeMap<>();
        for (Map.Entry<String, Map<String, Object>> e : policies.entrySet()) {
            Object document = ((Map<?, ?>) e.getValue().get("Properties")).get("PolicyDocument");
            documents.put(e.getKey(), InfraJson.MAPPER.writeValueAsString(document));
        }
        return documents;
    }
}
