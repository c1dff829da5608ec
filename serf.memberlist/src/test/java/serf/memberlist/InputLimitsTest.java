package serf.memberlist;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import serf.crypto.Keyring;
import serf.memberlist.internal.msg.Message;
import serf.memberlist.internal.msg.MessageCodec;
import serf.memberlist.internal.msg.MessageType;
import serf.memberlist.internal.msg.PacketCodec;
import serf.memberlist.internal.msg.StreamCodec;
import serf.memberlist.internal.msg.WireOptions;
import serf.testkit.Poll;
import serf.testkit.ThreadNames;
import serf.wire.InputBudget;

/** A node under hostile input on loopback: bounded memory, threads and push/pull slots; events outside the lock. */
class InputLimitsTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final byte[] KEY = new byte[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15};
    private final List<Memberlist> nodes = new ArrayList<>();

    @AfterEach
    void shutDown() {
        nodes.forEach(Memberlist::shutdown);
    }

    private Memberlist node(String name, java.util.function.UnaryOperator<MemberlistConfig> tweak) throws IOException {
        MemberlistConfig c = MemberlistConfig.local().name(name).bindAddr("127.0.0.1").bindPort(0)
                .pushPullInterval(Duration.ZERO).tcpTimeout(Duration.ofSeconds(2));
        Memberlist m = Memberlist.create(tweak.apply(c));
        nodes.add(m);
        return m;
    }

    /**
     * Serf gives memberlist the thread scheduler it made for itself: that node must still serve only a
     * few push/pulls at once and let the rest wait their turn, as a node with its own scheduler does (it
     * served all 128 at once, and the joiners of a seed starved of CPU timed out together); only a
     * scheduler whose tasks must not block (a simulator's, a manual one) admits without waiting.
     */
    @Test
    void aThreadSchedulerGivenByItsOwnerStillServesAFewAtOnce() throws Exception {
        Scheduler shared = Scheduler.ofThreads("shared", System.getLogger("test"));
        try {
            Memberlist given = node("given-threads", c -> c.scheduler(shared));
            assertThat(given.pushPullServingFree()).isEqualTo(PushPullAdmission.defaultServing());
            given.shutdown();
        } finally {
            shared.close();
        }
        Memberlist own = node("own-threads", c -> c);
        assertThat(own.pushPullServingFree()).isEqualTo(PushPullAdmission.defaultServing());
        ManualScheduler manual = new ManualScheduler();
        Memberlist stepped = node("manual", c -> c.scheduler(manual).clock(manual.clock()));
        assertThat(stepped.pushPullServingFree()).isEqualTo(Memberlist.MAX_PUSH_PULL_REQUESTS);
    }

    private static String addr(Memberlist m) {
        return "127.0.0.1:" + m.advertiseAddress().getPort();
    }

    private static byte[] frame(byte[] message, WireOptions o) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        StreamCodec.write(out, message, o);
        return out.toByteArray();
    }

    private static Message.PushPull fakeState(String name, int port, boolean join, int protocolCur) {
        Message.PushNodeState s = new Message.PushNodeState(name, new byte[] {127, 0, 0, 1}, port, new byte[0], 1, 0,
                new byte[] {1, 5, (byte) protocolCur, 0, 0, 0});
        return new Message.PushPull(join, List.of(s), null);
    }

    /** One raw push/pull: sends our state, reads the reply (or none); true if a push/pull came back. */
    private static boolean rawPushPull(Memberlist to, Message.PushPull state) throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), to.advertiseAddress().getPort())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(frame(StreamCodec.encodePushPull(state), WireOptions.plain()));
            s.getOutputStream().flush();
            Message reply;
            try {
                reply = StreamCodec.read(new java.io.BufferedInputStream(s.getInputStream()), WireOptions.plain(), 1 << 20);
            } catch (Exception e) {
                return false;
            }
            return reply instanceof Message.PushPull;
        }
    }

    @Test
    void pushPullSlotsAreGivenBackOnEveryPath() throws Exception {
        Memberlist a = node("pp-a", c -> c);
        // 300 push/pulls whose merge fails (a protocol version no one speaks) and 20 malformed ones.
        for (int i = 0; i < 300; i++) {
            assertThat(rawPushPull(a, fakeState("bad-" + i, 1, false, 9))).isTrue();
        }
        for (int i = 0; i < 20; i++) {
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), a.advertiseAddress().getPort())) {
                s.getOutputStream().write(new byte[] {6, (byte) 0x83, (byte) 0xc1});
                s.shutdownOutput();
                s.getInputStream().read();
            }
        }
        Poll.until("every slot free", WAIT, () -> a.pushPullSlotsFree() == Memberlist.MAX_PUSH_PULL_REQUESTS);
        assertThat(a.stats().streamsFailed()).isGreaterThanOrEqualTo(300);
        Memberlist b = node("pp-b", c -> c);
        assertThat(b.join(List.of(addr(a)))).isEqualTo(1);
        Poll.until("both see both", WAIT, () -> a.numMembers() == 2 && b.numMembers() == 2);
        assertThat(a.stats().pushPullRefused()).isZero();
    }

    @Test
    void joinsFasterThanServedWaitAndOnlyThoseStillWaitingAfterTheBoundAreRefused() throws Exception {
        CountDownLatch open = new CountDownLatch(1);
        AtomicInteger merging = new AtomicInteger();
        MergeDelegate slow = peers -> {
            merging.incrementAndGet();
            try {
                open.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return null;
        };
        // Waits up to half the TCP timeout (5 s) for a place and its turn: all but a few wait for their turn.
        Memberlist a = node("storm-a", c -> c.tcpTimeout(Duration.ofSeconds(10)).merge(slow));
        int joins = Memberlist.MAX_PUSH_PULL_REQUESTS + 20;
        ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
        List<Future<Boolean>> results = new ArrayList<>();
        for (int i = 0; i < joins; i++) {
            String name = "joiner-" + i;
            results.add(pool.submit(() -> rawPushPull(a, fakeState(name, 2, true, 2))));
        }
        // A few are served at once (about one per core); the others wait their turn, holding a place.
        int serving = PushPullAdmission.defaultServing();
        Poll.until("every place taken, a few served", WAIT,
                () -> merging.get() == serving && a.pushPullSlotsFree() == 0 && a.pushPullServingFree() == 0);
        assertThat(merging.get()).isEqualTo(serving);
        // The 20 beyond the limit wait: released in time, they are all served.
        open.countDown();
        for (Future<Boolean> f : results) {
            assertThat(f.get(30, TimeUnit.SECONDS)).isTrue();
        }
        Poll.until("all merged", WAIT, () -> merging.get() == joins && a.pushPullSlotsFree() == Memberlist.MAX_PUSH_PULL_REQUESTS
                && a.pushPullServingFree() == serving);
        assertThat(a.stats().pushPullRefused()).isZero();
        assertThat(a.allNodes()).hasSize(joins + 1);

        // Now held past the bound: the ones still waiting are refused (counted), the slots come back.
        CountDownLatch closed = new CountDownLatch(1);
        Memberlist b = node("storm-b", c -> c.tcpTimeout(Duration.ofMillis(800)).merge(peers -> {
            try {
                closed.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return null;
        }));
        List<Future<Boolean>> more = new ArrayList<>();
        for (int i = 0; i < joins; i++) {
            String name = "late-" + i;
            more.add(pool.submit(() -> rawPushPull(b, fakeState(name, 3, true, 2))));
        }
        // Every request not served within the bound is refused: those beyond the 128 places, and those
        // that held a place but whose turn did not come (the served ones are held in the merge).
        Poll.until("all but the served refused after waiting", WAIT,
                () -> b.stats().pushPullRefused() == joins - serving);
        closed.countDown();
        for (Future<Boolean> f : more) {
            f.get(30, TimeUnit.SECONDS);
        }
        Poll.until("slots back", WAIT, () -> b.pushPullSlotsFree() == Memberlist.MAX_PUSH_PULL_REQUESTS
                && b.pushPullServingFree() == serving);
        Memberlist c = node("storm-c", x -> x);
        assertThat(c.join(List.of(addr(b)))).isEqualTo(1);
        pool.shutdownNow();
    }

    @Test
    void indirectPingFloodKeepsRelaysBoundedAndTheNodeAlive() throws Exception {
        Memberlist a = node("relay-a", c -> c.probeTimeout(Duration.ofMillis(300)));
        try (DatagramSocket silent = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
             DatagramSocket attacker = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            List<byte[]> pings = new ArrayList<>();
            for (int i = 0; i < PacketCodec.MAX_COMPOUND_PARTS; i++) {
                pings.add(MessageCodec.encode(new Message.IndirectPing(i, new byte[] {127, 0, 0, 1}, silent.getLocalPort(),
                        "victim", true, new byte[] {127, 0, 0, 1}, attacker.getLocalPort(), "attacker")));
            }
            byte[] packet = PacketCodec.seal(PacketCodec.compound(pings), WireOptions.plain(), false);
            InetSocketAddress target = a.advertiseAddress();
            int maxInFlight = 0;
            for (int i = 0; i < 40; i++) { // 5,080 indirect pings
                attacker.send(new DatagramPacket(packet, packet.length, target));
                maxInFlight = Math.max(maxInFlight, (int) a.stats().relaysInFlight());
                // A relay costs no thread: the node's timer thread is all there is.
                assertThat(ThreadNames.liveStartingWith("memberlist-relay-a-")).containsExactly("memberlist-relay-a-timer");
            }
            Poll.until("flood handled", WAIT, () -> a.stats().packetsReceived() >= 40 || a.stats().packetsDropped() > 0);
            assertThat(maxInFlight).isLessThanOrEqualTo(IndirectPingRelays.MAX_IN_FLIGHT);
            assertThat(a.stats().relaysDropped()).isPositive();
            Poll.until("relays time out", WAIT, () -> a.stats().relaysInFlight() == 0);
            // Nacks went back to the requester for the relays that were made.
            attacker.setSoTimeout(5000);
            DatagramPacket nack = new DatagramPacket(new byte[65536], 65536);
            attacker.receive(nack);
        }
        Memberlist b = node("relay-b", c -> c);
        assertThat(b.join(List.of(addr(a)))).isEqualTo(1);
        Poll.until("both see both", WAIT, () -> a.numMembers() == 2 && b.numMembers() == 2);
    }

    @Test
    void delegatesAreCalledAfterTheStateLockIsReleased() throws Exception {
        AtomicReference<Memberlist> self = new AtomicReference<>();
        ExecutorService other = Executors.newSingleThreadExecutor();
        List<String> problems = new java.util.concurrent.CopyOnWriteArrayList<>();
        AtomicInteger events = new AtomicInteger();
        EventDelegate callsBack = new EventDelegate() {
            private void check(Node n) {
                events.incrementAndGet();
                Memberlist m = self.get();
                if (m == null) {
                    return;
                }
                try {
                    // Another thread takes the state lock: this deadlocks if the lock is held here.
                    other.submit(() -> m.members().size() + m.numMembers()).get(5, TimeUnit.SECONDS);
                } catch (Exception e) {
                    problems.add(n.name() + ": " + e);
                }
            }

            @Override
            public void notifyJoin(Node node) {
                check(node);
            }

            @Override
            public void notifyLeave(Node node) {
                check(node);
            }

            @Override
            public void notifyUpdate(Node node) {
                check(node);
            }
        };
        Memberlist a = node("ev-a", c -> c.events(callsBack));
        self.set(a);
        Memberlist b = node("ev-b", c -> c);
        Memberlist c = node("ev-c", x -> x);
        b.join(List.of(addr(a)));
        c.join(List.of(addr(a)));
        Poll.until("a sees three", WAIT, () -> a.numMembers() == 3);
        c.leave(Duration.ofSeconds(2));
        Poll.until("a sees c leave", WAIT, () -> a.numMembers() == 2);
        assertThat(events.get()).isGreaterThanOrEqualTo(3);
        assertThat(problems).isEmpty();
        assertThat(a.delegateCalledUnderLock()).isFalse();
        other.shutdownNow();
    }

    @Test
    void hostileStreamsAndPacketsAreRefusedCountedAndReleased() throws Exception {
        InputBudget budget = InputBudget.ofBytes(512 << 10);
        Memberlist a = node("enc-a", c -> c.secretKey(KEY).inputBudget(budget).tcpTimeout(Duration.ofMillis(1500)));
        WireOptions enc = new WireOptions(false, Keyring.of(List.of(), KEY), 1, true, true, null, false);
        int port = a.advertiseAddress().getPort();

        // Declared larger than the cluster's state could be (1 MiB + 2 KiB × 1 node): Go's refusal, nothing read.
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(ByteBuffer.allocate(5).put((byte) MessageType.ENCRYPT.code()).putInt(16 << 20).array());
            Message reply = StreamCodec.read(new java.io.BufferedInputStream(s.getInputStream()), enc, 1 << 20);
            assertThat(reply).isEqualTo(new Message.Err("Remote node state is larger than limit (16777216)"));
        }
        assertThat(a.stats().streamsRefusedCap()).isEqualTo(1);

        // Under the cap but more than the budget: dropped without a reply, counted.
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(ByteBuffer.allocate(5).put((byte) MessageType.ENCRYPT.code()).putInt(800 << 10).array());
            assertThat(s.getInputStream().read()).isEqualTo(-1);
        }
        Poll.until("refused by the budget", WAIT, () -> a.stats().streamsRefusedBudget() == 1);

        // Declared, 10 bytes sent, never finished: the reservation is held until the deadline, then given back.
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.getOutputStream().write(ByteBuffer.allocate(15).put((byte) MessageType.ENCRYPT.code()).putInt(300 << 10).array());
            Poll.until("reserved", WAIT, () -> budget.inUse() >= 300 << 10);
            Poll.until("released at the deadline", WAIT, () -> budget.inUse() == 0);
        }
        assertThat(a.stats().streamsFailed()).isPositive();

        // An LZW bomb in a packet: its output is more than the budget holds; dropped and counted.
        byte[] zeros = new byte[900 << 10];
        zeros[0] = (byte) MessageType.USER.code();
        WireOptions encLzw = new WireOptions(true, Keyring.of(List.of(), KEY), 1, true, true, null, false);
        byte[] bomb = PacketCodec.seal(zeros, encLzw, false); // compressed, then encrypted
        assertThat(bomb.length).isLessThan(65_000);
        try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            udp.send(new DatagramPacket(bomb, bomb.length, a.advertiseAddress()));
        }
        Poll.until("bomb refused", WAIT, () -> a.stats().decompressionRefused() == 1);
        assertThat(budget.inUse()).isZero();
        assertThat(a.stats().asMap()).containsEntry("streams_refused_cap", 1L).containsEntry("streams_refused_budget", 1L)
                .containsEntry("decompression_refused", 1L).containsKeys("input_budget_peak", "relays_dropped",
                        "push_pull_refused", "tcp_pings_dropped", "loop_exceptions");

        // Still a working node.
        Memberlist b = node("enc-b", c -> c.secretKey(KEY));
        assertThat(b.join(List.of(addr(a)))).isEqualTo(1);
        Poll.until("both see both", WAIT, () -> a.numMembers() == 2 && b.numMembers() == 2);
        // A packet being handled holds its bytes for that long: wait for a moment between packets.
        Poll.until("every reservation given back", WAIT, () -> budget.inUse() == 0);
    }

    @Test
    void aLoopThatServesTheNetworkSurvivesAnException() throws Exception {
        PingDelegate failing = new PingDelegate() {
            @Override
            public byte[] ackPayload() {
                return null;
            }

            @Override
            public void notifyPingComplete(Node other, Duration rtt, byte[] payload) {
                throw new IllegalStateException("a broken delegate");
            }
        };
        Memberlist a = node("loop-a", c -> c.ping(failing).probeInterval(Duration.ofMillis(100)));
        Memberlist b = node("loop-b", c -> c);
        b.join(List.of(addr(a)));
        Poll.until("several probes failed in the delegate", WAIT, () -> a.stats().loopExceptions() >= 3);
        assertThat(ThreadNames.liveStartingWith("memberlist-loop-a-timer")).hasSize(1); // its scheduler goes on
        assertThat(a.numMembers()).isEqualTo(2);
        assertThat(a.stats().asMap().get("loop_exceptions")).isGreaterThanOrEqualTo(3L);
    }
}
