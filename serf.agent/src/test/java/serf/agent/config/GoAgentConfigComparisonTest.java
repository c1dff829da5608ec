package serf.agent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import serf.agent.testsupport.HelpText;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the real Go agent (/usr/bin/serf, 0.9.4) with inputs it refuses and checks that our loader
 * and validator print the same bytes on stdout and stderr with the same exit status. Every input
 * here fails before the Go agent opens a socket; it still gets loopback addresses on free ports
 * and is killed after a bounded wait, in case it starts after all.
 */
class GoAgentConfigComparisonTest {

    private static final Path SERF = Path.of("/usr/bin/serf");

    @TempDir
    static Path dir;

    @BeforeAll
    static void files() throws IOException {
        write("trailing-comma.json", "{\"node_name\": \"a\",}");
        write("empty.json", "");
        write("truncated.json", "{\"node_name\": \"a\"");
        write("types.json", "{\"node_name\": 1000000, \"role\": 0.00001, \"tags\": [1,\"a\",{\"b\":null, \"a\":[true]}], "
                + "\"bind\": {\"x\":1}, \"-\": \"x\", \"Node_Name\": \"q\", \"log_LEVEL\": \"x\", \"retry_interval\": 5, "
                + "\"event_handlers\": [1, null], \"start_join\": \"j\", \"protocol\": true}");
        write("big-number.json", "{\"protocol\": 1e400}");
        write("array.json", "[1]");
        write("bad-duration.json", "{\"tombstone_timeout\": \"1x\"}");
        write("control.json", "{\"a\": \"\u0001\"}");
        write("literal.json", "{\"a\": tru }");
        write("utf8.json", "\u00e9");
        write("garbage-after.json", "{\"log_level\": \"bogus\"} garbage");
        write("d/a.json", "{\"node_name\": \"a\"}");
        write("d/b.json", "{\"nope\": 1}");
        write("d/c.json", "{broken");
        write("d/a.txt", "{broken");
        write("tags.json", "{\"a\": \"b\"}");
        write("tags-open.json", "{");
        write("tags-array.json", "[1]");
        write("tags-number.json", "{\"a\": 1}");
        write("tags-trailing.json", "{} x");
        write("kr-empty.json", "[]");
        write("kr-null.json", "null");
        write("kr-object.json", "{}");
        write("kr-number.json", "[1]");
        write("kr-base64.json", "[\"!!\"]");
        write("kr-size.json", "[\"YWJj\", \"!!\"]");
        write("kr-size2.json", "[\"YWJj\"]");
        write("kr-ok.json", "[\"0TKAT3ykjUvzx6re2s6IxhF8quSM6sRND/VGfeiFYmE=\"]");
        Files.createDirectories(dir.resolve("a-directory"));
    }

    private static void write(String name, String content) throws IOException {
        Path p = dir.resolve(name);
        Files.createDirectories(p.getParent());
        Files.writeString(p, content);
    }

    private static String f(String name) {
        return dir.resolve(name).toString();
    }

    /** What a process printed. */
    record Outcome(int exit, String stdout, String stderr) {
    }

    private static List<List<String>> scenarios() {
        return List.of(
            List.of("-rpc-auth", "x"),
            List.of("-protocol", "abc"),
            List.of("-protocol", "99999999999999999999"),
            List.of("-syslog=maybe"),
            List.of("-node"),
            List.of("---x"),
            List.of("-=x"),
            List.of("--h"),
            List.of("-tag", "foo"),
            List.of("-tag", "=v"),
            List.of("-retry-interval", "5x"),
            List.of("-broadcast-timeout", "1"),
            List.of("-config-file", f("trailing-comma.json")),
            List.of("-config-file", f("empty.json")),
            List.of("-config-file", f("truncated.json")),
            List.of("-config-file", f("types.json")),
            List.of("-config-file", f("big-number.json")),
            List.of("-config-file", f("array.json")),
            List.of("-config-file", f("bad-duration.json")),
            List.of("-config-file", f("control.json")),
            List.of("-config-file", f("literal.json")),
            List.of("-config-file", f("utf8.json")),
            List.of("-config-file", f("garbage-after.json")),
            List.of("-config-file", f("nosuch.json")),
            List.of("-config-dir", f("d")),
            List.of("-config-dir", dir + "/./d/"),
            List.of("-event-handler", "member-foo=x.sh"),
            List.of("-event-handler", "user:deploy,foo=x.sh"),
            List.of("-event-handler", "ok.sh", "-event-handler", "member-join,,user=b.sh"),
            List.of("-iface", "nosuch0"),
            List.of("-iface", "lo", "-bind", "10.9.9.9"),
            List.of("-iface", "lo", "-bind", "127.0.0.1", "-log-level", "x"),
            List.of("-log-level", "bogus"),
            List.of("-log-level", "", "-protocol", "9"),
            List.of("-log-level", "wArN", "-protocol", "0x107"),
            List.of("-role", "x", "-log-level", "bogus"),
            List.of("-retry-interval", "10ms", "-broadcast-timeout", "-1s", "-rejoin", "-log-level", "warning"),
            List.of("-bind", "xx:yy"),
            List.of("-bind", "::1"),
            List.of("-bind", "[::1"),
            List.of("-bind", "127.0.0.1:99999"),
            List.of("-bind", "1.2.3.4]:5"),
            List.of("-advertise", "1.2.3.4:99999"),
            List.of("-encrypt", "abc"),
            List.of("-encrypt", "YWJj"),
            List.of("-encrypt", "abc", "-profile", "foo"),
            List.of("-profile", "foo"),
            List.of("-profile", "foo", "-bind", "xx:yy"),
            List.of("-protocol", "9"),
            List.of("-protocol", "1"),
            List.of("-protocol", "263"),
            List.of("-tags-file", f("tags.json"), "-tag", "x=y"),
            List.of("-tags-file", f("tags.json"), "-role", "r"),
            List.of("-tags-file", f("tags-open.json")),
            List.of("-tags-file", f("tags-array.json")),
            List.of("-tags-file", f("tags-number.json")),
            List.of("-tags-file", f("tags-trailing.json")),
            List.of("-tags-file", f("a-directory")),
            List.of("-tags-file", f("tags-open.json"), "-log-level", "x"),
            List.of("-tags-file", f("tags.json"), "-protocol", "9"),
            List.of("-keyring-file", f("nosuch.json")),
            List.of("-keyring-file", f("kr-empty.json")),
            List.of("-keyring-file", f("kr-null.json")),
            List.of("-keyring-file", f("kr-object.json")),
            List.of("-keyring-file", f("kr-number.json")),
            List.of("-keyring-file", f("kr-base64.json")),
            List.of("-keyring-file", f("kr-size.json")),
            List.of("-keyring-file", f("kr-size2.json")),
            List.of("-keyring-file", f("a-directory")),
            List.of("-keyring-file", f("kr-ok.json"), "-encrypt", "0TKAT3ykjUvzx6re2s6IxhF8quSM6sRND/VGfeiFYmE="),
            List.of("-keyring-file", f("kr-ok.json"), "-protocol", "6"));
    }

    @Test
    void refusedInputsPrintWhatTheGoAgentPrints() throws Exception {
        assumeTrue(Files.isExecutable(SERF), "needs the Go agent at /usr/bin/serf");
        List<String> mismatches = new ArrayList<>();
        for (List<String> scenario : scenarios()) {
            List<String> args = new ArrayList<>(List.of("-bind", "127.0.0.1:" + freePort(), "-rpc-addr",
                    "127.0.0.1:" + freePort()));
            args.addAll(scenario);
            // Help texts are compared by usage line, flags and defaults (ours are in our own words).
            Outcome go = byContent(runGo(args));
            Outcome ours = byContent(runOurs(args));
            if (!go.equals(ours)) {
                mismatches.add(scenario + "\n  go:   " + go + "\n  ours: " + ours);
            }
        }
        assertThat(mismatches).isEmpty();
    }

    /** A config the Go agent accepts: what it reports running with (serf info) equals what we load. */
    @Test
    void mergedConfigEqualsWhatTheGoAgentRunsWith() throws Exception {
        assumeTrue(Files.isExecutable(SERF), "needs the Go agent at /usr/bin/serf");
        write("m/a.json", "{\"node_name\": \"from-a\", \"tags\": {\"x\": \"1\", \"y\": \"1\"}, "
                + "\"event_handlers\": [\"echo a\"], \"role\": \"r1\", \"Log_Level\": \"warn\"}");
        write("m/b.json", "{\"tags\": {\"y\": \"2\"}, \"event_handlers\": [\"user:deploy=echo b\"], \"node_name\": \"from-b\"}");
        int rpc = freePort();
        List<String> args = List.of("-config-dir", f("m"), "-tag", "z=3", "-event-handler", "query:load,member-join=echo c",
                "-bind", "127.0.0.1:" + freePort(), "-rpc-addr", "127.0.0.1:" + rpc);
        LoadedConfig ours = new AgentConfigLoader().load(args);
        Map<String, String> ourHandlers = new java.util.TreeMap<>();
        for (serf.agent.handler.EventScript es : serf.agent.handler.EventScript.parseAll(ours.config().eventHandlers())) {
            ourHandlers.put(es.filter().statsKey(), es.script());
        }
        List<String> cmd = new ArrayList<>(List.of(SERF.toString(), "agent"));
        cmd.addAll(args);
        Path log = dir.resolve("merged.log");
        Process agent = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        try {
            String info = null;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (info == null) {
                Process cli = new ProcessBuilder(SERF.toString(), "info", "-format=json", "-rpc-addr=127.0.0.1:" + rpc)
                        .redirectErrorStream(true).start();
                try {
                    String text = new String(cli.getInputStream().readNBytes(1 << 20), StandardCharsets.UTF_8);
                    if (cli.waitFor(10, TimeUnit.SECONDS) && cli.exitValue() == 0) {
                        info = text;
                    }
                } finally {
                    cli.destroyForcibly();
                }
                if (info == null) {
                    assertThat(System.nanoTime() - deadline).as("agent up; log: %s", Files.readString(log)).isNegative();
                    assertThat(agent.isAlive()).as("agent running; log: %s", Files.readString(log)).isTrue();
                    Thread.sleep(100);
                }
            }
            @SuppressWarnings("unchecked")
            Map<String, Map<String, String>> stats = (Map<String, Map<String, String>>) serf.wire.json.Json.parse(info);
            assertThat(stats.get("agent")).containsEntry("name", ours.config().nodeName());
            assertThat(ours.config().nodeName()).isEqualTo("from-b");
            assertThat(stats.get("tags")).isEqualTo(ours.config().tags());
            assertThat(ours.config().tags()).isEqualTo(Map.of("x", "1", "y", "2", "z", "3", "role", "r1"));
            assertThat(stats.get("event_handlers")).isEqualTo(ourHandlers);
            assertThat(ourHandlers).containsOnlyKeys("*:", "user:deploy", "query:load", "member-join:");
            String out = Files.readString(log);
            assertThat(out).startsWith("==> Deprecation warning: 'Role' has been replaced with 'Tags'\n==> Starting Serf agent...");
            assertThat(ours.warnings()).containsExactly("Deprecation warning: 'Role' has been replaced with 'Tags'");
            assertThat(ours.config().logLevel()).isEqualTo("warn");
            assertThat(out).doesNotContain("[INFO]");
        } finally {
            agent.destroyForcibly();
            agent.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static Outcome byContent(Outcome o) {
        return new Outcome(o.exit(), HelpText.byContent(o.stdout()), HelpText.byContent(o.stderr()));
    }

    static Outcome runOurs(List<String> args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
        int exit = 0;
        try {
            LoadedConfig loaded = new AgentConfigLoader().load(args);
            for (String w : loaded.warnings()) {
                o.println("==> " + w);
            }
            AgentConfigValidator.validate(loaded.config());
            o.println("(would start)");
        } catch (ConfigException ex) {
            ex.print(o, e);
            exit = ex.exitCode();
        }
        return new Outcome(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    static Outcome runGo(List<String> args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(SERF.toString(), "agent"));
        cmd.addAll(args);
        Path out = Files.createTempFile(dir, "go", ".out");
        Path err = Files.createTempFile(dir, "go", ".err");
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectOutput(out.toFile())
                .redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .start();
        try {
            if (!p.waitFor(15, TimeUnit.SECONDS)) {
                return new Outcome(-1, "(still running: it started) " + Files.readString(out), Files.readString(err));
            }
            return new Outcome(p.exitValue(), Files.readString(out), Files.readString(err));
        } finally {
            p.destroyForcibly();
            p.waitFor(5, TimeUnit.SECONDS);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
