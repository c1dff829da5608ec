package serf.memberlist.transport;

import serf.testkit.ThreadNames;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Floods, limits and close(): what a node must survive and release. */
@Timeout(120)
class NetTransportLifecycleTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final InetAddress LOOPBACK = loopbackV4();

    private static InetAddress loopbackV4() {
        try {
            return InetAddress.getByName("127.0.0.1");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void survivesAFloodOfDatagrams() throws Exception {
        try (NetTransport t = NetTransport.open(NetTransportConfig.of(LOOPBACK, 0));
                DatagramSocket flooder = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
            AtomicLong flood = new AtomicLong();
            AtomicInteger markers = new AtomicInteger();
            t.start((payload, from, nanos) -> {
                if (payload[0] == 'M') {
                    markers.incrementAndGet();
                } else {
                    flood.incrementAndGet();
                }
            }, c -> { });
            InetSocketAddress target = t.advertiseAddress();
            byte[] junk = new byte[512];
            int sent = 10_000;
            for (int i = 0; i < sent; i++) {
                junk[0] = (byte) (i % 3 == 0 ? 0 : 'F');
                int length = i % 50 == 0 ? 0 : 1 + i % junk.length; // some empty ones, which must be dropped
                flooder.send(new DatagramPacket(junk, length, target));
            }
            // Still serving: a marker sent after the flood gets through (resent in case the kernel dropped one).
            Poll.until(WAIT, () -> {
                sendQuietly(flooder, new byte[] {'M'}, target);
                return markers.get() > 0;
            }, "marker after flood");
            // Markers resent above may still be arriving: wait until handler and counters agree.
            Poll.until(WAIT, () -> t.stats().packetsReceived() == flood.get() + markers.get(),
                    "counters match what the handler saw");
            NetTransportStats stats = t.stats();
            assertThat(flood.get()).isPositive().isLessThanOrEqualTo(sent - sent / 50);
            assertThat(stats.packetsDropped()).isLessThanOrEqualTo(sent / 50);
            assertThat(t.liveThreads()).hasSize(2);
        }
    }

    @Test
    void boundsConcurrentInboundStreams() throws Exception {
        int limit = 32;
        int connects = 500;
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger serving = new AtomicInteger();
        AtomicInteger maxServing = new AtomicInteger();
        try (NetTransport t = NetTransport.open(NetTransportConfig.of(LOOPBACK, 0).withMaxInboundStreams(limit))) {
            t.start((p, f, n) -> { }, c -> {
                maxServing.accumulateAndGet(serving.incrementAndGet(), Math::max);
                NetTransportTest.awaitQuietly(release);
                serving.decrementAndGet();
            });
            int platformBefore = Thread.getAllStackTraces().size();
            List<Socket> clients = new ArrayList<>();
            List<Thread> dialers = new ArrayList<>();
            AtomicInteger connectFailures = new AtomicInteger();
            for (int i = 0; i < connects; i++) {
                dialers.add(Thread.ofVirtual().start(() -> {
                    Socket s = new Socket();
                    try {
                        s.connect(t.advertiseAddress(), 15_000);
                        synchronizedAdd(clients, s);
                    } catch (IOException e) {
                        connectFailures.incrementAndGet();
                        closeQuietly(s);
                    }
                }));
            }
            for (Thread d : dialers) {
                d.join();
            }
            try {
                assertThat(connectFailures.get()).isZero();
                // The first `limit` are served; the rest wait in the kernel's accept queue, not refused.
                Poll.until(WAIT, () -> t.stats().streamsAccepted() == limit, "the first connections accepted");
                NetTransportStats stats = t.stats();
                assertThat(stats.streamsAccepted()).isEqualTo(limit);
                assertThat(stats.streamsRefused()).isZero();
                assertThat(stats.streamsInFlight()).isEqualTo(limit);
                assertThat(t.liveThreads().size()).isLessThanOrEqualTo(2 + limit);
                assertThat(maxServing.get()).isLessThanOrEqualTo(limit);
                // Virtual threads only: no platform thread per connection.
                assertThat(Thread.getAllStackTraces().size()).isLessThan(platformBefore + 16);
                // Once handlers return, the waiting connections are served in turn, still at most `limit` at once.
                release.countDown();
                Poll.until(WAIT, () -> t.stats().streamsAccepted() == connects, "every waiting connection served");
                assertThat(t.stats().streamsRefused()).isZero();
                assertThat(maxServing.get()).isLessThanOrEqualTo(limit);
            } finally {
                release.countDown();
                for (Socket s : clients) {
                    closeQuietly(s);
                }
            }
            Poll.until(WAIT, () -> t.stats().streamsInFlight() == 0, "handlers released");
            Poll.until(WAIT, () -> t.liveThreads().size() == 2, "connection threads ended");
            // And it still serves new streams.
            try (NetTransport client = NetTransport.open(NetTransportConfig.loopback());
                    StreamConnection c = client.dialStream(t.advertiseAddress(), WAIT)) {
                c.setDeadline(System.nanoTime() + WAIT.toNanos());
                release.countDown();
                assertThat(c.input().read()).isEqualTo(-1);
            }
            Poll.until(WAIT, () -> t.stats().streamsAccepted() == connects + 1, "new stream served");
        }
    }

    @Test
    void closeReleasesSocketsThreadsAndConnections() throws Exception {
        List<Integer> ports = new ArrayList<>();
        List<NetTransport> all = new ArrayList<>();
        List<StreamConnection> dialed = new ArrayList<>();
        CountDownLatch never = new CountDownLatch(1);
        for (int i = 0; i < 50; i++) {
            NetTransport t = NetTransport.open(NetTransportConfig.of(LOOPBACK, 0));
            t.start((p, f, n) -> { }, c -> NetTransportTest.awaitQuietly(never));
            all.add(t);
            ports.add(t.boundPort());
        }
        // A few open streams in both directions, and a watchdog for a blocked write.
        for (int i = 0; i < 10; i++) {
            StreamConnection c = all.get(i).dialStream(all.get(i + 1).advertiseAddress(), WAIT);
            c.setDeadline(System.nanoTime() + Duration.ofMinutes(1).toNanos());
            dialed.add(c);
        }
        Thread blockedWriter = Thread.ofVirtual().start(() -> {
            byte[] chunk = new byte[1 << 20];
            try {
                for (int i = 0; i < 512; i++) {
                    dialed.get(0).output().write(chunk);
                }
            } catch (IOException expected) {
                // closed under it
            }
        });
        Poll.until(WAIT, () -> all.get(1).stats().streamsInFlight() == 1, "streams accepted");

        for (NetTransport t : all) {
            t.close();
            t.close(); // idempotent
        }
        blockedWriter.join(WAIT.toMillis());
        assertThat(blockedWriter.isAlive()).isFalse();
        for (NetTransport t : all) {
            assertThat(t.liveThreads()).isEmpty();
            assertThatThrownBy(() -> t.sendPacket(new byte[1], new InetSocketAddress(LOOPBACK, 9)))
                    .isInstanceOf(IOException.class);
        }
        // Dialed connections were closed by their transport.
        for (StreamConnection c : dialed) {
            assertThatThrownBy(() -> c.input().read()).isInstanceOf(IOException.class);
        }
        for (int port : ports) {
            Poll.until(WAIT, () -> canBind(port), "port " + port + " free again");
        }
        Poll.until(WAIT, () -> ports.stream().allMatch(p -> ThreadNames.liveStartingWith("memberlist-")
                .stream().noneMatch(n -> n.endsWith("-" + p))), "no transport threads left");
        never.countDown();
    }

    @Test
    void closeEndsTheHandlersOfAcceptedStreams() throws Exception {
        try (NetTransport server = NetTransport.open(NetTransportConfig.loopback());
                NetTransport client = NetTransport.open(NetTransportConfig.loopback())) {
            CountDownLatch inHandler = new CountDownLatch(1);
            server.start((p, f, n) -> { }, c -> {
                inHandler.countDown();
                try {
                    c.input().read(); // blocks: the client never writes
                } catch (IOException expected) {
                    // closed by server.close()
                }
            });
            StreamConnection c = client.dialStream(server.advertiseAddress(), WAIT);
            c.setDeadline(System.nanoTime() + WAIT.toNanos());
            assertThat(inHandler.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
            server.close();
            assertThat(server.liveThreads()).isEmpty();
            assertThat(c.input().read()).isEqualTo(-1); // the peer closed it
            c.close();
        }
    }

    private static boolean canBind(int port) {
        try (ServerSocket tcp = new ServerSocket()) {
            tcp.setReuseAddress(true);
            tcp.bind(new InetSocketAddress(LOOPBACK, port));
            try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress(LOOPBACK, port))) {
                return true;
            }
        } catch (IOException e) {
            return false;
        }
    }

    private static void sendQuietly(DatagramSocket socket, byte[] payload, InetSocketAddress to) {
        try {
            socket.send(new DatagramPacket(payload, payload.length, to));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static final java.util.concurrent.locks.ReentrantLock LIST_LOCK = new java.util.concurrent.locks.ReentrantLock();

    private static void synchronizedAdd(List<Socket> list, Socket s) {
        LIST_LOCK.lock();
        try {
            list.add(s);
        } finally {
            LIST_LOCK.unlock();
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // test cleanup
        }
    }
}
