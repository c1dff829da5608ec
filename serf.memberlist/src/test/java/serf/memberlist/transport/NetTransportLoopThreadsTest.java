package serf.memberlist.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link NetTransportConfig#loopThreads()}: the reader and acceptor as platform or virtual threads, connections virtual. */
@Timeout(60)
class NetTransportLoopThreadsTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @Test
    void configDefaultsToVirtualAndKeepsTheChoiceThroughItsCopies() throws Exception {
        InetAddress lo = InetAddress.getByName("127.0.0.1");
        NetTransportConfig c = NetTransportConfig.of(lo, 0);
        assertThat(c.loopThreads()).isEqualTo(LoopThreads.VIRTUAL);
        assertThat(NetTransportConfig.loopback().loopThreads()).isEqualTo(LoopThreads.VIRTUAL);
        NetTransportConfig p = c.withLoopThreads(LoopThreads.PLATFORM);
        assertThat(p.loopThreads()).isEqualTo(LoopThreads.PLATFORM);
        assertThat(p.withAdvertise(lo, 7000).withMaxInboundStreams(3).withLogger(System.getLogger("x")).loopThreads())
                .isEqualTo(LoopThreads.PLATFORM);
        assertThatThrownBy(() -> c.withLoopThreads(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void platformLoopsDeliverAndServeAndEndOnClose() throws Exception {
        CompletableFuture<Thread> packetThread = new CompletableFuture<>();
        CompletableFuture<Thread> streamThread = new CompletableFuture<>();
        NetTransport t = NetTransport.open(NetTransportConfig.of(InetAddress.getByName("127.0.0.1"), 0)
                .withLoopThreads(LoopThreads.PLATFORM));
        try (DatagramSocket sender = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            t.start((payload, from, nanos) -> packetThread.complete(Thread.currentThread()),
                    c -> streamThread.complete(Thread.currentThread()));
            assertThat(t.liveThreads()).hasSize(2).allSatisfy(th -> {
                assertThat(th.isVirtual()).isFalse();
                assertThat(th.isDaemon()).isTrue();
            });
            // A datagram reaches the handler on the platform reader (resent: the kernel may drop one).
            Poll.until(WAIT, () -> {
                try {
                    sender.send(new DatagramPacket(new byte[] {1}, 1, t.advertiseAddress()));
                } catch (IOException e) {
                    // try again
                }
                return packetThread.isDone();
            }, "packet handled");
            Thread reader = packetThread.get();
            assertThat(reader.isVirtual()).isFalse();
            assertThat(reader.getName()).isEqualTo("memberlist-udp-" + t.boundPort());
            // A connection is served on a virtual thread of its own.
            try (Socket s = new Socket()) {
                s.connect(t.advertiseAddress(), 5000);
                Thread served = streamThread.get(20, TimeUnit.SECONDS);
                assertThat(served.isVirtual()).isTrue();
                assertThat(served.getName()).isEqualTo("memberlist-tcp-conn-" + t.boundPort());
            }
        } finally {
            t.close();
        }
        assertThat(t.liveThreads()).isEmpty();
    }

    @Test
    void theDefaultLoopsAreVirtual() throws Exception {
        try (NetTransport t = NetTransport.open(NetTransportConfig.loopback())) {
            t.start((payload, from, nanos) -> { }, c -> { });
            assertThat(t.liveThreads()).hasSize(2).allSatisfy(th -> assertThat(th.isVirtual()).isTrue());
        }
    }
}
