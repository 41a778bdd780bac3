import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * Removes from the shaded Lambda jar the AWS SDK service classes that only operations the functions never call can
 * reach. Run by the build after the shade plugin ({@code java PruneSdk.java <jar>}, a single-file program: nothing of
 * it goes into the jar).
 *
 * <p>Why it is safe. Every generated service client ({@code DefaultKmsClient}...) has one method per operation of the
 * service, and that method alone names the operation's request, response, marshaller and paginators; the model's
 * other classes (shapes) are named by those. The JVM loads a class when code that names it runs, or when the verifier
 * must check an assignment to a class type: verifying a client's method loads its request class (it is passed as an
 * {@code SdkRequest}), never its response, marshaller (passed as an interface) or shapes. So this keeps:
 * <ul>
 *   <li>every class outside {@code software/amazon/awssdk/services/}, untouched (Jackson, logging, the SDK's core, ours);</li>
 *   <li>every class that any kept class names (constant pool, descriptors, signatures, and class names in strings and
 *       in resources such as {@code execution.interceptors}), followed transitively, except the edges from a service
 *       client class to the classes of an operation that no kept class outside the clients calls;</li>
 *   <li>the request class of every operation, for the verifier, with its supertypes; that of an operation never
 *       called reduced to what the verifier reads: its name, flags, superclass and interfaces (no field, no method);</li>
 *   <li>every modeled exception (named by the clients' error mapping, so kept by the rule above).</li>
 * </ul>
 * The operations called are read from the bytecode, not from a list: a new call in the functions keeps its classes at
 * the next build. The SDK's opt-in warm-up ({@code SdkWarmUp}, unused here) is dropped with its provider list, which
 * would reach every service's async client. The operations kept are written to {@code
 * META-INF/atlas-cmk-rotator/sdk-operations.txt}, which ShadedJarIT calls one by one from the jar. The jar is
 * rewritten at the highest compression, without folder entries (nothing looks a folder up in it).
 */
public final class PruneSdk {

    static final String SERVICES = "software/amazon/awssdk/services/";
    static final String REPORT = "META-INF/atlas-cmk-rotator/sdk-operations.txt";
    static final Set<String> DROPPED_RESOURCES = Set.of("META-INF/services/software.amazon.awssdk.core.warmup.SdkWarmUpProvider");
    static final Pattern SERVICE = Pattern.compile("(software/amazon/awssdk/services/[a-z0-9]+(?:/streams)?)/.*");
    static final Pattern CLIENT = Pattern.compile("software/amazon/awssdk/services/[a-z0-9]+(?:/streams)?/\\w+Client");
    static final Pattern OP_CLASS = Pattern.compile("(software/amazon/awssdk/services/[a-z0-9]+(?:/streams)?)/"
            + "(?:model|transform|paginators)/(\\w+?)(Request|Response|RequestMarshaller|Iterable|Publisher)(\\$.*)?");
    static final Pattern WAITER = Pattern.compile("(software/amazon/awssdk/services/[a-z0-9]+(?:/streams)?)/waiters/.*");
    static final Pattern DOTTED_NAME = Pattern.compile("[A-Za-z_$][\\w$]*(?:[./][A-Za-z_$][\\w$]*)+");
    static final Pattern DESCRIPTOR_CLASS = Pattern.compile("L([\\w/$]+)[;<]");

    /** What one class file names. */
    record ClassInfo(Set<String> refs, Set<String> supertypes, Set<String> calls, int access, String superclass,
            List<String> interfaces, int major, int minor) {
    }

    public static void main(String[] args) throws IOException {
        Path jar = Path.of(args[0]);
        long before = Files.size(jar);
        Map<String, byte[]> entries = new LinkedHashMap<>();
        Map<String, ZipEntry> meta = new HashMap<>();
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            for (Enumeration<? extends ZipEntry> e = zip.entries(); e.hasMoreElements();) {
                ZipEntry entry = e.nextElement();
                try (InputStream in = zip.getInputStream(entry)) {
                    entries.put(entry.getName(), in.readAllBytes());
                }
                meta.put(entry.getName(), entry);
            }
        }
        Map<String, ClassInfo> classes = new HashMap<>();
        for (Map.Entry<String, byte[]> e : entries.entrySet()) {
            String name = e.getKey();
            if (name.endsWith(".class") && !name.startsWith("META-INF/")) {
                classes.put(name.substring(0, name.length() - 6), parse(e.getValue()));
            }
        }
        for (ClassInfo info : classes.values()) {
            info.refs().retainAll(classes.keySet());
        }
        // every service's operations: <Op>Request and <Op>Response both in its model
        Map<String, Set<String>> operations = new HashMap<>();
        for (String c : classes.keySet()) {
            Matcher m = Pattern.compile("(.+)/model/(\\w+)Request").matcher(c);
            if (c.startsWith(SERVICES) && m.matches() && classes.containsKey(m.group(1) + "/model/" + m.group(2) + "Response")) {
                operations.computeIfAbsent(m.group(1), k -> new HashSet<>()).add(m.group(2));
            }
        }
        Set<String> roots = new HashSet<>();
        for (String c : classes.keySet()) {
            if (!c.startsWith(SERVICES)) {
                roots.add(c);
            }
        }
        for (Map.Entry<String, byte[]> e : entries.entrySet()) {
            String name = e.getKey();
            if (name.endsWith(".class") && !name.startsWith("META-INF/") || name.endsWith("/") || DROPPED_RESOURCES.contains(name)) {
                continue;
            }
            Matcher m = DOTTED_NAME.matcher(new String(e.getValue(), StandardCharsets.ISO_8859_1));
            while (m.find()) {
                String c = m.group().replace('.', '/');
                if (classes.containsKey(c)) {
                    roots.add(c);
                }
            }
        }

        Map<String, Set<String>> used = new TreeMap<>(); // service package -> operations (and "waiter") called
        Set<String> kept = new HashSet<>();
        Set<String> loadOnly = new HashSet<>();
        Map<String, List<String>> deferred = new HashMap<>(); // "svc#Op" -> client edges waiting for a call
        Deque<String> stack = new ArrayDeque<>(roots);
        while (!stack.isEmpty()) {
            String c = stack.pop();
            if (kept.contains(c) || !classes.containsKey(c)) {
                continue;
            }
            kept.add(c);
            ClassInfo info = classes.get(c);
            boolean client = CLIENT.matcher(c).matches();
            if (!client) {
                for (String call : info.calls()) {
                    String owner = call.substring(0, call.indexOf('.'));
                    String method = call.substring(call.indexOf('.') + 1);
                    if (!CLIENT.matcher(owner).matches()) {
                        continue;
                    }
                    Matcher svc = SERVICE.matcher(owner);
                    svc.matches();
                    String service = svc.group(1);
                    String op = method.equals("waiter") ? "waiter" : null;
                    for (String o : operations.getOrDefault(service, Set.of())) {
                        if (lowerFirst(o).equals(method)) {
                            op = o;
                        }
                    }
                    if (op != null && used.computeIfAbsent(service, k -> new TreeSet<>()).add(op)) {
                        if (!op.equals("waiter")) {
                            stack.push(service + "/model/" + op + "Request");
                            stack.push(service + "/model/" + op + "Response");
                        }
                        stack.addAll(deferred.getOrDefault(service + "#" + op, List.of()));
                    }
                }
            }
            for (String r : info.refs()) {
                if (kept.contains(r)) {
                    continue;
                }
                if (client) {
                    String key = null;
                    Matcher op = OP_CLASS.matcher(r);
                    Matcher waiter = WAITER.matcher(r);
                    if (op.matches() && operations.getOrDefault(op.group(1), Set.of()).contains(op.group(2))) {
                        key = op.group(1) + "#" + op.group(2);
                        if (op.group(3).equals("Request") && op.group(4) == null) {
                            loadOnly.add(r);
                        }
                    } else if (waiter.matches()) {
                        key = waiter.group(1) + "#waiter";
                    }
                    if (key != null) {
                        String[] k = key.split("#");
                        if (!used.getOrDefault(k[0], Set.of()).contains(k[1])) {
                            deferred.computeIfAbsent(key, x -> new ArrayList<>()).add(r);
                            continue;
                        }
                    }
                }
                stack.push(r);
            }
        }
        // request classes kept for the verifier, with their supertypes (all that loading a class needs)
        Set<String> keep = new HashSet<>(kept);
        Deque<String> supers = new ArrayDeque<>(loadOnly);
        while (!supers.isEmpty()) {
            String c = supers.pop();
            if (classes.containsKey(c) && keep.add(c)) {
                supers.addAll(classes.get(c).supertypes());
            }
        }

        StringBuilder report = new StringBuilder("# The AWS operations whose classes the shaded jar keeps (PruneSdk)\n");
        for (Map.Entry<String, Set<String>> u : used.entrySet()) {
            String service = u.getKey().substring(SERVICES.length()).replace("/streams", "streams");
            for (String op : u.getValue()) {
                if (!op.equals("waiter")) {
                    report.append(service).append(':').append(op).append('\n');
                }
            }
        }
        Set<String> stubs = new HashSet<>(loadOnly);
        stubs.removeAll(kept);
        Set<String> removed = new TreeSet<>();
        for (String c : classes.keySet()) {
            if (c.startsWith(SERVICES) && !keep.contains(c)) {
                removed.add(c + ".class");
            }
        }
        removed.addAll(DROPPED_RESOURCES);
        Path out = jar.resolveSibling(jar.getFileName() + ".pruning");
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(out))) {
            zip.setLevel(9);
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                String name = e.getKey();
                // no folder entries: a JVM finds a class by its entry's name, and Lambda unpacks the jar (~240 bytes each)
                if (removed.contains(name) || name.endsWith("/") || name.equals(REPORT)) {
                    continue;
                }
                ZipEntry entry = new ZipEntry(name);
                entry.setTime(meta.get(name).getTime());
                zip.putNextEntry(entry);
                String className = name.endsWith(".class") ? name.substring(0, name.length() - 6) : null;
                zip.write(className != null && stubs.contains(className) ? stub(className, classes.get(className)) : e.getValue());
                zip.closeEntry();
            }
            ZipEntry entry = new ZipEntry(REPORT);
            entry.setTime(meta.get("META-INF/MANIFEST.MF") != null ? meta.get("META-INF/MANIFEST.MF").getTime() : 0);
            zip.putNextEntry(entry);
            zip.write(report.toString().getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
        }
        Files.move(out, jar, StandardCopyOption.REPLACE_EXISTING);
        System.out.printf("PruneSdk: %s %,d -> %,d bytes: %d unused SDK service classes removed, %d reduced to their name"
                + " and supertypes; operations kept: %s%n", jar.getFileName(), before, Files.size(jar),
                removed.size() - DROPPED_RESOURCES.size(), stubs.size(),
                report.toString().lines().filter(l -> !l.startsWith("#")).count());
    }

    static String lowerFirst(String s) {
        return Character.toLowerCase(s.charAt(0)) + s.substring(1);
    }

    /** The classes a class file names: constant pool classes, descriptors and signatures, strings that are class names. */
    static ClassInfo parse(byte[] bytes) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes));
        in.readInt();
        int minor = in.readUnsignedShort();
        int major = in.readUnsignedShort();
        int count = in.readUnsignedShort();
        String[] utf8 = new String[count];
        int[] classIndex = new int[count];
        int[][] memberRef = new int[count][];
        int[][] nameAndType = new int[count][];
        for (int i = 1; i < count; i++) {
            int tag = in.readUnsignedByte();
            switch (tag) {
                case 1 -> utf8[i] = in.readUTF();
                case 3, 4 -> in.readInt();
                case 5, 6 -> {
                    in.readLong();
                    i++;
                }
                case 7 -> classIndex[i] = in.readUnsignedShort();
                case 8, 16, 19, 20 -> in.readUnsignedShort();
                case 9, 10, 11 -> memberRef[i] = new int[] {in.readUnsignedShort(), in.readUnsignedShort()};
                case 12 -> nameAndType[i] = new int[] {in.readUnsignedShort(), in.readUnsignedShort()};
                case 15 -> {
                    in.readUnsignedByte();
                    in.readUnsignedShort();
                }
                case 17, 18 -> in.readInt();
                default -> throw new IOException("constant pool tag " + tag);
            }
        }
        int access = in.readUnsignedShort();
        in.readUnsignedShort(); // this
        Set<String> supertypes = new HashSet<>();
        int superIndex = in.readUnsignedShort();
        String superclass = superIndex == 0 ? null : utf8[classIndex[superIndex]];
        if (superclass != null) {
            supertypes.add(superclass);
        }
        int interfaceCount = in.readUnsignedShort();
        List<String> interfaces = new ArrayList<>();
        for (int i = 0; i < interfaceCount; i++) {
            interfaces.add(utf8[classIndex[in.readUnsignedShort()]]);
        }
        supertypes.addAll(interfaces);
        Set<String> refs = new HashSet<>();
        for (int i = 1; i < count; i++) {
            if (classIndex[i] != 0) {
                String name = utf8[classIndex[i]];
                if (name.startsWith("[")) {
                    Matcher m = DESCRIPTOR_CLASS.matcher(name);
                    while (m.find()) {
                        refs.add(m.group(1));
                    }
                } else {
                    refs.add(name);
                }
            }
            if (utf8[i] != null) {
                Matcher m = DESCRIPTOR_CLASS.matcher(utf8[i]);
                while (m.find()) {
                    refs.add(m.group(1));
                }
                refs.add(utf8[i].replace('.', '/'));
            }
        }
        Set<String> calls = new HashSet<>();
        for (int i = 1; i < count; i++) {
            if (memberRef[i] != null) {
                String owner = utf8[classIndex[memberRef[i][0]]];
                String member = utf8[nameAndType[memberRef[i][1]][0]];
                calls.add(owner + "." + member);
            }
        }
        return new ClassInfo(refs, supertypes, calls, access, superclass, interfaces, major, minor);
    }

    /**
     * The request class of an operation never called, as the verifier needs it: its name, flags, superclass and
     * interfaces, nothing else (no field, no method: nothing runs it; calling the operation would fail, as it must).
     */
    static byte[] stub(String name, ClassInfo info) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        java.io.DataOutputStream out = new java.io.DataOutputStream(bytes);
        out.writeInt(0xCAFEBABE);
        out.writeShort(info.minor());
        out.writeShort(info.major());
        List<String> names = new ArrayList<>();
        names.add(name);
        names.add(info.superclass());
        names.addAll(info.interfaces());
        out.writeShort(1 + 2 * names.size());
        for (String n : names) { // #2k+1: Utf8 n, #2k+2: Class #2k+1
            out.writeByte(1);
            out.writeUTF(n);
            out.writeByte(7);
            out.writeShort(names.indexOf(n) * 2 + 1);
        }
        out.writeShort(info.access());
        out.writeShort(2);
        out.writeShort(4);
        out.writeShort(info.interfaces().size());
        for (int i = 0; i < info.interfaces().size(); i++) {
            out.writeShort(6 + 2 * i);
        }
        out.writeShort(0); // fields
        out.writeShort(0); // methods
        out.writeShort(0); // attributes
        return bytes.toByteArray();
    }
}
