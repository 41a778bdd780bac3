package io.atlascmk.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ChildJvmTest {

    @Test
    void countsEveryClassLoadedAndThoseFromTheJar() {
        List<String> log = List.of(
                "[0.010s][info][class,load] java.lang.Object source: shared objects file",
                "[0.200s][info][class,load] io.atlascmk.rotator.handler.LocalInvoke source: file:/w/functions-0.1.0-SNAPSHOT-lambda.jar",
                "[0.210s][info][class,load] com.fasterxml.jackson.databind.ObjectMapper source: file:/w/functions-0.1.0-SNAPSHOT-lambda.jar",
                "[0.220s][info][class,load] jdk.internal.reflect.GeneratedMethodAccessor1 source: __JVM_DefineClass__",
                "[0.230s][info][gc] not a class line");

        ChildJvm.ClassCounts counts = ChildJvm.countClasses(log, "functions-0.1.0-SNAPSHOT-lambda.jar");

        assertThat(counts).isEqualTo(new ChildJvm.ClassCounts(4, 2));
    }

    @Test
    void theChildRunsWithLambdasJvmFlags() {
        assertThat(ChildJvm.LAMBDA_FLAGS).contains("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");
    }
}
