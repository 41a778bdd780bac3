package io.atlascmk.rotator.handler;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs one handler of this jar as the Lambda runtime would, in this JVM, for the benchmark ({@code ./rotator bench})
 * and the priming test: builds it with its public no-arg constructor (which reads the environment, as in Lambda),
 * optionally runs its SnapStart priming ({@code --prime}: the {@code beforeCheckpoint} then {@code afterRestore} of
 * every {@link Priming} registered, as SnapStart would around its snapshot), then invokes {@code handleRequest} with the
 * input file's bytes, {@code --invocations N} times (default 1), and reports each step on standard output as one line
 * {@code LOCALINVOKE {"phase":...,"ms":...}} (the parent reads these), followed by the first response itself
 * ({@code LOCALINVOKE-OUTPUT ...}). {@code --prime-only} stops after priming (the no-network test).
 *
 * <pre>java -cp functions-...-lambda.jar io.atlascmk.rotator.handler.LocalInvoke [--prime] [--prime-only]
 *     [--invocations N] HANDLER_CLASS INPUT_FILE</pre>
 *
 * <p>Deliberately plain: no Jackson, no logging of its own, so the classes it loads are the handler's.
 */
public final class LocalInvoke {

    public static final String MARKER = "LOCALINVOKE ";
    public static final String OUTPUT_MARKER = "LOCALINVOKE-OUTPUT ";

    private LocalInvoke() {
    }

    public static void main(String[] args) throws Exception {
        boolean prime = false;
        boolean primeOnly = false;
        int invocations = 1;
        List<String> rest = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--prime" -> prime = true;
                case "--prime-only" -> {
                    prime = true;
                    primeOnly = true;
                }
                case "--invocations" -> invocations = Integer.parseInt(args[++i]);
                default -> rest.add(args[i]);
            }
        }
        if (rest.size() != 2) {
            System.err.println("usage: LocalInvoke [--prime] [--prime-only] [--invocations N] HANDLER_CLASS INPUT_FILE");
            System.exit(2);
        }
        PrintStream out = System.out;
        long t0 = System.nanoTime();
        RequestStreamHandler handler = (RequestStreamHandler) Class.forName(rest.get(0)).getConstructor().newInstance();
        report(out, "init", t0, null);
        if (prime) {
            long p0 = System.nanoTime();
            int primed = Priming.simulateCheckpoint();
            report(out, "prime", p0, "\"resources\":" + primed + ",\"sdkRequestsAnsweredOffline\":"
                    + io.atlascmk.rotator.aws.PrimableHttpClient.answeredWhilePriming());
        }
        if (primeOnly) {
            out.flush();
            System.exit(0);
        }
        byte[] input = Files.readAllBytes(Path.of(rest.get(1)));
        String first = null;
        for (int n = 1; n <= invocations; n++) {
            ByteArrayOutputStream output = new ByteArrayOutputStream();
            long i0 = System.nanoTime();
            String error = null;
            try {
                handler.handleRequest(new ByteArrayInputStream(input), output, new LocalContext(rest.get(0).substring(rest.get(0).lastIndexOf('.') + 1), 900_000));
            } catch (Exception | Error failure) {
                error = failure.getClass().getName();
            }
            report(out, "invoke", i0, "\"n\":" + n + ",\"outputBytes\":" + output.size()
                    + (error == null ? "" : ",\"error\":\"" + error + "\""));
            if (n == 1) {
                first = output.toString(StandardCharsets.UTF_8);
            }
        }
        out.println(OUTPUT_MARKER + (first == null ? "" : first.replace('\n', ' ')));
        out.flush();
        // as Lambda freezes the environment: no shutdown work is measured
        System.exit(0);
    }

    private static void report(PrintStream out, String phase, long startNanos, String extra) {
        long micros = (System.nanoTime() - startNanos) / 1_000;
        out.println(MARKER + "{\"phase\":\"" + phase + "\",\"ms\":" + (micros / 1000) + "." + String.format("%03d", micros % 1000)
                + (extra == null ? "" : "," + extra) + "}");
        out.flush();
    }
}
