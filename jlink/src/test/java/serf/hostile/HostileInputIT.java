package serf.hostile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import serf.testkit.GoSerfAgent;

/**
 * The hostile-input suite of issue 9: our agent, started from the runtime image and joined by a Go
 * agent on 127.0.0.1, gets each class of hostile input; afterwards it must be alive, answer RPC, be
 * seen alive by the Go agent, let a new node join, and have kept its peak RSS within 128 MB. Each
 * class runs on a fresh cluster so that its peak RSS is its own; each prints a table line
 * ({@code [hostile] class | outcome | peakRSS MB | cpu s}) and the whole table is printed at the end
 * and written to {@code target/hostile/<target>-table.txt}.
 *
 * <p>{@code -Dhostile.target=go} attacks a Go agent instead (same inputs, same checks), for Go's
 * figures beside ours ({@code src/test/sh/hostile-vs-go.sh}). Without /usr/bin/serf the peer and the
 * new node are agents from the image ({@code -Dhostile.peer=image} chooses that anyway), and the Go
 * mode is skipped.
 */
@Timeout(value = 150, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HostileInputIT {
    private static final Agent.Kind TARGET = "go".equalsIgnoreCase(System.getProperty("hostile.target"))
            ? Agent.Kind.GO : Agent.Kind.IMAGE;
    /** The peer and the new node: {@code -Dhostile.peer=go|image}, by default Go's when it is installed. */
    private static final Agent.Kind PEER = switch (System.getProperty("hostile.peer", "auto").toLowerCase()) {
        case "go" -> Agent.Kind.GO;
        case "image" -> Agent.Kind.IMAGE;
        default -> GoSerfAgent.available() ? Agent.Kind.GO : Agent.Kind.IMAGE;
    };
    private static final String KEY = Base64.getEncoder().encodeToString("hostile-suite-16".getBytes(StandardCharsets.US_ASCII));
    private static final List<Verdict> VERDICTS = new CopyOnWriteArrayList<>();

    private Cluster cluster;
    private Connections held;

    @BeforeAll
    static void targetAvailable() {
        boolean needsGo = TARGET == Agent.Kind.GO || PEER == Agent.Kind.GO;
        assumeTrue(!needsGo || GoSerfAgent.available(), "no Go agent at " + GoSerfAgent.SERF);
        ImageAgent.image();
        System.out.println("[hostile] target: " + TARGET + ", peer and new node: " + PEER);
    }

    // ---- gossip TCP, with a keyring ---------------------------------------------------------------

    @Test
    @Order(1)
    void encryptedStreamJustUnder20MiB(TestInfo test) throws Exception {
        start(test, "-encrypt=" + KEY);
        verify(GossipStreamAttacks.oversizedEncrypted(target().gossipAddress(), 1));
    }

    @Test
    @Order(2)
    void encryptedStreamsDeclaredNeverSent(TestInfo test) throws Exception {
        start(test, "-encrypt=" + KEY);
        verify(GossipStreamAttacks.declaredEncryptedNeverSent(target().gossipAddress(), 8, held));
    }

    // ---- gossip TCP, plain ------------------------------------------------------------------------

    @Test
    @Order(3)
    void pushPullsWith16MiBUserState(TestInfo test) throws Exception {
        start(test);
        verify(GossipStreamAttacks.pushPullUserState(target().gossipAddress(), 4, 16 << 20));
    }

    @Test
    @Order(4)
    void pushPullsDeclaring16MiBNeverSent(TestInfo test) throws Exception {
        start(test);
        verify(GossipStreamAttacks.pushPullDeclaredNeverSent(target().gossipAddress(), 8, 16 << 20, held));
    }

    @Test
    @Order(5)
    void joinStormOf5x300PushPulls(TestInfo test) throws Exception {
        start(test);
        verify(GossipStreamAttacks.joinStorm(target().gossipAddress(), 5, 300, GoSerfAgent.freeUdpTcpPort()));
    }

    // ---- decompression bombs ----------------------------------------------------------------------

    @Test
    @Order(6)
    void lzwBombInUdpPackets(TestInfo test) throws Exception {
        start(test);
        verify(GossipPacketAttacks.compressedBombs(target().gossipAddress(), 4, Bombs.MIB_16, Bombs.JUST_UNDER_10_MIB));
    }

    @Test
    @Order(7)
    void lzwBombInTcpStreams(TestInfo test) throws Exception {
        start(test);
        verify(GossipStreamAttacks.compressedBomb(target().gossipAddress(), 4, Bombs.MIB_16));
    }

    // ---- gossip UDP floods ------------------------------------------------------------------------

    @Test
    @Order(8)
    void indirectPingFlood(TestInfo test) throws Exception {
        start(test);
        verify(GossipPacketAttacks.indirectPingFlood(target().gossipAddress(), 1000, GoSerfAgent.freeUdpTcpPort()));
    }

    @Test
    @Order(9)
    void forgedAliveFloodWithOwnName(TestInfo test) throws Exception {
        start(test);
        verify(GossipPacketAttacks.forgedAliveFlood(target().gossipAddress(), target().name(), 20000, 100));
    }

    @Test
    @Order(9)
    void fakeMemberFlood(TestInfo test) throws Exception {
        start(test);
        verify(GossipPacketAttacks.fakeMemberFlood(target().gossipAddress(), 5_000, 100));
    }

    // ---- RPC, before any handshake ----------------------------------------------------------------

    @Test
    @Order(10)
    void rpcFramesOf1MiBOn40Connections(TestInfo test) throws Exception {
        start(test);
        verify(RpcAttacks.bigFrames(rpcAddress(), 40, 1 << 20));
    }

    @Test
    @Order(11)
    void rpcSlowConnections(TestInfo test) throws Exception {
        start(test);
        verify(RpcAttacks.slowConnections(rpcAddress(), 50, held));
    }

    @Test
    @Order(12)
    void rpcIdleConnections(TestInfo test) throws Exception {
        start(test);
        verify(RpcAttacks.idleConnections(rpcAddress(), 300, held));
    }

    @Test
    @Order(13)
    void rpcFramesFedAByteAtATime(TestInfo test) throws Exception {
        start(test);
        verify(RpcAttacks.frameTrickle(rpcAddress(), 4, 512 * 1024, Duration.ofSeconds(10)));
    }

    // ---- lifecycle --------------------------------------------------------------------------------

    /** A fresh cluster for this class: the target (with {@code args}) and its peer, logs under target/hostile. */
    private void start(TestInfo test, String... args) throws IOException {
        String attackClass = test.getTestMethod().orElseThrow().getName();
        Path dir = workDir().resolve(attackClass);
        deleteTree(dir);
        Files.createDirectories(dir);
        cluster = Cluster.start(attackClass, dir, TARGET, PEER, List.of(args));
        held = new Connections(attackClass + "-held");
    }

    private Agent target() {
        return cluster.target();
    }

    private java.net.InetSocketAddress rpcAddress() {
        String[] hostPort = target().rpcAddress().split(":");
        return new java.net.InetSocketAddress(hostPort[0], Integer.parseInt(hostPort[1]));
    }

    private void verify(String attack) {
        Verdict v = cluster.check(attack);
        VERDICTS.add(v);
        System.out.println("[hostile] " + v.attackClass() + ": " + v.attack());
        System.out.println(v.tableLine());
        assertThat(v.failures()).as("%s after %s; target log tail:%n%s", v.attackClass(), v.attack(),
                target().logTail(15)).isEmpty();
    }

    @AfterEach
    void stop() {
        if (held != null) {
            held.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @AfterAll
    static void printTable() throws IOException {
        if (VERDICTS.isEmpty()) {
            return;
        }
        List<String> lines = new ArrayList<>();
        lines.add(Verdict.tableHeader(TARGET));
        VERDICTS.forEach(v -> lines.add(v.tableLine()));
        lines.forEach(System.out::println);
        Files.createDirectories(workDir());
        Files.write(workDir().getParent().resolve(TARGET.name().toLowerCase() + "-table.txt"), lines);
    }

    private static Path workDir() {
        return ImageAgent.image().toAbsolutePath().getParent().resolve("hostile").resolve(TARGET.name().toLowerCase());
    }

    private static void deleteTree(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> all = Files.walk(dir)) {
                for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }
}
