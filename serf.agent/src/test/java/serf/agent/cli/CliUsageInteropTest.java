package serf.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import serf.agent.testsupport.CliRunner;
import serf.agent.testsupport.HelpText;
import serf.agent.testsupport.CliRunner.Result;

/**
 * Usage, help, flag errors, argument checks and connection errors, compared with the Go binary
 * (stdout, stderr, exit code). Everything outside a help text must match byte for byte; a help text
 * (from its {@code Usage: serf ...} line to the end of its stream) is our own wording, so it is
 * compared by what scripts and users rely on: the usage line, the flags with their defaults, and the
 * commands listed. Nothing listens on the RPC address used, so every command that gets as far as
 * connecting fails the same way.
 */
class CliUsageInteropTest {
    private static final Map<String, String> ENV = Map.of("SERF_RPC_ADDR", "127.0.0.1:1");

    @BeforeAll
    static void goCli() {
        assumeTrue(CliRunner.goAvailable(), "/usr/bin/serf not installed");
    }

    static List<List<String>> cases() {
        List<List<String>> c = new ArrayList<>(List.of(
                List.of(), List.of("-h"), List.of("--help"), List.of("-help"), List.of("bogus"), List.of("help"),
                List.of("-version"), List.of("---x"), List.of("-x", "members"), List.of("", "members"),
                List.of("members", "-bogus"), List.of("members", "-detailed=xyz"), List.of("members", "---x"),
                List.of("members", "-=x"), List.of("members", "-format"), List.of("members", "-help=false"),
                List.of("members", "--h"), List.of("members", "--", "-h"), List.of("members", "x", "-h"),
                List.of("members", "-tag", "bad"), List.of("members", "-tag", "=v"), List.of("members", "-role", "web"),
                List.of("members", "--detailed", "--format=json", "-status", "alive"),
                List.of("query", "-timeout=zz", "a"), List.of("query", "-timeout", "1h2m3.5s", "a"),
                List.of("query", "-timeout", "-1.5us", "a"), List.of("query", "-timeout", "1", "a"),
                List.of("query", "-timeout", "9999999999h", "a"),
                List.of("query", "-relay-factor", "300", "a"), List.of("query", "-relay-factor", "-1", "a"),
                List.of("query", "-relay-factor", "99999999999999999999", "a"), List.of("query", "-relay-factor", "0x10", "a"),
                List.of("query", "-relay-factor", "0b11", "a"), List.of("query", "-relay-factor", "010", "a"),
                List.of("query", "-relay-factor", "1_0", "a"), List.of("query", "-relay-factor", "_1", "a"),
                List.of("query", "-relay-factor", "0x", "a"), List.of("query", "-relay-factor=", "a"),
                List.of("query"), List.of("query", "a", "b", "c"), List.of("query", "-tag", "x", "a"),
                List.of("query", "-no-ack=maybe", "a"), List.of("query", "-node"),
                List.of("event"), List.of("event", "a", "b", "c"), List.of("event", "-coalesce", "xyz"),
                List.of("event", "-coalesce=F", "a"), List.of("join"), List.of("join", "-replay"),
                List.of("force-leave"), List.of("force-leave", "a", "b"), List.of("keys"),
                List.of("keys", "-list", "-install", "x"), List.of("keys", "-install", "a", "-use", "b"),
                List.of("keys", "-remove", "a", "-list"), List.of("tags"), List.of("tags", "-delete", "x"),
                List.of("rtt"), List.of("rtt", "a", "b", "c"), List.of("info"), List.of("leave"),
                List.of("reachability", "-verbose"), List.of("monitor", "-log-level"), List.of("monitor"),
                List.of("members", "-rpc-addr=foo"), List.of("members", "-rpc-addr=a:b:c"),
                List.of("members", "-rpc-addr=127.0.0.1:abc"), List.of("members", "-rpc-addr=127.0.0.1:99999"),
                List.of("members", "-rpc-addr=127.0.0.1:-1"), List.of("members", "-rpc-addr=[::1"),
                List.of("members", "-rpc-addr=[::1]x:1"), List.of("members", "-rpc-addr=:1"),
                List.of("info", "-rpc-addr", "127.0.0.1:"), List.of("members", "-rpc-addr=localhost:1"),
                List.of("members", "-rpc-addr=::1:1")));
        for (String cmd : List.of("agent", "event", "force-leave", "info", "join", "keygen", "keys", "leave", "members",
                "monitor", "query", "reachability", "rtt", "tags", "version")) {
            c.add(List.of(cmd, "-h"));
            c.add(List.of("--help", cmd));
        }
        return c;
    }

    @Test
    void everyCaseMatchesTheGoBinary() throws Exception {
        List<List<String>> cases = cases();
        // The Go processes run in parallel to keep this quick; each comparison is independent.
        List<CompletableFuture<Result>> go = cases.stream().map(args -> CompletableFuture.supplyAsync(() -> {
            try {
                return CliRunner.go(args, ENV);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        })).toList();
        List<String> mismatches = new ArrayList<>();
        for (int i = 0; i < cases.size(); i++) {
            Result theirs = helpByContent(go.get(i).join());
            Result ours = helpByContent(CliRunner.ours(cases.get(i), ENV));
            if (!theirs.equals(ours)) {
                mismatches.add("serf " + cases.get(i) + "\nGo:   " + theirs + "\nours: " + ours);
            }
        }
        assertThat(mismatches).isEmpty();
    }

    static Result helpByContent(Result r) {
        return new Result(r.code(), HelpText.byContent(r.out()), HelpText.byContent(r.err()));
    }

    static String helpByContent(String stream) {
        return HelpText.byContent(stream);
    }

    @Test
    void helpTextsKeepTheUsageLineFlagsAndDefaults() throws Exception {
        // The normalisation must not hide what matters: a missing flag or another default shows.
        String go = CliRunner.go(List.of("event", "-h"), ENV).err();
        String ours = CliRunner.ours(List.of("event", "-h"), ENV).err();
        assertThat(helpByContent(ours)).isEqualTo(helpByContent(go))
                .contains("-coalesce=true/false", "-rpc-addr=127.0.0.1:7373", "-rpc-auth=\"\"")
                .startsWith("Usage: serf event [options] name payload\n");
        assertThat(ours).as("our own words").isNotEqualTo(go);
        assertThat(helpByContent(ours.replace("-coalesce=true/false", "-coalesce=false")))
                .isNotEqualTo(helpByContent(go));
    }

    @Test
    void versionDiffersOnlyInTheVersionLine() throws Exception {
        for (List<String> args : List.of(List.of("version"), List.of("-v"), List.of("--version"), List.of("members", "-v"),
                List.of("version", "extra"))) {
            Result theirs = CliRunner.go(args, ENV);
            Result ours = CliRunner.ours(args, ENV);
            assertThat(ours.code()).isEqualTo(theirs.code()).isZero();
            assertThat(ours.err()).isEqualTo(theirs.err()).isEmpty();
            String[] go = theirs.out().split("\n", -1);
            String[] mine = ours.out().split("\n", -1);
            assertThat(mine).hasSameSizeAs(go);
            assertThat(mine[0]).matches("Serf v0\\.9\\.4 \\(serf-jvm \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?\\)");
            assertThat(Stream.of(mine).skip(1).toList()).isEqualTo(Stream.of(go).skip(1).toList());
            assertThat(mine[1]).isEqualTo("Agent Protocol: 5 (Understands back to: 2)");
        }
    }

    @Test
    void keygenPrintsAFreshBase64Key() throws Exception {
        Result theirs = CliRunner.go(List.of("keygen"), ENV);
        Result a = CliRunner.ours(List.of("keygen"), ENV);
        Result b = CliRunner.ours(List.of("keygen"), ENV);
        for (Result r : List.of(theirs, a, b)) {
            assertThat(r.code()).isZero();
            assertThat(r.err()).isEmpty();
            assertThat(r.out()).matches("[A-Za-z0-9+/]{43}=\n");
            assertThat(Base64.getDecoder().decode(r.out().trim())).hasSize(32);
        }
        assertThat(a.out()).isNotEqualTo(b.out());
    }
}
