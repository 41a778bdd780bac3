package io.atlascmk.cli.bench;

import java.lang.management.ManagementFactory;

/** The machine the figures were taken on. */
public record Machine(int cores, long memoryMb, String jvm, String os) {

    /** This machine: available processors, physical memory, this JVM, the OS. */
    public static Machine current() {
        long memory = 0;
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            memory = os.getTotalMemorySize() / (1024 * 1024);
        }
        return new Machine(Runtime.getRuntime().availableProcessors(), memory,
                System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"),
                System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
    }

    public String describe() {
        return cores + " cores, " + String.format(java.util.Locale.ROOT, "%.1f", memoryMb / 1024.0) + " GiB memory, "
                + jvm + ", " + os;
    }
}
