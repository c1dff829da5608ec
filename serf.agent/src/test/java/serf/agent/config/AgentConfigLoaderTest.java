package serf.agent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import serf.agent.internal.GoFlagSet;

class AgentConfigLoaderTest {

    @TempDir
    Path dir;

    private final AgentConfigLoader loader = new AgentConfigLoader(() -> "host1",
            name -> name.equals("eth9") ? Optional.empty() : Optional.of("route ip+net: no such network interface"));

    private LoadedConfig load(String... args) throws ConfigException {
        return loader.load(List.of(args));
    }

    private String file(String name, String json) throws IOException {
        Path p = dir.resolve(name);
        Files.createDirectories(p.getParent());
        Files.writeString(p, json);
        return p.toString();
    }

    @Test
    void noArgumentsGiveGoDefaults() throws Exception {
        LoadedConfig l = load();
        AgentConfig c = l.config();
        assertThat(c).isEqualTo(AgentConfig.defaults().toBuilder().nodeName("host1").enableCompression(true).build());
        assertThat(c.bindAddr()).isEqualTo("0.0.0.0");
        assertThat(c.rpcAddr()).isEqualTo("127.0.0.1:7373");
        assertThat(c.logLevel()).isEqualTo("INFO");
        assertThat(c.protocol()).isEqualTo(5);
        assertThat(c.profile()).isEqualTo("lan");
        assertThat(c.retryInterval()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.broadcastTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.syslogFacility()).isEqualTo("LOCAL0");
        assertThat(c.queryResponseSizeLimit()).isEqualTo(1024);
        assertThat(c.querySizeLimit()).isEqualTo(1024);
        assertThat(c.userEventSizeLimit()).isEqualTo(512);
        assertThat(c.enableCompression()).isTrue();
        assertThat(c.tags()).isEmpty();
        assertThat(l.warnings()).isEmpty();
    }

    @Test
    void everyFlagSetsItsField() throws Exception {
        AgentConfig c = load("-bind=127.0.0.1:1", "-advertise", "10.0.0.1:2", "-encrypt", "key", "-keyring-file", "/k",
                "-event-handler", "a.sh", "-event-handler=member-join=b.sh", "-join", "j1", "-join=j2", "-replay",
                "-log-level", "debug", "-node", "n", "-protocol", "3", "-role", "web", "-rpc-addr", "127.0.0.1:3",
                "-profile", "wan", "-snapshot", "/s", "-tag", "a=1", "-tag", "b=x=y", "-discover", "cl", "-iface", "eth9",
                "-tags-file", "/t", "-syslog", "-retry-join", "r1", "-retry-join=r2", "-retry-max", "4",
                "-retry-interval", "1m30s", "-rejoin", "-disable-compression", "-broadcast-timeout=2s").config();
        assertThat(c).isEqualTo(AgentConfig.defaults().toBuilder()
                .bindAddr("127.0.0.1:1").advertiseAddr("10.0.0.1:2").encryptKey("key").keyringFile("/k")
                .eventHandlers(List.of("a.sh", "member-join=b.sh")).startJoin(List.of("j1", "j2")).replayOnJoin(true)
                .logLevel("debug").nodeName("n").protocol(3).role("web").rpcAddr("127.0.0.1:3").profile("wan")
                .snapshotPath("/s").tags(Map.of("a", "1", "b", "x=y", "role", "web")).discover("cl").iface("eth9")
                .tagsFile("/t").enableSyslog(true).retryJoin(List.of("r1", "r2")).retryMaxAttempts(4)
                .retryInterval(Duration.ofSeconds(90)).rejoinAfterLeave(true).enableCompression(false)
                .broadcastTimeout(Duration.ofSeconds(2)).build());
    }

    @Test
    void protocolFlagOnlyCountsWhenPositive() throws Exception {
        String f = file("p.json", "{\"protocol\": 3}");
        assertThat(load("-config-file", f).config().protocol()).isEqualTo(3);
        assertThat(load("-config-file", f, "-protocol", "0").config().protocol()).isEqualTo(3);
        assertThat(load("-config-file", f, "-protocol", "-4").config().protocol()).isEqualTo(3);
        assertThat(load("-config-file", f, "-protocol", "4").config().protocol()).isEqualTo(4);
        assertThat(load("-protocol", "263").config().serfProtocolVersion()).isEqualTo(7);
    }

    @Test
    void filesMergeInOrderAndFlagsWin() throws Exception {
        String a = file("a.json", """
                {"node_name": "from-a", "tags": {"x": "1", "y": "1"}, "event_handlers": ["a.sh"],
                 "start_join": ["ja"], "retry_join": ["ra"], "leave_on_terminate": true, "log_level": "debug",
                 "enable_compression": false, "retry_interval": "10s", "reconnect_timeout": "1h"}""");
        String b = file("b.json", """
                {"node_name": "from-b", "tags": {"y": "2", "z": "2"}, "event_handlers": ["b.sh"], "start_join": ["jb"],
                 "leave_on_terminate": false, "log_level": "", "protocol": 0, "retry_interval": "0s"}""");
        LoadedConfig l = load("-config-file", a, "-config-file=" + b, "-event-handler", "flag.sh", "-join", "jf",
                "-tag", "z=3", "-node", "from-flag");
        AgentConfig c = l.config();
        assertThat(c.nodeName()).isEqualTo("from-flag");
        assertThat(c.tags()).isEqualTo(Map.of("x", "1", "y", "2", "z", "3"));
        assertThat(c.eventHandlers()).containsExactly("a.sh", "b.sh", "flag.sh");
        assertThat(c.startJoin()).containsExactly("ja", "jb", "jf");
        assertThat(c.retryJoin()).containsExactly("ra");
        assertThat(c.leaveOnTerminate()).as("a later false never turns a bool off").isTrue();
        assertThat(c.logLevel()).isEqualTo("debug");
        assertThat(c.protocol()).isEqualTo(5);
        assertThat(c.retryInterval()).as("0s is Go's zero, so it does not override").isEqualTo(Duration.ofSeconds(10));
        assertThat(c.reconnectTimeout()).isEqualTo(Duration.ofHours(1));
        assertThat(c.enableCompression()).as("files never decide compression").isTrue();
        assertThat(l.configPaths()).containsExactly(a, b);
    }

    @Test
    void configDirReadsJsonFilesInByteOrderWithoutRecursing() throws Exception {
        file("d/b.json", "{\"node_name\": \"b\", \"event_handlers\": [\"b\"]}");
        file("d/a.json", "{\"node_name\": \"a\", \"event_handlers\": [\"a\"]}");
        file("d/B.json", "{\"event_handlers\": [\"B\"]}");
        file("d/c.json.bak", "{broken");
        file("d/README", "{broken");
        file("d/sub/z.json", "{broken");
        file("d/sub.json/inner.json", "{broken");
        file("d/_.json", "{\"event_handlers\": [\"_\"]}");
        String single = file("single.json", "{\"event_handlers\": [\"single\"]}");
        AgentConfig c = load("-config-file", single, "-config-dir", dir.resolve("d").toString()).config();
        assertThat(c.eventHandlers()).containsExactly("single", "B", "_", "a", "b");
        assertThat(c.nodeName()).isEqualTo("b");
        // -config-file and -config-dir are one list: a directory given as -config-file is read as a directory
        AgentConfig d = load("-config-file", dir.resolve("d").toString(), "-config-dir", single).config();
        assertThat(d.eventHandlers()).containsExactly("B", "_", "a", "b", "single");
    }

    @Test
    void symlinkedEntriesInAConfigDirAreReadAsFiles() throws Exception {
        String target = file("real.json", "{\"node_name\": \"via-link\"}");
        Files.createDirectories(dir.resolve("links"));
        Files.createSymbolicLink(dir.resolve("links/l.json"), Path.of(target));
        assertThat(load("-config-dir", dir.resolve("links").toString()).config().nodeName()).isEqualTo("via-link");
        Files.createDirectories(dir.resolve("elsewhere"));
        Files.createSymbolicLink(dir.resolve("links/m.json"), dir.resolve("elsewhere"));
        String shown = dir.resolve("links") + "/m.json";
        assertThatThrownBy(() -> load("-config-dir", dir.resolve("links").toString()))
                .hasMessage("Error decoding '" + shown + "': read " + shown + ": is a directory");
    }

    @Test
    void errorPathsAreShownAsGoJoinsThem() throws Exception {
        file("e/x.json", "{\"bad\": 1}");
        String given = dir + "/./e/";
        assertThatThrownBy(() -> load("-config-dir", given))
                .hasMessage("Error decoding '" + dir + "/e/x.json': 1 error(s) decoding:\n\n* '' has invalid keys: bad");
        assertThatThrownBy(() -> load("-config-file", dir + "/nosuch.json"))
                .hasMessage("Error reading '" + dir + "/nosuch.json': open " + dir + "/nosuch.json: no such file or directory");
    }

    @Test
    void roleBecomesATagWithADeprecationWarning() throws Exception {
        String f = file("r.json", "{\"role\": \"db\", \"tags\": {\"role\": \"ignored\"}}");
        LoadedConfig l = load("-config-file", f);
        assertThat(l.config().tags()).containsEntry("role", "db");
        assertThat(l.config().role()).isEqualTo("db");
        assertThat(l.warnings()).containsExactly("Deprecation warning: 'Role' has been replaced with 'Tags'");
    }

    @Test
    void lowIntervalsAreRaisedWithWarnings() throws Exception {
        LoadedConfig l = load("-retry-interval", "10ms", "-broadcast-timeout", "-3s", "-rejoin", "-role", "x");
        assertThat(l.config().retryInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(l.config().broadcastTimeout()).isEqualTo(Duration.ofSeconds(1));
        assertThat(l.warnings()).containsExactly(
                "Deprecation warning: 'Role' has been replaced with 'Tags'",
                "Warning: 'RetryInterval' is too low. Setting to 1s",
                "Warning: 'BroadcastTimeout' is too low. Setting to 1s",
                "Warning: 'RejoinAfterLeave' enabled without snapshot file");
        assertThat(load("-rejoin", "-snapshot", "/s").warnings()).isEmpty();
        assertThat(load("-retry-interval", "0s").config().retryInterval()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void argumentsAfterTheFlagsAreKeptButIgnored() throws Exception {
        LoadedConfig l = load("-node", "a", "extra", "-node", "b");
        assertThat(l.config().nodeName()).isEqualTo("a");
        assertThat(l.remainingArgs()).containsExactly("extra", "-node", "b");
    }

    @Test
    void hostnameFailureIsReported() {
        AgentConfigLoader broken = new AgentConfigLoader(() -> {
            throw new IllegalStateException("uname failed");
        }, n -> Optional.empty());
        assertThatThrownBy(() -> broken.load(List.of())).hasMessage("Error determining hostname: uname failed");
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', value = {
            "-tag foo|Error: Invalid tag: 'foo'",
            "-tag =v|Error: Invalid tag: '=v'",
            "-retry-interval 5x|Error: time: unknown unit \"x\" in duration \"5x\"",
            "-broadcast-timeout 1|Error: time: missing unit in duration \"1\"",
            "-event-handler member-foo=x.sh|Invalid event script: Event 'member-foo' invoking 'x.sh'",
            "-event-handler user:deploy,foo=x.sh|Invalid event script: Event 'foo' invoking 'x.sh'",
            "-event-handler a.sh -event-handler member-join,,user=b.sh|Invalid event script: Event '' invoking 'b.sh'",
            "-event-handler Member-Join=x|Invalid event script: Event 'Member-Join' invoking 'x'",
            "-iface nosuch0|Invalid network interface: route ip+net: no such network interface",
    })
    void errorsHaveGoTexts(String args, String message) {
        assertThatThrownBy(() -> loader.load(List.of(args.split(" ")))).isInstanceOfSatisfying(ConfigException.class, e -> {
            assertThat(e.kind()).isEqualTo(ConfigException.Kind.ERROR);
            assertThat(e.getMessage()).isEqualTo(message);
            assertThat(printed(e)).isEqualTo(new String[] {"==> " + message + "\n", ""});
        });
    }

    @Test
    void flagErrorsPrintTheMessageOnStderrAndUsageOnStdout() {
        assertThatThrownBy(() -> load("-rpc-auth", "x")).isInstanceOfSatisfying(ConfigException.class, e -> {
            assertThat(e.kind()).isEqualTo(ConfigException.Kind.USAGE);
            String[] out = printed(e);
            assertThat(out[1]).isEqualTo("flag provided but not defined: -rpc-auth\n");
            assertThat(out[0]).startsWith("==> Usage: serf agent [options]\n\n")
                    .contains("\n  -bind=0.0.0.0:7946 ", "\n  -rpc-addr=127.0.0.1:7373 ", "\nEvent handlers:\n")
                    .contains("The Serf documentation describes what a handler receives.\n")
                    .endsWith("SERF_JAVA_OPTS    Extra options for the Java runtime of the agent.\n");
        });
        assertThatThrownBy(() -> load("--h")).isInstanceOfSatisfying(ConfigException.class, e -> {
            String[] out = printed(e);
            assertThat(out[1]).isEmpty();
            assertThat(out[0]).startsWith("==> Usage: serf agent");
        });
    }

    @Test
    void everyAgentFlagIsDefined() {
        assertThat(AgentConfigLoader.flagNames()).containsExactlyInAnyOrder("bind", "advertise", "config-file",
                "config-dir", "encrypt", "keyring-file", "event-handler", "join", "replay", "log-level", "node",
                "protocol", "role", "rpc-addr", "profile", "snapshot", "tag", "discover", "iface", "tags-file", "syslog",
                "retry-join", "retry-max", "retry-interval", "rejoin", "disable-compression", "broadcast-timeout",
                "metrics-prometheus-addr");
    }

    @Test
    void parseTagsSplitsAtTheFirstEquals() {
        assertThat(GoFlagSet.unmarshalTags(List.of("a=1", "b==2", "c=", "a=3")))
                .containsExactly(Map.entry("a", "3"), Map.entry("b", "=2"), Map.entry("c", ""));
    }

    static String[] printed(ConfigException e) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        e.print(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new String[] {out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8)};
    }

    static List<String> lines(String... s) {
        return new ArrayList<>(List.of(s));
    }
}
