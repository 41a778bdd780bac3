package io.atlascmk.rotator.pkg;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceConfigurationError;

/**
 * Runs in a fresh JVM whose class path is the shaded Lambda jar and this one class (see {@link ShadedJar}): it
 * touches only the JDK and, by name, what the jar holds, so a class the jar lacks shows as a linkage error.
 *
 * <ul>
 *   <li>{@code handler <class> <input file>}: what Lambda does on a cold start: the handler's no-arg constructor (its
 *       SDK clients are built there), then one invocation with the input; the invocation may fail (the endpoints
 *       are unreachable), but never for want of a class. Prints {@code PROBE construct_ms=.. invoke_ms=..
 *       outcome=..}.</li>
 *   <li>{@code sdk <service:Operation>...}: for each, builds the service's client as the functions do and calls the
 *       operation with an empty request (marshalling, the HTTP call, the error's unmarshalling). Prints one {@code
 *       OP} line each.</li>
 * </ul>
 * Exit status 3 when any linkage error (a missing or broken class) was seen, or an operation failed otherwise than with
 * an SDK exception; else 0.
 */
public final class HandlerProbe {

    private HandlerProbe() {
    }

    public static void main(String[] args) throws Exception {
        boolean broken = switch (args[0]) {
            case "handler" -> handler(args[1], Path.of(args[2]));
            case "sdk" -> sdk(List.of(args).subList(1, args.length));
            default -> throw new IllegalArgumentException("mode handler or sdk, not " + args[0]);
        };
        System.out.flush();
        System.exit(broken ? 3 : 0);
    }

    private static boolean handler(String className, Path inputFile) throws Exception {
        byte[] input = Files.readAllBytes(inputFile);
        long start = System.nanoTime();
        Object handler;
        try {
            handler = Class.forName(className, true, HandlerProbe.class.getClassLoader()).getDeclaredConstructor().newInstance();
        } catch (InvocationTargetException e) {
            report(className, ms(start), -1, e.getCause());
            return linkage(e.getCause());
        }
        long constructed = System.nanoTime();
        Method handle = Class.forName("com.amazonaws.services.lambda.runtime.RequestStreamHandler").getMethod("handleRequest",
                InputStream.class, OutputStream.class, Class.forName("com.amazonaws.services.lambda.runtime.Context"));
        Throwable failure = null;
        try {
            handle.invoke(handler, new ByteArrayInputStream(input), new ByteArrayOutputStream(), null);
        } catch (InvocationTargetException e) {
            failure = e.getCause();
        }
        report(className, (constructed - start) / 1_000_000, ms(constructed), failure);
        return linkage(failure);
    }

    private static void report(String handler, long constructMs, long invokeMs, Throwable failure) {
        System.out.println("PROBE handler=" + handler + " construct_ms=" + constructMs + " invoke_ms=" + invokeMs
                + " outcome=" + (failure == null ? "ok" : chain(failure)));
        if (linkage(failure)) {
            failure.printStackTrace(System.out);
        }
    }

    /** Each {@code service:Operation} (e.g. {@code kms:DescribeKey}), on the client the functions build for it. */
    private static boolean sdk(List<String> operations) throws Exception {
        boolean broken = false;
        for (String spec : operations) {
            if (spec.startsWith("dynamodbstreams:")) {
                continue; // DynamoDB Streams' client: none of the functions builds one
            }
            String service = spec.substring(0, spec.indexOf(':'));
            String operation = spec.substring(spec.indexOf(':') + 1);
            Throwable failure = null;
            try {
                call(client(service), service, operation);
            } catch (InvocationTargetException e) {
                failure = e.getCause();
            } catch (Throwable e) {
                failure = e;
            }
            System.out.println("OP " + spec + " outcome=" + (failure == null ? "ok" : chain(failure)));
            if (linkage(failure) || failure != null && !isSdkException(failure)) {
                failure.printStackTrace(System.out);
                broken = true;
            }
        }
        return broken;
    }

    /** The client of a service, built by the functions' own factory where they have one. */
    private static Object client(String service) throws Throwable {
        Class<?> clients = Class.forName("io.atlascmk.rotator.aws.AwsClients");
        return switch (service) {
            case "kms" -> clients.getMethod("kms").invoke(null);
            case "dynamodb" -> clients.getMethod("dynamoDb").invoke(null);
            case "secretsmanager" -> clients.getMethod("secretsManager").invoke(null);
            case "sts" -> clients.getMethod("sts").invoke(null);
            case "s3" -> clients.getMethod("s3").invoke(null);
            case "cloudtrail" -> clients.getMethod("cloudTrail", String.class).invoke(null, System.getenv("AWS_REGION"));
            default -> {
                // eventbridge, sfn: built by the handlers themselves, with the URLConnection client
                String pkg = "software.amazon.awssdk.services." + service + ".";
                String prefix = service.equals("eventbridge") ? "EventBridge" : "Sfn";
                // a method handle, not reflection: getMethod would resolve every operation's classes (see call)
                Class<?> builderType = Class.forName(pkg + prefix + "ClientBuilder");
                Object builder = MethodHandles.publicLookup().findStatic(Class.forName(pkg + prefix + "Client"), "builder",
                        MethodType.methodType(builderType)).invoke();
                Object http = Class.forName("software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient")
                        .getMethod("create").invoke(null);
                Method httpClient = Class.forName("software.amazon.awssdk.core.client.builder.SdkSyncClientBuilder")
                        .getMethod("httpClient", Class.forName("software.amazon.awssdk.http.SdkHttpClient"));
                httpClient.invoke(builder, http);
                yield Class.forName("software.amazon.awssdk.utils.builder.SdkBuilder").getMethod("build").invoke(builder);
            }
        };
    }

    /** {@code client.operation(request)} with an empty request (S3's PutObject and GetObject name a bucket and key). */
    private static void call(Object client, String service, String operation) throws Throwable {
        Class<?> requestType = Class.forName("software.amazon.awssdk.services." + service + ".model." + operation + "Request");
        Object builder = requestType.getMethod("builder").invoke(null);
        Class<?> builderType = Class.forName(requestType.getName() + "$Builder");
        for (String[] field : new String[][] {{"bucket", "probe-bucket"}, {"key", "probe/key"},
                {"sourceBucket", "probe-bucket"}, {"sourceKey", "probe/source"}}) {
            try {
                builderType.getMethod(field[0], String.class).invoke(builder, field[1]);
            } catch (NoSuchMethodException none) {
                // not a field of this request
            }
        }
        Method build = Class.forName("software.amazon.awssdk.utils.builder.SdkBuilder").getMethod("build");
        build.setAccessible(true);
        Object request = build.invoke(builder);
        String method = Character.toLowerCase(operation.charAt(0)) + operation.substring(1);
        Class<?> clientType = clientInterface(client.getClass());
        Class<?> responseType = Class.forName(requestType.getName().replaceAll("Request$", "Response"));
        // A method handle resolves this one method; reflection (getMethods) would resolve every method of the client,
        // and so need the classes of operations the functions never call, which the jar does not hold.
        MethodHandles.Lookup lookup = MethodHandles.publicLookup();
        Object result;
        try {
            result = lookup.findVirtual(clientType, method, MethodType.methodType(responseType, requestType)).invoke(client, request);
        } catch (NoSuchMethodException notPlain) {
            try {
                Class<?> requestBody = Class.forName("software.amazon.awssdk.core.sync.RequestBody");
                Object body = requestBody.getMethod("fromBytes", byte[].class).invoke(null, (Object) "{}".getBytes(StandardCharsets.UTF_8));
                result = lookup.findVirtual(clientType, method, MethodType.methodType(responseType, requestType, requestBody))
                        .invoke(client, request, body);
            } catch (NoSuchMethodException notUpload) {
                result = lookup.findVirtual(clientType, method, MethodType.methodType(
                        Class.forName("software.amazon.awssdk.core.ResponseInputStream"), requestType)).invoke(client, request);
            }
        }
        if (result instanceof AutoCloseable closeable) {
            closeable.close();
        }
    }

    private static Class<?> clientInterface(Class<?> type) {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            for (Class<?> i : c.getInterfaces()) {
                if (i.getName().startsWith("software.amazon.awssdk.services.") && i.getSimpleName().endsWith("Client")) {
                    return i;
                }
            }
        }
        throw new IllegalStateException("no service client interface on " + type);
    }

    /** An answer of the service or of the SDK (not of this probe, nor of the JVM). */
    private static boolean isSdkException(Throwable failure) {
        for (Class<?> c = failure.getClass(); c != null; c = c.getSuperclass()) {
            if (c.getName().equals("software.amazon.awssdk.core.exception.SdkException")) {
                return true;
            }
        }
        return false;
    }

    /** Whether a class was missing or broken anywhere in the cause chain. */
    static boolean linkage(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof LinkageError || t instanceof ClassNotFoundException || t instanceof ServiceConfigurationError
                    || t instanceof NoSuchMethodException) {
                return true;
            }
        }
        return false;
    }

    private static String chain(Throwable failure) {
        List<String> names = new ArrayList<>();
        for (Throwable t = failure; t != null && names.size() < 4; t = t.getCause()) {
            names.add(t.getClass().getName());
        }
        return String.join("<-", names);
    }

    private static long ms(long since) {
        return (System.nanoTime() - since) / 1_000_000;
    }
}
