package serf.agent.handler;

import serf.testkit.RecordingLogger;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScriptInvokerTest {

    @TempDir
    Path dir;

    private final RecordingLogger log = new RecordingLogger();

    private ScriptInvoker invoker(ScriptInvoker.Options o) {
        return new ScriptInvoker(o.withWorkingDir(dir), log);
    }

    private ScriptInvoker invoker() {
        return invoker(ScriptInvoker.Options.defaults());
    }

    @Test
    void runsThroughTheShellWithInheritedAndAddedEnvironment() throws Exception {
        ScriptResult r = invoker().run("echo \"$SERF_EVENT|$SERF_TAG_X|$PATH|$HOME\"; pwd",
                Map.of("SERF_EVENT", "user", "SERF_TAG_X", "a b", "HOME", "/overridden"), new byte[0], false);
        assertThat(r.exitCode()).isZero();
        assertThat(r.succeeded()).isTrue();
        assertThat(r.errorText()).isEmpty();
        assertThat(new String(r.output(), StandardCharsets.UTF_8)).isEqualTo(
                "user|a b|" + System.getenv("PATH") + "|/overridden\n" + dir.toRealPath() + "\n");
    }

    @Test
    void stdinIsDeliveredAndClosed() throws Exception {
        byte[] in = new byte[100_000];
        for (int i = 0; i < in.length; i++) {
            in[i] = (byte) i;
        }
        ScriptResult r = invoker().run("cat > in.bin; echo done", Map.of(), in, true);
        assertThat(Files.readAllBytes(dir.resolve("in.bin"))).isEqualTo(in);
        assertThat(r.output()).isEqualTo("done\n".getBytes());
        assertThat(log.lines).isEmpty();
    }

    @Test
    void stdoutAndStderrShareOneBufferThatKeepsTheLastBytes() throws Exception {
        ScriptResult r = invoker().run("echo out; echo err >&2; echo out2", Map.of(), new byte[0], false);
        assertThat(new String(r.output(), StandardCharsets.UTF_8)).isEqualTo("out\nerr\nout2\n");
        ScriptResult big = invoker().run("head -c 10000 /dev/zero | tr '\\0' a; printf END", Map.of(), new byte[0], false);
        assertThat(big.totalWritten()).isEqualTo(10_003);
        assertThat(big.output()).hasSize(8192);
        assertThat(new String(big.output(), StandardCharsets.UTF_8)).isEqualTo("a".repeat(8189) + "END");
        ScriptResult small = invoker(ScriptInvoker.Options.defaults().withOutputLimit(4)).run("printf 123456", Map.of(),
                new byte[0], false);
        assertThat(small.output()).isEqualTo("3456".getBytes());
        assertThat(small.totalWritten()).isEqualTo(6);
    }

    @Test
    void exitStatusIsReportedLikeGo() throws Exception {
        ScriptResult r = invoker().run("echo partial; exit 3", Map.of(), new byte[0], false);
        assertThat(r.exitCode()).isEqualTo(3);
        assertThat(r.succeeded()).isFalse();
        assertThat(r.errorText()).isEqualTo("exit status 3");
        assertThat(r.output()).isEqualTo("partial\n".getBytes());
    }

    @Test
    void aPayloadTheScriptDoesNotReadIsLoggedOnlyForPayloadEvents() throws Exception {
        byte[] big = new byte[1 << 20];
        ScriptResult r = invoker().run("exit 0", Map.of(), big, true);
        assertThat(r.succeeded()).isTrue();
        Await.until("payload error logged", Duration.ofSeconds(5),
                () -> log.at(System.Logger.Level.ERROR).stream().anyMatch(l -> l.startsWith("Error writing payload: ")));
        log.lines.clear();
        invoker().run("exit 0", Map.of(), big, false);
        assertThat(log.lines).isEmpty();
    }

    @Test
    void slowScriptsAreReportedOnce() throws Exception {
        ScriptResult r = invoker(ScriptInvoker.Options.defaults().withSlowWarning(Duration.ofMillis(100)))
                .run("sleep 0.5", Map.of(), new byte[0], false);
        assertThat(r.succeeded()).isTrue();
        assertThat(r.elapsed()).isGreaterThanOrEqualTo(Duration.ofMillis(500));
        assertThat(log.at(System.Logger.Level.WARNING)).containsExactly(
                "agent: Script 'sleep 0.5' slow, execution exceeding 100ms");
        log.lines.clear();
        invoker().run("true", Map.of(), new byte[0], false);
        assertThat(log.lines).isEmpty();
    }

    @Test
    void aTimeoutKillsTheScriptAndItsChildren() throws Exception {
        ScriptResult r = invoker(ScriptInvoker.Options.defaults().withTimeout(Duration.ofMillis(500)))
                .run("echo $$ > sh.pid; sleep 30 & echo $! > child.pid; echo started; wait", Map.of(), new byte[0], false);
        assertThat(r.timedOut()).isTrue();
        assertThat(r.succeeded()).isFalse();
        assertThat(r.errorText()).startsWith("timed out after ");
        assertThat(r.elapsed()).isLessThan(Duration.ofSeconds(10));
        assertThat(r.output()).isEqualTo("started\n".getBytes());
        assertDead(dir.resolve("sh.pid"));
        assertDead(dir.resolve("child.pid"));
    }

    @Test
    void interruptingTheCallerKillsTheScript() throws Exception {
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread t = Thread.ofVirtual().start(() -> {
            try {
                invoker().run("echo $$ > sh.pid; sleep 30", Map.of(), new byte[0], false);
            } catch (Throwable e) {
                thrown.set(e);
            }
        });
        Await.until("script started", Duration.ofSeconds(10), () -> Files.exists(dir.resolve("sh.pid")));
        t.interrupt();
        assertThat(t.join(Duration.ofSeconds(10))).isTrue();
        assertThat(thrown.get()).isInstanceOf(InterruptedException.class);
        assertDead(dir.resolve("sh.pid"));
    }

    @Test
    void aShellThatCannotStartIsAnIOException() {
        ScriptInvoker bad = new ScriptInvoker(new ScriptInvoker.Options(List.of(dir.resolve("no-shell").toString()), 8192,
                Duration.ofSeconds(1), Duration.ZERO, null), log);
        assertThatThrownBy(() -> bad.run("true", Map.of(), new byte[0], false)).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> invoker().run("true", Map.of("A", "x\0y"), new byte[0], false)).isInstanceOf(IOException.class);
    }

    @Test
    void optionsAreValidated() {
        assertThatThrownBy(() -> new ScriptInvoker.Options(List.of(), 1, Duration.ZERO, Duration.ZERO, null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ScriptInvoker.Options.defaults().withOutputLimit(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ScriptInvoker.Options.defaults().withTimeout(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(ScriptInvoker.Options.defaults().shell()).containsExactly("/bin/sh", "-c");
        assertThat(ScriptInvoker.Options.defaults().outputLimit()).isEqualTo(8192);
    }

    static void assertDead(Path pidFile) throws Exception {
        Await.until("pid file " + pidFile, Duration.ofSeconds(5), () -> Files.exists(pidFile)
                && !Files.readString(pidFile).isBlank());
        long pid = Long.parseLong(Files.readString(pidFile).trim());
        Await.until("process " + pid + " gone", Duration.ofSeconds(10),
                () -> ProcessHandle.of(pid).map(ph -> !ph.isAlive()).orElse(true));
    }
}
