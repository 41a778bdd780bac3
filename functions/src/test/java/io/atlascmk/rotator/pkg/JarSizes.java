package io.atlascmk.rotator.pkg;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Prints what the shaded jar is made of: per part (an AWS service's package, the SDK's core, Jackson, the logging,
 * ours...), its compressed bytes, its entries, and what each entry costs in the zip's headers. Asserts nothing.
 *
 * <p>Run after {@code mvn -pl functions -am package -DskipTests} (it needs only the JDK and the compiled test
 * classes): {@code java -cp functions/target/test-classes io.atlascmk.rotator.pkg.JarSizes}, from the
 * repository root or from {@code functions/}. An argument names another jar.
 */
public final class JarSizes {

    private JarSizes() {
    }

    public static void main(String[] args) throws Exception {
        Path jar = args.length > 0 ? Path.of(args[0]) : ShadedJar.JAR;
        Map<String, long[]> parts = new TreeMap<>();
        long compressed = 0;
        int entries = 0;
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            for (Enumeration<? extends ZipEntry> e = zip.entries(); e.hasMoreElements();) {
                ZipEntry entry = e.nextElement();
                entries++;
                if (entry.isDirectory()) {
                    continue;
                }
                long[] part = parts.computeIfAbsent(part(entry.getName()), k -> new long[3]);
                part[0] += entry.getCompressedSize();
                part[1] += entry.getSize();
                part[2]++;
                compressed += entry.getCompressedSize();
            }
        }
        long size = Files.size(jar);
        double perEntry = (double) (size - compressed) / entries;
        List<Map.Entry<String, long[]>> sorted = new ArrayList<>(parts.entrySet());
        sorted.sort((a, b) -> Long.compare(b.getValue()[0], a.getValue()[0]));
        System.out.printf("%s: %,d bytes, %,d entries (%,d bytes of data, about %.0f bytes of zip headers per entry)%n",
                jar, size, entries, compressed, perEntry);
        System.out.printf("%-44s %12s %12s %7s %12s%n", "part", "compressed", "unpacked", "files", "in the jar");
        for (Map.Entry<String, long[]> p : sorted) {
            long[] v = p.getValue();
            System.out.printf("%-44s %,12d %,12d %7d %,12d%n", p.getKey(), v[0], v[1], v[2], v[0] + Math.round(v[2] * perEntry));
        }
    }

    /** The part an entry belongs to: a service's package, else the package two or three levels down. */
    static String part(String name) {
        String[] s = name.split("/");
        if (name.startsWith("software/amazon/awssdk/services/") && s.length > 5) {
            return "sdk " + s[4] + (s[5].equals("model") ? " model" : "");
        }
        if (name.startsWith("software/amazon/awssdk/") && s.length > 4) {
            return "sdk " + s[3];
        }
        if (name.startsWith("org/apache/logging/log4j/") && s.length > 5) {
            return "log4j " + s[4];
        }
        if (name.startsWith("com/fasterxml/jackson/") && s.length > 4) {
            return "jackson " + s[3];
        }
        if (name.startsWith("META-INF/")) {
            return "META-INF/" + (s.length > 2 ? s[1] : "");
        }
        return s.length > 3 ? s[0] + "/" + s[1] + "/" + s[2] : s.length > 1 ? s[0] + "/" + s[1] : "(root)";
    }
}
