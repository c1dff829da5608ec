package serf.agent.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import serf.api.QueryParam;
import serf.api.QueryResponse;
import serf.api.Serf;
import serf.testkit.Poll;
import serf.wire.InputBudget;

/** The accept loop outlives failing accepts (as when file descriptors run out), backing off. */
class RpcAcceptLoopTest {

    /** Fails the first {@code failures} accepts as an exhausted process would, then accepts for real. */
    static final class FailingListener extends ServerSocket {
        final ServerSocket real = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        final List<Long> attempts = new CopyOnWriteArrayList<>();
        final int failures;

        FailingListener(int failures) throws IOException {
            this.failures = failures;
        }

        @Override
        public Socket accept() throws IOException {
            attempts.add(System.nanoTime());
            if (attempts.size() <= failures) {
                throw new SocketException("Too many open files");
            }
            return real.accept();
        }

        @Override
        public SocketAddress getLocalSocketAddress() {
            return real.getLocalSocketAddress();
        }

        @Override
        public boolean isClosed() {
            return real.isClosed();
        }

        @Override
        public void close() throws IOException {
            real.close();
            super.close();
        }
    }

    /** Only what the handshake needs. */
    record HandshakeOnly(AgentLog log) implements AgentBackend {
        public Serf serf() {
            return null; // asked for by every request, used by none the handshake needs
        }

        public String rpcAuthKey() {
            return "";
        }

        public EventHub events() {
            return new EventHub();
        }

        public Map<String, String> eventHandlerStats() {
            return Map.of();
        }

        public void setTags(Map<String, String> tags) {
        }

        public int join(List<String> addrs, boolean replay) {
            return 0;
        }

        public void forceLeave(String node, boolean prune) {
        }

        public void userEvent(String name, byte[] payload, boolean coalesce) {
        }

        public QueryResponse query(String name, byte[] payload, QueryParam params) {
            throw new UnsupportedOperationException();
        }

        public void leave() {
        }

        public void shutdownAfterLeave() {
        }
    }

    @Test
    void theBackOffDoublesFromTenMillisecondsUpToOneSecond() {
        Duration d = RpcServer.ACCEPT_BACKOFF_MIN;
        assertThat(d).isEqualTo(Duration.ofMillis(10));
        for (long expected : new long[] {20, 40, 80, 160, 320, 640, 1000, 1000}) {
            d = RpcServer.nextBackoff(d);
            assertThat(d.toMillis()).isEqualTo(expected);
        }
    }

    @Test
    void acceptFailuresBackOffAreCountedAndLoggedOnceAndTheLoopGoesOn() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        AgentLog log = new AgentLog(new PrintStream(out, true, StandardCharsets.UTF_8), LogLevel.INFO);
        log.openGate();
        FailingListener listener = new FailingListener(7);
        try (RpcServer server = new RpcServer(new HandshakeOnly(log), listener,
                RpcLimits.defaults().withBudget(InputBudget.ofBytes(1 << 20)))) {
            Poll.until("failures retried", Duration.ofSeconds(20), () -> listener.attempts.size() > 7);
            assertThat(server.counters().acceptFailures.get()).isEqualTo(7);
            List<Long> t = listener.attempts;
            for (int i = 1; i < 7; i++) {
                long gapMs = Duration.ofNanos(t.get(i) - t.get(i - 1)).toMillis();
                long expected = Math.min(1000, 10L << (i - 1));
                // Lower bounds only: a loaded machine may make a gap longer, never shorter.
                assertThat(gapMs).as("gap %d", i).isGreaterThanOrEqualTo(expected - 2);
            }
            // Still serving: a client gets its handshake answered.
            try (Socket s = new Socket()) {
                s.connect((InetSocketAddress) listener.getLocalSocketAddress(), 5000);
                RawRequests.writeQuietly(s, RawRequests.HANDSHAKE);
                assertThat(RawRequests.someReply(s, Duration.ofSeconds(10))).isNotEmpty();
            }
        }
        String text = out.toString(StandardCharsets.UTF_8);
        assertThat(text.lines().filter(l -> l.contains("failed to accept client"))).hasSize(1);
        assertThat(text).contains("accepting clients again after 7 failures");
        assertThat(listener.real.isClosed()).isTrue();
    }
}
