package serf.memberlist.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.BindException;
import java.net.ConnectException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class NetTransportTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final InetAddress LOOPBACK_V4 = InetAddress.getLoopbackAddress() instanceof Inet6Address
            ? address("127.0.0.1") : InetAddress.getLoopbackAddress();

    private final java.util.List<AutoCloseable> toClose = new java.util.ArrayList<>();

    record Received(byte[] payload, InetSocketAddress from, long nanos) {
    }

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : toClose) {
            c.close();
        }
    }

    private static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private NetTransport open(NetTransportConfig config) throws IOException {
        NetTransport t = NetTransport.open(config);
        toClose.add(t);
        return t;
    }

    /** A transport that echoes every stream's bytes back until end of stream and queues packets. */
    private NetTransport echoTransport(InetAddress bind, BlockingQueue<Received> packets) throws IOException {
        NetTransport t = open(NetTransportConfig.of(bind, 0));
        t.start((payload, from, nanos) -> packets.add(new Received(payload, from, nanos)), connection -> {
            try {
                connection.setDeadline(System.nanoTime() + WAIT.toNanos());
                InputStream in = connection.input();
                byte[] buf = new byte[4096];
                int n;
                while ((n = in.read(buf)) > 0) {
                    connection.output().write(buf, 0, n);
                }
            } catch (IOException e) {
                // peer went away
            }
        });
        return t;
    }

    private static boolean ipv6LoopbackAvailable() {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress(address("::1"), 0));
            try (DatagramSocket d = new DatagramSocket(new InetSocketAddress(address("::1"), 0))) {
                return true;
            }
        } catch (IOException e) {
            return false;
        }
    }

    @Test
    void packetsRoundTripOverIPv4() throws Exception {
        packetRoundTrip(LOOPBACK_V4);
    }

    @Test
    void packetsRoundTripOverIPv6() throws Exception {
        assumeTrue(ipv6LoopbackAvailable(), "no IPv6 loopback");
        packetRoundTrip(address("::1"));
    }

    private void packetRoundTrip(InetAddress loopback) throws Exception {
        BlockingQueue<Received> atA = new LinkedBlockingQueue<>();
        BlockingQueue<Received> atB = new LinkedBlockingQueue<>();
        NetTransport a = echoTransport(loopback, atA);
        NetTransport b = echoTransport(loopback, atB);
        assertThat(a.advertiseAddress().getAddress()).isEqualTo(loopback);

        long before = System.nanoTime();
        a.sendPacket("ping".getBytes(StandardCharsets.UTF_8), b.advertiseAddress());
        Received got = atB.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(got).isNotNull();
        assertThat(new String(got.payload(), StandardCharsets.UTF_8)).isEqualTo("ping");
        assertThat(got.from()).isEqualTo(a.advertiseAddress());
        assertThat(got.nanos()).isGreaterThanOrEqualTo(before);

        byte[] big = new byte[60_000];
        new java.util.Random(1).nextBytes(big);
        b.sendPacket(big, got.from());
        Received reply = atA.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(reply).isNotNull();
        assertThat(reply.payload()).isEqualTo(big);

        assertThat(a.stats().packetsSent()).isEqualTo(1);
        assertThat(a.stats().bytesSent()).isEqualTo(4);
        assertThat(b.stats().packetsReceived()).isEqualTo(1);
        assertThat(a.stats().bytesReceived()).isEqualTo(60_000);
    }

    @Test
    void streamsRoundTripOverIPv4() throws Exception {
        streamRoundTrip(LOOPBACK_V4);
    }

    @Test
    void streamsRoundTripOverIPv6() throws Exception {
        assumeTrue(ipv6LoopbackAvailable(), "no IPv6 loopback");
        streamRoundTrip(address("::1"));
    }

    private void streamRoundTrip(InetAddress loopback) throws Exception {
        NetTransport a = echoTransport(loopback, new LinkedBlockingQueue<>());
        NetTransport b = echoTransport(loopback, new LinkedBlockingQueue<>());
        byte[] message = new byte[300_000]; // larger than socket buffers: echo must stream
        new java.util.Random(2).nextBytes(message);
        try (StreamConnection c = a.dialStream(b.advertiseAddress(), WAIT)) {
            c.setDeadline(System.nanoTime() + WAIT.toNanos());
            assertThat(c.remoteAddress()).isEqualTo(b.advertiseAddress());
            Thread writer = Thread.ofVirtual().start(() -> {
                try {
                    c.output().write(message);
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            byte[] echoed = c.input().readNBytes(message.length);
            writer.join();
            assertThat(echoed).isEqualTo(message);
        }
        assertThat(a.stats().streamsDialed()).isEqualTo(1);
        Poll.until(WAIT, () -> b.stats().streamsInFlight() == 0, "echo handler finished");
        assertThat(b.stats().streamsAccepted()).isEqualTo(1);
    }

    @Test
    void udpAndTcpShareThePortTheSystemPicked() throws Exception {
        NetTransport t = open(NetTransportConfig.of(LOOPBACK_V4, 0));
        int port = t.boundPort();
        assertThat(port).isPositive();
        assertThat(t.advertiseAddress().getPort()).isEqualTo(port);
        assertThat(t.boundAddress()).isEqualTo(new InetSocketAddress(LOOPBACK_V4, port));
        assertThatThrownBy(() -> new DatagramSocket(new InetSocketAddress(LOOPBACK_V4, port)).close())
                .isInstanceOf(BindException.class);
        assertThatThrownBy(() -> new ServerSocket(port, 1, LOOPBACK_V4).close())
                .isInstanceOf(BindException.class);
    }

    @Test
    void bindsAGivenPortForBoth() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, LOOPBACK_V4)) {
            port = probe.getLocalPort();
        }
        NetTransport t;
        try {
            t = open(NetTransportConfig.of(LOOPBACK_V4, port));
        } catch (BindException raced) {
            assumeTrue(false, "port " + port + " taken by someone else meanwhile");
            return;
        }
        assertThat(t.boundPort()).isEqualTo(port);
        assertThat(t.advertiseAddress()).isEqualTo(new InetSocketAddress(LOOPBACK_V4, port));
    }

    @Test
    void failsCleanlyWhenTheUdpPortIsTaken() throws Exception {
        try (DatagramSocket squatter = new DatagramSocket(new InetSocketAddress(LOOPBACK_V4, 0))) {
            int port = squatter.getLocalPort();
            assertThatThrownBy(() -> open(NetTransportConfig.of(LOOPBACK_V4, port)))
                    .isInstanceOf(BindException.class);
            // The TCP listener bound before UDP failed was released again.
            try (ServerSocket again = new ServerSocket()) {
                again.setReuseAddress(true);
                again.bind(new InetSocketAddress(LOOPBACK_V4, port));
            }
        }
    }

    @Test
    void advertisesTheConfiguredAddressOrABoundOne() throws Exception {
        NetTransport configured = open(NetTransportConfig.of(LOOPBACK_V4, 0)
                .withAdvertise(address("10.1.2.3"), 9999));
        assertThat(configured.advertiseAddress()).isEqualTo(new InetSocketAddress(address("10.1.2.3"), 9999));

        NetTransport portOnly = open(NetTransportConfig.of(LOOPBACK_V4, 0).withAdvertise(address("10.1.2.3"), 0));
        assertThat(portOnly.advertiseAddress().getPort()).isEqualTo(portOnly.boundPort());

        NetTransport wildcard = open(NetTransportConfig.of(address("0.0.0.0"), 0));
        InetSocketAddress chosen = wildcard.advertiseAddress();
        assertThat(chosen.getPort()).isEqualTo(wildcard.boundPort());
        assertThat(chosen.getAddress().isAnyLocalAddress()).isFalse();
        assertThat(chosen.getAddress().isLoopbackAddress()
                || PrivateAddress.isPrivateForwardable(chosen.getAddress().getAddress()))
                .as("private IPv4 or loopback: %s", chosen).isTrue();
        // Whatever was chosen, the node answers on it when it is local.
        BlockingQueue<Received> got = new LinkedBlockingQueue<>();
        wildcard.start((p, f, n) -> got.add(new Received(p, f, n)), c -> { });
        NetTransport sender = open(NetTransportConfig.of(address("0.0.0.0"), 0));
        sender.sendPacket(new byte[] {1}, new InetSocketAddress(LOOPBACK_V4, wildcard.boundPort()));
        assertThat(got.poll(WAIT.toSeconds(), TimeUnit.SECONDS)).isNotNull();
    }

    @Test
    void anIPv6WildcardAlsoServesIPv4() throws Exception {
        assumeTrue(ipv6LoopbackAvailable(), "no IPv6 loopback");
        BlockingQueue<Received> got = new LinkedBlockingQueue<>();
        NetTransport wildcard = echoTransport(address("::"), got);
        NetTransport v4 = open(NetTransportConfig.of(LOOPBACK_V4, 0));
        NetTransport v6 = open(NetTransportConfig.of(address("::1"), 0));
        v4.sendPacket(new byte[] {4}, new InetSocketAddress(LOOPBACK_V4, wildcard.boundPort()));
        v6.sendPacket(new byte[] {6}, new InetSocketAddress(address("::1"), wildcard.boundPort()));
        Received first = got.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
        Received second = got.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(first).isNotNull();
        assertThat(second).isNotNull();
        assertThat(java.util.List.of(first.from(), second.from()))
                .containsExactlyInAnyOrder(v4.advertiseAddress(), v6.advertiseAddress());
        try (StreamConnection c = v4.dialStream(new InetSocketAddress(LOOPBACK_V4, wildcard.boundPort()), WAIT)) {
            c.setDeadline(System.nanoTime() + WAIT.toNanos());
            c.output().write(new byte[] {9});
            assertThat(c.input().read()).isEqualTo(9);
        }
    }

    @Test
    void privateAddressRanges() {
        assertThat(PrivateAddress.isPrivateForwardable(new byte[] {10, 0, 0, 1})).isTrue();
        assertThat(PrivateAddress.isPrivateForwardable(new byte[] {(byte) 172, 16, 0, 1})).isTrue();
        assertThat(PrivateAddress.isPrivateForwardable(new byte[] {(byte) 172, 32, 0, 1})).isFalse();
        assertThat(PrivateAddress.isPrivateForwardable(new byte[] {(byte) 192, (byte) 168, 1, 1})).isTrue();
        assertThat(PrivateAddress.isPrivateForwardable(new byte[] {100, 64, 0, 1})).isTrue();
        assertThat(PrivateAddress.isPrivateForwardable(new byte[] {100, (byte) 128, 0, 1})).isFalse();
        assertThat(PrivateAddress.isPrivateForwardable(new byte[] {127, 0, 0, 1})).isFalse();
        assertThat(PrivateAddress.isPrivateForwardable(new byte[] {(byte) 169, (byte) 254, 1, 1})).isFalse();
        assertThat(PrivateAddress.isPrivateForwardable(new byte[] {8, 8, 8, 8})).isFalse();
    }

    @Test
    void emptyDatagramsAndPacketsBeforeStartAreDroppedAndCounted() throws Exception {
        NetTransport t = open(NetTransportConfig.of(LOOPBACK_V4, 0));
        InetSocketAddress target = new InetSocketAddress(LOOPBACK_V4, t.boundPort());
        try (DatagramSocket client = new DatagramSocket(new InetSocketAddress(LOOPBACK_V4, 0))) {
            client.send(new DatagramPacket(new byte[] {1, 2}, 2, target)); // not started yet
            Poll.until(WAIT, () -> t.stats().packetsDropped() == 1, "packet before start dropped");

            BlockingQueue<Received> got = new LinkedBlockingQueue<>();
            t.start((p, f, n) -> got.add(new Received(p, f, n)), c -> { });
            client.send(new DatagramPacket(new byte[0], 0, target));
            client.send(new DatagramPacket(new byte[] {7}, 1, target));
            Received r = got.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(r).isNotNull();
            assertThat(r.payload()).containsExactly(7);
            assertThat(t.stats().packetsDropped()).isEqualTo(2);
            assertThat(t.stats().packetsReceived()).isEqualTo(1);
            assertThat(got).isEmpty();
        }
    }

    @Test
    void aFailingHandlerDoesNotStopTheTransport() throws Exception {
        NetTransport t = open(NetTransportConfig.of(LOOPBACK_V4, 0));
        AtomicInteger calls = new AtomicInteger();
        t.start((p, f, n) -> {
            calls.incrementAndGet();
            throw new IllegalStateException("bad packet");
        }, c -> {
            throw new IllegalStateException("bad stream");
        });
        NetTransport sender = open(NetTransportConfig.loopback());
        sender.sendPacket(new byte[] {1}, t.advertiseAddress());
        sender.sendPacket(new byte[] {2}, t.advertiseAddress());
        Poll.until(WAIT, () -> calls.get() == 2, "both packets handled");
        try (StreamConnection c = sender.dialStream(t.advertiseAddress(), WAIT)) {
            c.setDeadline(System.nanoTime() + WAIT.toNanos());
            assertThat(c.input().read()).isEqualTo(-1); // closed after the handler threw
        }
        Poll.until(WAIT, () -> t.stats().handlerFailures() == 3 && t.stats().streamsInFlight() == 0,
                "failures counted, stream released");
    }

    @Test
    void aReadOnASilentPeerFailsAtTheDeadline() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        NetTransport server = open(NetTransportConfig.loopback());
        server.start((p, f, n) -> { }, c -> awaitQuietly(release));
        NetTransport client = open(NetTransportConfig.loopback());
        try (StreamConnection c = client.dialStream(server.advertiseAddress(), WAIT)) {
            long start = System.nanoTime();
            c.setDeadline(start + Duration.ofMillis(200).toNanos());
            assertThatThrownBy(() -> c.input().read()).isInstanceOf(SocketTimeoutException.class);
            long elapsed = System.nanoTime() - start;
            assertThat(elapsed).isGreaterThanOrEqualTo(Duration.ofMillis(190).toNanos())
                    .isLessThan(Duration.ofSeconds(5).toNanos());
            // Past the deadline every read fails at once; clearing it would let reads block again.
            assertThatThrownBy(() -> c.input().read(new byte[4])).isInstanceOf(SocketTimeoutException.class);
            c.setDeadline(System.nanoTime() + Duration.ofMillis(50).toNanos());
            assertThatThrownBy(() -> c.input().read()).isInstanceOf(SocketTimeoutException.class);
        } finally {
            release.countDown();
        }
    }

    @Test
    void aReadReturnsDataArrivingBeforeTheDeadline() throws Exception {
        NetTransport server = open(NetTransportConfig.loopback());
        server.start((p, f, n) -> { }, c -> {
            try {
                c.output().write(new byte[] {42});
            } catch (IOException e) {
                // client gone
            }
        });
        NetTransport client = open(NetTransportConfig.loopback());
        try (StreamConnection c = client.dialStream(server.advertiseAddress(), WAIT)) {
            c.setDeadline(System.nanoTime() + WAIT.toNanos());
            assertThat(c.input().read()).isEqualTo(42);
            assertThat(c.input().read()).isEqualTo(-1);
        }
    }

    @Test
    void aWriteToAPeerThatNeverReadsFailsAtTheDeadline() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        NetTransport server = open(NetTransportConfig.loopback());
        server.start((p, f, n) -> { }, c -> awaitQuietly(release));
        NetTransport client = open(NetTransportConfig.loopback());
        try (StreamConnection c = client.dialStream(server.advertiseAddress(), WAIT)) {
            long start = System.nanoTime();
            c.setDeadline(start + Duration.ofMillis(300).toNanos());
            byte[] chunk = new byte[1 << 20];
            assertThatThrownBy(() -> {
                for (int i = 0; i < 512; i++) { // 512 MiB: far more than any socket buffers hold
                    c.output().write(chunk);
                }
            }).isInstanceOf(SocketTimeoutException.class);
            long elapsed = System.nanoTime() - start;
            assertThat(elapsed).isLessThan(Duration.ofSeconds(10).toNanos());
            Poll.until(WAIT, () -> client.liveThreads().size() == 2, "write watchdog ended");
        } finally {
            release.countDown();
        }
    }

    @Test
    void dialFailures() throws Exception {
        NetTransport client = open(NetTransportConfig.loopback());
        int closedPort;
        try (ServerSocket probe = new ServerSocket(0, 1, LOOPBACK_V4)) {
            closedPort = probe.getLocalPort();
        }
        assertThatThrownBy(() -> client.dialStream(new InetSocketAddress(LOOPBACK_V4, closedPort), WAIT))
                .isInstanceOf(ConnectException.class);
        assertThatThrownBy(() -> client.dialStream(new InetSocketAddress(LOOPBACK_V4, closedPort), Duration.ZERO))
                .isInstanceOf(SocketTimeoutException.class);
        assertThatThrownBy(() -> client.dialStream(InetSocketAddress.createUnresolved("nowhere.invalid", 1), WAIT))
                .isInstanceOf(IOException.class);
        assertThatThrownBy(() -> client.sendPacket(new byte[1], InetSocketAddress.createUnresolved("x.invalid", 1)))
                .isInstanceOf(IOException.class);
        assertThat(client.stats().streamsDialed()).isZero();
    }

    @Test
    void streamsAreRefusedBeforeStart() throws Exception {
        NetTransport server = open(NetTransportConfig.loopback());
        try (Socket s = new Socket()) {
            s.connect(server.advertiseAddress(), 5000);
            s.setSoTimeout(5000);
            assertThat(s.getInputStream().read()).isEqualTo(-1);
        }
        assertThat(server.stats().streamsRefused()).isEqualTo(1);
    }

    static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
