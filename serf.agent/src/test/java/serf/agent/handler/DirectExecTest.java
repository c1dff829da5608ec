package serf.agent.handler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import serf.testkit.RecordingLogger;

/** A bare path runs without the shell, and its process sees what it would have seen behind the shell. */
class DirectExecTest {

    @TempDir
    Path dir;

    /** Variables the shell drops, resets or sets, beside an ordinary one. */
    private static final Map<String, String> ENV = Map.of("SERF_EVENT", "user", "SERF_TAG_ROLE", "web server",
            "A-B", "dropped", "1X", "dropped", "IFS", "x", "OPTIND", "7", "PPID", "1");

    @BeforeEach
    void dashIsTheShell() throws Exception {
        assumeTrue(Path.of("/bin/sh").toRealPath().getFileName().toString().equals("dash"),
                "bare paths skip the shell only where /bin/sh is dash, whose rules they imitate");
    }

    private ScriptInvoker invoker() {
        return new ScriptInvoker(ScriptInvoker.Options.defaults().withWorkingDir(dir), new RecordingLogger());
    }

    /** What {@code /bin/sh -c script} gives, run by hand with the same environment and directory. */
    private Shell throughTheShell(String script) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("/bin/sh", "-c", script).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().putAll(ENV);
        Process p = pb.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Shell(p.waitFor(), out);
    }

    record Shell(int exitCode, String output) {
    }

    @Test
    void aBarePathSeesTheEnvironmentTheShellWouldHaveGivenIt() throws Exception {
        ScriptResult ours = invoker().run("/usr/bin/env", ENV, new byte[0], false);
        Shell shell = throughTheShell("/usr/bin/env");
        assertThat(ours.exitCode()).isZero();
        assertThat(sortedLines(new String(ours.output(), StandardCharsets.UTF_8))).isEqualTo(sortedLines(shell.output()))
                .contains("SERF_TAG_ROLE=web server", "IFS= \t", "OPTIND=1", "PWD=" + dir.toRealPath(),
                        "PPID=" + ProcessHandle.current().pid())
                .noneMatch(l -> l.startsWith("A-B=") || l.startsWith("1X="));
    }

    @Test
    void aBarePathIsExecutedWithoutAShellInBetween() throws Exception {
        Path script = dir.resolve("parent.sh");
        Files.writeString(script, "#!/bin/sh\ncat /proc/$PPID/comm\necho \"$0 $#\"\ncat\n");
        script.toFile().setExecutable(true);
        ScriptResult ours = invoker().run(script.toString(), ENV, "payload".getBytes(StandardCharsets.UTF_8), true);
        String[] lines = new String(ours.output(), StandardCharsets.UTF_8).split("\n");
        assertThat(lines[0]).as("the script's parent").isNotEqualTo("sh");
        assertThat(lines[1]).isEqualTo(script + " 0");
        assertThat(lines[2]).isEqualTo("payload");
        assertThat(throughTheShell(script.toString()).output()).startsWith("sh\n"); // what it replaces
    }

    @Test
    void whatCannotBeExecutedFailsAsItDoesBehindTheShell() throws Exception {
        Path notExecutable = Files.writeString(dir.resolve("plain.sh"), "echo ran\n");
        Path noInterpreterLine = Files.writeString(dir.resolve("bare.sh"), "echo \"ran $0\"\n");
        noInterpreterLine.toFile().setExecutable(true);
        Path directory = Files.createDirectories(dir.resolve("sub"));
        for (Path p : List.of(dir.resolve("missing.sh"), notExecutable, noInterpreterLine, directory)) {
            ScriptResult ours = invoker().run(p.toString(), ENV, new byte[0], false);
            Shell shell = throughTheShell(p.toString());
            assertThat(ours.exitCode()).as("exit code of %s", p).isEqualTo(shell.exitCode());
            assertThat(new String(ours.output(), StandardCharsets.UTF_8)).as("output of %s", p).isEqualTo(shell.output());
        }
        assertThat(throughTheShell(dir.resolve("missing.sh").toString()).exitCode()).isEqualTo(127);
        assertThat(throughTheShell(notExecutable.toString()).exitCode()).isEqualTo(126);
    }

    @Test
    void onlyAnAbsolutePathOfPlainCharactersSkipsTheShell() {
        assertThat(DirectExec.isBarePath("/etc/serf/handler.sh")).isTrue();
        assertThat(DirectExec.isBarePath("/opt/x-1.2/bin/on_event+v2,a:b@c%d")).isTrue();
        for (String s : List.of("", "/", "handler.sh", "./handler.sh", "~/h.sh", "/h.sh arg", "/h.sh;rm", "/h.sh|x",
                "/h.sh>out", "/h$HOME", "/h*", "/h?", "/h[1]", "/a=b", "/h'q'", "/h\"q\"", "/h\\n", "/h\tx", "/h\nx",
                "/h&", "/h#c", "/h(1)", "/h{a,b}", "/h!", "/h`id`", "/é")) {
            assertThat(DirectExec.isBarePath(s)).as(s).isFalse();
        }
    }

    @Test
    void anotherShellIsLeftToItsOwnRules() {
        assertThat(DirectExec.forShell(List.of("/bin/bash", "-c"), dir)).isNull();
        assertThat(DirectExec.forShell(List.of("cmd", "/C"), dir)).isNull();
        assertThat(DirectExec.forShell(List.of("/bin/sh", "-c"), dir)).isNotNull();
    }

    private static List<String> sortedLines(String s) {
        return Arrays.stream(s.split("\n")).sorted().toList();
    }
}
