package serf.memberlist.transport;

import serf.testkit.ThreadNames;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class MemoryNetworkTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private final MemoryNetwork network = MemoryNetwork.create(42);

    record Received(byte[] payload, InetSocketAddress from, long nanos) {
    }

    @AfterEach
    void close() {
        network.close();
        assertThat(network.liveThreads()).isEmpty();
    }

    /** A started node that queues its packets and echoes its streams. */
    private static final class Node {
        final Transport transport;
        final BlockingQueue<Received> packets = new LinkedBlockingQueue<>();

        Node(Transport transport) {
            this.transport = transport;
            transport.start((p, f, n) -> packets.add(new Received(p, f, n)), Node::echo);
        }

        InetSocketAddress address() {
            return transport.advertiseAddress();
        }

        Received next() throws InterruptedException {
            return packets.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        }

        static void echo(StreamConnection connection) {
            try {
                connection.setDeadline(System.nanoTime() + WAIT.toNanos());
                InputStream in = connection.input();
                byte[] buf = new byte[8192];
                int n;
                while ((n = in.read(buf)) > 0) {
                    connection.output().write(buf, 0, n);
                }
            } catch (IOException e) {
                // peer gone or deadline
            }
        }
    }

    private Node node(String name) {
        return new Node(network.transport(name));
    }

    private static byte[] bytes(int value) {
        return ByteBuffer.allocate(4).putInt(value).array();
    }

    private static int value(byte[] payload) {
        return ByteBuffer.wrap(payload).getInt();
    }

    private void awaitSettled(long expectedSent) {
        Poll.until(WAIT, () -> {
            MemoryNetworkStats s = network.stats();
            return s.packetsSent() == expectedSent && s.packetsInFlight() == 0
                    && s.packetsDelivered() + s.packetsDropped() == expectedSent;
        }, "every packet delivered or dropped");
    }

    @Test
    void deliversPacketsFromDistinctFakeAddresses() throws Exception {
        Node a = node("alpha");
        Node b = node("beta");
        assertThat(a.address()).isNotEqualTo(b.address());
        assertThat(a.address().getPort()).isEqualTo(MemoryNetwork.DEFAULT_PORT);
        assertThat(a.address().getAddress().getAddress()[0]).isEqualTo((byte) 10);
        assertThat(a.address().getHostString()).isEqualTo("alpha");

        byte[] payload = {1, 2, 3};
        long before = System.nanoTime();
        a.transport.sendPacket(payload, b.address());
        payload[0] = 9; // the network copied it
        Received r = b.next();
        assertThat(r.payload()).containsExactly(1, 2, 3);
        assertThat(r.from()).isEqualTo(a.address());
        assertThat(r.nanos()).isGreaterThanOrEqualTo(before);
        awaitSettled(1);
        assertThat(network.stats().packetsDelivered()).isEqualTo(1);
        assertThat(network.addresses()).containsExactlyInAnyOrder(a.address(), b.address());
    }

    @Test
    void ipLiteralsAreUsedAsAddressesAndFreedOnClose() throws Exception {
        Transport t = network.transport("10.9.8.7");
        InetSocketAddress expected = new InetSocketAddress(InetAddress.getByName("10.9.8.7"), 7946);
        assertThat(t.advertiseAddress()).isEqualTo(expected);
        assertThatThrownBy(() -> network.transport(expected)).isInstanceOf(IllegalStateException.class);
        Transport v6 = network.transport(new InetSocketAddress(InetAddress.getByName("fd00::1"), 8000));
        assertThat(v6.advertiseAddress().getPort()).isEqualTo(8000);
        t.close();
        t.close();
        assertThat(network.addresses()).doesNotContain(expected);
        Transport again = network.transport(expected); // a restarted node
        assertThat(again.advertiseAddress()).isEqualTo(expected);
        assertThatThrownBy(() -> t.sendPacket(new byte[1], expected)).isInstanceOf(IOException.class);
    }

    @Test
    void packetsBeforeStartAndEmptyPacketsAreDropped() throws Exception {
        Node a = node("a");
        Transport silent = network.transport("silent");
        a.transport.sendPacket(new byte[] {1}, silent.advertiseAddress());
        awaitSettled(1);
        assertThat(network.stats().droppedOther()).isEqualTo(1);
        Node b = node("b");
        a.transport.sendPacket(new byte[0], b.address());
        a.transport.sendPacket(new byte[] {5}, network.transport().advertiseAddress()); // never started either
        awaitSettled(3);
        assertThat(network.stats().droppedOther()).isEqualTo(3);
        assertThat(b.packets).isEmpty();
        assertThatThrownBy(() -> a.transport.sendPacket(new byte[70_000], b.address())).isInstanceOf(IOException.class);
    }

    @Test
    void lossRateIsAboutAsConfigured() throws Exception {
        Node a = node("a");
        Node b = node("b");
        network.setDefaultFaults(LinkFaults.loss(0.3));
        int sent = 10_000;
        for (int i = 0; i < sent; i++) {
            a.transport.sendPacket(bytes(i), b.address());
        }
        awaitSettled(sent);
        long lost = network.stats().droppedLost();
        // Binomial(10000, 0.3): mean 3000, sd ~46; 300 is over 6 sd.
        assertThat(lost).isBetween(2700L, 3300L);
        // A busy machine may let b's inbox overflow; those drops are not losses and are counted apart.
        long overflow = network.stats().droppedOverflow();
        assertThat(network.stats().packetsDelivered()).isEqualTo(sent - lost - overflow);
        Poll.until(WAIT, () -> b.packets.size() == sent - lost - overflow, "handler saw every delivered packet");
    }

    @Test
    void sameSeedSameLosses() throws Exception {
        assertThat(deliveredUnderLoss(7)).isEqualTo(deliveredUnderLoss(7));
        assertThat(deliveredUnderLoss(7)).isNotEqualTo(deliveredUnderLoss(8));
    }

    private List<Integer> deliveredUnderLoss(long seed) throws Exception {
        try (MemoryNetwork net = MemoryNetwork.create(seed)) {
            List<Integer> got = new ArrayList<>();
            CountDownLatch done = new CountDownLatch(1);
            Transport a = net.transport("a");
            Transport b = net.transport("b");
            b.start((p, f, n) -> {
                if (value(p) == -1) {
                    done.countDown();
                } else {
                    got.add(value(p)); // one receive thread per node: no concurrent calls
                }
            }, c -> { });
            net.setDefaultFaults(LinkFaults.loss(0.5));
            for (int i = 0; i < 200; i++) {
                a.sendPacket(bytes(i), b.advertiseAddress());
            }
            net.setDefaultFaults(LinkFaults.NONE);
            a.sendPacket(bytes(-1), b.advertiseAddress());
            assertThat(done.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
            return got;
        }
    }

    @Test
    void linkFaultsAreDirectedAndOverrideTheDefault() throws Exception {
        Node a = node("a");
        Node b = node("b");
        Node c = node("c");
        network.setLinkFaults(a.address(), b.address(), LinkFaults.loss(1.0));
        a.transport.sendPacket(new byte[] {1}, b.address());
        a.transport.sendPacket(new byte[] {2}, c.address());
        b.transport.sendPacket(new byte[] {3}, a.address());
        assertThat(c.next().payload()).containsExactly(2);
        assertThat(a.next().payload()).containsExactly(3);
        awaitSettled(3);
        assertThat(b.packets).isEmpty();
        assertThat(network.faults(a.address(), b.address()).lossProbability()).isEqualTo(1.0);

        network.setDefaultFaults(LinkFaults.loss(1.0));
        network.setLinkFaults(a.address(), b.address(), LinkFaults.NONE);
        a.transport.sendPacket(new byte[] {4}, b.address());
        assertThat(b.next().payload()).containsExactly(4);
        network.clearLinkFaults(a.address(), b.address());
        a.transport.sendPacket(new byte[] {5}, b.address());
        awaitSettled(5);
        assertThat(b.packets).isEmpty();
        assertThat(network.stats().droppedLost()).isEqualTo(2);
    }

    @Test
    void partitionsCutBothWaysUntilHealed() throws Exception {
        Node a = node("a");
        Node b = node("b");
        Node c = node("c");
        Node d = node("d");
        Partition cut = network.partition(Set.of(a.address(), b.address()), Set.of(c.address(), d.address()));
        assertThat(network.canReach(a.address(), c.address())).isFalse();
        a.transport.sendPacket(new byte[] {1}, c.address());
        d.transport.sendPacket(new byte[] {2}, b.address());
        a.transport.sendPacket(new byte[] {3}, b.address());
        c.transport.sendPacket(new byte[] {4}, d.address());
        assertThat(b.next().payload()).containsExactly(3);
        assertThat(d.next().payload()).containsExactly(4);
        awaitSettled(4);
        assertThat(network.stats().droppedUnreachable()).isEqualTo(2);
        assertThat(c.packets).isEmpty();
        assertThat(b.packets).isEmpty();
        long start = System.nanoTime();
        assertThatThrownBy(() -> a.transport.dialStream(c.address(), WAIT)).isInstanceOf(ConnectException.class);
        assertThatThrownBy(() -> d.transport.dialStream(b.address(), WAIT)).isInstanceOf(ConnectException.class);
        assertThat(System.nanoTime() - start).isLessThan(WAIT.toNanos());

        network.heal(cut);
        a.transport.sendPacket(new byte[] {5}, c.address());
        assertThat(c.next().payload()).containsExactly(5);
        try (StreamConnection s = a.transport.dialStream(c.address(), WAIT)) {
            assertThat(s.remoteAddress()).isEqualTo(c.address());
        }

        network.isolate(d.address());
        d.transport.sendPacket(new byte[] {6}, a.address());
        a.transport.sendPacket(new byte[] {7}, c.address());
        assertThat(c.next().payload()).containsExactly(7);
        awaitSettled(7);
        assertThat(a.packets).isEmpty();
        network.heal();
        assertThat(network.canReach(d.address(), a.address())).isTrue();
    }

    @Test
    void aDownNodeNeitherSendsNorReceives() throws Exception {
        Node a = node("a");
        Node b = node("b");
        network.setDown(b.address(), true);
        assertThat(network.isDown(b.address())).isTrue();
        a.transport.sendPacket(new byte[] {1}, b.address());
        b.transport.sendPacket(new byte[] {2}, a.address());
        assertThatThrownBy(() -> a.transport.dialStream(b.address(), WAIT)).isInstanceOf(ConnectException.class);
        assertThatThrownBy(() -> b.transport.dialStream(a.address(), WAIT)).isInstanceOf(ConnectException.class);
        awaitSettled(2);
        assertThat(a.packets).isEmpty();
        assertThat(b.packets).isEmpty();
        network.setDown(b.address(), false);
        a.transport.sendPacket(new byte[] {3}, b.address());
        assertThat(b.next().payload()).containsExactly(3);
    }

    @Test
    void unknownAddressesDropPacketsAndRefuseDials() throws Exception {
        Node a = node("a");
        InetSocketAddress nowhere = new InetSocketAddress(InetAddress.getByName("10.200.0.1"), 7946);
        a.transport.sendPacket(new byte[] {1}, nowhere);
        awaitSettled(1);
        assertThat(network.stats().droppedUnreachable()).isEqualTo(1);
        assertThatThrownBy(() -> a.transport.dialStream(nowhere, WAIT)).isInstanceOf(ConnectException.class);
        assertThatThrownBy(() -> a.transport.dialStream(nowhere, Duration.ZERO))
                .isInstanceOf(SocketTimeoutException.class);
        assertThat(network.stats().streamsRefused()).isEqualTo(1);
    }

    @Test
    void delayHoldsPacketsBackAndJitterReordersThem() throws Exception {
        Node a = node("a");
        Node b = node("b");
        Duration delay = Duration.ofMillis(50);
        network.setLinkFaults(a.address(), b.address(), LinkFaults.delay(delay, Duration.ofMillis(40)));
        int count = 200;
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
            a.transport.sendPacket(bytes(i), b.address());
        }
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Received r = b.next();
            assertThat(r).as("packet %d", i).isNotNull();
            if (i == 0) {
                assertThat(r.nanos() - start).isGreaterThanOrEqualTo(delay.toNanos());
            }
            order.add(value(r.payload()));
        }
        assertThat(order).containsExactlyInAnyOrderElementsOf(java.util.stream.IntStream.range(0, count).boxed().toList());
        assertThat(order).isNotEqualTo(java.util.stream.IntStream.range(0, count).boxed().toList());
        awaitSettled(count);
        // The other direction is unaffected.
        b.transport.sendPacket(new byte[] {1}, a.address());
        assertThat(a.next()).isNotNull();
    }

    @Test
    void packetsInFlightAreDroppedWhenTheTargetGoesDown() throws Exception {
        Node a = node("a");
        Node b = node("b");
        network.setDefaultFaults(LinkFaults.delay(Duration.ofMillis(200), Duration.ZERO));
        a.transport.sendPacket(new byte[] {1}, b.address());
        network.setDown(b.address(), true);
        awaitSettled(1);
        assertThat(network.stats().droppedUnreachable()).isEqualTo(1);
    }

    @Test
    void streamsCarryLargeMessagesBothWays() throws Exception {
        Node a = node("a");
        Node b = node("b");
        byte[] message = new byte[300_000]; // several times the pipe capacity
        new Random(3).nextBytes(message);
        try (StreamConnection c = a.transport.dialStream(b.address(), WAIT)) {
            c.setDeadline(System.nanoTime() + WAIT.toNanos());
            assertThat(c.remoteAddress()).isEqualTo(b.address());
            Thread writer = Thread.ofVirtual().start(() -> {
                try {
                    c.output().write(message);
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            assertThat(c.input().readNBytes(message.length)).isEqualTo(message);
            writer.join();
        }
        assertThat(network.stats().streamsOpened()).isEqualTo(1);
    }

    @Test
    void streamEndsSeeEndOfStreamAndBrokenPipe() throws Exception {
        Transport a = network.transport("a");
        Transport b = network.transport("b");
        a.start((p, f, n) -> { }, c -> { });
        BlockingQueue<StreamConnection> accepted = new LinkedBlockingQueue<>();
        CountDownLatch release = new CountDownLatch(1);
        b.start((p, f, n) -> { }, c -> {
            accepted.add(c);
            NetTransportTest.awaitQuietly(release);
        });
        try (StreamConnection client = a.dialStream(b.advertiseAddress(), WAIT)) {
            StreamConnection server = accepted.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(server.remoteAddress()).isEqualTo(a.advertiseAddress());
            client.output().write(new byte[] {1, 2});
            client.close();
            server.setDeadline(System.nanoTime() + WAIT.toNanos());
            assertThat(server.input().readAllBytes()).containsExactly(1, 2);
            assertThatThrownBy(() -> server.output().write(new byte[] {3})).isInstanceOf(IOException.class);
            assertThatThrownBy(client::input).isInstanceOf(IOException.class);
        } finally {
            release.countDown();
        }
    }

    @Test
    void streamReadsAndWritesFailAtTheDeadline() throws Exception {
        Transport a = network.transport("a");
        Transport b = network.transport("b");
        CountDownLatch release = new CountDownLatch(1);
        a.start((p, f, n) -> { }, c -> { });
        b.start((p, f, n) -> { }, c -> NetTransportTest.awaitQuietly(release)); // never reads nor writes
        try (StreamConnection c = a.dialStream(b.advertiseAddress(), WAIT)) {
            long start = System.nanoTime();
            c.setDeadline(start + Duration.ofMillis(100).toNanos());
            assertThatThrownBy(() -> c.input().read()).isInstanceOf(SocketTimeoutException.class);
            assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(Duration.ofMillis(100).toNanos())
                    .isLessThan(WAIT.toNanos());

            start = System.nanoTime();
            c.setDeadline(start + Duration.ofMillis(100).toNanos());
            assertThatThrownBy(() -> c.output().write(new byte[MemoryPipe.DEFAULT_CAPACITY + 1]))
                    .isInstanceOf(SocketTimeoutException.class);
            assertThat(System.nanoTime() - start).isLessThan(WAIT.toNanos());

            // A deadline moved while a read blocks is honoured.
            c.setDeadline(0);
            Thread reader = Thread.ofVirtual().start(() -> {
                try {
                    c.input().read();
                } catch (SocketTimeoutException expected) {
                    return;
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
                throw new AssertionError("read returned");
            });
            Poll.until(WAIT, () -> reader.getState() == Thread.State.WAITING, "reader blocked");
            c.setDeadline(System.nanoTime() + Duration.ofMillis(20).toNanos());
            reader.join(WAIT.toMillis());
            assertThat(reader.isAlive()).isFalse();
        } finally {
            release.countDown();
        }
    }

    @Test
    void bytesWrittenAcrossACutAreLost() throws Exception {
        Node a = node("a");
        Node b = node("b");
        try (StreamConnection c = a.transport.dialStream(b.address(), WAIT)) {
            c.setDeadline(System.nanoTime() + WAIT.toNanos());
            c.output().write(new byte[] {1});
            assertThat(c.input().read()).isEqualTo(1);
            Partition cut = network.partition(Set.of(a.address()), Set.of(b.address()));
            c.output().write(new byte[] {2});
            c.setDeadline(System.nanoTime() + Duration.ofMillis(100).toNanos());
            assertThatThrownBy(() -> c.input().read()).isInstanceOf(SocketTimeoutException.class);
            network.heal(cut);
            c.setDeadline(System.nanoTime() + WAIT.toNanos());
            c.output().write(new byte[] {3});
            assertThat(c.input().read()).isEqualTo(3);
        }
    }

    @Test
    void streamsOverTheLimitAreClosedAtOnce() throws Exception {
        Transport a = network.transport("a");
        Transport b = network.transport("b");
        CountDownLatch release = new CountDownLatch(1);
        a.start((p, f, n) -> { }, c -> { });
        b.start((p, f, n) -> { }, c -> NetTransportTest.awaitQuietly(release));
        int limit = MemoryTransport.MAX_INBOUND_STREAMS;
        List<StreamConnection> open = new ArrayList<>();
        try {
            for (int i = 0; i < limit; i++) {
                open.add(a.dialStream(b.advertiseAddress(), WAIT));
            }
            Poll.until(WAIT, () -> ((MemoryTransport) b).liveThreads().size() == limit + 1, "handlers running");
            try (StreamConnection over = a.dialStream(b.advertiseAddress(), WAIT)) {
                over.setDeadline(System.nanoTime() + WAIT.toNanos());
                assertThat(over.input().read()).isEqualTo(-1);
            }
            assertThat(network.stats().streamsRefused()).isEqualTo(1);
        } finally {
            release.countDown();
            open.forEach(StreamConnection::close);
        }
        Poll.until(WAIT, () -> ((MemoryTransport) b).liveThreads().size() == 1, "handlers ended");
    }

    @Test
    void closingATransportClosesItsStreamsAndUnregistersIt() throws Exception {
        Node a = node("a");
        Transport b = network.transport("b");
        CountDownLatch inHandler = new CountDownLatch(1);
        b.start((p, f, n) -> { }, c -> {
            inHandler.countDown();
            try {
                c.input().read();
            } catch (IOException expected) {
                // closed by b.close()
            }
        });
        StreamConnection c = a.transport.dialStream(b.advertiseAddress(), WAIT);
        assertThat(inHandler.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        b.close();
        assertThat(((MemoryTransport) b).liveThreads()).isEmpty();
        c.setDeadline(System.nanoTime() + WAIT.toNanos());
        assertThat(c.input().read()).isEqualTo(-1);
        assertThat(network.addresses()).containsExactly(a.address());
        assertThatThrownBy(() -> a.transport.dialStream(b.advertiseAddress(), WAIT)).isInstanceOf(ConnectException.class);
        c.close();
    }

    @Test
    void threeHundredNodesTalkAndCloseCleanly() throws Exception {
        int nodes = 300;
        MemoryNetwork big = MemoryNetwork.create(5);
        List<Transport> transports = new ArrayList<>();
        AtomicInteger received = new AtomicInteger();
        Set<InetSocketAddress> heardFrom = ConcurrentHashMap.newKeySet();
        for (int i = 0; i < nodes; i++) {
            Transport t = big.transport("node-" + i);
            t.start((p, f, n) -> {
                received.incrementAndGet();
                heardFrom.add(f);
            }, Node::echo);
            transports.add(t);
        }
        big.setDefaultFaults(LinkFaults.delay(Duration.ZERO, Duration.ofMillis(5)));
        Random random = new Random(9);
        int perNode = 5;
        for (Transport t : transports) {
            for (int k = 0; k < perNode; k++) {
                t.sendPacket(new byte[] {1}, transports.get(random.nextInt(nodes)).advertiseAddress());
            }
        }
        Poll.until(WAIT, () -> received.get() == nodes * perNode, "all packets delivered");
        assertThat(heardFrom).hasSize(nodes);
        try (StreamConnection c = transports.get(0).dialStream(transports.get(nodes - 1).advertiseAddress(), WAIT)) {
            c.setDeadline(System.nanoTime() + WAIT.toNanos());
            c.output().write(new byte[] {7});
            assertThat(c.input().read()).isEqualTo(7);
        }
        String prefix = "memberlist-mem-";
        int id = big.id();
        assertThat(ThreadNames.liveStartingWith(prefix + "udp-" + id + "-")).hasSizeGreaterThanOrEqualTo(
                ThreadNames.includesVirtualThreads() ? nodes : 0);
        big.close();
        big.close();
        assertThat(big.stats().transports()).isZero();
        assertThat(big.liveThreads()).isEmpty();
        for (Transport t : transports) {
            assertThat(((MemoryTransport) t).liveThreads()).isEmpty();
        }
        Poll.until(WAIT, () -> ThreadNames.liveStartingWith(prefix).stream()
                .noneMatch(n -> n.startsWith(prefix + id + "-") || n.contains("-" + id + "-")),
                "no threads of the closed network");
        assertThatThrownBy(() -> big.transport("late")).isInstanceOf(IllegalStateException.class);
    }
}
