package serf.memberlist.interop;

import serf.testkit.GoSerfAgent;
import serf.testkit.Poll;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import serf.memberlist.MemberlistConfig;
import serf.memberlist.Delegate;
import serf.memberlist.Memberlist;
import serf.memberlist.Node;
import serf.memberlist.NodeState;
import serf.wire.MsgpackWriter;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A Java memberlist node in a cluster with the real Go agent (Debian's serf 0.9.4 on memberlist
 * 0.2.2), on 127.0.0.1. The Go side's own CLI is the judge of what it sees.
 */
class GoAgentInteropTest {
    private static final System.Logger LOG = System.getLogger(GoAgentInteropTest.class.getName());

    @TempDir
    Path dir;

    private GoSerfAgent go;
    private Memberlist java;

    @BeforeAll
    static void needsGoAgent() {
        assumeTrue(GoSerfAgent.available(), "the Go serf agent (/usr/bin/serf) is not installed");
    }

    @AfterEach
    void tearDown() {
        if (java != null) {
            java.shutdown();
        }
        if (go != null) {
            go.close();
        }
    }

    /** Records the user messages (Serf messages) memberlist hands up, and advertises Serf-style tags. */
    static final class RecordingDelegate implements Delegate {
        final List<byte[]> messages = new CopyOnWriteArrayList<>();

        @Override
        public byte[] nodeMeta(int limit) {
            // Serf's tag encoding: 0xff then a msgpack map of tags.
            MsgpackWriter w = MsgpackWriter.gossip();
            w.writeByte(0xff).writeMapHeader(1).writeString("role").writeString("java");
            return w.toByteArray();
        }

        @Override
        public void notifyMsg(byte[] message) {
            messages.add(message);
        }

        @Override
        public List<byte[]> getBroadcasts(int overhead, int limit) {
            return List.of();
        }

        @Override
        public byte[] localState(boolean join) {
            return null;
        }

        @Override
        public void mergeRemoteState(byte[] state, boolean join) {
        }
    }

    private static MemberlistConfig javaConfig(String name) {
        // Serf's delegate protocol range (2..5) so the Go side's version check accepts us.
        return MemberlistConfig.lan().name(name).bindAddr("127.0.0.1").bindPort(0)
                .delegateProtocolMin(2).delegateProtocolMax(5).delegateProtocolVersion(4);
    }

    private static String goStatus(GoSerfAgent agent, String node) {
        try {
            return agent.members().get(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static NodeState javaStatus(Memberlist m, String node) {
        return m.allNodes().stream().filter(n -> n.name().equals(node)).map(Node::state).findFirst().orElse(null);
    }

    @Test
    void javaNodeJoinsGoAgentAndBothSeeEachOther() throws Exception {
        go = GoSerfAgent.start("go1", dir);
        RecordingDelegate delegate = new RecordingDelegate();
        java = Memberlist.create(javaConfig("java1").delegate(delegate));

        assertThat(java.join(List.of(go.joinAddress()))).isEqualTo(1);

        go.waitFor("the Go agent to list java1 as alive", Duration.ofSeconds(10),
                () -> "alive".equals(goStatus(go, "java1")));
        Poll.until("java1 to see go1 alive", Duration.ofSeconds(10), () -> javaStatus(java, "go1") == NodeState.ALIVE);
        assertThat(go.cli("members", "-detailed").output()).contains("java1").contains("role=java");
        LOG.log(System.Logger.Level.INFO, "Go agent's view: " + go.cli("members").output());

        // A Serf user event sent by the Go agent reaches our delegate as the raw Serf message (type 3).
        assertThat(go.cli("event", "deploy", "payload-123").exitCode()).isZero();
        Poll.until("the user event to reach the Java delegate", Duration.ofSeconds(10), () -> delegate.messages.stream()
                .anyMatch(m -> m.length > 0 && m[0] == 3
                        && new String(m, StandardCharsets.ISO_8859_1).contains("payload-123")));
    }

    @Test
    void killedGoAgentIsMarkedDeadByJava() throws Exception {
        go = GoSerfAgent.start("go2", dir);
        java = Memberlist.create(javaConfig("java2").delegate(new RecordingDelegate()));
        java.join(List.of(go.joinAddress()));
        Poll.until("java2 to see go2", Duration.ofSeconds(10), () -> javaStatus(java, "go2") == NodeState.ALIVE);

        go.kill();
        Duration detected = Poll.timeUntil("java2 to mark go2 dead", Duration.ofSeconds(30),
                () -> javaStatus(java, "go2") == NodeState.DEAD);
        LOG.log(System.Logger.Level.INFO, "Java detected kill -9 of the Go agent in " + detected.toMillis() + " ms");
    }

    @Test
    void stoppedJavaNodeIsMarkedFailedAndLeftJavaNodeIsMarkedLeftByGo() throws Exception {
        go = GoSerfAgent.start("go3", dir);
        Memberlist crashed = Memberlist.create(javaConfig("java-crash").delegate(new RecordingDelegate()));
        Memberlist leaver = Memberlist.create(javaConfig("java-leave").delegate(new RecordingDelegate()));
        try {
            crashed.join(List.of(go.joinAddress()));
            leaver.join(List.of(go.joinAddress()));
            go.waitFor("both Java nodes alive on the Go side", Duration.ofSeconds(10),
                    () -> "alive".equals(goStatus(go, "java-crash")) && "alive".equals(goStatus(go, "java-leave")));

            crashed.shutdown();
            Duration failed = Poll.timeUntil("the Go agent to mark java-crash failed", Duration.ofSeconds(30),
                    () -> "failed".equals(goStatus(go, "java-crash")));
            LOG.log(System.Logger.Level.INFO, "Go detected the stopped Java node in " + failed.toMillis() + " ms");

            // A bare memberlist leave (dead with From == Node) reaches Go's memberlist as "left"; Serf
            // on top reports a member that left without a Serf leave intent as failed, and does so at
            // once rather than after a probe and a suspicion timeout (at least 4 s on the LAN profile).
            long start = System.nanoTime();
            leaver.leave(Duration.ofSeconds(5));
            go.waitFor("the Go agent to mark java-leave failed", Duration.ofSeconds(10),
                    () -> "failed".equals(goStatus(go, "java-leave")));
            Duration tookMs = Duration.ofNanos(System.nanoTime() - start);
            assertThat(tookMs).as("leave seen through gossip, not through failure detection").isLessThan(Duration.ofSeconds(3));
            assertThat(go.log()).contains("EventMemberFailed: java-leave");
        } finally {
            crashed.shutdown();
            leaver.shutdown();
        }
    }

    @Test
    void sameKeyOnBothSidesJoinsAndWrongKeyIsRefusedBothWays() throws Exception {
        byte[] key = new byte[32];
        for (int i = 0; i < key.length; i++) {
            key[i] = (byte) (i + 7);
        }
        go = GoSerfAgent.start("go4", dir, "-encrypt=" + Base64.getEncoder().encodeToString(key));

        java = Memberlist.create(javaConfig("java-enc").secretKey(key).delegate(new RecordingDelegate()));
        assertThat(java.join(List.of(go.joinAddress()))).isEqualTo(1);
        go.waitFor("the Go agent to list java-enc alive", Duration.ofSeconds(10),
                () -> "alive".equals(goStatus(go, "java-enc")));
        Poll.until("java-enc to see go4", Duration.ofSeconds(10), () -> javaStatus(java, "go4") == NodeState.ALIVE);

        byte[] wrong = key.clone();
        wrong[0] ^= 1;
        try (var stranger = new Closer(Memberlist.create(javaConfig("java-wrongkey").secretKey(wrong).delegate(new RecordingDelegate())))) {
            // Java -> Go: the Go agent cannot decrypt our push/pull and answers with an error we cannot read either.
            assertThatThrownBy(() -> stranger.m.join(List.of(go.joinAddress()))).isInstanceOf(IOException.class);
            // Go -> Java: the Go CLI asks its agent to join us; our node refuses its traffic.
            GoSerfAgent.CliResult r = go.cli("join", "127.0.0.1:" + stranger.m.advertiseAddress().getPort());
            assertThat(r.exitCode()).as(r.output()).isNotZero();
            assertThat(goStatus(go, "java-wrongkey")).isNull();
            assertThat(javaStatus(stranger.m, "go4")).isNull();
        }
    }

    private record Closer(Memberlist m) implements AutoCloseable {
        @Override
        public void close() {
            m.shutdown();
        }
    }
}
