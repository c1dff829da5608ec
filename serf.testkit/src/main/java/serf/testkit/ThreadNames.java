package serf.testkit;

import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Names of live threads, virtual ones included. Virtual threads do not appear in
 * {@link Thread#getAllStackTraces()}, so this asks the JVM for a thread dump (through reflection:
 * jdk.management is not a dependency of the module under test) and falls back to platform threads
 * only if that is unavailable.
 */
public final class ThreadNames {

    private ThreadNames() {
    }

    /** Whether virtual threads are included in what {@link #live()} returns. */
    public static boolean includesVirtualThreads() {
        return dump() != null;
    }

    /** Live threads whose name starts with {@code prefix}. */
    public static List<String> liveStartingWith(String prefix) {
        List<String> result = new ArrayList<>();
        for (String name : live()) {
            if (name.startsWith(prefix)) {
                result.add(name);
            }
        }
        return result;
    }

    public static List<String> live() {
        String dump = dump();
        List<String> names = new ArrayList<>();
        if (dump == null) {
            for (Thread thread : Thread.getAllStackTraces().keySet()) {
                names.add(thread.getName());
            }
            return names;
        }
        // Plain-text format: a header line per thread: #<tid> "<name>" [virtual] ...
        for (String line : dump.split("\n")) {
            if (line.startsWith("#")) {
                int open = line.indexOf('"');
                int close = line.indexOf('"', open + 1);
                if (open >= 0 && close > open) {
                    names.add(line.substring(open + 1, close));
                }
            }
        }
        return names;
    }

    private static String dump() {
        try {
            Class<?> factory = Class.forName("java.lang.management.ManagementFactory");
            Class<?> beanType = Class.forName("com.sun.management.HotSpotDiagnosticMXBean");
            Class<?> formatType = Class.forName("com.sun.management.HotSpotDiagnosticMXBean$ThreadDumpFormat");
            Object bean = factory.getMethod("getPlatformMXBean", Class.class).invoke(null, beanType);
            Object textFormat = formatType.getEnumConstants()[0];
            Method dumpThreads = beanType.getMethod("dumpThreads", String.class, formatType);
            Path dir = Files.createTempDirectory("threads");
            Path file = dir.resolve("dump.txt");
            try {
                dumpThreads.invoke(bean, file.toString(), textFormat);
                return Files.readString(file);
            } finally {
                Files.deleteIfExists(file);
                Files.deleteIfExists(dir);
            }
        } catch (ReflectiveOperationException | java.io.IOException | RuntimeException e) {
            return null;
        }
    }
}
