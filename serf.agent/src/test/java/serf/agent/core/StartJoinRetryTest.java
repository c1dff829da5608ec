package serf.agent.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import serf.api.SerfException;

/**
 * The start-up join tries again when the seed takes the connection but does not answer (a seed
 * starved of CPU while many agents start at once), and fails at once on anything else. The agents
 * use the local profile, whose TCP timeout is 1 s.
 */
class StartJoinRetryTest {

    @Test
    void joinsThroughASeedThatDidNotAnswerTheFirstAttempts() throws Exception {
        try (TestAgent seed = TestAgent.start("seed", RpcLimits.defaults(), "-profile=local");
             Proxy proxy = new Proxy(seed.agent.serf().memberlist().advertiseAddress(), 2);
             TestAgent joiner = TestAgent.start("joiner", RpcLimits.defaults(), "-profile=local",
                     "-join=127.0.0.1:" + proxy.port())) {
            assertThat(joiner.agent.startJoin()).isEqualTo(1);
            assertThat(proxy.accepted.get()).isEqualTo(3);
            assertThat(joiner.log()).contains("Join attempt 1: the peers did not answer in time, trying again for up to",
                    "Join attempt 2: ", "Join completed. Synced with 1 initial agents");
        }
    }

    @Test
    void givesUpAfterItsAttempts() throws Exception {
        try (Proxy proxy = new Proxy(null, Integer.MAX_VALUE);
             TestAgent joiner = TestAgent.start("joiner", RpcLimits.defaults(), "-profile=local",
                     "-join=127.0.0.1:" + proxy.port())) {
            long t0 = System.nanoTime();
            assertThatThrownBy(joiner.agent::startJoin).isInstanceOf(SerfException.class)
                    .hasMessageContaining("Failed to join 127.0.0.1: Read timed out");
            // The local profile's TCP timeout is 1 s: a budget of 12 s, each attempt 1 s plus a pause of up to 0.5 s.
            java.time.Duration took = java.time.Duration.ofNanos(System.nanoTime() - t0);
            assertThat(took).isBetween(java.time.Duration.ofSeconds(10), java.time.Duration.ofSeconds(14));
            assertThat(proxy.accepted.get()).isBetween(8, 13);
        }
    }

    @Test
    void aRefusedJoinFailsAtOnce() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        try (TestAgent joiner = TestAgent.start("joiner", RpcLimits.defaults(), "-profile=local",
                "-join=127.0.0.1:" + closed)) {
            assertThatThrownBy(joiner.agent::startJoin).isInstanceOf(SerfException.class)
                    .hasMessageContaining("Failed to join 127.0.0.1");
            assertThat(joiner.log()).doesNotContain("trying again");
        }
    }

    @Test
    void onlyTimeoutsAndUnansweredStreamsCountAsBusy() {
        String timeout = "1 error occurred:\n\t* Failed to join 127.0.0.1: Read timed out\n\n";
        String unanswered = "1 error occurred:\n\t* Failed to join 127.0.0.1: received invalid msgType (none), expected pushPullMsg\n\n";
        String both = "2 errors occurred:\n\t* Failed to join 127.0.0.1: Read timed out\n"
                + "\t* Failed to join 127.0.0.2: received invalid msgType (none), expected pushPullMsg\n\n";
        String refusedToo = "2 errors occurred:\n\t* Failed to join 127.0.0.1: Read timed out\n"
                + "\t* Failed to join 127.0.0.2: Connection refused\n\n";
        assertThat(BusyPeers.only(timeout)).isTrue();
        assertThat(BusyPeers.only(unanswered)).isTrue();
        assertThat(BusyPeers.only(both)).isTrue();
        assertThat(BusyPeers.only(refusedToo)).isFalse();
        assertThat(BusyPeers.only("1 error occurred:\n\t* Failed to join 127.0.0.1: Connect timed out\n\n")).isFalse();
        assertThat(BusyPeers.only("1 error occurred:\n\t* Failed to join 127.0.0.1: dial tcp 127.0.0.1:7946: connect: connection refused\n\n")).isFalse();
        assertThat(BusyPeers.only("2 errors occurred:\n\t* Failed to join 127.0.0.1: Connection reset\n"
                + "\t* Failed to join 127.0.0.2: Connection reset by peer\n\n")).isTrue();
        String write = "1 error occurred:\n\t* Failed to join 127.0.0.1: write deadline exceeded\n\n";
        assertThat(BusyPeers.only(write)).isTrue();
        assertThat(BusyPeers.only("1 error occurred:\n\t* Failed to resolve x: unknown host\n\n")).isFalse();
        assertThat(BusyPeers.only("Serf can't Join after Leave or Shutdown")).isFalse();
        assertThat(BusyPeers.only(null)).isFalse();
    }

    @Test
    void keepsTryingForTwelveTcpTimeoutsWithRandomPausesOfUpToHalfOne() {
        assertThat(BusyPeers.budget(java.time.Duration.ofSeconds(10))).isEqualTo(java.time.Duration.ofSeconds(120));
        java.util.Random random = new java.util.Random(7);
        java.util.Set<java.time.Duration> seen = new java.util.HashSet<>();
        for (int i = 0; i < 200; i++) {
            java.time.Duration p = BusyPeers.pause(java.time.Duration.ofSeconds(10), random);
            assertThat(p).isBetween(java.time.Duration.ZERO, java.time.Duration.ofMillis(4999));
            seen.add(p);
        }
        assertThat(seen).as("pauses spread, not one value").hasSizeGreaterThan(100);
    }

    /**
     * A TCP proxy on 127.0.0.1 whose first {@code silent} connections are taken and never answered
     * (held open until it closes); later ones are relayed to {@code target}.
     */
    private static final class Proxy implements AutoCloseable {
        final AtomicInteger accepted = new AtomicInteger();
        private final ServerSocket server;
        private final List<Socket> sockets = new CopyOnWriteArrayList<>();
        private final Thread acceptor;

        Proxy(InetSocketAddress target, int silent) throws IOException {
            server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            acceptor = Thread.ofVirtual().name("proxy-accept").start(() -> {
                while (!server.isClosed()) {
                    Socket in;
                    try {
                        in = server.accept();
                    } catch (IOException e) {
                        return;
                    }
                    sockets.add(in);
                    if (accepted.incrementAndGet() <= silent) {
                        continue;
                    }
                    try {
                        Socket out = new Socket();
                        sockets.add(out);
                        out.connect(target, 5000);
                        Thread.ofVirtual().start(() -> pump(in, out));
                        Thread.ofVirtual().start(() -> pump(out, in));
                    } catch (IOException e) {
                        closeQuietly(in);
                    }
                }
            });
        }

        int port() {
            return server.getLocalPort();
        }

        private static void pump(Socket from, Socket to) {
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                in.transferTo(out);
            } catch (IOException e) {
                // one side closed
            } finally {
                closeQuietly(from);
                closeQuietly(to);
            }
        }

        private static void closeQuietly(Socket s) {
            try {
                s.close();
            } catch (IOException e) {
                // closing anyway
            }
        }

        @Override
        public void close() throws Exception {
            server.close();
            sockets.forEach(Proxy::closeQuietly);
            acceptor.join(5000);
        }
    }
}
