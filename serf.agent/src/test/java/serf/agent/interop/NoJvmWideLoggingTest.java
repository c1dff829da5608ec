package serf.agent.interop;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The library modules change no JVM-wide state: a program with serf.agent and serf.client (and what
 * they require) on its module path keeps the JDK's own {@link System.LoggerFinder}. Only the
 * executable's launcher module, serf.launcher, routes logging, and only where it is present.
 */
class NoJvmWideLoggingTest {

    /** Prints the process's LoggerFinder class and whether the two modules are in the boot layer. */
    private static final String PROBE = """
            public class Probe {
                public static void main(String[] args) {
                    Class<?> finder = System.LoggerFinder.getLoggerFinder().getClass();
                    System.out.println(finder.getModule().getName() + "/" + finder.getName());
                    System.out.println(ModuleLayer.boot().findModule("serf.agent").isPresent()
                            + " " + ModuleLayer.boot().findModule("serf.client").isPresent());
                }
            }
            """;

    @Test
    void agentAndClientOnTheModulePathKeepTheJdkLoggerFinder(@TempDir Path dir) throws Exception {
        String launcher = AgentProcess.launcherLocation();
        String withoutLauncher = Arrays.stream(System.getProperty("jdk.module.path").split(File.pathSeparator))
                .filter(p -> !p.equals(launcher))
                .collect(Collectors.joining(File.pathSeparator));
        List<String> out = probe(dir, withoutLauncher);
        assertThat(out.get(1)).as("both modules resolved").isEqualTo("true true");
        // The JDK's own: java.base's, or java.logging's when that module is in the image.
        assertThat(out.get(0)).as("the JDK's default finder").matches("(java|jdk)\\.[a-z.]+/.*")
                .doesNotContain("serf");
    }

    @Test
    void theLauncherModuleIsWhatRoutesLogging(@TempDir Path dir) throws Exception {
        String path = System.getProperty("jdk.module.path") + File.pathSeparator + AgentProcess.launcherLocation();
        List<String> out = probe(dir, path);
        assertThat(out.get(1)).isEqualTo("true true");
        assertThat(out.get(0)).isEqualTo("serf.launcher/serf.launcher.AgentLogRouting");
    }

    private static List<String> probe(Path dir, String modulePath) throws IOException, InterruptedException {
        Path src = dir.resolve("Probe.java");
        Files.writeString(src, PROBE);
        String java = ProcessHandle.current().info().command().orElse(System.getProperty("java.home") + "/bin/java");
        List<String> cmd = new ArrayList<>(List.of(java, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "--module-path", modulePath, "--add-modules", "serf.agent,serf.client", src.toString()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("probe JVM did not finish");
        }
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(text).isZero();
        return text.lines().toList();
    }
}
