package io.atlascmk.rotator.pkg;

import static org.assertj.core.api.Assertions.assertThat;

import io.atlascmk.sandbox.SandboxClock;
import io.atlascmk.sandbox.aws.AwsStandIn;
import io.atlascmk.sandbox.dynamo.Dynalite;
import io.atlascmk.sandbox.s3.S3rver;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The shaded Lambda jar runs every handler: each in a fresh JVM with only the jar on its class path, constructed as
 * Lambda constructs it and invoked once (its endpoints unreachable, so the invocation fails on the network, never for
 * want of a class); and every SDK operation the functions call works from the jar, against the sandbox's real local
 * services (the AWS stand-in, dynalite, s3rver). Run by failsafe after {@code package}, so by CI's {@code mvn verify}.
 */
class ShadedJarIT {

    @Test
    void everyHandlerStartsAndRunsFromTheShadedJar() throws Exception {
        ShadedJar jar = new ShadedJar();
        List<ShadedJar.Run> runs = new ArrayList<>();
        for (Map.Entry<String, String> h : ShadedJar.handlers().entrySet()) {
            ShadedJar.Run run = jar.handler(h.getKey(), h.getValue(), Map.of());
            runs.add(run);
            assertThat(run.exitCode()).as(h.getKey() + ":\n" + run.output()).isZero();
            assertThat(run.probeLines()).as(run.output()).hasSize(1);
            assertThat(run.probeLines().get(0)).as("constructed").doesNotContain("invoke_ms=-1");
        }
        System.out.println("Cold starts from the shaded jar (" + ShadedJar.JAR + "), endpoints unreachable:");
        System.out.print(ShadedJar.table(runs));
    }

    @Test
    void everySdkOperationOfTheFunctionsWorksFromTheShadedJar() throws Exception {
        ShadedJar jar = new ShadedJar();
        List<String> operations = SdkOperations.ofJar(ShadedJar.JAR);
        try (AwsStandIn aws = new AwsStandIn(new SandboxClock(Instant.parse("2026-01-01T00:00:00Z"))).start();
                Dynalite dynalite = Dynalite.start(); S3rver s3rver = S3rver.start()) {
            ShadedJar.Run run = jar.operations(operations, Map.of("AWS_ENDPOINT_URL", aws.endpoint().toString(),
                    "AWS_ENDPOINT_URL_DYNAMODB", dynalite.endpoint().toString(),
                    "AWS_ENDPOINT_URL_S3", s3rver.endpoint().toString()));
            System.out.println("SDK operations from the shaded jar, against the sandbox:");
            run.probeLines().forEach(System.out::println);
            assertThat(run.exitCode()).as(run.output()).isZero();
            assertThat(run.probeLines()).as(run.output()).hasSize(operations.size());
        }
    }
}
