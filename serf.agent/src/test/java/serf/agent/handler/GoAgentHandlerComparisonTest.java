package serf.agent.handler;

import serf.testkit.RecordingLogger;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import serf.api.Member;
import serf.api.MemberStatus;
import serf.wire.json.Json;

/**
 * Runs two real Go agents (/usr/bin/serf) on 127.0.0.1 with a handler that dumps its SERF_*
 * environment and stdin, drives a join, a user event, a query and a leave, then feeds the same
 * events to our runner with the same script and compares what the script saw, and the query
 * response, with what the Go agent gave it.
 */
class GoAgentHandlerComparisonTest {

    private static final Path SERF = Path.of("/usr/bin/serf");
    private static final Duration WAIT = Duration.ofSeconds(40);

    @TempDir
    Path dir;

    private static final Map<String, Map<String, String>> TAGS = Map.of(
            "n1", Map.of("role", "web", "foo-bar.baz", "q", "dc", "x"),
            "n2", Map.of("role", "db"));

    @Test
    void scriptsSeeWhatTheGoAgentGivesThem() throws Exception {
        assumeTrue(Files.isExecutable(SERF), "needs the Go agent at /usr/bin/serf");
        Path goOut = Files.createDirectories(dir.resolve("go"));
        Path ourOut = Files.createDirectories(dir.resolve("ours"));
        Path script = dir.resolve("dump.sh");
        Files.writeString(script, """
                #!/bin/sh
                f="$OUT/$SERF_SELF_NAME.$SERF_EVENT.$(date +%s%N).$$"
                cat > "$f.stdin"
                env | grep '^SERF_' | sort > "$f.tmp" && mv "$f.tmp" "$f.env"
                if [ "$SERF_EVENT" = query ]; then echo "resp-from-$SERF_SELF_NAME"; echo "err-line" >&2; fi
                """);
        script.toFile().setExecutable(true);

        int p1 = freePort();
        int p2 = freePort();
        int r1 = freePort();
        int r2 = freePort();
        List<Process> agents = new ArrayList<>();
        try {
            agents.add(startGo(goOut, script, "n1", p1, r1));
            awaitRpc(r1);
            agents.add(startGo(goOut, script, "n2", p2, r2, "-join", "127.0.0.1:" + p1));
            awaitRpc(r2);
            Await.until("n1 saw n2 join", WAIT, () -> dumps(goOut, "n1", "member-join").stream()
                    .anyMatch(d -> d.stdin.contains("n2\t")));
            Await.until("n2 saw the join", WAIT, () -> !dumps(goOut, "n2", "member-join").isEmpty());

            cli("event", "-rpc-addr=127.0.0.1:" + r1, "deploy", "v1.2");
            Await.until("user events", WAIT, () -> dumps(goOut, "n1", "user").size() == 1
                    && dumps(goOut, "n2", "user").size() == 1);

            String queryJson = cli("query", "-rpc-addr=127.0.0.1:" + r1, "-format=json", "-timeout=5s", "load", "hello");
            @SuppressWarnings("unchecked")
            Map<String, Object> responses = (Map<String, Object>) ((Map<String, Object>) Json.parse(queryJson)).get("Responses");
            assertThat(responses).containsOnlyKeys("n1", "n2");

            cli("leave", "-rpc-addr=127.0.0.1:" + r2);
            Await.until("n1 saw n2 leave", WAIT, () -> dumps(goOut, "n1", "member-leave").stream()
                    .anyMatch(d -> d.stdin.contains("n2\t")));

            // Feed every event the Go agents handed their scripts to our runner, with the same script.
            List<Dump> goDumps = dumps(goOut, null, null);
            assertThat(goDumps).extracting(d -> d.event).contains("member-join", "user", "query", "member-leave");
            for (Dump go : goDumps) {
                Path mine = Files.createDirectories(ourOut.resolve(go.file));
                List<String> answers = new CopyOnWriteArrayList<>();
                ScriptEvent event = eventFor(go, answers);
                Member self = member(go.env.get("SERF_SELF_NAME"));
                ScriptInvoker invoker = new ScriptInvoker(ScriptInvoker.Options.defaults(), new RecordingLogger());
                // same script; "*=" because the spec contains '=' (the variable pointing it at our directory)
                List<EventScript> spec = EventScript.parse("*=OUT='" + mine + "' " + script);
                try (EventHandlerRunner runner = new EventHandlerRunner(spec, () -> self, invoker, 4, Duration.ofSeconds(1),
                        new RecordingLogger())) {
                    runner.handle(event);
                }
                List<Dump> ours = dumps(mine, null, null);
                assertThat(ours).hasSize(1);
                Dump our = ours.get(0);
                assertThat(our.env).as("environment of %s", go.file).isEqualTo(go.env);
                assertThat(lineSet(our.stdin)).as("stdin of %s", go.file).isEqualTo(lineSet(go.stdin));
                if (go.event.equals("query")) {
                    assertThat(answers).containsExactly((String) responses.get(go.env.get("SERF_SELF_NAME")));
                }
            }
            // the layouts the spec documents
            Dump user = dumps(goOut, "n2", "user").get(0);
            assertThat(user.stdin).isEqualTo("v1.2\n");
            assertThat(user.env).containsEntry("SERF_USER_EVENT", "deploy").containsEntry("SERF_SELF_ROLE", "db");
            Dump n1Query = dumps(goOut, "n1", "query").get(0);
            assertThat(n1Query.env).containsEntry("SERF_TAG_FOO_BAR_BAZ", "q");
            assertThat(responses.get("n1")).isEqualTo("resp-from-n1\nerr-line\n");
        } finally {
            for (Process p : agents) {
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    private ScriptEvent eventFor(Dump go, List<String> answers) throws Exception {
        Map<String, String> env = go.env;
        return switch (go.event) {
            case "user" -> new ScriptEvent.User(env.get("SERF_USER_EVENT"), Long.parseLong(env.get("SERF_USER_LTIME")),
                    go.stdin.isEmpty() ? null : go.stdin.substring(0, go.stdin.length() - 1).getBytes(StandardCharsets.UTF_8));
            case "query" -> new ScriptEvent.QueryEvent(env.get("SERF_QUERY_NAME"), Long.parseLong(env.get("SERF_QUERY_LTIME")),
                    go.stdin.isEmpty() ? null : go.stdin.substring(0, go.stdin.length() - 1).getBytes(StandardCharsets.UTF_8),
                    p -> answers.add(new String(p, StandardCharsets.UTF_8)));
            default -> {
                List<Member> members = new ArrayList<>();
                for (String line : go.stdin.split("\n")) {
                    String[] f = line.split("\t", -1);
                    Map<String, String> tags = new LinkedHashMap<>();
                    if (!f[3].isEmpty()) {
                        for (String kv : f[3].split(",")) {
                            int eq = kv.indexOf('=');
                            tags.put(kv.substring(0, eq), kv.substring(eq + 1));
                        }
                    }
                    members.add(new Member(f[0], InetAddress.getByName(f[1]), 0, tags, MemberStatus.ALIVE, 1, 5, 2, 2, 5, 5));
                }
                yield new ScriptEvent.Members(go.event, members);
            }
        };
    }

    private static Member member(String name) throws IOException {
        return new Member(name, InetAddress.getLoopbackAddress(), 0, TAGS.get(name), MemberStatus.ALIVE, 1, 5, 2, 2, 5, 5);
    }

    /** Lines with their tag lists normalised (Go prints map entries in random order). */
    private static Set<String> lineSet(String stdin) {
        Set<String> out = new HashSet<>();
        for (String line : stdin.split("\n", -1)) {
            String[] f = line.split("\t", -1);
            if (f.length == 4) {
                List<String> tags = new ArrayList<>(List.of(f[3].split(",")));
                tags.sort(null);
                f[3] = String.join(",", tags);
            }
            out.add(String.join("\t", f));
        }
        return out;
    }

    record Dump(String file, String node, String event, Map<String, String> env, String stdin) {
    }

    private static List<Dump> dumps(Path dir, String node, String event) throws IOException {
        List<Dump> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path env : files.filter(p -> p.toString().endsWith(".env")).sorted().toList()) {
                String base = env.getFileName().toString();
                base = base.substring(0, base.length() - ".env".length());
                String[] parts = base.split("\\.");
                if ((node != null && !parts[0].equals(node)) || (event != null && !parts[1].equals(event))) {
                    continue;
                }
                Map<String, String> vars = new TreeMap<>();
                for (String l : Files.readAllLines(env)) {
                    int eq = l.indexOf('=');
                    vars.put(l.substring(0, eq), l.substring(eq + 1));
                }
                out.add(new Dump(base, parts[0], parts[1], vars, Files.readString(dir.resolve(base + ".stdin"))));
            }
        }
        return out;
    }

    private Process startGo(Path out, Path script, String name, int port, int rpc, String... extra) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(SERF.toString(), "agent", "-node=" + name,
                "-bind=127.0.0.1:" + port, "-rpc-addr=127.0.0.1:" + rpc, "-event-handler=" + script));
        for (Map.Entry<String, String> t : TAGS.get(name).entrySet()) {
            cmd.add("-tag=" + t.getKey() + "=" + t.getValue());
        }
        cmd.addAll(List.of(extra));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(dir.resolve(name + ".log").toFile());
        pb.environment().put("OUT", out.toString());
        return pb.start();
    }

    private void awaitRpc(int rpc) throws Exception {
        Await.until("RPC on " + rpc, WAIT, () -> {
            try (java.net.Socket s = new java.net.Socket()) {
                s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), rpc), 500);
                return true;
            } catch (IOException e) {
                return false;
            }
        });
    }

    private String cli(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(SERF.toString()));
        cmd.addAll(List.of(args));
        Path out = Files.createTempFile(dir, "cli", ".out");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        try {
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("serf %s finished", args[0]).isTrue();
            assertThat(p.exitValue()).as("serf %s: %s", args[0], Files.readString(out)).isZero();
            return Files.readString(out);
        } finally {
            p.destroyForcibly();
        }
    }

    private static int freePort() throws IOException {
        for (int i = 0; i < 50; i++) {
            int port;
            try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                port = s.getLocalPort();
            }
            try (DatagramSocket d = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), port))) {
                return port;
            } catch (IOException e) {
                // taken for UDP: try another
            }
        }
        throw new IOException("no free port");
    }
}
